"""Entries named by uid (``Uid``) or by an ``FSEntry``, in every operation that names an
existing entry, blocking and async; a uid keeps naming an entry after it moved."""

from __future__ import annotations

from pathlib import Path

import pytest

from puter.exceptions import PuterInputError
from puter.types import FSEntry, Uid
from puter_client.emulator import PuterEmulator
from tests.services.fs.conftest import FsCall


@pytest.fixture
def entry(fs: FsCall) -> FSEntry:
    fs("mkdir", "dest")
    result: FSEntry = fs("write", "Documents/a.txt", "hello")
    return result


@pytest.fixture(params=["uid", "entry"])
def ref(request: pytest.FixtureRequest, entry: FSEntry) -> Uid | FSEntry:
    return Uid(entry.uid) if request.param == "uid" else entry


def test_stat_read_exists_and_download_by_uid(
    fs: FsCall, ref: Uid | FSEntry, entry: FSEntry, tmp_path: Path, v2_emu: PuterEmulator
) -> None:
    assert fs("stat", ref).path == entry.path
    assert fs("read", ref) == b"hello"
    assert fs("read", ref, offset=1, length=2) == b"el"
    assert fs("read_text", ref) == "hello"
    assert fs("exists", ref) is True
    assert fs("download", ref, tmp_path).read_bytes() == b"hello"
    stats = [r.json for r in v2_emu.requests_to("/stat") if r.json != {"path": "~/dest"}]
    assert stats and all(s == {"uid": entry.uid} for s in stats)  # by uid, not by path


def test_a_uid_still_names_the_entry_after_a_move(fs: FsCall, entry: FSEntry) -> None:
    fs("move", "Documents/a.txt", "Desktop")

    assert fs("stat", Uid(entry.uid)).path == "/alice/Desktop/a.txt"
    assert fs("read", Uid(entry.uid)) == b"hello"


def test_write_into_rename_copy_move_and_delete_by_uid(
    fs: FsCall, ref: Uid | FSEntry, entry: FSEntry
) -> None:
    folder = fs("stat", "dest")

    assert fs("write", ref, "bye").path == entry.path
    assert fs("read_text", entry.path) == "bye"
    renamed = fs("rename", ref, "b.txt")
    assert renamed.path == "/alice/Documents/b.txt"
    assert fs("copy", Uid(entry.uid), Uid(folder.uid)).path == "/alice/dest/b.txt"
    assert fs("copy", Uid(entry.uid), folder, new_name="c.txt").path == "/alice/dest/c.txt"
    assert fs("move", Uid(entry.uid), folder, new_name="m.txt").path == "/alice/dest/m.txt"
    assert [e.name for e in fs("listdir", Uid(folder.uid))] == ["b.txt", "c.txt", "m.txt"]
    fs("delete", [Uid(entry.uid), folder], recursive=True)
    assert fs("exists", "dest") is False


def test_an_unknown_uid_is_file_not_found(fs: FsCall) -> None:
    with pytest.raises(FileNotFoundError):
        fs("stat", Uid("0b7c5e8e-0000-4000-8000-000000000000"))


@pytest.mark.parametrize("value", ["", " x", "/alice/a.txt", "~/a.txt"])
def test_a_uid_that_is_empty_or_a_path_is_refused(value: str) -> None:
    with pytest.raises(PuterInputError) as caught:
        Uid(value)

    assert caught.value.code == "NO_PATH_OR_UID"


def test_a_uid_must_be_a_str() -> None:
    with pytest.raises(TypeError):
        Uid(3)  # type: ignore[arg-type]
