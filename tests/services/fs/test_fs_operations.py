"""puter.js's operation options, blocking and async: ``mkdir(dedupe_name=)``,
``copy``/``move`` with ``new_name``, ``overwrite``, ``dedupe_name``, ``create_parents``,
folders that must exist, ``delete`` of several paths and ``descendants_only``, empty
files."""

from __future__ import annotations

import pytest

from puter.exceptions import PuterFileExistsError, PuterInputError
from puter_client.emulator import PuterEmulator
from tests.services.fs.conftest import FsCall


def names(fs: FsCall, folder: str) -> list[str]:
    return [e.name for e in fs("listdir", folder)]


def test_mkdir_dedupe_name_makes_a_numbered_folder(fs: FsCall) -> None:
    fs("mkdir", "proj")

    entry = fs("mkdir", "proj", dedupe_name=True)

    assert entry.name == "proj (1)"
    assert names(fs, "~").count("proj (1)") == 1


def test_copy_with_new_name_into_a_folder(fs: FsCall) -> None:
    fs("write", "a.txt", "a")
    fs("mkdir", "dest")

    entry = fs("copy", "a.txt", "dest", new_name="b.txt")

    assert entry.path == "/alice/dest/b.txt"
    assert fs("read_text", "dest/b.txt") == "a"


def test_copy_dedupe_name_keeps_both(fs: FsCall) -> None:
    fs("write", "a.txt", "a")

    entry = fs("copy", "a.txt", "~/", dedupe_name=True)

    assert entry.name == "a (1).txt"


def test_copy_onto_a_taken_name_needs_overwrite(fs: FsCall) -> None:
    fs("write", "a.txt", "new")
    fs("write", "dest/a.txt", "old", create_parents=True)

    with pytest.raises(PuterFileExistsError):
        fs("copy", "a.txt", "dest")
    fs("copy", "a.txt", "dest", overwrite=True)

    assert fs("read_text", "dest/a.txt") == "new"


@pytest.mark.parametrize("method", ["copy", "move"])
def test_into_a_missing_folder_is_refused_as_on_the_server(fs: FsCall, method: str) -> None:
    fs("write", "a.txt", "a")

    with pytest.raises(FileNotFoundError):
        fs(method, "a.txt", "missing/")
    with pytest.raises(FileNotFoundError):
        fs(method, "a.txt", "missing", new_name="b.txt")

    assert "missing" not in names(fs, "~")
    assert fs("read_text", "a.txt") == "a"


def test_a_path_without_a_slash_is_still_a_new_name(fs: FsCall) -> None:
    fs("write", "a.txt", "a")

    entry = fs("copy", "a.txt", "b.txt")

    assert entry.path == "/alice/b.txt"


def test_move_create_parents_makes_the_folder(fs: FsCall) -> None:
    fs("write", "a.txt", "a")

    entry = fs("move", "a.txt", "new/place/", create_parents=True, new_name="b.txt")

    assert entry.path == "/alice/new/place/b.txt"
    assert "a.txt" not in names(fs, "~")


def test_move_overwrite_and_dedupe(fs: FsCall) -> None:
    fs("write", "a.txt", "one")
    fs("write", "d/a.txt", "old", create_parents=True)
    fs("write", "b.txt", "two")

    fs("move", "a.txt", "d", overwrite=True)
    deduped = fs("move", "b.txt", "d", new_name="a.txt", dedupe_name=True)

    assert fs("read_text", "d/a.txt") == "one"
    assert deduped.name == "a (1).txt"


def test_delete_several_paths_in_one_request(fs: FsCall, v2_emu: PuterEmulator) -> None:
    for name in ("a", "b", "c"):
        fs("write", f"{name}.txt", name)

    fs("delete", ["a.txt", "b.txt"])

    assert [n for n in names(fs, "~") if n.endswith(".txt")] == ["c.txt"]
    (request,) = v2_emu.requests_to("/delete")
    assert request.json["paths"] == ["~/a.txt", "~/b.txt"]


def test_delete_descendants_only_empties_the_folder(fs: FsCall) -> None:
    fs("write", "d/a.txt", "a", create_parents=True)
    fs("write", "d/sub/b.txt", "b", create_parents=True)

    fs("delete", "d", recursive=True, descendants_only=True)

    assert fs("listdir", "d") == []
    assert fs("stat", "d").is_dir


def test_an_empty_list_of_paths_is_refused(fs: FsCall) -> None:
    with pytest.raises(PuterInputError) as caught:
        fs("delete", [])

    assert caught.value.code == "NO_PATH_OR_UID"


def test_an_empty_file_is_written_and_read_back(fs: FsCall) -> None:
    entry = fs("write", "empty.txt", b"")

    assert entry.size == 0
    assert fs("read", "empty.txt") == b""
