"""``local_target``: the local file a download or a save writes, checked before any
request. A trailing separator means a folder; a folder needs a file name; the folder
must exist; errors name the real path."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puter_client.core.http.responses import (
    FileSink,
    LocalFolderError,
    MissingLocalFolderError,
    local_target,
)

NAMES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/\\\x00"),
    min_size=1,
    max_size=20,
).filter(lambda n: n not in (".", ".."))


def test_a_file_in_an_existing_folder_is_itself(tmp_path: Path) -> None:
    assert local_target(tmp_path / "a.txt") == tmp_path / "a.txt"


def test_an_existing_folder_with_a_name_is_that_name_in_it(tmp_path: Path) -> None:
    assert local_target(tmp_path, name="cat.png") == tmp_path / "cat.png"


def test_a_trailing_separator_with_a_name_is_that_name_in_the_folder(tmp_path: Path) -> None:
    (tmp_path / "downloads").mkdir()

    assert local_target(f"{tmp_path}/downloads/", name="cat.png") == (
        tmp_path / "downloads" / "cat.png"
    )


def test_a_trailing_separator_of_a_missing_folder_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(MissingLocalFolderError) as caught:
        local_target(f"{tmp_path}/downloads/", name="cat.png")

    assert caught.value.filename == str(tmp_path / "downloads")
    assert str(caught.value).startswith(f"{tmp_path / 'downloads'}: no such folder")
    assert not (tmp_path / "downloads").exists()


def test_a_folder_without_a_name_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LocalFolderError) as caught:
        local_target(tmp_path, example="image.png")

    assert caught.value.filename == str(tmp_path)
    assert os.path.join(str(tmp_path), "image.png") in str(caught.value)


def test_a_file_where_the_folder_should_be_is_refused(tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")

    with pytest.raises(MissingLocalFolderError, match="is not a folder"):
        local_target(tmp_path / "plain" / "a.txt")


def test_an_empty_path_is_refused() -> None:
    with pytest.raises(ValueError, match="empty"):
        local_target("")


def test_the_errors_are_value_errors_and_os_errors(tmp_path: Path) -> None:
    for dest in (tmp_path, tmp_path / "x" / "y"):
        with pytest.raises(ValueError) as caught:
            local_target(dest)
        assert isinstance(caught.value, OSError)


@given(name=NAMES)
def test_any_name_lands_in_the_folder_meant(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    folder = tmp_path_factory.getbasetemp()

    assert local_target(f"{folder}{os.sep}", name=name) == folder / name


def test_a_file_sink_refuses_a_folder_when_made(tmp_path: Path) -> None:
    with pytest.raises(LocalFolderError):
        FileSink(tmp_path)

    assert list(tmp_path.iterdir()) == []


def test_a_file_sink_that_cannot_rename_leaves_nothing_and_names_the_target(
    tmp_path: Path,
) -> None:
    sink = FileSink(tmp_path / "out.bin")
    sink.reset()
    sink.write(b"data")
    (tmp_path / "out.bin").mkdir()  # the target became a folder meanwhile

    with pytest.raises(LocalFolderError) as caught:
        sink.finish()

    assert caught.value.filename == str(tmp_path / "out.bin")
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]
