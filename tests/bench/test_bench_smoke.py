"""Smoke tests of the benchmark harness: the quick run prints every row; the server copes.

Timings are never asserted: they depend on the machine.
"""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench import workloads
from bench.cases import METRICS
from bench.report import COLUMNS
from bench.server import KV_VALUE, ServerProcess

ROOT = Path(__file__).resolve().parents[2]
BIG = 30 * 1024 * 1024


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    with ServerProcess(stream_lines=7) as running:
        yield running


def test_quick_run_prints_the_table_with_every_row() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    header = next(line for line in lines if line.startswith("| metric"))
    assert [cell.strip() for cell in header.strip("|").split("|")] == list(COLUMNS)
    rows = [line for line in lines if line.startswith("| ") and line != header]
    for metric in METRICS:
        matching = [row for row in rows if row.startswith(f"| {metric}")]
        assert len(matching) == 1, (metric, rows)
        cells = [cell.strip() for cell in matching[0].strip("|").split("|")]
        assert len(cells) == len(COLUMNS)
        assert cells[-1] in {"- (quick)", "info"}  # a quick run judges nothing
    assert len(rows) == len(METRICS)
    assert any(line.startswith("- machine:") for line in lines)
    assert any(line.startswith("- date:") for line in lines)


def test_server_answers_chat_and_stream_calls(server: ServerProcess) -> None:
    with httpx.Client() as client:
        plain = client.post(f"{server.url}/drivers/call", json={"args": {"stream": False}})
        assert plain.json()["result"]["message"]["content"][0]["type"] == "text"
        streamed = client.post(f"{server.url}/drivers/call", json={"args": {"stream": True}})
        assert streamed.headers["content-type"] == "application/x-ndjson"
        assert len(streamed.text.splitlines()) == 7 + 1  # the text lines and the usage line
        assert client.get(f"{server.url}/other").status_code == 404


def test_server_answers_a_key_value_call_with_a_get_envelope(server: ServerProcess) -> None:
    with httpx.Client() as client:
        answer = client.post(f"{server.url}/drivers/call", json=workloads.kv_get_payload())

    assert answer.json() == {
        "success": True,
        "result": KV_VALUE,
        "service": {"name": "puter-kvstore"},
    }


def _chunks(data: bytes, size: int) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_server_takes_large_bodies_sized_and_chunked(server: ServerProcess) -> None:
    body = b'{"args":{"stream":true,"pad":"' + b"x" * BIG + b'"}}'
    with httpx.Client(timeout=60) as client:
        sized = client.post(f"{server.url}/drivers/call", content=body)
        assert sized.status_code == 200
        assert sized.headers["content-type"] == "application/x-ndjson"
        chunked = client.post(f"{server.url}/drivers/call", content=_chunks(body, 100_003))
        assert chunked.status_code == 200
        assert chunked.headers["content-type"] == "application/x-ndjson"
        after = client.post(f"{server.url}/drivers/call", content=b"{}")  # same connection
        assert after.headers["content-type"] == "application/json"


async def _exchange(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, url_path: str
) -> int:
    body = b'{"args":{}}'
    writer.write(
        b"POST %s HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n%s"
        % (url_path.encode(), len(body), body)
    )
    head = await reader.readuntil(b"\r\n\r\n")
    length = next(
        int(line.split(b":")[1])
        for line in head.split(b"\r\n")
        if line.lower().startswith(b"content-length:")
    )
    await reader.readexactly(length)
    return int(head.split(b" ")[1])


def test_server_keeps_150_connections_alive_at_once(server: ServerProcess) -> None:
    port = int(server.url.rsplit(":", 1)[1])

    async def run() -> list[int]:
        connections = [await asyncio.open_connection("127.0.0.1", port) for _ in range(150)]
        statuses = []
        for _ in range(2):  # every connection is reused while all of them stay open
            statuses += await asyncio.gather(
                *(_exchange(reader, writer, "/drivers/call") for reader, writer in connections)
            )
        for _, writer in connections:
            writer.close()
            await writer.wait_closed()
        return statuses

    assert asyncio.run(run()) == [200] * 300


def test_server_answers_a_ranged_read_and_a_stat_of_a_bench_file(server: ServerProcess) -> None:
    with httpx.Client() as client:
        ranged = client.get(
            f"{server.url}/read",
            params={"file": "/bench/bench-1000.bin"},
            headers={"Range": "bytes=300-309"},
        )
        stat = client.post(f"{server.url}/stat", json={"path": "/bench/bench-1000.bin"})
    assert ranged.status_code == 206
    assert ranged.headers["content-range"] == "bytes 300-309/1000"
    assert ranged.content == bytes(i % 256 for i in range(300, 310))
    assert (stat.json()["path"], stat.json()["size"]) == ("/bench/bench-1000.bin", 1000)


def test_server_answers_a_speech_call_with_raw_chunked_audio() -> None:
    with ServerProcess(stream_lines=1, audio_bytes=200_000) as running, httpx.Client() as client:
        call = {"interface": "puter-tts", "method": "synthesize", "args": {"text": "Hi"}}
        response = client.post(f"{running.url}/drivers/call", json=call)

    assert response.headers["content-type"] == "audio/mpeg"
    assert response.headers["transfer-encoding"] == "chunked"
    assert len(response.content) == 200_000 and response.content[:2] == b"\xff\xfb"
