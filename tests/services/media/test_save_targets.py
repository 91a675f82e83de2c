"""Where a generated file is saved: a folder is refused before anything is fetched or
written, naming the real path, and no temporary file ever remains."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from puter import PuterAI
from puter_client.core.http.responses import LocalFolderError, MissingLocalFolderError
from puter_client.emulator import PuterEmulator
from tests.services.media.conftest import Run

SAMPLE = "/media-samples/tts_example.mp3"


def everything_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_saving_into_an_existing_folder_is_refused_before_fetching(
    client: PuterAI, v2_emu: PuterEmulator, tmp_path: Path, run: Run
) -> None:
    audio = client.txt2speech("Hello", test_mode=True)
    (tmp_path / "dl").mkdir()

    with pytest.raises(LocalFolderError) as caught:
        run(audio, "save", tmp_path / "dl")

    assert isinstance(caught.value, IsADirectoryError) and isinstance(caught.value, ValueError)
    assert str(tmp_path / "dl") in str(caught.value)
    assert os.path.join(str(tmp_path / "dl"), "audio.mp3") in str(caught.value)  # a name to use
    assert ".part" not in str(caught.value)
    assert v2_emu.requests_to(SAMPLE) == []
    assert everything_in(tmp_path) == ["dl"]


def test_a_trailing_separator_means_a_folder_even_when_it_does_not_exist(
    client: PuterAI, v2_emu: PuterEmulator, tmp_path: Path, run: Run
) -> None:
    audio = client.txt2speech("Hello", test_mode=True)

    with pytest.raises(LocalFolderError):
        run(audio, "save", f"{tmp_path / 'downloads'}{os.sep}")

    assert v2_emu.requests_to(SAMPLE) == []
    assert everything_in(tmp_path) == []  # no file named "downloads"


def test_saving_into_a_missing_folder_names_that_folder(
    client: PuterAI, v2_emu: PuterEmulator, tmp_path: Path, run: Run
) -> None:
    image = client.txt2img("a fox")

    with pytest.raises(MissingLocalFolderError) as caught:
        run(image, "save", tmp_path / "nope" / "fox.png")

    assert isinstance(caught.value, FileNotFoundError)
    assert caught.value.filename == str(tmp_path / "nope")
    assert everything_in(tmp_path) == []


def test_a_relative_folder_is_named_by_its_absolute_path(
    client: PuterAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "adir").mkdir()
    image = client.txt2img("a fox")

    with pytest.raises(LocalFolderError) as caught:
        run(image, "save", "adir")

    assert caught.value.filename == str(tmp_path / "adir")
    assert os.path.join(str(tmp_path / "adir"), "image.png") in str(caught.value)


def test_speech_save_to_a_folder_is_refused_before_any_request(
    client: PuterAI, v2_emu: PuterEmulator, tmp_path: Path, run: Run
) -> None:
    with pytest.raises(LocalFolderError):
        run(client, "txt2speech", "Hello", save_to=f"{tmp_path}{os.sep}")

    assert v2_emu.requests_to("/drivers/call") == []
    assert everything_in(tmp_path) == []


def test_a_folder_that_appears_at_the_target_leaves_no_temporary_file(
    client: PuterAI, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    image = client.txt2img("a fox")
    target = tmp_path / "fox.png"
    real_replace = os.replace

    def folder_first(src: Any, dst: Any) -> None:
        Path(dst).mkdir(exist_ok=True)  # someone made a folder there meanwhile
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", folder_first)

    with pytest.raises(OSError) as caught:
        run(image, "save", target)

    assert ".part" not in str(caught.value)
    assert str(target) in str(caught.value)
    assert everything_in(tmp_path) == ["fox.png"]  # the folder; no .part file
