"""``PuterFileSystem`` as fsspec's async file system against the emulator: the coroutines
awaited directly (``asynchronous=True``), ``open_async``, and the bulk operations of the
blocking API running their requests concurrently.

Concurrency is shown without timing: the client method under a bulk call is wrapped so
that each call waits until all of them have started (`all_at_once`); a bulk call that
sent its requests one after the other would never get there and fail on the timeout.
"""

from __future__ import annotations

import asyncio
import os
import pickle
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import fsspec
import pytest
from fsspec.asyn import AsyncFileSystem, get_loop

from puter.fsspec import PuterAsyncFile, PuterFileSystem
from puter_client.emulator import PuterEmulator
from puter_client.integrations.fsspec.filesystem import _deepest_first

KB = 1024


def ranges(emu: PuterEmulator) -> list[str | None]:
    return [r.headers.get("range") for r in emu.requests_to("/read")]


def all_at_once(
    monkeypatch: pytest.MonkeyPatch,
    fs: PuterFileSystem,
    name: str,
    count: int,
    applies: Callable[[Any], bool] = lambda _path: True,
) -> None:
    """Make the client's ``fs.<name>`` calls (those on a path ``applies`` accepts) each
    wait until ``count`` of them have started."""
    method: Callable[..., Awaitable[Any]] = getattr(fs.client.fs, name)
    started = 0
    everyone = asyncio.Event()

    async def wrapper(path: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal started
        if applies(path):
            started += 1
            if started >= count:
                everyone.set()
            await asyncio.wait_for(everyone.wait(), timeout=60)
        return await method(path, *args, **kwargs)

    monkeypatch.setattr(fs.client.fs, name, wrapper)


@pytest.fixture
def async_fs(v2_options: dict[str, Any]) -> PuterFileSystem:
    """A file system of alice for use with ``await`` on the test's own loop."""
    return PuterFileSystem(**v2_options, asynchronous=True, skip_instance_cache=True)


# ------------------------------------------------------------------ the class


def test_the_registered_file_system_is_fsspecs_async_kind() -> None:
    assert fsspec.get_filesystem_class("puter") is PuterFileSystem
    assert issubclass(PuterFileSystem, AsyncFileSystem)
    assert PuterFileSystem.async_impl


def test_a_blocking_instance_runs_on_fsspecs_io_loop(puter_fs: PuterFileSystem) -> None:
    assert puter_fs.loop is get_loop()


def test_a_pickled_file_system_leaves_its_loop_behind(v2_options: dict[str, Any]) -> None:
    own_loop = asyncio.new_event_loop()
    try:
        fs = PuterFileSystem(**v2_options, loop=own_loop, skip_instance_cache=True)
        copy = pickle.loads(pickle.dumps(fs))
    finally:
        own_loop.close()
    assert "loop" not in copy.storage_options
    assert copy.loop is get_loop()


# ------------------------------------------------------------------ asynchronous=True


async def test_an_asynchronous_file_system_is_awaited_on_the_running_loop(
    async_fs: PuterFileSystem,
) -> None:
    await async_fs._pipe_file("~/a.txt", b"hello")
    assert await async_fs._cat_file("~/a.txt", start=1, end=3) == b"el"
    assert (await async_fs._info("~/a.txt"))["size"] == 5
    assert "/alice/a.txt" in await async_fs._ls("~", detail=False)
    assert await async_fs._exists("~/a.txt")


async def test_the_first_coroutine_that_needs_the_home_folder_asks_for_it(
    async_fs: PuterFileSystem, v2_emu: PuterEmulator
) -> None:
    await async_fs._pipe_file("/alice/a.txt", b"1")
    assert v2_emu.requests_to("/stat") == []
    assert await async_fs._cat_file("~/a.txt") == b"1"
    assert async_fs.home == "/alice"


async def test_a_blocking_home_lookup_on_a_running_loop_is_refused(
    async_fs: PuterFileSystem,
) -> None:
    with pytest.raises(RuntimeError, match=r"await fs\._home_folder\(\) first"):
        async_fs._strip_protocol("~/a.txt")
    assert await async_fs._home_folder() == "/alice"
    assert async_fs._strip_protocol("~/a.txt") == "/alice/a.txt"


def test_a_blocking_call_inside_another_running_loop_finds_the_home_folder(
    v2_options: dict[str, Any],
) -> None:
    # as in a notebook, whose cells run inside the kernel's event loop
    fs = PuterFileSystem(**v2_options, skip_instance_cache=True)

    async def inside_a_loop() -> str:
        stripped: str = fs._strip_protocol("~/a.txt")
        return stripped

    assert asyncio.run(inside_a_loop()) == "/alice/a.txt"


async def test_bulk_coroutines_take_home_paths(async_fs: PuterFileSystem) -> None:
    await async_fs._pipe({"~/d/a.csv": b"1", "~/d/b.csv": b"22", "~/d/c.txt": b"3"})
    assert await async_fs._glob("~/d/*.csv") == ["/alice/d/a.csv", "/alice/d/b.csv"]
    assert await async_fs._cat("~/d/*.csv") == {"/alice/d/a.csv": b"1", "/alice/d/b.csv": b"22"}
    assert await async_fs._du("~/d") == 4


async def test_coroutines_raise_the_builtin_errors(async_fs: PuterFileSystem) -> None:
    with pytest.raises(FileNotFoundError):
        await async_fs._cat_file("~/missing")
    await async_fs._mkdir("~/d")
    with pytest.raises(FileExistsError):
        await async_fs._mkdir("~/d")
    with pytest.raises(PermissionError):
        await async_fs._pipe_file("/a.txt", b"1")


async def test_move_and_copy_coroutines_act_on_the_server(
    async_fs: PuterFileSystem, v2_emu: PuterEmulator
) -> None:
    await async_fs._pipe_file("~/a.txt", b"data")
    await async_fs._cp_file("~/a.txt", "~/copies/b.txt")
    await async_fs._mv("~/a.txt", "~/moved/")
    assert await async_fs._cat_file("~/copies/b.txt") == b"data"
    assert await async_fs._cat_file("~/moved/a.txt") == b"data"
    assert not await async_fs._exists("~/a.txt")
    assert v2_emu.requests_to("/read")[0].headers.get("range") is None  # only the cats read


async def test_rmdir_and_rm_coroutines_delete(async_fs: PuterFileSystem) -> None:
    await async_fs._pipe({"~/d/a": b"1", "~/d/sub/b": b"2"})
    await async_fs._mkdir("~/empty")
    await async_fs._rmdir("~/empty")
    await async_fs._rm("~/d", recursive=True)
    assert not await async_fs._exists("~/empty")
    assert not await async_fs._exists("~/d")


# ------------------------------------------------------------------ open_async


async def test_open_async_reads_each_read_as_one_range_request(
    async_fs: PuterFileSystem, v2_emu: PuterEmulator
) -> None:
    data = os.urandom(64 * KB)
    await async_fs._pipe_file("~/big.bin", data)
    async with await async_fs.open_async("~/big.bin") as f:
        assert isinstance(f, PuterAsyncFile)
        assert f.size == len(data)
        f.seek(40 * KB)
        assert await f.read(100) == data[40 * KB : 40 * KB + 100]
        assert await f.read() == data[40 * KB + 100 :]
    assert ranges(v2_emu)[-2:] == [
        f"bytes={40 * KB}-{40 * KB + 99}",
        f"bytes={40 * KB + 100}-{64 * KB - 1}",
    ]


async def test_open_async_sends_what_is_written_at_close_in_one_upload(
    async_fs: PuterFileSystem, v2_emu: PuterEmulator
) -> None:
    data = os.urandom(100 * KB)
    async with await async_fs.open_async("~/w.bin", "wb", block_size=16 * KB) as f:
        for i in range(0, len(data), 10 * KB):
            await f.write(data[i : i + 10 * KB])
        assert v2_emu.requests_to("/fs/batchWrite") == []
    assert len(v2_emu.requests_to("/fs/batchWrite")) == 1
    assert await async_fs._cat_file("~/w.bin") == data


async def test_open_async_appends_after_the_current_bytes(async_fs: PuterFileSystem) -> None:
    await async_fs._pipe_file("~/log.txt", b"one\n")
    async with await async_fs.open_async("~/log.txt", "ab") as f:
        await f.write(b"two\n")
    assert await async_fs._cat_file("~/log.txt") == b"one\ntwo\n"


async def test_open_async_exclusive_refuses_an_existing_file(async_fs: PuterFileSystem) -> None:
    async with await async_fs.open_async("~/new.txt", "xb") as f:
        await f.write(b"first")
    with pytest.raises(FileExistsError):
        await async_fs.open_async("~/new.txt", "xb")
    assert await async_fs._cat_file("~/new.txt") == b"first"


async def test_open_async_of_a_folder_or_a_missing_file_fails_at_once(
    async_fs: PuterFileSystem,
) -> None:
    await async_fs._mkdir("~/d")
    with pytest.raises(IsADirectoryError):
        await async_fs.open_async("~/d")
    with pytest.raises(FileNotFoundError):
        await async_fs.open_async("~/missing")


async def test_open_async_takes_binary_modes_only(async_fs: PuterFileSystem) -> None:
    with pytest.raises(ValueError, match="binary"):
        await async_fs.open_async("~/a.txt", "r")


# ------------------------------------------------------------------ concurrent bulk calls


@pytest.fixture
def five_files(puter_fs: PuterFileSystem) -> list[str]:
    paths = [f"/alice/many/f{i}.bin" for i in range(5)]
    puter_fs.pipe({path: path.encode() for path in paths})
    return paths


def test_cat_of_many_paths_has_all_its_reads_in_flight_at_once(
    monkeypatch: pytest.MonkeyPatch, puter_fs: PuterFileSystem, five_files: list[str]
) -> None:
    all_at_once(monkeypatch, puter_fs, "async_read", len(five_files))
    assert puter_fs.cat(five_files) == {path: path.encode() for path in five_files}


def test_cat_ranges_reads_its_ranges_at_once(
    monkeypatch: pytest.MonkeyPatch, puter_fs: PuterFileSystem, five_files: list[str]
) -> None:
    all_at_once(monkeypatch, puter_fs, "async_read", len(five_files))
    assert puter_fs.cat_ranges(five_files, 1, 3) == [path[1:3].encode() for path in five_files]


def test_get_of_many_files_downloads_them_at_once(
    monkeypatch: pytest.MonkeyPatch,
    puter_fs: PuterFileSystem,
    five_files: list[str],
    tmp_path: Path,
) -> None:
    all_at_once(monkeypatch, puter_fs, "async_download", len(five_files))
    puter_fs.get("/alice/many/*.bin", f"{tmp_path}/")
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"f{i}.bin" for i in range(5)]
    assert (tmp_path / "f3.bin").read_bytes() == b"/alice/many/f3.bin"


def test_put_of_many_files_uploads_them_at_once(
    monkeypatch: pytest.MonkeyPatch, puter_fs: PuterFileSystem, tmp_path: Path
) -> None:
    for i in range(4):
        (tmp_path / f"f{i}.txt").write_text(f"file {i}")
    all_at_once(monkeypatch, puter_fs, "async_write", 4)
    puter_fs.put(f"{tmp_path}/*.txt", "~/up/")
    assert puter_fs.cat_file("~/up/f2.txt") == b"file 2"


def test_find_lists_the_folders_of_each_level_at_once(
    monkeypatch: pytest.MonkeyPatch, puter_fs: PuterFileSystem
) -> None:
    puter_fs.pipe({f"~/tree/{d}/{f}": b"1" for d in "abc" for f in ("x", "y")})
    level_two = {f"/alice/tree/{d}" for d in "abc"}
    all_at_once(monkeypatch, puter_fs, "async_listdir", 3, lambda p: p in level_two)
    assert puter_fs.find("~/tree") == [f"/alice/tree/{d}/{f}" for d in "abc" for f in "xy"]


def test_find_keeps_fsspecs_options(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe({"~/t/a": b"1", "~/t/sub/b": b"2", "~/t/sub/deeper/c": b"3"})
    assert puter_fs.find("~/t", maxdepth=1) == ["/alice/t/a"]
    assert puter_fs.find("~/t", maxdepth=2, withdirs=True) == [
        "/alice/t",
        "/alice/t/a",
        "/alice/t/sub",
        "/alice/t/sub/b",
        "/alice/t/sub/deeper",
    ]
    assert puter_fs.find("~/t/a") == ["/alice/t/a"]
    assert puter_fs.find("~/nothing") == []
    assert set(puter_fs.find("~/t", detail=True)["/alice/t/sub/b"]) >= {"name", "size", "type"}


def test_du_takes_the_sizes_from_the_listings(
    puter_fs: PuterFileSystem, v2_emu: PuterEmulator
) -> None:
    puter_fs.pipe({f"~/d/{i}": b"x" * i for i in range(1, 6)})
    stats = len(v2_emu.requests_to("/stat"))
    assert puter_fs.du("~/d") == 15
    assert puter_fs.du("~/d", total=False)["/alice/d/3"] == 3
    assert len(v2_emu.requests_to("/stat")) == stats


def test_rm_of_several_paths_deletes_each(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe({"~/r/a": b"1", "~/r/b": b"2", "~/r/c": b"3"})
    puter_fs.rm(["~/r/a", "~/r/b"])
    assert puter_fs.ls("~/r", detail=False) == ["/alice/r/c"]


def test_rm_with_maxdepth_deletes_contents_before_their_folders(
    puter_fs: PuterFileSystem,
) -> None:
    puter_fs.pipe({"~/d/a": b"1", "~/d/sub/b": b"2", "~/d/sub/deeper/c": b"3"})
    puter_fs.rm("~/d/*", recursive=True)
    assert puter_fs.ls("~/d", detail=False) == []


def test_paths_are_deleted_deepest_level_first() -> None:
    paths = ["/a", "/a/b", "/a/b/c", "/a/d", "/e"]
    assert _deepest_first(paths) == [["/a/b/c"], ["/a/b", "/a/d"], ["/a", "/e"]]


def test_blocking_calls_from_several_threads_share_the_io_loop(
    puter_fs: PuterFileSystem, five_files: list[str]
) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(puter_fs.cat_file, five_files))
    assert results == [path.encode() for path in five_files]


def test_walk_runs_over_the_coroutines(puter_fs: PuterFileSystem) -> None:
    puter_fs.pipe({"~/w/a": b"1", "~/w/sub/b": b"2"})
    assert list(puter_fs.walk("~/w")) == [
        ("/alice/w", ["sub"], ["a"]),
        ("/alice/w/sub", [], ["b"]),
    ]
