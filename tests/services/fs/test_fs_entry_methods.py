"""Entries with methods (puter.js's ``FSItem``): every entry ``client.fs`` gives back is
bound to that client, and ``entry.read()``, ``entry.rename()``... call it, blocking or
(``async_``) awaited; each test runs both ways against the emulator."""

from __future__ import annotations

import asyncio
import inspect
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from puter.exceptions import PuterInputError, PuterIsADirectoryError, PuterNotADirectoryError
from puter.types import FSEntry, Uid
from puter_client.emulator import PuterEmulator
from tests.services.fs.conftest import FsCall

EntryCall = Callable[..., Any]


@pytest.fixture
def on(fs_call: Callable[[Any], FsCall], request: pytest.FixtureRequest) -> EntryCall:
    """``on(entry, name, *args)``: ``entry.<name>(...)``, or its async twin run to the end
    (the same way as the ``fs`` fixture of this test)."""
    mode = request.node.callspec.params["fs_call"]

    def call(entry: FSEntry, name: str, *args: Any, **kwargs: Any) -> Any:
        if mode == "sync":
            return getattr(entry, name)(*args, **kwargs)
        return asyncio.run(getattr(entry, f"async_{name}")(*args, **kwargs))

    return call


@pytest.fixture
def note(fs: FsCall) -> FSEntry:
    entry: FSEntry = fs("write", "Documents/note.txt", "hello")
    return entry


@pytest.fixture
def docs(fs: FsCall) -> FSEntry:
    entry: FSEntry = fs("stat", "Documents")
    return entry


def test_read_and_read_text_of_an_entry(on: EntryCall, note: FSEntry) -> None:
    assert on(note, "read") == b"hello"
    assert on(note, "read", offset=1, length=3) == b"ell"
    assert on(note, "read_text") == "hello"


def test_write_replaces_the_file_and_returns_the_new_entry(
    fs: FsCall, on: EntryCall, note: FSEntry
) -> None:
    written = on(note, "write", "bye")

    assert written.uid == note.uid and written.size == 3
    assert fs("read_text", "Documents/note.txt") == "bye"
    assert note.size == 5  # the old entry is a snapshot


def test_sign_of_an_entry_gives_urls_that_read_and_write_it_with_no_token(
    fs: FsCall, on: EntryCall, note: FSEntry
) -> None:
    signed = on(note, "sign", write=True)

    assert signed.uid == note.uid
    assert httpx.get(signed.url).text == "hello"
    assert signed.write_url is not None


def test_rename_move_and_copy_return_entries_that_are_bound_too(
    fs: FsCall, on: EntryCall, note: FSEntry, docs: FSEntry
) -> None:
    fs("mkdir", "Archive")

    renamed = on(note, "rename", "renamed.txt")
    moved = on(renamed, "move", "Archive")
    copied = on(moved, "copy", docs, new_name="copy.txt")

    assert renamed.path == "/alice/Documents/renamed.txt"
    assert moved.path == "/alice/Archive/renamed.txt"
    assert copied.path == "/alice/Documents/copy.txt"
    assert on(copied, "read") == b"hello"


def test_the_methods_name_the_entry_by_uid_so_they_follow_a_move(
    fs: FsCall, on: EntryCall, note: FSEntry, v2_emu: PuterEmulator
) -> None:
    fs("move", "Documents/note.txt", "Desktop")

    assert on(note, "read") == b"hello"  # the entry still says Documents/note.txt
    assert on(note, "stat").path == "/alice/Desktop/note.txt"
    reads = v2_emu.requests_to("/read")
    assert reads and all(f"uid={note.uid}" in r.query for r in reads)


def test_move_and_copy_take_puter_js_options(fs: FsCall, on: EntryCall, note: FSEntry) -> None:
    fs("write", "Desktop/note.txt", "old")

    copied = on(note, "copy", "Desktop", dedupe_name=True)
    moved = on(note, "move", "Desktop", overwrite=True)

    assert copied.name == "note (1).txt"
    assert moved.path == "/alice/Desktop/note.txt"
    assert fs("read_text", "Desktop/note.txt") == "hello"


def test_delete_removes_the_entry(fs: FsCall, on: EntryCall, note: FSEntry) -> None:
    assert on(note, "delete") is None
    assert fs("exists", "Documents/note.txt") is False


def test_a_folder_lists_and_makes_folders_in_itself(
    fs: FsCall, on: EntryCall, note: FSEntry, docs: FSEntry
) -> None:
    made = on(docs, "mkdir", "sub")

    assert made.path == "/alice/Documents/sub" and made.is_dir
    assert [e.name for e in on(docs, "listdir")] == ["note.txt", "sub"]
    assert [e.name for e in on(docs, "readdir", sort_order="desc")] == ["sub", "note.txt"]
    assert on(docs, "mkdir", "sub", dedupe_name=True).name == "sub (1)"
    assert on(docs, "mkdir", "sub", exist_ok=True).path == made.path
    with pytest.raises(FileExistsError):
        on(docs, "mkdir", "sub")


def test_listed_entries_have_methods_too(fs: FsCall, on: EntryCall, note: FSEntry) -> None:
    (listed,) = fs("listdir", "Documents")
    (paged,) = fs("listdir_page", "Documents").items

    assert on(listed, "read") == b"hello" and on(paged, "read_text") == "hello"


def test_a_stat_with_options_refreshes_the_entry(fs: FsCall, on: EntryCall, docs: FSEntry) -> None:
    fs("write", "Documents/a.bin", b"12345")

    assert on(docs, "stat", return_size=True).size == 5


def test_download_streams_the_file(on: EntryCall, note: FSEntry, tmp_path: Path) -> None:
    assert on(note, "download", tmp_path).read_bytes() == b"hello"


def test_a_folder_is_not_read_or_written_and_nothing_is_sent(
    on: EntryCall, docs: FSEntry, v2_emu: PuterEmulator
) -> None:
    before = len(v2_emu.requests)

    with pytest.raises(PuterIsADirectoryError) as read:
        on(docs, "read")
    with pytest.raises(IsADirectoryError):
        on(docs, "write", "x")

    assert read.value.code == "cannot_read_a_directory" and read.value.filename == docs.path
    assert len(v2_emu.requests) == before


def test_a_file_is_not_listed_nor_given_folders_and_nothing_is_sent(
    on: EntryCall, note: FSEntry, v2_emu: PuterEmulator
) -> None:
    before = len(v2_emu.requests)

    with pytest.raises(PuterNotADirectoryError) as listed:
        on(note, "listdir")
    with pytest.raises(NotADirectoryError):
        on(note, "mkdir", "sub")

    assert listed.value.code == "dest_is_not_a_directory"
    assert len(v2_emu.requests) == before


@pytest.mark.parametrize("name", ["", "a/b", ".."])
def test_mkdir_takes_a_name_not_a_path(on: EntryCall, docs: FSEntry, name: str) -> None:
    with pytest.raises(PuterInputError):
        on(docs, "mkdir", name)


def test_an_entry_that_is_not_bound_says_how_to_bind_it(
    fs: FsCall, on: EntryCall, note: FSEntry
) -> None:
    unbound = FSEntry.from_wire(note.to_wire())

    with pytest.raises(PuterInputError) as caught:
        on(unbound, "read")

    assert caught.value.code == "unbound_entry" and "bind" in str(caught.value)
    assert fs("read", unbound) == b"hello"  # still a target for client.fs


def test_an_unpickled_entry_is_unbound_until_bound_again(
    on: EntryCall, note: FSEntry, v2_emu: PuterEmulator
) -> None:
    from tests.support.emulated import alice

    restored = pickle.loads(pickle.dumps(note))

    with pytest.raises(PuterInputError):
        on(restored, "read")
    with alice() as client:
        assert on(restored.bind(client.fs), "read") == b"hello"


def test_bind_takes_a_client_file_system_only(note: FSEntry) -> None:
    with pytest.raises(TypeError):
        note.bind("client.fs")  # type: ignore[arg-type]


def test_entries_of_uploads_are_bound(fs: FsCall, on: EntryCall, tmp_path: Path) -> None:
    (tmp_path / "up").mkdir()
    (tmp_path / "up" / "a.txt").write_text("up")

    report = fs("upload", tmp_path / "up", "Documents")

    (uploaded,) = report.files
    assert uploaded.entry is not None and on(uploaded.entry, "read_text") == "up"


def test_a_uid_entry_from_a_stat_by_uid_works_like_the_path_one(
    fs: FsCall, on: EntryCall, note: FSEntry
) -> None:
    assert on(fs("stat", Uid(note.uid)), "read") == b"hello"


def test_every_entry_method_has_an_async_twin_with_the_same_parameters() -> None:
    pairs = [
        (name, getattr(FSEntry, name), member)
        for name, member in inspect.getmembers(FSEntry, inspect.iscoroutinefunction)
        if name.startswith("async_")
        for name in [name.removeprefix("async_")]
    ]

    assert {name for name, _, _ in pairs} == {
        "read", "read_text", "write", "download", "stat", "rename", "move", "copy", "delete",
        "listdir", "readdir", "mkdir", "shortcut_target", "sign",
    }  # fmt: skip
    for name, sync, asynchronous in pairs:
        sync_parameters = inspect.signature(sync).parameters
        assert sync_parameters == inspect.signature(asynchronous).parameters, name


def test_a_bound_entry_shows_nothing_of_its_client(note: FSEntry) -> None:
    text = repr(note)

    assert text == repr(FSEntry.from_wire(note.to_wire()))
    assert "FileSystem" not in text and "token" not in text.lower()
