"""``client.fs`` against the emulator: every method, blocking and async, in normal and
fault modes, and every error row of the protocol notes as its typed error.

Each test runs twice, through the blocking method and through its ``async_`` twin
(``fs_call``), since both run the same flow.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterAPIError,
    PuterBadRequestError,
    PuterConflictError,
    PuterConnectionError,
    PuterFileExistsError,
    PuterFileNotFoundError,
    PuterIsADirectoryError,
    PuterNotADirectoryError,
    PuterPayloadTooLargeError,
    PuterRateLimitError,
)
from puter.types import FSEntry
from puter_client.emulator import Drop, PuterEmulator
from tests.services.fs.conftest import FsCall
from tests.support.emulated import alice


def requests_to(emu: PuterEmulator, path: str) -> list[Any]:
    return emu.requests_to(path)


# ------------------------------------------------------------------ writing, reading


def test_text_written_to_a_relative_path_lands_in_the_home_folder(fs: FsCall) -> None:
    entry = fs("write", "Documents/hello.txt", "hello")

    assert (entry.path, entry.name, entry.size, entry.is_dir) == (
        "/alice/Documents/hello.txt", "hello.txt", 5, False,
    )  # fmt: skip
    assert fs("read_text", "~/Documents/hello.txt") == "hello"


def test_bytes_a_binary_file_and_a_local_path_are_written_unchanged(
    fs: FsCall, tmp_path: Path
) -> None:
    local = tmp_path / "local.bin"
    local.write_bytes(bytes(range(256)) * 10)

    fs("write", "a.bin", b"\x00\x01\x02")
    fs("write", "b.bin", io.BytesIO(b"\xff" * 70_000))
    fs("write", "c.bin", local)

    assert fs("read", "a.bin") == b"\x00\x01\x02"
    assert fs("read", "b.bin") == b"\xff" * 70_000
    assert fs("read", "c.bin") == local.read_bytes()


@pytest.mark.parametrize(
    "name", ["my notes.txt", "café crème.txt", "日本語 ファイル.txt", 'say "hi" 50%.txt']
)
def test_names_with_spaces_and_non_ascii_letters_round_trip(
    fs: FsCall, name: str, tmp_path: Path
) -> None:
    entry = fs("write", f"Documents/{name}", "hi")

    assert entry.name == name
    assert fs("read_text", f"Documents/{name}") == "hi"
    assert fs("read", f"Documents/{name}", offset=1) == b"i"
    assert fs("download", f"Documents/{name}", tmp_path).read_bytes() == b"hi"
    assert [e.name for e in fs("listdir", "Documents")] == [name]


def test_a_write_is_one_streamed_multipart_upload_with_the_manifest_first(
    fs: FsCall, v2_emu: PuterEmulator
) -> None:
    fs("write", "Documents/x.txt", "data")

    (request,) = requests_to(v2_emu, "/fs/batchWrite")
    assert request.headers["content-type"].startswith("multipart/form-data; boundary=")
    assert request.body_streamed  # the emulator refuses file parts before the manifest


def test_write_overwrites_by_default_as_puter_js_does(fs: FsCall) -> None:
    fs("write", "note.txt", "one")
    fs("write", "note.txt", "two")

    assert fs("read_text", "note.txt") == "two"


def test_write_without_overwrite_raises_file_exists(fs: FsCall) -> None:
    fs("write", "note.txt", "one")

    with pytest.raises(FileExistsError) as caught:
        fs("write", "note.txt", "two", overwrite=False)

    assert isinstance(caught.value, PuterFileExistsError)
    assert (caught.value.status_code, caught.value.code) == (409, "item_with_same_name_exists")
    assert fs("read_text", "note.txt") == "one"


def test_dedupe_name_picks_a_free_name(fs: FsCall) -> None:
    fs("write", "note.txt", "one")

    entry = fs("write", "note.txt", "two", dedupe_name=True)

    assert entry.name == "note (1).txt"
    assert fs("read_text", "note.txt") == "one"


def test_a_missing_parent_is_file_not_found_unless_create_parents(fs: FsCall) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        fs("write", "deep/er/x.txt", "x")
    assert (caught.value.status_code, caught.value.code) == (404, "not_found")  # type: ignore[attr-defined]

    entry = fs("write", "deep/er/x.txt", "x", create_parents=True)

    assert entry.path == "/alice/deep/er/x.txt"


def test_writing_over_a_directory_is_is_a_directory(fs: FsCall) -> None:
    with pytest.raises(IsADirectoryError) as caught:
        fs("write", "Documents", "x")

    assert isinstance(caught.value, PuterIsADirectoryError)
    assert caught.value.code == "cannot_overwrite_a_directory"


def test_writing_at_the_root_is_a_bad_request(fs: FsCall) -> None:
    with pytest.raises(PuterBadRequestError) as caught:
        fs("write", "/x.txt", "x")

    assert caught.value.code == "cannot_write_to_root"


def test_writing_into_another_users_tree_is_not_found(fs: FsCall) -> None:
    with pytest.raises(PuterFileNotFoundError) as caught:
        fs("write", "/bob/x.txt", "x")

    assert caught.value.code == "subject_does_not_exist"


def test_a_full_storage_is_payload_too_large(fs: FsCall, v2_emu: PuterEmulator) -> None:
    v2_emu.state.options.storage_capacity = 10

    with pytest.raises(PuterPayloadTooLargeError):
        fs("write", "big.bin", b"x" * 100)

    assert len(requests_to(v2_emu, "/fs/batchWrite")) == 1  # 413 is never retried


def test_read_with_offset_and_length_asks_for_a_range(fs: FsCall, v2_emu: PuterEmulator) -> None:
    fs("write", "abc.txt", "abcdef")

    assert fs("read", "abc.txt", offset=2, length=3) == b"cde"
    assert fs("read", "abc.txt", offset=4) == b"ef"
    assert fs("read", "abc.txt", offset=10) == b""
    assert fs("read", "abc.txt", length=0) == b""
    assert requests_to(v2_emu, "/read")[0].headers["range"] == "bytes=2-4"


def test_reading_a_missing_file_is_file_not_found(fs: FsCall) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        fs("read", "nope.txt")

    assert isinstance(caught.value, PuterAPIError)
    assert caught.value.code == "subject_does_not_exist"
    assert "Entry not found" in caught.value.message


def test_reading_a_directory_is_is_a_directory(fs: FsCall) -> None:
    with pytest.raises(PuterIsADirectoryError) as caught:
        fs("read", "Documents")

    assert (caught.value.status_code, caught.value.code) == (400, "cannot_read_a_directory")


def test_download_streams_the_file_into_a_folder_or_to_a_path(fs: FsCall, tmp_path: Path) -> None:
    fs("write", "Documents/song.bin", b"\x01" * 200_000)

    into_folder = fs("download", "Documents/song.bin", tmp_path)
    to_path = fs("download", "Documents/song.bin", tmp_path / "copy.bin")

    assert into_folder == tmp_path / "song.bin"
    assert into_folder.read_bytes() == to_path.read_bytes() == b"\x01" * 200_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.bin", "song.bin"]


def test_a_download_to_a_missing_folder_named_with_a_trailing_slash_is_refused_first(
    fs: FsCall, v2_emu: PuterEmulator, tmp_path: Path
) -> None:
    fs("write", "f.bin", b"\x03")

    with pytest.raises(FileNotFoundError) as caught:
        fs("download", "f.bin", f"{tmp_path}/downloads/")

    assert caught.value.filename == str(tmp_path / "downloads")
    assert v2_emu.requests_to("/read") == []
    assert list(tmp_path.iterdir()) == []


def test_a_download_to_an_existing_folder_named_with_a_trailing_slash_goes_in_it(
    fs: FsCall, tmp_path: Path
) -> None:
    fs("write", "f.bin", b"\x03")
    (tmp_path / "downloads").mkdir()

    saved = fs("download", "f.bin", f"{tmp_path}/downloads/")

    assert saved == tmp_path / "downloads" / "f.bin"


def test_download_reports_progress(fs: FsCall, tmp_path: Path) -> None:
    fs("write", "f.bin", b"\x02" * 300_000)
    seen: list[int] = []

    fs("download", "f.bin", tmp_path, progress=seen.append)

    assert seen[0] == 0 and seen[-1] == 300_000 and seen == sorted(seen)


def test_a_failed_download_leaves_no_file(fs: FsCall, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        fs("download", "nope.bin", tmp_path / "nope.bin")

    assert list(tmp_path.iterdir()) == []


# ------------------------------------------------------------- stat, listing, usage


def test_stat_describes_the_entry_with_aware_times(fs: FsCall) -> None:
    fs("write", "Documents/hello.txt", "hello")

    entry = fs("stat", "Documents/hello.txt")

    assert isinstance(entry, FSEntry) and entry.shape == "v1"
    assert entry.content_type == "text/plain; charset=utf-8"
    assert entry.modified is not None and entry.modified.tzinfo is not None
    assert entry.parent == "/alice/Documents"


def test_exists_is_true_for_an_entry_and_false_for_none(fs: FsCall) -> None:
    assert fs("exists", "Documents") is True
    assert fs("exists", "nothing-here") is False


def test_listdir_gives_every_entry_of_every_page(fs: FsCall, v2_emu: PuterEmulator) -> None:
    from puter_client.services.fs import flows as fsflows

    fs("mkdir", "many")
    for n in range(5):
        fs("write", f"many/{n}.txt", str(n))
    original, fsflows.PAGE_SIZE = fsflows.PAGE_SIZE, 2
    try:
        names = [entry.name for entry in fs("listdir", "many")]
    finally:
        fsflows.PAGE_SIZE = original

    assert names == [f"{n}.txt" for n in range(5)]
    assert len(requests_to(v2_emu, "/fs/readdir")) == 3


def test_listdir_defaults_to_the_home_folder(fs: FsCall) -> None:
    assert {"Desktop", "Documents"} <= {entry.name for entry in fs("listdir")}


def test_listing_a_file_is_not_a_directory(fs: FsCall) -> None:
    fs("write", "f.txt", "x")

    with pytest.raises(NotADirectoryError) as caught:
        fs("listdir", "f.txt")

    assert isinstance(caught.value, PuterNotADirectoryError)
    assert caught.value.code == "dest_is_not_a_directory"


def test_listing_a_missing_folder_is_file_not_found(fs: FsCall) -> None:
    with pytest.raises(PuterFileNotFoundError):
        fs("listdir", "nope")


def test_usage_reports_used_and_capacity(fs: FsCall) -> None:
    fs("write", "five.txt", "12345")

    usage = fs("usage")

    assert usage.used == 5 and usage.capacity > usage.used


# --------------------------------------------------------------------------- mkdir


def test_mkdir_creates_a_folder(fs: FsCall) -> None:
    entry = fs("mkdir", "proj")

    assert entry.is_dir and entry.path == "/alice/proj"


def test_mkdir_of_an_existing_folder_raises_unless_exist_ok(fs: FsCall) -> None:
    fs("mkdir", "proj")

    with pytest.raises(FileExistsError):
        fs("mkdir", "proj")
    assert fs("mkdir", "proj", exist_ok=True).path == "/alice/proj"


def test_mkdir_over_a_file_raises_file_exists_even_with_exist_ok(fs: FsCall) -> None:
    fs("write", "f.txt", "x")

    with pytest.raises(PuterFileExistsError) as caught:
        fs("mkdir", "f.txt", exist_ok=True)

    assert (caught.value.status_code, caught.value.code) == (409, "conflict")


def test_mkdir_needs_the_parent_unless_parents(fs: FsCall) -> None:
    with pytest.raises(FileNotFoundError):
        fs("mkdir", "a/b/c")

    assert fs("mkdir", "a/b/c", parents=True).path == "/alice/a/b/c"


# ------------------------------------------------------------ rename, move, copy


def test_rename_keeps_the_folder(fs: FsCall) -> None:
    fs("write", "old.txt", "x")

    entry = fs("rename", "old.txt", "new.txt")

    assert entry.path == "/alice/new.txt"
    assert fs("exists", "old.txt") is False


def test_rename_onto_an_existing_name_is_file_exists(fs: FsCall) -> None:
    fs("write", "a.txt", "a")
    fs("write", "b.txt", "b")

    with pytest.raises(FileExistsError):
        fs("rename", "a.txt", "b.txt")


def test_move_into_a_folder_keeps_the_name(fs: FsCall) -> None:
    fs("write", "a.txt", "a")

    assert fs("move", "a.txt", "Documents").path == "/alice/Documents/a.txt"


def test_move_to_a_new_path_renames_on_the_way(fs: FsCall) -> None:
    fs("write", "a.txt", "a")

    assert fs("move", "a.txt", "Documents/b.txt").path == "/alice/Documents/b.txt"
    assert fs("read_text", "Documents/b.txt") == "a"


def test_move_onto_an_existing_file_needs_overwrite(fs: FsCall) -> None:
    fs("write", "a.txt", "a")
    fs("write", "Documents/a.txt", "old")

    with pytest.raises(FileExistsError):
        fs("move", "a.txt", "Documents")
    fs("move", "a.txt", "Documents/a.txt", overwrite=True)

    assert fs("read_text", "Documents/a.txt") == "a"


def test_move_of_a_missing_entry_is_file_not_found(fs: FsCall) -> None:
    with pytest.raises(FileNotFoundError):
        fs("move", "nope.txt", "Documents")


def test_move_into_a_path_below_a_file_is_not_a_directory(fs: FsCall) -> None:
    fs("write", "a.txt", "a")
    fs("write", "f.txt", "f")

    with pytest.raises(NotADirectoryError):
        fs("move", "a.txt", "f.txt/inside.txt")


def test_copy_into_a_folder_and_to_a_new_path(fs: FsCall) -> None:
    fs("write", "a.txt", "a")

    assert fs("copy", "a.txt", "Documents").path == "/alice/Documents/a.txt"
    assert fs("copy", "a.txt", "Documents/c.txt").path == "/alice/Documents/c.txt"
    assert fs("read_text", "a.txt") == fs("read_text", "Documents/c.txt") == "a"


def test_copy_onto_an_existing_file_is_file_exists_unless_overwrite(fs: FsCall) -> None:
    fs("write", "a.txt", "new")
    fs("write", "Documents/a.txt", "old")

    with pytest.raises(FileExistsError):
        fs("copy", "a.txt", "Documents")
    fs("copy", "a.txt", "Documents", overwrite=True)

    assert fs("read_text", "Documents/a.txt") == "new"


def test_copy_of_a_folder_is_recursive(fs: FsCall) -> None:
    fs("write", "src/inner.txt", "in", create_parents=True)

    fs("copy", "src", "Documents")

    assert fs("read_text", "Documents/src/inner.txt") == "in"


# -------------------------------------------------------------------------- delete


def test_delete_is_permanent(fs: FsCall) -> None:
    fs("write", "a.txt", "a")

    fs("delete", "a.txt")

    assert fs("exists", "a.txt") is False
    assert "a.txt" not in {entry.name for entry in fs("listdir", "Trash")}


def test_delete_of_a_folder_with_entries_needs_recursive(fs: FsCall) -> None:
    fs("write", "dir/a.txt", "a", create_parents=True)

    with pytest.raises(PuterConflictError) as caught:
        fs("delete", "dir")
    assert caught.value.message == "Directory is not empty"
    assert not isinstance(caught.value, FileExistsError)
    fs("delete", "dir", recursive=True)

    assert fs("exists", "dir") is False


def test_delete_sends_one_path_and_recursive_explicitly(fs: FsCall, v2_emu: PuterEmulator) -> None:
    fs("write", "a.txt", "a")

    fs("delete", "a.txt")

    assert requests_to(v2_emu, "/delete")[0].json == {
        "paths": ["~/a.txt"], "recursive": False, "descendants_only": False,
    }  # fmt: skip


def test_delete_of_a_missing_entry_is_file_not_found(fs: FsCall) -> None:
    with pytest.raises(FileNotFoundError):
        fs("delete", "nope.txt")


# --------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "error"),
    [
        ("write", ("../x.txt", "x"), {}, ValueError),
        ("write", ("a//b.txt", "x"), {}, ValueError),
        ("write", ("x.txt", 3), {}, TypeError),
        ("write", ("x.txt", "x"), {"overwrite": "yes"}, TypeError),
        ("read", ("./x.txt",), {}, ValueError),
        ("read", ("x.txt",), {"offset": -1}, ValueError),
        ("read", ("x.txt",), {"length": 1.5}, TypeError),
        ("stat", (42,), {}, TypeError),
        ("stat", ("",), {}, ValueError),
        ("rename", ("x.txt", "a/b"), {}, ValueError),
        ("move", ("x.txt", "/a/../b"), {}, ValueError),
        ("mkdir", (" padded",), {}, ValueError),
    ],
)
def test_bad_input_raises_before_any_request(
    fs: FsCall, v2_emu: PuterEmulator, name: str, args: Any, kwargs: Any, error: type
) -> None:
    with pytest.raises(error):
        fs(name, *args, **kwargs)

    assert v2_emu.requests == []


def test_writing_a_missing_local_file_raises_file_not_found_before_any_request(
    fs: FsCall, v2_emu: PuterEmulator, tmp_path: Path
) -> None:
    with pytest.raises(FileNotFoundError):
        fs("write", "x.bin", tmp_path / "missing.bin")

    assert v2_emu.requests == []


# ---------------------------------------------------------------------- faults


def test_a_503_or_429_on_write_is_retried(fs: FsCall, v2_emu: PuterEmulator) -> None:
    v2_emu.inject("/fs/batchWrite", status=503, times=1)
    v2_emu.inject("/fs/batchWrite", status=429, retry_after="0", at=[2])

    fs("write", "a.txt", "x", overwrite=False)

    assert [r.status for r in requests_to(v2_emu, "/fs/batchWrite")] == [503, 429, 200]


def test_a_write_dropped_mid_answer_is_retried_when_it_overwrites(
    fs: FsCall, v2_emu: PuterEmulator
) -> None:
    v2_emu.inject("/fs/batchWrite", Drop(after_bytes=10))

    entry = fs("write", "a.txt", "content")

    assert entry.size == 7
    assert fs("read_text", "a.txt") == "content"
    assert len(requests_to(v2_emu, "/fs/batchWrite")) == 2


def test_a_write_that_must_not_overwrite_is_not_repeated_after_a_drop(
    fs: FsCall, v2_emu: PuterEmulator
) -> None:
    v2_emu.inject("/fs/batchWrite", Drop(after_bytes=10))

    with pytest.raises(PuterConnectionError):
        fs("write", "a.txt", "content", overwrite=False)

    assert len(requests_to(v2_emu, "/fs/batchWrite")) == 1


def test_a_read_dropped_mid_body_is_retried_whole(fs: FsCall, v2_emu: PuterEmulator) -> None:
    fs("write", "big.bin", os.urandom(100_000))
    expected = fs("read", "big.bin")
    v2_emu.inject("/read", Drop(after_bytes=5000))
    v2_emu.inject("/read", status=503, at=[3])

    assert fs("read", "big.bin") == expected


def test_a_download_that_keeps_failing_leaves_no_file_behind(
    fs: FsCall, v2_emu: PuterEmulator, tmp_path: Path
) -> None:
    fs("write", "big.bin", b"\x03" * 100_000)
    v2_emu.inject("/read", Drop(after_bytes=5000), times=10)

    with pytest.raises(PuterConnectionError):
        fs("download", "big.bin", tmp_path / "big.bin")

    assert list(tmp_path.iterdir()) == []  # neither the file nor a temporary part


def test_a_download_dropped_mid_body_is_retried_and_complete(
    fs: FsCall, v2_emu: PuterEmulator, tmp_path: Path
) -> None:
    fs("write", "big.bin", b"\x04" * 100_000)
    v2_emu.inject("/read", Drop(after_bytes=5000), times=2)

    path = fs("download", "big.bin", tmp_path)

    assert path.read_bytes() == b"\x04" * 100_000
    assert [p.name for p in tmp_path.iterdir()] == ["big.bin"]


def test_a_rename_is_retried_after_503_but_not_after_a_drop(
    fs: FsCall, v2_emu: PuterEmulator
) -> None:
    fs("write", "a.txt", "a")
    v2_emu.inject("/rename", status=503)
    fs("rename", "a.txt", "b.txt")
    v2_emu.inject("/rename", Drop())

    with pytest.raises(PuterConnectionError):
        fs("rename", "b.txt", "c.txt")

    assert [r.status for r in requests_to(v2_emu, "/rename")][:2] == [503, 200]
    assert len(requests_to(v2_emu, "/rename")) == 3


def test_a_429_without_retries_left_is_a_rate_limit_error(v2_emu: PuterEmulator) -> None:
    client = alice(max_retries=0)
    v2_emu.inject("/stat", status=429, retry_after="0")

    with pytest.raises(PuterRateLimitError):
        client.fs.stat("Documents")


# ------------------------------------------------------------------- the client


def test_storage_calls_are_not_paced_by_the_ai_limiter(v2_emu: PuterEmulator) -> None:
    client = alice(rate_limit_requests=1, rate_limit_period=3600)

    for n in range(5):
        client.fs.write(f"k{n}.txt", str(n))

    assert len(client.fs.listdir()) >= 5


def test_storage_limits_can_be_set_per_client(v2_emu: PuterEmulator) -> None:
    client = PuterAI(username="alice", password="alice-password", rate_limits={"fs.stat": (7, 1)})

    assert client._session.limiter("fs.stat").requests == 7
    assert client._session.limiter("fs.write").requests == 300  # top tier until known


def test_the_file_system_is_one_object_per_client(v2_emu: PuterEmulator) -> None:
    client = alice()

    assert client.fs is client.fs
    assert alice().fs is not client.fs
