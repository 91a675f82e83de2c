"""``PuterFileSystem`` against the emulator: registration, paths, ranged reads, spooled
writes, listings and info keys, the server-side copy and move, errors as builtins,
credentials, pickling. (fsspec's own suite is ``test_abstract_suite.py``.)"""

from __future__ import annotations

import asyncio
import errno
import gc
import os
import pickle
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import fsspec
import httpx
import pytest
from fsspec.asyn import sync

from puter.exceptions import PuterAuthError
from puter.fsspec import PuterFile, PuterFileSystem
from puter_client.emulator import PuterEmulator
from puter_client.integrations.fsspec import filesystem as fs_module
from tests.integrations.fsspec.conftest import storage_options
from tests.support.emulated import ALICE, ALICE_PASSWORD

KB = 1024
MB = 1024 * KB
INFO_KEYS = {"name", "size", "type", "uid", "created", "mtime", "content_type"}


def requests_to(emu: PuterEmulator, path: str) -> int:
    return len(emu.requests_to(path))


def ranges(emu: PuterEmulator) -> list[str | None]:
    return [r.headers.get("range") for r in emu.requests_to("/read")]


# ------------------------------------------------------------------ registration, paths


def test_the_puter_protocol_is_registered_by_the_entry_point() -> None:
    assert fsspec.get_filesystem_class("puter") is PuterFileSystem


def test_fsspec_open_writes_and_reads_a_puter_url(options: dict[str, Any]) -> None:
    with fsspec.open("puter://~/notes.txt", "w", **options) as f:
        f.write("héllo")
    with fsspec.open("puter://~/notes.txt", "r", **options) as f:
        assert f.read() == "héllo"


@pytest.mark.parametrize(
    "url", ["puter://~/a/b.txt", "puter:///alice/a/b.txt", "puter://alice/a/b.txt", "~/a/b.txt"]
)
def test_home_absolute_and_root_relative_urls_name_the_same_file(
    puter_fs: PuterFileSystem, url: str
) -> None:
    puter_fs.pipe("/alice/a/b.txt", b"x")
    assert puter_fs.info(url)["name"] == "/alice/a/b.txt"


def test_the_home_folder_is_asked_of_the_server(puter_fs: PuterFileSystem) -> None:
    assert puter_fs.home == "/alice"


def test_the_root_lists_the_home_folder(puter_fs: PuterFileSystem) -> None:
    assert puter_fs.ls("/", detail=False) == ["/alice"]


def test_a_glob_under_the_home_folder_finds_absolute_names(puter_fs: PuterFileSystem) -> None:
    for name in ("a.csv", "b.csv", "c.txt", "sub/d.csv"):
        puter_fs.pipe(f"~/data/{name}", b"1")
    assert puter_fs.glob("puter://~/data/*.csv") == ["/alice/data/a.csv", "/alice/data/b.csv"]
    assert puter_fs.glob("~/data/**/*.csv") == [
        "/alice/data/a.csv",
        "/alice/data/b.csv",
        "/alice/data/sub/d.csv",
    ]


# ------------------------------------------------------------------ listings and info


def test_ls_detail_has_fsspecs_keys_and_puters(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/d/a.txt", b"hello")
    puter_fs.mkdir("~/d/sub")
    file, folder = puter_fs.ls("~/d")
    assert file.keys() >= INFO_KEYS
    assert (file["name"], file["size"], file["type"]) == ("/alice/d/a.txt", 5, "file")
    assert file["content_type"].startswith("text/plain")
    assert (folder["name"], folder["size"], folder["type"]) == ("/alice/d/sub", 0, "directory")


def test_ls_of_a_file_is_the_file(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/a.txt", b"1")
    assert puter_fs.ls("~/a.txt", detail=False) == ["/alice/a.txt"]


def test_info_of_a_missing_path_is_file_not_found(puter_fs: PuterFileSystem) -> None:
    with pytest.raises(FileNotFoundError):
        puter_fs.info("~/nothing")


def test_exists_is_false_for_a_missing_path_and_true_for_a_file(
    puter_fs: PuterFileSystem,
) -> None:
    assert not puter_fs.exists("~/a.txt")
    puter_fs.pipe("~/a.txt", b"1")
    assert puter_fs.exists("~/a.txt")


def test_exists_raises_what_is_not_a_missing_entry(emu: PuterEmulator) -> None:
    options = storage_options(emu, username=None, password=None, token="not-a-token")
    fs = PuterFileSystem(**options, skip_instance_cache=True)
    with pytest.raises(PuterAuthError):
        fs.exists("/alice/a.txt")


def test_modified_and_created_are_the_servers_times(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/a.txt", b"1")
    info = puter_fs.info("~/a.txt")
    modified = puter_fs.modified("~/a.txt")
    assert modified == datetime.fromtimestamp(info["mtime"], tz=timezone.utc)
    assert puter_fs.created("~/a.txt") == datetime.fromtimestamp(info["created"], tz=timezone.utc)


def test_ukey_changes_when_the_file_does(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/a.txt", b"1")
    before = puter_fs.ukey("~/a.txt")
    assert puter_fs.ukey("~/a.txt") == before
    puter_fs.pipe("~/a.txt", b"12")
    assert puter_fs.ukey("~/a.txt") != before


def test_du_sums_the_sizes_below_a_folder(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe({"~/d/a": b"123", "~/d/sub/b": b"4567"})
    assert puter_fs.du("~/d") == 7
    assert puter_fs.find("~/d") == ["/alice/d/a", "/alice/d/sub/b"]


# ------------------------------------------------------------------ reading


def test_cat_file_with_a_range_is_one_range_request(
    puter_fs: PuterFileSystem, emu: PuterEmulator
) -> None:
    puter_fs.pipe("~/a.bin", bytes(range(100)))
    before = requests_to(emu, "/read")
    assert puter_fs.cat_file("~/a.bin", start=10, end=20) == bytes(range(10, 20))
    assert requests_to(emu, "/read") == before + 1
    assert ranges(emu)[-1] == "bytes=10-19"


def test_cat_file_with_negative_bounds_counts_from_the_end(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/a.bin", bytes(range(100)))
    assert puter_fs.cat_file("~/a.bin", start=-5) == bytes(range(95, 100))
    assert puter_fs.cat_file("~/a.bin", start=-5, end=-2) == bytes(range(95, 98))


def test_a_seek_and_read_fetches_only_the_block_it_needs(
    puter_fs: PuterFileSystem, emu: PuterEmulator
) -> None:
    data = os.urandom(512 * KB)
    puter_fs.pipe("~/big.bin", data)
    with puter_fs.open("~/big.bin", block_size=64 * KB) as f:
        assert isinstance(f, PuterFile)
        f.seek(300 * KB)
        assert f.read(10) == data[300 * KB : 300 * KB + 10]
    start, _, end = ranges(emu)[-1].removeprefix("bytes=").partition("-")  # type: ignore[union-attr]
    assert int(start) == 300 * KB
    assert int(end) - int(start) < 128 * KB


def test_a_file_read_in_blocks_comes_back_whole(puter_fs: PuterFileSystem) -> None:
    data = os.urandom(300 * KB)
    puter_fs.pipe("~/big.bin", data)
    with puter_fs.open("~/big.bin", block_size=32 * KB) as f:
        parts = iter(lambda: f.read(10 * KB), b"")
        assert b"".join(parts) == data


def test_the_answers_of_large_reads_do_not_pile_up(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/big.bin", os.urandom(4 * MB))
    gc.collect()
    gc.disable()  # only what the file system collects itself is collected
    try:
        with puter_fs.open("~/big.bin", block_size=MB) as f:
            while f.read(MB):
                pass
        alive = [o for o in gc.get_objects() if isinstance(o, httpx.Response)]
    finally:
        gc.enable()
    assert sum(len(r.content) for r in alive if r.is_stream_consumed) < 2 * MB + KB


def test_reading_a_folder_is_is_a_directory_error(puter_fs: PuterFileSystem) -> None:
    puter_fs.mkdir("~/d")
    with pytest.raises(IsADirectoryError):
        puter_fs.cat_file("~/d")


def test_opening_a_folder_is_is_a_directory_error(puter_fs: PuterFileSystem) -> None:
    puter_fs.mkdir("~/d")
    with pytest.raises(IsADirectoryError):
        puter_fs.open("~/d", "rb")


def test_opening_a_missing_file_is_file_not_found(puter_fs: PuterFileSystem) -> None:
    with pytest.raises(FileNotFoundError):
        puter_fs.open("~/missing", "rb")


def test_opening_a_file_asks_for_its_size_once(
    puter_fs: PuterFileSystem, emu: PuterEmulator
) -> None:
    puter_fs.pipe("~/a.txt", b"hello")
    stats = requests_to(emu, "/stat")
    with puter_fs.open("~/a.txt", "rb") as f:
        assert f.size == 5
        assert f.read() == b"hello"
    assert requests_to(emu, "/stat") == stats + 1


# ------------------------------------------------------------------ writing


def test_a_file_written_in_many_blocks_is_one_upload_at_close(
    puter_fs: PuterFileSystem, emu: PuterEmulator
) -> None:
    data = os.urandom(200 * KB)
    with puter_fs.open("~/w.bin", "wb", block_size=16 * KB) as f:
        for i in range(0, len(data), 10 * KB):
            f.write(data[i : i + 10 * KB])
        assert requests_to(emu, "/fs/batchWrite") == 0
    assert requests_to(emu, "/fs/batchWrite") == 1
    assert puter_fs.cat_file("~/w.bin") == data


def test_writing_makes_missing_folders(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/x/y/z.txt", b"1")
    assert puter_fs.isdir("~/x/y")


def test_an_empty_file_is_written_at_close(puter_fs: PuterFileSystem) -> None:
    with puter_fs.open("~/empty", "wb"):
        pass
    assert puter_fs.info("~/empty")["size"] == 0


def test_append_adds_to_the_end(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/log.txt", b"one\n")
    with puter_fs.open("~/log.txt", "ab") as f:
        f.write(b"two\n")
    assert puter_fs.cat_file("~/log.txt") == b"one\ntwo\n"


def test_exclusive_open_of_an_existing_file_is_file_exists(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/a.txt", b"1")
    with pytest.raises(FileExistsError):
        puter_fs.open("~/a.txt", "xb")


def test_a_transaction_writes_nothing_until_it_commits(puter_fs: PuterFileSystem) -> None:
    with puter_fs.transaction:
        with puter_fs.open("~/t.txt", "wb") as f:
            f.write(b"later")
        assert not puter_fs.exists("~/t.txt")
    assert puter_fs.cat_file("~/t.txt") == b"later"


def test_a_failed_transaction_writes_nothing(puter_fs: PuterFileSystem) -> None:
    with pytest.raises(RuntimeError), puter_fs.transaction:
        with puter_fs.open("~/t.txt", "wb") as f:
            f.write(b"never")
        raise RuntimeError("abandon")
    assert not puter_fs.exists("~/t.txt")


def test_put_and_get_stream_local_files(puter_fs: PuterFileSystem, tmp_path: Path) -> None:
    local = tmp_path / "in.bin"
    local.write_bytes(os.urandom(100 * KB))
    puter_fs.put(str(local), "~/up/in.bin")
    puter_fs.get("~/up/in.bin", str(tmp_path / "out" / "back.bin"))
    assert (tmp_path / "out" / "back.bin").read_bytes() == local.read_bytes()


# ------------------------------------------------------------------ folders, rm


def test_mkdir_of_an_existing_folder_is_file_exists(puter_fs: PuterFileSystem) -> None:
    puter_fs.mkdir("~/d")
    with pytest.raises(FileExistsError):
        puter_fs.mkdir("~/d")


def test_makedirs_makes_parents_and_accepts_an_existing_folder(
    puter_fs: PuterFileSystem,
) -> None:
    puter_fs.makedirs("~/a/b/c")
    puter_fs.makedirs("~/a/b/c", exist_ok=True)
    puter_fs.makedirs("~", exist_ok=True)
    assert puter_fs.isdir("~/a/b/c")


def test_makedirs_accepts_the_home_folder_by_its_absolute_path(
    options: dict[str, Any],
) -> None:
    fs = PuterFileSystem(**options, skip_instance_cache=True)  # the home not asked yet
    fs.makedirs("/alice", exist_ok=True)
    with pytest.raises(FileExistsError):
        fs.makedirs("/alice")


def test_makedirs_over_a_file_is_file_exists(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/f", b"1")
    with pytest.raises(FileExistsError):
        puter_fs.makedirs("~/f", exist_ok=True)


def test_rm_of_a_folder_that_is_not_empty_is_enotempty(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/d/a", b"1")
    with pytest.raises(OSError) as caught:
        puter_fs.rm("~/d")
    assert caught.value.errno == errno.ENOTEMPTY


def test_rm_recursive_of_a_folder_is_one_request(
    puter_fs: PuterFileSystem, emu: PuterEmulator
) -> None:
    puter_fs.pipe({"~/d/a": b"1", "~/d/sub/b": b"2"})
    before = requests_to(emu, "/delete")
    puter_fs.rm("~/d", recursive=True)
    assert requests_to(emu, "/delete") == before + 1
    assert not puter_fs.exists("~/d")


def test_rm_of_a_glob_deletes_what_matches(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe({"~/d/a.csv": b"1", "~/d/b.csv": b"2", "~/d/c.txt": b"3"})
    puter_fs.rm("~/d/*.csv")
    assert puter_fs.ls("~/d", detail=False) == ["/alice/d/c.txt"]


def test_rmdir_of_a_file_is_not_a_directory(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe("~/a", b"1")
    with pytest.raises(NotADirectoryError):
        puter_fs.rmdir("~/a")


# ------------------------------------------------------------------ copy, move


def test_cp_file_copies_on_the_server(puter_fs: PuterFileSystem, emu: PuterEmulator) -> None:
    puter_fs.pipe("~/a.txt", b"data")
    reads = requests_to(emu, "/read")
    puter_fs.cp_file("~/a.txt", "~/new/b.txt")
    assert puter_fs.cat_file("~/new/b.txt") == b"data"
    assert requests_to(emu, "/read") == reads + 1  # the cat only: no bytes went through
    assert requests_to(emu, "/copy") >= 1


def test_mv_of_a_file_is_a_move_on_the_server(
    puter_fs: PuterFileSystem, emu: PuterEmulator
) -> None:
    puter_fs.pipe("~/a.txt", b"data")
    uid = puter_fs.info("~/a.txt")["uid"]
    puter_fs.mv("~/a.txt", "~/moved/b.txt")
    assert not puter_fs.exists("~/a.txt")
    assert puter_fs.info("~/moved/b.txt")["uid"] == uid
    assert requests_to(emu, "/copy") == 0


def test_mv_of_a_folder_with_recursive_moves_the_tree(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe({"~/d/a": b"1", "~/d/sub/b": b"2"})
    puter_fs.mv("~/d", "~/e", recursive=True)
    assert puter_fs.find("~/e") == ["/alice/e/a", "/alice/e/sub/b"]
    assert not puter_fs.exists("~/d")


def test_mv_into_a_folder_with_a_trailing_slash_keeps_the_name(
    puter_fs: PuterFileSystem,
) -> None:
    puter_fs.pipe("~/a.txt", b"1")
    puter_fs.mv("~/a.txt", "~/into/")
    assert puter_fs.isfile("~/into/a.txt")


def test_mv_replaces_an_existing_file(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe({"~/a.txt": b"new", "~/b.txt": b"old"})
    puter_fs.mv("~/a.txt", "~/b.txt")
    assert puter_fs.cat_file("~/b.txt") == b"new"


def test_mv_of_a_missing_file_is_file_not_found(puter_fs: PuterFileSystem) -> None:
    with pytest.raises(FileNotFoundError):
        puter_fs.mv("~/nothing", "~/b.txt")


# ------------------------------------------------------------------ errors


def test_writing_to_the_root_is_permission_error(puter_fs: PuterFileSystem) -> None:
    with pytest.raises(PermissionError):
        puter_fs.pipe("/a.txt", b"1")


def test_a_refusal_of_the_server_is_permission_error(
    puter_fs: PuterFileSystem, emu: PuterEmulator
) -> None:
    puter_fs.info("~")
    emu.inject("/stat", status=403)
    with pytest.raises(PermissionError):
        puter_fs.info("~/a.txt")


def test_a_path_the_server_refuses_is_a_value_error(puter_fs: PuterFileSystem) -> None:
    with pytest.raises(ValueError):
        puter_fs.info("~/a/../b")


# ------------------------------------------------------------------ credentials, pickling


def test_credentials_and_endpoints_come_from_the_environment(
    emu: PuterEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUTER_USERNAME", ALICE)
    monkeypatch.setenv("PUTER_PASSWORD", ALICE_PASSWORD)
    fs = fsspec.filesystem("puter", skip_instance_cache=True)  # puter.config: the emulator
    fs.pipe("~/a.txt", b"1")
    assert fs.cat_file("/alice/a.txt") == b"1"


def test_a_token_needs_no_login(emu: PuterEmulator) -> None:
    options = storage_options(emu, username=None, password=None)
    fs = PuterFileSystem(**options, token=emu.token_for(ALICE), skip_instance_cache=True)
    fs.pipe("~/a.txt", b"1")
    assert emu.requests_to("/login") == []


def test_fsspec_keeps_one_instance_per_options(options: dict[str, Any]) -> None:
    assert fsspec.filesystem("puter", **options) is fsspec.filesystem("puter", **options)


def test_a_pickled_file_system_reuses_the_session(
    puter_fs: PuterFileSystem, emu: PuterEmulator
) -> None:
    puter_fs.pipe("~/a.txt", b"1")
    logins = len(emu.requests_to("/login"))
    assert logins == 1
    copy = pickle.loads(pickle.dumps(puter_fs))
    assert copy.cat_file("/alice/a.txt") == b"1"
    assert len(emu.requests_to("/login")) == logins
    assert copy.client is not puter_fs.client


def test_a_file_system_not_yet_logged_in_pickles_without_a_token(
    options: dict[str, Any],
) -> None:
    fs = PuterFileSystem(**options, skip_instance_cache=True)
    copy = pickle.loads(pickle.dumps(fs))
    assert copy.storage_options.get("token") is None
    assert copy.storage_options["username"] == ALICE


def test_the_password_is_not_in_the_clients_repr(puter_fs: PuterFileSystem) -> None:
    assert ALICE_PASSWORD not in repr(puter_fs.client)


def test_a_file_system_no_longer_used_has_its_client_closed_on_its_loop(
    v2_options: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    released: list[tuple[Any, Any]] = []
    monkeypatch.setattr(fs_module, "_release", lambda *args: released.append(args))
    fs = PuterFileSystem(**v2_options, skip_instance_cache=True)
    fs.pipe("~/a.txt", b"a")
    client, loop = fs.client, fs.loop

    del fs
    gc.collect()

    assert released == [(client, loop)]
    fs_module._release(client, loop)  # what the finalizer does: the blocking side now,
    sync(loop, asyncio.sleep, 0)  # the async side on the loop, once it runs
