"""The local spool behind ``fs.open(path, "wb")`` and writes of streams that cannot seek:
memory up to a limit, then a temporary file, always handed to the upload as a plain
seekable binary file (Python 3.10's ``SpooledTemporaryFile`` has no ``seekable()``)."""

from __future__ import annotations

import array
import asyncio
import io
import os
import tempfile
from typing import Any

import pytest

from puter_client.services.fs.upload import Spool
from tests.services.fs.conftest import FsCall
from tests.support.emulated import alice


class SpooledWithout311Api(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
    """``SpooledTemporaryFile`` as Python 3.10 has it: no ``seekable``/``readable``."""

    def __getattribute__(self, name: str) -> Any:
        if name in ("seekable", "readable", "writable", "readinto", "read1"):
            raise AttributeError(name)
        return super().__getattribute__(name)


@pytest.fixture
def python_310_spool(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", SpooledWithout311Api)


def test_a_spool_keeps_small_data_in_memory() -> None:
    spool = Spool(16)

    spool.write(b"hello")

    assert not spool.on_disk and spool.tell() == 5
    file = spool.rewound()
    assert isinstance(file, io.BytesIO) and file.seekable() and file.read() == b"hello"
    spool.close()


def test_a_spool_moves_to_a_temporary_file_past_its_limit() -> None:
    spool = Spool(16)

    spool.write(b"a" * 10)
    spool.write(bytearray(b"b" * 10))

    assert spool.on_disk
    file = spool.rewound()
    assert not isinstance(file, io.BytesIO) and file.seekable() and file.readable()
    assert file.read() == b"a" * 10 + b"b" * 10
    spool.close()
    assert file.closed


def test_a_spool_counts_bytes_of_any_buffer() -> None:
    spool = Spool(1 << 20)

    written = spool.write(memoryview(array.array("i", [1, 2, 3])))

    assert written == spool.tell() == 3 * array.array("i").itemsize


def test_a_spool_refuses_text() -> None:
    with pytest.raises(TypeError):
        Spool(16).write("text")  # type: ignore[arg-type]


@pytest.mark.usefixtures("python_310_spool")
def test_open_wb_uploads_without_python_311_file_methods(fs: FsCall) -> None:
    with alice() as client, client.fs.open("Documents/out.bin", "wb") as file:
        file.write(b"x" * 1000)

    assert fs("read", "Documents/out.bin") == b"x" * 1000


@pytest.mark.usefixtures("python_310_spool")
def test_open_wb_past_the_memory_limit_uploads_from_disk(
    fs: FsCall, monkeypatch: pytest.MonkeyPatch
) -> None:
    import puter_client.services.fs.files as files

    monkeypatch.setattr(files, "_SPOOL_IN_MEMORY", 1024)
    data = os.urandom(5000)

    with alice() as client, client.fs.open("Documents/big.bin", "wb") as file:
        for start in range(0, len(data), 700):
            file.write(data[start : start + 700])

    assert fs("read", "Documents/big.bin") == data


@pytest.mark.usefixtures("python_310_spool")
def test_async_open_wb_uploads_without_python_311_file_methods(fs: FsCall) -> None:
    async def write() -> None:
        async with alice() as client, await client.fs.async_open("Documents/a.bin", "wb") as f:
            await f.write(b"async")

    asyncio.run(write())

    assert fs("read", "Documents/a.bin") == b"async"


@pytest.mark.usefixtures("python_310_spool")
def test_a_stream_that_cannot_seek_is_spooled_and_uploaded(fs: FsCall) -> None:
    read_end, write_end = os.pipe()
    with os.fdopen(write_end, "wb") as pipe:
        pipe.write(b"from a pipe")
    with os.fdopen(read_end, "rb", buffering=0) as stream:
        fs("write", "Documents/pipe.txt", stream)

    assert fs("read", "Documents/pipe.txt") == b"from a pipe"
