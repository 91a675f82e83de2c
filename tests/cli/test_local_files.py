"""Local-file traps of the command line: a folder where a file is needed is refused
before anything is generated or sent, naming the real path; no temporary file remains."""

from __future__ import annotations

import os
from pathlib import Path

from puter_client.core.credentials import SavedLogin
from puter_client.emulator import PuterEmulator

from .support import RunPuter


def test_image_output_into_a_folder_is_refused_before_generating(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    (tmp_path / "dl").mkdir()

    result = run_puter("image", "a fox", "-o", str(tmp_path / "dl"))

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"puter: error: {tmp_path / 'dl'}: is a folder")
    assert os.path.join(str(tmp_path / "dl"), "image.png") in line
    assert emu.requests_to("/drivers/call") == []
    assert list((tmp_path / "dl").iterdir()) == []


def test_speak_output_with_a_trailing_separator_is_a_folder(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    result = run_puter("speak", "Hello", "-o", f"{tmp_path / 'out'}{os.sep}")

    assert result.returncode == 1
    assert "is a folder" in result.stderr
    assert emu.requests_to("/drivers/call") == []
    assert not (tmp_path / "out").exists()


def test_image_output_into_a_missing_folder_names_it(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    result = run_puter("image", "a fox", "-o", str(tmp_path / "nope" / "fox.png"))

    assert result.returncode == 1
    assert f"{tmp_path / 'nope'}: no such folder" in result.stderr
    assert emu.requests_to("/drivers/call") == []


def test_batch_of_a_folder_says_it_is_a_folder(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    result = run_puter("batch", str(tmp_path), "-o", str(tmp_path / "out.jsonl"))

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "is a folder" in line and "no such file" not in line
    assert not (tmp_path / "out.jsonl").exists()


def test_speak_writes_what_the_extension_says(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    result = run_puter("speak", "Hello", "-o", str(tmp_path / "hi.wav"))

    assert result.returncode == 0, result.stderr
    assert (tmp_path / "hi.wav").read_bytes()[:4] == b"RIFF"


def test_speak_refuses_audio_of_another_type_and_writes_nothing(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    result = run_puter("speak", "Hello", "-o", str(tmp_path / "hi.mp3"))  # the server sends WAV

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "audio/wav" in line and "hi.wav" in line
    assert [p.name for p in tmp_path.iterdir() if p.name != "puter-config"] == []


def test_speak_to_a_name_that_is_no_audio_file_is_refused_before_generating(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    result = run_puter("speak", "Hello", "-o", str(tmp_path / "hi.txt"))

    assert result.returncode == 1
    assert ".mp3" in result.stderr
    assert emu.requests_to("/drivers/call") == []
