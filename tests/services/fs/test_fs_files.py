"""pathlib's spellings (``read_bytes``, ``write_bytes``, ``write_text``) and ``fs.open``
file objects (ranged reads, uploads on close, nothing uploaded after an exception),
blocking and async."""

from __future__ import annotations

import asyncio
import io
import os
from typing import Any

import pytest

from puter.exceptions import PuterInputError
from puter_client.emulator import PuterEmulator
from tests.services.fs.conftest import FsCall
from tests.support.emulated import alice


def test_write_text_write_bytes_and_read_bytes(fs: FsCall) -> None:
    assert fs("write_text", "t.txt", "héllo").size == 6
    assert fs("write_text", "l.txt", "héllo", encoding="latin-1").size == 5
    assert fs("write_bytes", "b.bin", bytearray(b"\x00\x01")).size == 2

    assert fs("read_bytes", "t.txt") == "héllo".encode()
    assert fs("read_bytes", "l.txt") == "héllo".encode("latin-1")
    assert fs("read_bytes", "b.bin") == b"\x00\x01"


@pytest.mark.parametrize(
    ("method", "args", "code"),
    [
        ("write_text", ("t.txt", b"bytes"), "field_invalid"),
        ("write_bytes", ("b.bin", "text"), "field_invalid"),
        ("write_text", ("t.txt", "x", "no-such-codec"), "field_invalid"),
    ],
)
def test_the_wrong_kind_of_data_is_refused(
    fs: FsCall, method: str, args: tuple[Any, ...], code: str
) -> None:
    with pytest.raises(PuterInputError) as caught:
        fs(method, *args)

    assert caught.value.code == code


def test_a_file_opened_rb_reads_ranges_and_seeks(v2_emu: PuterEmulator) -> None:
    client = alice()
    data = os.urandom(3_000_000)
    client.fs.write("big.bin", data)
    before = len(v2_emu.requests_to("/read"))

    with client.fs.open("big.bin") as f:
        assert isinstance(f, io.BufferedReader)
        f.seek(2_500_000)
        assert f.read(10) == data[2_500_000:2_500_010]
        f.seek(-5, os.SEEK_END)
        assert f.read() == data[-5:]
        f.seek(0)
        assert f.read() == data

    reads = v2_emu.requests_to("/read")[before:]
    assert len(reads) == 3 and all("range" in r.headers for r in reads)


def test_a_file_opened_wb_is_uploaded_on_close_only(v2_emu: PuterEmulator) -> None:
    client = alice()

    with client.fs.open("out.bin", "wb") as f:
        f.write(b"abc")
        f.write(memoryview(b"def"))
        assert v2_emu.requests_to("/fs/batchWrite") == []

    assert client.fs.read("out.bin") == b"abcdef"


def test_an_exception_in_the_with_block_uploads_nothing(v2_emu: PuterEmulator) -> None:
    client = alice()

    with pytest.raises(RuntimeError), client.fs.open("out.bin", "wb") as f:
        f.write(b"half")
        raise RuntimeError

    assert client.fs.exists("out.bin") is False


def test_async_files_read_and_write(v2_emu: PuterEmulator) -> None:
    client = alice()

    async def main() -> tuple[bytes, bytes, bool]:
        async with await client.fs.async_open("a.bin", "wb") as w:
            await w.write(b"hello world")
        with pytest.raises(RuntimeError):
            async with await client.fs.async_open("b.bin", "wb") as broken:
                await broken.write(b"x")
                raise RuntimeError
        async with await client.fs.async_open("a.bin") as r:
            r.seek(6)
            tail = await r.read()
            r.seek(0)
            head = await r.read(5)
        return head, tail, await client.fs.async_exists("b.bin")

    assert asyncio.run(main()) == (b"hello", b"world", False)


def test_opening_a_folder_or_a_missing_file_fails_at_once(fs: FsCall) -> None:
    client = alice()

    with pytest.raises(IsADirectoryError):
        client.fs.open("Documents")
    with pytest.raises(FileNotFoundError):
        asyncio.run(client.fs.async_open("nope.bin"))


@pytest.mark.parametrize("mode", ["r", "w", "ab", "r+b"])
def test_other_modes_are_refused(mode: str) -> None:
    with pytest.raises(PuterInputError) as caught:
        alice().fs.open("a.bin", mode)  # type: ignore[call-overload]

    assert caught.value.code == "field_invalid"
