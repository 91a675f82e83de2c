"""The benchmarks. Each case measures the SDK and its baseline side by side -> table rows.

Per-call costs are CPU (``time.process_time``) of this process only: the server runs in
another process. SDK and raw repeats alternate (A B A B ...) after a warm-up of both, and
each ratio is the median of the per-pair ratios.
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import importlib.util
import io
import itertools
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import attrs
import httpx

from bench import server, workloads
from bench.report import Row
from bench.stats import Comparison, Measure, interleave, measure
from puter import PuterAI
from puter.exceptions import PuterError
from puter_client._generated import models
from puter_client.core.ratelimit import SERVER_LIMITS
from puter_client.core.serialization import structure, unstructure

__all__ = ["CASES", "FULL", "METRICS", "QUICK", "Bench", "Sizes", "check_same_bodies", "profile"]

# Row labels start with these (the rest names the sizes of the run).
SYNC = "chat(): client CPU per call"
ASYNC = "async_chat(): wall time"
ASYNC_CPU = "async_chat(): client CPU per call"
STREAM = "chat_stream(): client CPU per line"
IMPORT = "import puter (fresh interpreter)"
IMPORT_FROM = "from puter import PuterAI, config"
FIRST_CALL = "first chat() of a fresh process: import, client, one call"
FIRST_CALL_CPU = "first chat() of a fresh process: its CPU time"
SERIAL = "structure+unstructure of a 20-message request and its response"
MEMORY_HISTORY = "memory: history"
MEMORY_IMAGE = "memory: image"
MEMORY_DOWNLOAD = "memory: byte answer streamed to disk"
KV_GET = "kv.get(): client CPU per call"
KV_KEYS = "kv.keys() over 10,000 keys paged: client CPU per key"
SPEECH_WALL = "txt2speech(save_to=) streaming raw audio to disk: wall time"
SPEECH_MEMORY = "txt2speech(save_to=) streaming raw audio to disk: peak RSS growth"
FS_WRITE_WALL = "fs.write() of a local file: wall time"
FS_WRITE_MEMORY = "fs.write() of a local file: peak RSS growth"
FS_DOWNLOAD_WALL = "fs.download() to a local file: wall time"
FS_DOWNLOAD_MEMORY = "fs.download() to a local file: peak RSS growth"
FS_UPLOAD_SMALL_WALL = "fs.upload() of a folder of small files: wall time"
FS_UPLOAD_SMALL_MEMORY = "fs.upload() of a folder of small files: peak RSS growth"
FS_UPLOAD_BIG_WALL = "fs.upload() of a folder of large files: wall time"
FS_UPLOAD_BIG_MEMORY = "fs.upload() of a folder of large files: peak RSS growth"
FS_LISTDIR = "fs.listdir() of a large folder, paged: client CPU per entry"
FSSPEC_READ_WALL = "fsspec.open('puter://...') read in 1 MB blocks vs fs.download(): wall time"
FSSPEC_READ_MEMORY = "fsspec.open('puter://...') read in 1 MB blocks: peak RSS growth"
BATCH = "batch(): wall time"
PUBLISH = "hosting.publish() of a folder: wall time"
BATCH_MEMORY = "memory: puter batch"
LANGCHAIN_INVOKE = "ChatPuter.invoke() vs client.complete(): client CPU per call"
LANGCHAIN_FLOOR = (
    "LangChain's own part: invoke() of the same complete() and a reply built once, client CPU"
)
TIER_WALL = "small writes of an unlimited account, 4 in flight: limits found / given by hand"
METRICS = (
    SYNC,
    ASYNC,
    ASYNC_CPU,
    STREAM,
    IMPORT,
    IMPORT_FROM,
    FIRST_CALL,
    FIRST_CALL_CPU,
    SERIAL,
    MEMORY_HISTORY,
    MEMORY_IMAGE,
    MEMORY_DOWNLOAD,
    KV_GET,
    KV_KEYS,
    SPEECH_WALL,
    SPEECH_MEMORY,
    FS_WRITE_WALL,
    FS_WRITE_MEMORY,
    FS_DOWNLOAD_WALL,
    FS_DOWNLOAD_MEMORY,
    FS_UPLOAD_SMALL_WALL,
    FS_UPLOAD_SMALL_MEMORY,
    FS_UPLOAD_BIG_WALL,
    FS_UPLOAD_BIG_MEMORY,
    FS_LISTDIR,
    FSSPEC_READ_WALL,
    FSSPEC_READ_MEMORY,
    BATCH,
    BATCH_MEMORY,
    LANGCHAIN_INVOKE,
    LANGCHAIN_FLOOR,
    PUBLISH,
    TIER_WALL,
)
MB = 1024 * 1024


@attrs.frozen
class Sizes:
    """How much work each case does."""

    warmup: int
    sync_calls: int
    sync_repeats: int
    async_calls: int
    async_in_flight: int
    async_repeats: int
    stream_lines: int
    streams: int
    stream_repeats: int
    import_runs: int
    first_call_runs: int
    serial_ops: int
    serial_repeats: int
    history_turns: int
    image_bytes: int
    download_bytes: int
    file_bytes: int
    memory_runs: int
    speech_bytes: int
    speech_repeats: int
    batch_prompts: int
    batch_concurrency: int
    batch_repeats: int
    batch_input_lines: int
    publish_files: int
    publish_concurrency: int
    publish_repeats: int
    tier_writes: int
    tier_repeats: int
    upload_small_files: int
    upload_small_bytes: int
    upload_big_files: int
    upload_runs: int
    listdir_calls: int
    #: Whether cases timed in fresh processes first run each child once untimed (bytecode
    #: caches written, files in the page cache); a quick run, which times nothing, skips it.
    child_warmups: bool = True


FULL = Sizes(
    warmup=200,
    sync_calls=2000,
    sync_repeats=7,
    async_calls=2000,
    async_in_flight=100,
    async_repeats=7,
    stream_lines=2000,
    streams=6,
    stream_repeats=15,
    import_runs=20,
    first_call_runs=20,
    serial_ops=2000,
    serial_repeats=7,
    history_turns=10_000,
    image_bytes=20 * MB,
    download_bytes=100 * MB,
    file_bytes=200 * MB,
    memory_runs=3,
    speech_bytes=50 * MB,
    speech_repeats=11,
    batch_prompts=10_000,
    batch_concurrency=64,
    batch_repeats=3,
    batch_input_lines=100_000,
    publish_files=500,
    publish_concurrency=8,
    publish_repeats=9,
    tier_writes=240,
    tier_repeats=5,
    upload_small_files=1000,
    upload_small_bytes=4096,
    upload_big_files=20,
    upload_runs=5,
    listdir_calls=5,
)
QUICK = Sizes(
    warmup=5,
    sync_calls=20,
    sync_repeats=2,
    async_calls=40,
    async_in_flight=10,
    async_repeats=2,
    stream_lines=50,
    streams=2,
    stream_repeats=2,
    import_runs=1,
    first_call_runs=1,
    serial_ops=20,
    serial_repeats=2,
    history_turns=100,
    image_bytes=MB,
    download_bytes=4 * MB,
    file_bytes=4 * MB,
    memory_runs=1,
    speech_bytes=MB,
    speech_repeats=1,
    batch_prompts=30,
    batch_concurrency=8,
    batch_repeats=1,
    batch_input_lines=100,
    publish_files=20,
    publish_concurrency=4,
    publish_repeats=1,
    tier_writes=20,
    tier_repeats=1,
    upload_small_files=40,
    upload_small_bytes=4096,
    upload_big_files=4,
    upload_runs=1,
    listdir_calls=1,
    child_warmups=False,
)


@attrs.define
class Bench:
    """What every case needs: the server, the sizes, a scratch folder, notes to print."""

    url: str
    sizes: Sizes
    workdir: Path
    notes: list[str] = attrs.Factory(list)

    @property
    def call_url(self) -> str:
        """Where driver calls go."""
        return f"{self.url}/drivers/call"

    def client(self, **overrides: Any) -> PuterAI:
        """An SDK client of the server that needs no login and is never rate limited."""
        return PuterAI(
            token=workloads.TOKEN,
            api_base=self.url,
            login_url=f"{self.url}/login",
            rate_limit_requests=10**9,
            rate_limit_period=1,
            rate_limits={
                **dict.fromkeys(SERVER_LIMITS, (10**9, 1.0, None)),
                "ai": (10**9, 1.0, None),
            },
            **overrides,
        )


def _micros(values: list[float]) -> str:
    return f"{statistics.median(values) * 1e6:,.1f} us"


def _looped(call: Callable[[], object], units: int = 1) -> Callable[[int], int]:
    """``call`` made ``n`` times by the returned function, which returns the units done."""

    def run(times: int) -> int:
        for _ in range(times):
            call()
        return times * units

    return run


# ------------------------------------------------------------------ checks


def check_same_bodies(bench: Bench) -> None:
    """Fail unless the raw baseline posts exactly the bytes the SDK posts (plain, streamed)."""
    bodies: list[bytes] = []
    reply = json.dumps(workloads.serialization_response()).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        bodies.append(request.content)
        return httpx.Response(200, content=reply, headers={"Content-Type": "application/json"})

    transport = httpx.MockTransport(handler)
    with httpx.Client(transport=transport) as raw, bench.client(http_client=raw) as sdk:
        sdk.chat(workloads.PROMPT)
        sdk.clear_chat_history()
        sdk.chat_stream(workloads.PROMPT).until_done()
        with contextlib.suppress(PuterError):  # the reply is a chat one; the body is sent
            sdk.kv.get(workloads.KV_KEY)
        raw.post(bench.call_url, json=workloads.chat_payload())
        raw.post(bench.call_url, json=workloads.chat_payload(stream=True))
        raw.post(bench.call_url, json=workloads.kv_get_payload())
    if bodies[:3] != bodies[3:]:
        raise RuntimeError(f"the raw baseline does not post what the SDK posts: {bodies}")


# --------------------------------------------------------------- the cases


@attrs.frozen
class _Pair:
    """The same work for the SDK and for its baseline: ``sdk(n)`` does n calls, returns units.

    A unit is a call, or a streamed line; ``close`` releases what the pair holds.
    """

    sdk: Callable[[int], int]
    raw: Callable[[int], int]
    close: Callable[[], None]


def _chat_pair(bench: Bench) -> _Pair:
    sdk = bench.client()
    raw = httpx.Client(timeout=sdk.config.timeout)

    def sdk_call() -> None:
        sdk.clear_chat_history()
        sdk.chat(workloads.PROMPT)

    def raw_call() -> None:
        payload, headers = workloads.chat_payload(), workloads.raw_headers()
        response = raw.post(bench.call_url, json=payload, headers=headers)
        response.raise_for_status()
        workloads.reply_text(response.json())

    def close() -> None:
        sdk.close()
        raw.close()

    return _Pair(_looped(sdk_call), _looped(raw_call), close)


def _kv_get_pair(bench: Bench) -> _Pair:
    sdk = bench.client()
    raw = httpx.Client(timeout=sdk.config.timeout)

    def sdk_call() -> None:
        value = sdk.kv.get(workloads.KV_KEY)
        assert value is not None

    def raw_call() -> None:
        payload, headers = workloads.kv_get_payload(), workloads.raw_headers()
        response = raw.post(bench.call_url, json=payload, headers=headers)
        response.raise_for_status()
        value = response.json()["result"]
        assert value is not None

    def close() -> None:
        sdk.close()
        raw.close()

    return _Pair(_looped(sdk_call), _looped(raw_call), close)


def _kv_keys_pair(bench: Bench) -> _Pair:
    sdk = bench.client()
    raw = httpx.Client(timeout=sdk.config.timeout)

    def sdk_call() -> None:
        keys = list(sdk.kv.keys())
        assert len(keys) == workloads.KV_LIST_KEYS

    def raw_call() -> None:
        keys: list[str] = []
        cursor: str | None = None
        headers = workloads.raw_headers()
        while True:
            response = raw.post(
                bench.call_url, json=workloads.kv_list_payload(cursor), headers=headers
            )
            response.raise_for_status()
            page = response.json()["result"]
            keys.extend(page["items"])
            cursor = page.get("cursor")
            if cursor is None:
                break
        assert len(keys) == workloads.KV_LIST_KEYS

    def close() -> None:
        sdk.close()
        raw.close()

    return _Pair(
        _looped(sdk_call, workloads.KV_LIST_KEYS), _looped(raw_call, workloads.KV_LIST_KEYS), close
    )


def _stream_pair(bench: Bench) -> _Pair:
    sdk = bench.client()
    raw = httpx.Client(timeout=sdk.config.timeout)
    lines = bench.sizes.stream_lines + 1  # the text lines and the usage line

    def sdk_call() -> None:
        sdk.clear_chat_history()
        with sdk.chat_stream(workloads.PROMPT) as stream:
            deltas = sum(1 for _ in stream)
        assert deltas == lines - 1, deltas

    def raw_call() -> None:
        texts: list[str] = []
        received = 0
        payload, headers = workloads.chat_payload(stream=True), workloads.raw_headers(stream=True)
        with raw.stream("POST", bench.call_url, json=payload, headers=headers) as response:
            response.raise_for_status()
            for line in response.iter_lines():
                if line:
                    event = json.loads(line)
                    received += 1
                    if event["type"] == "text":
                        texts.append(event["text"])
        assert received == lines, received

    def close() -> None:
        sdk.close()
        raw.close()

    return _Pair(_looped(sdk_call, lines), _looped(raw_call, lines), close)


async def _concurrently(call: Callable[[], Awaitable[None]], total: int, in_flight: int) -> int:
    remaining = total

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            await call()

    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return total


def _without_failing_sniffio_imports(bench: Bench) -> None:
    """Make httpcore's per-lock ``import sniffio`` fail fast when sniffio is not installed.

    httpcore tries that import on every pool lock; a missing module is searched for on
    disk each time, which costs both sides the same large amount and hides SDK overhead.
    A ``None`` entry in ``sys.modules`` keeps the same ImportError, without the search.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]
        bench.notes.append(
            "async: sniffio is not installed, so httpcore's `import sniffio` on every pool "
            "lock was made to fail fast (sys.modules['sniffio'] = None) for SDK and raw alike."
        )


def _async_pair(bench: Bench) -> _Pair:
    _without_failing_sniffio_imports(bench)
    loop = asyncio.new_event_loop()
    sdk = bench.client()
    raw = httpx.AsyncClient(timeout=sdk.config.timeout)

    async def sdk_call() -> None:
        sdk.clear_chat_history()  # each call then sends one message, like the raw one
        await sdk.async_chat(workloads.PROMPT)

    async def raw_call() -> None:
        payload, headers = workloads.chat_payload(), workloads.raw_headers()
        response = await raw.post(bench.call_url, json=payload, headers=headers)
        response.raise_for_status()
        workloads.reply_text(response.json())

    def batch(call: Callable[[], Awaitable[None]]) -> Callable[[int], int]:
        in_flight = bench.sizes.async_in_flight
        return lambda total: loop.run_until_complete(_concurrently(call, total, in_flight))

    def close() -> None:
        try:
            loop.run_until_complete(sdk.aclose())
            loop.run_until_complete(raw.aclose())
        finally:
            loop.close()

    return _Pair(batch(sdk_call), batch(raw_call), close)


def _compare(pair: _Pair, times: int, repeats: int, warmup: int) -> list[tuple[Measure, Measure]]:
    """Warm both sides up, then ``repeats`` interleaved pairs of ``times`` calls each."""
    try:
        pair.sdk(warmup)
        pair.raw(warmup)
        return interleave(
            lambda: measure(lambda: pair.sdk(times)),
            lambda: measure(lambda: pair.raw(times)),
            repeats,
        )
    finally:
        pair.close()


def sync_chat(bench: Bench) -> list[Row]:
    """CPU per ``chat()`` call vs a raw ``httpx.Client`` post of the same body."""
    s = bench.sizes
    pairs = _compare(_chat_pair(bench), s.sync_calls, s.sync_repeats, s.warmup)
    cpu = Comparison.of(pairs, Measure.cpu_per_unit)
    return [Row(SYNC, _micros(cpu.sdk), _micros(cpu.raw), cpu.ratios, 1.15)]


def kv_get(bench: Bench) -> list[Row]:
    """CPU per ``kv.get()`` call vs a raw ``httpx.Client`` post of the same body."""
    s = bench.sizes
    pairs = _compare(_kv_get_pair(bench), s.sync_calls, s.sync_repeats, s.warmup)
    cpu = Comparison.of(pairs, Measure.cpu_per_unit)
    return [Row(KV_GET, _micros(cpu.sdk), _micros(cpu.raw), cpu.ratios, 1.15)]


def kv_keys(bench: Bench) -> list[Row]:
    """CPU per key of ``list(kv.keys())`` over 10,000 keys (10 pages) vs a raw
    ``httpx.Client`` loop posting the same pages and following the cursor."""
    s = bench.sizes
    times = max(1, s.sync_calls // 100)
    pairs = _compare(_kv_keys_pair(bench), times, s.sync_repeats, max(1, s.warmup // 100))
    cpu = Comparison.of(pairs, Measure.cpu_per_unit)
    return [Row(KV_KEYS, _micros(cpu.sdk), _micros(cpu.raw), cpu.ratios, 1.15)]


def streaming(bench: Bench) -> list[Row]:
    """CPU per streamed line through ``chat_stream()`` vs ``iter_lines()`` + ``json.loads``."""
    s = bench.sizes
    pairs = _compare(_stream_pair(bench), s.streams, s.stream_repeats, 1)
    cpu = Comparison.of(pairs, Measure.cpu_per_unit)
    label = f"{STREAM} ({s.stream_lines:,} text lines a reply)"
    return [Row(label, _micros(cpu.sdk), _micros(cpu.raw), cpu.ratios, 1.25)]


def async_chat(bench: Bench) -> list[Row]:
    """Wall time of many ``async_chat()`` calls in flight vs a raw ``httpx.AsyncClient``."""
    s = bench.sizes
    pairs = _compare(_async_pair(bench), s.async_calls, s.async_repeats, s.warmup)
    wall = Comparison.of(pairs, Measure.total_wall)
    cpu = Comparison.of(pairs, Measure.cpu_per_unit)
    sdk, raw = (f"{statistics.median(values):.2f} s" for values in (wall.sdk, wall.raw))
    label = f"{ASYNC} ({s.async_calls:,} calls, {s.async_in_flight} in flight)"
    return [
        Row(label, sdk, raw, wall.ratios, 1.15),
        Row(ASYNC_CPU, _micros(cpu.sdk), _micros(cpu.raw), cpu.ratios),
    ]


_IMPORT_CODE = "import time\nt = time.perf_counter()\n{}\nprint(time.perf_counter() - t)\n"


def _child_environment() -> dict[str, str]:
    """The environment of the fresh interpreters: bytecode caches written and used.

    With ``PYTHONDONTWRITEBYTECODE`` set (as in some sandboxes and CI images), a module
    edited since its cache was written is compiled from source in every run, which no
    installed copy of the SDK ever does; the warm-up runs write the caches instead.
    """
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _child_seconds(code: str, *args: str) -> list[float]:
    """Run ``code`` in a fresh interpreter; it prints the seconds it measured itself."""
    done = subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=True,
        env=_child_environment(),
    )
    return [float(word) for word in done.stdout.split()]


def _import_seconds(statement: str) -> float:
    return _child_seconds(_IMPORT_CODE.format(statement))[0]


def imports(bench: Bench) -> list[Row]:
    """Import time in fresh interpreters, timed inside them, vs ``import httpx``."""
    statements = ["import puter", "from puter import PuterAI, config", "import httpx"]
    for statement in statements if bench.sizes.child_warmups else ():  # warm up
        _import_seconds(statement)
    seconds: dict[str, list[float]] = {statement: [] for statement in statements}
    for run in range(bench.sizes.import_runs):
        shift = run % len(statements)  # rotate the order so that no statement always leads
        for statement in statements[shift:] + statements[:shift]:
            seconds[statement].append(_import_seconds(statement))
    baseline = seconds["import httpx"]
    rows = []
    for label, statement in ((IMPORT, "import puter"), (IMPORT_FROM, statements[1])):
        values = seconds[statement]
        ratios = [a / b for a, b in zip(values, baseline, strict=True)]
        sdk, raw = (f"{statistics.median(v) * 1e3:.1f} ms" for v in (values, baseline))
        rows.append(Row(label, sdk, f"{raw} (import httpx)", ratios, 1.5))
    return rows


# The two programs of the first-call rows, each timed from its first statement to the reply
# text: everything a script pays before its first answer (interpreter start-up, the same
# for both, is left out). They print wall and CPU seconds; argv[1] is the server's URL.
_FIRST_CALL_SDK = """\
import time
started, cpu = time.perf_counter(), time.process_time()
import sys
import time
from puter import PuterAI
from puter.exceptions import PuterError
url = sys.argv[1]
with PuterAI(token={token!r}, api_base=url, login_url=url + "/login") as client:
    text = client.chat({prompt!r})
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
assert text == {reply!r}, text
print(elapsed, cpu)
"""
_FIRST_CALL_RAW = """\
import time
started, cpu = time.perf_counter(), time.process_time()
import sys
import time
import httpx
url = sys.argv[1]
with httpx.Client() as client:
    response = client.post(url + "/drivers/call", json={payload!r}, headers={headers!r})
    response.raise_for_status()
    content = response.json()["result"]["message"]["content"]
    text = content if isinstance(content, str) else "".join(
        part["text"] for part in content if part.get("type") == "text"
    )
elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
assert text == {reply!r}, text
print(elapsed, cpu)
"""


def first_call_programs() -> tuple[str, str]:
    """The SDK and raw httpx programs of the first-call row (same request, same reply)."""
    reply = workloads.reply_text(server.CHAT_ENVELOPE)
    sdk = _FIRST_CALL_SDK.format(token=workloads.TOKEN, prompt=workloads.PROMPT, reply=reply)
    raw = _FIRST_CALL_RAW.format(
        payload=workloads.chat_payload(), headers=workloads.raw_headers(), reply=reply
    )
    return sdk, raw


def first_call(bench: Bench) -> list[Row]:
    """Import, client and one ``chat()`` in a fresh process vs the same with raw httpx."""
    sdk_code, raw_code = first_call_programs()
    for code in (sdk_code, raw_code) if bench.sizes.child_warmups else ():  # warm up
        _child_seconds(code, bench.url)
    sdk: list[list[float]] = []
    raw: list[list[float]] = []
    for run in range(bench.sizes.first_call_runs):
        order = [(sdk_code, sdk), (raw_code, raw)]
        for code, seconds in order if run % 2 == 0 else order[::-1]:  # A B, B A, ...
            seconds.append(_child_seconds(code, bench.url))
    rows = []
    for index, (label, target) in enumerate(((FIRST_CALL, 1.3), (FIRST_CALL_CPU, None))):
        ours, theirs = [s[index] for s in sdk], [r[index] for r in raw]
        ratios = [a / b for a, b in zip(ours, theirs, strict=True)]
        sdk_ms, raw_ms = (f"{statistics.median(v) * 1e3:.1f} ms" for v in (ours, theirs))
        rows.append(Row(label, sdk_ms, f"{raw_ms} (raw httpx)", ratios, target))
    return rows


def serialization(bench: Bench) -> list[Row]:
    """Round trips of a 20-message request and its response through the models, per second."""
    s = bench.sizes
    request, response = workloads.serialization_request(), workloads.serialization_response()
    call = structure(request, models.ChatCompleteCall)
    envelope = structure(response, models.ChatCompleteResponse)
    if unstructure(call) != request or unstructure(envelope) != response:
        bench.notes.append("serialization: the round trip is NOT exact (a bug, see design.md)")

    def sdk_op() -> None:
        unstructure(structure(request, models.ChatCompleteCall))
        unstructure(structure(response, models.ChatCompleteResponse))

    def json_op() -> None:
        json.loads(json.dumps(request))
        json.loads(json.dumps(response))

    pair = _Pair(_looped(sdk_op), _looped(json_op), lambda: None)
    pairs = _compare(pair, s.serial_ops, s.serial_repeats, s.warmup)
    cpu = Comparison.of(pairs, Measure.cpu_per_unit)
    sdk, raw = (f"{1 / statistics.median(v):,.0f} /s" for v in (cpu.sdk, cpu.raw))
    return [Row(SERIAL, sdk, f"{raw} (json dumps+loads)", cpu.ratios)]


def _memory_child(bench: Bench, case: str, argument: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-m", "bench.memchild", case, bench.url, argument],
        capture_output=True,
        text=True,
        check=True,
        env=_child_environment(),  # bytecode caches used, as by an installed SDK
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def memory(bench: Bench) -> list[Row]:
    """Peak RSS growth of a long history and of one large image, each in a fresh process."""
    s = bench.sizes
    png = workloads.write_png(bench.workdir / "image.png", s.image_bytes)
    runs: dict[str, list[dict[str, float]]] = {
        "history": [],
        "image": [],
        "download": [],
        "download-raw": [],
    }
    for _ in range(s.memory_runs):
        runs["history"].append(_memory_child(bench, "history", str(s.history_turns)))
        runs["image"].append(_memory_child(bench, "image", str(png)))
        runs["download"].append(_memory_child(bench, "download", str(s.download_bytes)))
        runs["download-raw"].append(_memory_child(bench, "download-raw", str(s.download_bytes)))
    history = _memory_row(
        runs["history"],
        f"{MEMORY_HISTORY} ({s.history_turns:,} turns): peak RSS growth / its JSON",
        "history JSON",
        2.0,
    )
    image = _memory_row(
        runs["image"],
        f"{MEMORY_IMAGE} ({s.image_bytes / MB:g} MB file): peak RSS growth / file size",
        "image file",
        3.5,
    )
    held = statistics.median(r["prepared"] - r["before"] for r in runs["history"]) / MB
    bench.notes.append(
        f"memory, history: {held:.1f} MB of the growth is the history itself (built before "
        "the call); the rest is the one chat() call that sends it."
    )
    return [history, image, _download_row(runs["download"], runs["download-raw"], s)]


def _download_row(sdk: list[dict[str, float]], raw: list[dict[str, float]], sizes: Sizes) -> Row:
    """Peak RSS growth of streaming a large byte answer to disk, judged in MB (flat
    memory: it must not grow with the answer); raw httpx's growth for comparison."""
    growth = [(r["after"] - r["before"]) / MB for r in sdk]
    raw_growth = statistics.median((r["after"] - r["before"]) / MB for r in raw)
    return Row(
        f"{MEMORY_DOWNLOAD} ({sizes.download_bytes / MB:g} MB): peak RSS growth in MB",
        f"+{statistics.median(growth):.1f} MB",
        f"raw httpx +{raw_growth:.1f} MB",
        growth,
        16.0,
    )


def _memory_row(results: list[dict[str, float]], label: str, what: str, target: float) -> Row:
    growth = [r["after"] - r["before"] for r in results]
    payload = statistics.median(r["payload"] for r in results) / MB
    return Row(
        label,
        f"+{statistics.median(growth) / MB:.1f} MB",
        f"{payload:.1f} MB {what}",
        [g / r["payload"] for g, r in zip(growth, results, strict=True)],
        target,
    )


def _speech_pair(bench: Bench) -> _Pair:
    sdk = bench.client()
    raw = httpx.Client(timeout=sdk.config.timeout)
    sdk_file, raw_file = bench.workdir / "speech-sdk.mp3", bench.workdir / "speech-raw.mp3"
    raw_partial = bench.workdir / ".speech-raw.mp3.part"
    size = bench.sizes.speech_bytes

    def sdk_call() -> None:
        sdk.txt2speech(workloads.SPEECH_TEXT, save_to=sdk_file)
        assert sdk_file.stat().st_size == size

    def raw_call() -> None:
        # As save_to= does: the answer goes to a temporary file renamed over the target
        # once whole, so the target is never a partial file. (On ext4, a rename over an
        # existing file starts the new file's writeback: tens of ms for 50 MB, paid by
        # both sides alike.)
        payload, headers = workloads.speech_payload(), workloads.raw_headers()
        with raw.stream("POST", bench.call_url, json=payload, headers=headers) as response:
            response.raise_for_status()
            with raw_partial.open("wb") as file:
                for chunk in response.iter_raw():
                    file.write(chunk)
        os.replace(raw_partial, raw_file)
        assert raw_file.stat().st_size == size

    def close() -> None:
        sdk.close()
        raw.close()

    return _Pair(_looped(sdk_call), _looped(raw_call), close)


def speech(bench: Bench) -> list[Row]:
    """``txt2speech(save_to=)`` receiving a large raw audio answer: wall time against raw
    httpx streaming the same answer to a file the same way (a temporary file renamed over
    the target), and peak RSS growth in a fresh process."""
    s = bench.sizes
    pairs = _compare(_speech_pair(bench), 1, s.speech_repeats, 1)
    wall = Comparison.of(pairs, Measure.total_wall)
    sdk, raw = (f"{statistics.median(v) * 1e3:.0f} ms" for v in (wall.sdk, wall.raw))
    megabytes = f"{s.speech_bytes / MB:g} MB"
    rows = [Row(f"{SPEECH_WALL} ({megabytes} answer)", sdk, f"{raw} (raw httpx)", wall.ratios, 1.2)]
    target = bench.workdir / "speech-memory.mp3"
    runs = [_memory_child(bench, "speech", str(target)) for _ in range(s.memory_runs)]
    growth = [(r["after"] - r["before"]) / MB for r in runs]
    rows.append(
        Row(
            f"{SPEECH_MEMORY} ({megabytes} answer), MB",
            f"+{statistics.median(growth):.1f} MB",
            f"{statistics.median(r['payload'] for r in runs) / MB:.1f} MB written",
            growth,
            16,
        )
    )
    return rows


def _batch_pair(bench: Bench) -> _Pair:
    _without_failing_sniffio_imports(bench)
    loop = asyncio.new_event_loop()
    sdk = bench.client()
    raw = httpx.AsyncClient(timeout=sdk.config.timeout)
    concurrency = bench.sizes.batch_concurrency
    expected = workloads.reply_text(server.CHAT_ENVELOPE)

    def sdk_run(total: int) -> int:
        answered = 0
        for result in sdk.batch(itertools.repeat(workloads.PROMPT, total), concurrency=concurrency):
            assert result.text == expected, result
            answered += 1
        return answered

    async def raw_call() -> None:
        payload, headers = workloads.chat_payload(), workloads.raw_headers()
        response = await raw.post(bench.call_url, json=payload, headers=headers)
        response.raise_for_status()
        assert workloads.reply_text(response.json()) == expected

    def raw_run(total: int) -> int:
        return loop.run_until_complete(_concurrently(raw_call, total, concurrency))

    def close() -> None:
        try:
            sdk.close()
            loop.run_until_complete(raw.aclose())
        finally:
            loop.close()

    return _Pair(sdk_run, raw_run, close)


def batch(bench: Bench) -> list[Row]:
    """``client.batch()`` over many prompts vs asyncio + raw httpx with as many workers; and
    the peak memory of ``puter batch`` over a long INPUT, in a fresh process."""
    s = bench.sizes
    warmup = min(s.warmup, s.batch_prompts)
    pairs = _compare(_batch_pair(bench), s.batch_prompts, s.batch_repeats, warmup)
    wall = Comparison.of(pairs, Measure.total_wall)
    sdk, raw = (f"{statistics.median(values):.2f} s" for values in (wall.sdk, wall.raw))
    label = f"{BATCH} ({s.batch_prompts:,} prompts, concurrency {s.batch_concurrency})"
    rows = [Row(label, sdk, f"{raw} (asyncio + raw httpx)", wall.ratios, 1.1)]

    source = bench.workdir / "batch-input.txt"
    with source.open("w") as lines:
        for n in range(s.batch_input_lines):
            lines.write(f"Prompt number {n}: classify this review, please.\n")
    budget = 50 * MB
    result = _memory_child(bench, "batch", str(source))
    growth = result["after"] - result["before"]
    rows.append(
        Row(
            f"{BATCH_MEMORY} ({s.batch_input_lines:,}-line INPUT): peak RSS growth / 50 MB",
            f"+{growth / MB:.1f} MB",
            f"50 MB budget ({result['payload'] / MB:.1f} MB INPUT)",
            [growth / budget],
            1.0,
        )
    )
    return rows


def file_system(bench: Bench) -> list[Row]:
    """fs.write and fs.download of a large file, each in a fresh process, alternating with
    raw httpx streaming the same bytes to the same route: wall time and peak RSS growth."""
    s = bench.sizes
    local = bench.workdir / "upload.bin"
    with open(local, "wb") as file:
        piece = bytes(range(256)) * 4096
        for start in range(0, s.file_bytes, len(piece)):
            file.write(piece[: min(len(piece), s.file_bytes - start)])
    megabytes = f"{s.file_bytes / MB:g} MB"
    rows: list[Row] = []
    for wall, memory, case, argument in (
        (FS_WRITE_WALL, FS_WRITE_MEMORY, "fs-write", str(local)),
        (FS_DOWNLOAD_WALL, FS_DOWNLOAD_MEMORY, "fs-download", str(s.file_bytes)),
    ):
        pairs = [
            (_memory_child(bench, case, argument), _memory_child(bench, f"{case}-raw", argument))
            for _ in range(s.memory_runs)
        ]
        sdk_seconds = statistics.median(sdk["seconds"] for sdk, _ in pairs)
        raw_seconds = statistics.median(raw["seconds"] for _, raw in pairs)
        rows.append(
            Row(
                f"{wall} ({megabytes})",
                f"{sdk_seconds:.2f} s",
                f"{raw_seconds:.2f} s raw httpx",
                [sdk["seconds"] / raw["seconds"] for sdk, raw in pairs],
                1.2,
            )
        )
        growth = [(sdk["after"] - sdk["before"]) / MB for sdk, _ in pairs]
        raw_growth = statistics.median((raw["after"] - raw["before"]) / MB for _, raw in pairs)
        rows.append(
            Row(
                f"{memory} ({megabytes}), in MB",
                f"+{statistics.median(growth):.1f} MB",
                f"raw httpx +{raw_growth:.1f} MB",
                growth,
                32.0,
            )
        )
    local.unlink()
    return rows


def _upload_rows(bench: Bench, local: Path, wall_label: str, memory_label: str) -> list[Row]:
    """Wall time and peak RSS growth of ``fs.upload`` of ``local``, each run in a fresh
    process alternating with raw httpx sending the same requests at the same concurrency."""
    runs = bench.sizes.upload_runs
    warmups = ("fs-upload", "fs-upload-raw") if bench.sizes.child_warmups else ()
    for case in warmups:  # warm up: bytecode caches written
        _memory_child(bench, case, str(local))
    pairs = [
        (_memory_child(bench, "fs-upload", str(local)),
         _memory_child(bench, "fs-upload-raw", str(local)))
        for _ in range(runs)
    ]  # fmt: skip
    sdk_seconds = statistics.median(sdk["seconds"] for sdk, _ in pairs)
    raw_seconds = statistics.median(raw["seconds"] for _, raw in pairs)
    growth = [(sdk["after"] - sdk["before"]) / MB for sdk, _ in pairs]
    raw_growth = statistics.median((raw["after"] - raw["before"]) / MB for _, raw in pairs)
    return [
        Row(
            wall_label,
            f"{sdk_seconds:.2f} s",
            f"{raw_seconds:.2f} s raw httpx",
            [sdk["seconds"] / raw["seconds"] for sdk, raw in pairs],
            1.2,
        ),
        Row(
            memory_label,
            f"+{statistics.median(growth):.1f} MB",
            f"raw httpx +{raw_growth:.1f} MB",
            growth,
            32.0,
        ),
    ]


def fs_upload(bench: Bench) -> list[Row]:
    """``fs.upload`` of a folder of many small files (in subfolders of 100) and of a
    folder of large files, against raw httpx making the same requests (the folder
    checked, its folders made, multipart batches of <= 100 files or 8 MB) from as many
    threads as the SDK has requests in flight (4)."""
    s = bench.sizes
    small = workloads.write_tree(
        bench.workdir / "upload-small", s.upload_small_files, s.upload_small_bytes,
        per_folder=100,
    )  # fmt: skip
    big_each = s.file_bytes // s.upload_big_files
    big = workloads.write_tree(
        bench.workdir / "upload-big", s.upload_big_files, big_each, per_folder=10
    )
    small_name = f"{s.upload_small_files:,} files of {s.upload_small_bytes // 1024} KB"
    big_name = f"{s.upload_big_files} files of {big_each / MB:g} MB, {s.file_bytes / MB:g} MB"
    rows = _upload_rows(
        bench, small, f"{FS_UPLOAD_SMALL_WALL} ({small_name})",
        f"{FS_UPLOAD_SMALL_MEMORY} ({small_name}), in MB",
    )  # fmt: skip
    rows += _upload_rows(
        bench, big, f"{FS_UPLOAD_BIG_WALL} ({big_name})",
        f"{FS_UPLOAD_BIG_MEMORY} ({big_name}), in MB",
    )  # fmt: skip
    return rows


def _listdir_pair(bench: Bench) -> _Pair:
    sdk = bench.client()
    raw = httpx.Client(timeout=sdk.config.timeout)
    entries = workloads.FS_LIST_ENTRIES

    def sdk_call() -> None:
        listed = sdk.fs.listdir(workloads.FS_LIST_PATH)
        assert len(listed) == entries

    def raw_call() -> None:
        items: list[Any] = []
        cursor: str | None = None
        headers = workloads.raw_headers()
        while True:
            response = raw.post(
                f"{bench.url}/fs/readdir", json=workloads.readdir_payload(cursor), headers=headers
            )
            response.raise_for_status()
            page = response.json()
            items.extend(page["items"])
            cursor = page.get("cursor")
            if cursor is None:
                break
        assert len(items) == entries

    def close() -> None:
        sdk.close()
        raw.close()

    return _Pair(_looped(sdk_call, entries), _looped(raw_call, entries), close)


def fs_listdir(bench: Bench) -> list[Row]:
    """CPU per entry of ``fs.listdir()`` of a folder of 5,000 entries (5 pages of 1,000)
    vs a raw ``httpx.Client`` loop posting the same pages and following the cursor."""
    s = bench.sizes
    pairs = _compare(_listdir_pair(bench), s.listdir_calls, s.sync_repeats, 2)
    cpu = Comparison.of(pairs, Measure.cpu_per_unit)
    label = f"{FS_LISTDIR} ({workloads.FS_LIST_ENTRIES:,} entries)"
    return [Row(label, _micros(cpu.sdk), _micros(cpu.raw), cpu.ratios, 1.15)]


def fsspec_read(bench: Bench) -> list[Row]:
    """A large file read sequentially in 1 MB blocks through ``fsspec.open("puter://...")``
    (ranged reads), each run in a fresh process alternating with ``client.fs.download`` of
    the same file to disk: wall time against the download, and peak RSS growth."""
    s = bench.sizes
    size = str(s.file_bytes)
    pairs = [
        (_memory_child(bench, "fsspec-read", size), _memory_child(bench, "fs-download", size))
        for _ in range(s.memory_runs)
    ]
    megabytes = f"{s.file_bytes / MB:g} MB"
    growth = [(fsspec["after"] - fsspec["before"]) / MB for fsspec, _ in pairs]
    download_growth = statistics.median((d["after"] - d["before"]) / MB for _, d in pairs)
    return [
        Row(
            f"{FSSPEC_READ_WALL} ({megabytes})",
            f"{statistics.median(f['seconds'] for f, _ in pairs):.2f} s",
            f"{statistics.median(d['seconds'] for _, d in pairs):.2f} s fs.download()",
            [fsspec["seconds"] / download["seconds"] for fsspec, download in pairs],
            1.2,
        ),
        Row(
            f"{FSSPEC_READ_MEMORY} ({megabytes}), in MB",
            f"+{statistics.median(growth):.1f} MB",
            f"fs.download() +{download_growth:.1f} MB",
            growth,
            32.0,
        ),
    ]


def _langchain_pair(bench: Bench) -> _Pair:
    """LangChain's ``invoke`` of ``ChatPuter`` and the ``complete`` it is built on."""
    from puter.langchain import ChatPuter  # the langchain extra, imported only here

    lc_client, complete_client = bench.client(), bench.client()
    chat = ChatPuter(model=workloads.MODEL, client=lc_client)
    messages = [{"role": "user", "content": workloads.PROMPT}]

    def invoke() -> None:
        assert chat.invoke(workloads.PROMPT).content

    def complete() -> None:
        assert complete_client.complete(messages, workloads.MODEL).text

    def close() -> None:
        lc_client.close()
        complete_client.close()

    return _Pair(_looped(invoke), _looped(complete), close)


def _langchain_floor_pair(bench: Bench) -> _Pair:
    """``invoke`` of a ``ChatPuter`` whose ``_generate`` makes the same ``complete`` call
    and returns a reply built once: what LangChain's machinery costs beyond ``complete``,
    with none of this layer's conversions (its ``_generate`` is presigned as
    ``ChatPuter``'s is, so LangChain's signature check costs the same)."""
    from langchain_core.callbacks import CallbackManagerForLLMRun
    from langchain_core.messages import AIMessage, BaseMessage
    from langchain_core.outputs import ChatGeneration, ChatResult

    from puter.langchain import ChatPuter
    from puter_client.integrations.langchain.chat_model import _presigned

    lc_client, complete_client = bench.client(), bench.client()
    wire = [{"role": "user", "content": workloads.PROMPT}]
    reply = ChatResult(generations=[ChatGeneration(message=AIMessage(content="reply"))])

    class FixedReply(ChatPuter):
        @_presigned
        def _generate(
            self,
            messages: list[BaseMessage],
            stop: list[str] | None = None,
            run_manager: CallbackManagerForLLMRun | None = None,
            **kwargs: Any,
        ) -> ChatResult:
            assert self.puter_client.complete(wire, workloads.MODEL).text
            return reply

    chat = FixedReply(model=workloads.MODEL, client=lc_client)

    def invoke() -> None:
        assert chat.invoke(workloads.PROMPT).content

    def complete() -> None:
        assert complete_client.complete(wire, workloads.MODEL).text

    def close() -> None:
        lc_client.close()
        complete_client.close()

    return _Pair(_looped(invoke), _looped(complete), close)


def langchain_invoke(bench: Bench) -> list[Row]:
    """CPU per ``ChatPuter.invoke()`` vs per ``client.complete()`` of the same message
    (the SDK call it is built on; the ``sync`` row compares that with raw httpx), and
    the same for LangChain's machinery alone (info: the floor of the first)."""
    s = bench.sizes
    pairs = _compare(_langchain_pair(bench), s.sync_calls, s.sync_repeats, s.warmup)
    cpu = Comparison.of(pairs, Measure.cpu_per_unit)
    baseline = f"{_micros(cpu.raw)} complete()"
    floor_pairs = _compare(_langchain_floor_pair(bench), s.sync_calls, s.sync_repeats, s.warmup)
    floor = Comparison.of(floor_pairs, Measure.cpu_per_unit)
    return [
        Row(LANGCHAIN_INVOKE, _micros(cpu.sdk), baseline, cpu.ratios, 1.3),
        Row(LANGCHAIN_FLOOR, _micros(floor.sdk), f"{_micros(floor.raw)} complete()", floor.ratios),
    ]


def _site_folder(bench: Bench, files: int) -> Path:
    """A folder of ``files`` small files, 25 to a subfolder, with an ``index.html``."""
    root = bench.workdir / "site"
    for n in range(files):
        folder = root if n < 25 else root / f"part{n // 25:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        name = "index.html" if n == 0 else f"page{n:04d}.html"
        (folder / name).write_bytes(f"<h1>page {n}</h1>".encode() * 64)
    return root


def _publish_pair(bench: Bench, root: Path) -> _Pair:
    s = bench.sizes
    sdk = bench.client()
    raw = httpx.Client(timeout=sdk.config.timeout)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    folders = sorted({root, *(p.parent for p in files)}, key=lambda p: len(p.parts))
    remote = "~/Sites/bench"

    def remote_of(path: Path) -> str:
        relative = path.relative_to(root).as_posix()
        return remote if relative == "." else f"{remote}/{relative}"

    def sdk_run(times: int) -> int:
        for _ in range(times):
            site = sdk.hosting.publish(root, "bench", concurrency=s.publish_concurrency)
            assert site.subdomain == "bench"
        return times

    headers = workloads.raw_headers()

    def upload(path: Path) -> None:
        target = remote_of(path)
        manifest = {
            "items": [
                {
                    "index": 0,
                    "fileMetadata": {
                        "path": target, "size": path.stat().st_size, "contentType": "text/html",
                        "overwrite": True, "dedupeName": False, "createMissingParents": False,
                    },
                }
            ]
        }  # fmt: skip
        with path.open("rb") as body:
            response = raw.post(
                f"{bench.url}/fs/batchWrite",
                data={"manifest": json.dumps(manifest)},
                files={"file-0": (path.name, body, "text/html")},
                headers=headers,
            )
        response.raise_for_status()

    def site_call(method: str, args: dict[str, Any]) -> None:
        body = {"interface": "puter-subdomains", "driver": "es:subdomain", "method": method,
                "args": args}  # fmt: skip
        raw.post(bench.call_url, json=body, headers=headers).raise_for_status()

    def raw_run(times: int) -> int:
        for _ in range(times):
            for folder in folders:
                target = remote_of(folder)
                parent, _, name = target.rpartition("/")
                mkdir = {"parent": parent, "path": name, "overwrite": False,
                         "dedupe_name": False, "create_missing_parents": True}  # fmt: skip
                raw.post(f"{bench.url}/mkdir", json=mkdir, headers=headers).raise_for_status()
            with ThreadPoolExecutor(max_workers=s.publish_concurrency) as pool:
                list(pool.map(upload, files))
            site_call("read", {"id": {"subdomain": "bench"}})
            site_call("update", {"id": {"subdomain": "bench"}, "object": {"root_dir": remote}})
        return times

    def close() -> None:
        sdk.close()
        raw.close()

    return _Pair(sdk_run, raw_run, close)


def publish(bench: Bench) -> list[Row]:
    """``hosting.publish()`` of a folder of small files vs raw httpx sending the same
    requests (folders, then the multipart uploads from as many threads, then the site
    calls) at the same concurrency."""
    s = bench.sizes
    root = _site_folder(bench, s.publish_files)
    pairs = _compare(_publish_pair(bench, root), 1, s.publish_repeats, 1)
    wall = Comparison.of(pairs, Measure.total_wall)
    sdk, raw = (f"{statistics.median(values):.2f} s" for values in (wall.sdk, wall.raw))
    label = f"{PUBLISH} ({s.publish_files} files, concurrency {s.publish_concurrency})"
    return [Row(label, sdk, f"{raw} raw httpx", wall.ratios, 1.2)]


def _tier_writes_seconds(emu: Any, count: int, *, by_hand: bool) -> float:
    """Seconds for ``count`` small writes, 4 in flight, of a fresh unlimited account."""
    from puter_client.emulator import PuterEmulator

    assert isinstance(emu, PuterEmulator)
    emu.reset()  # the server's windows start empty for each run
    emu.add_user("bench_unlimited", "bench-password", tier="unlimited")
    client = PuterAI(
        token=emu.token_for("bench_unlimited"),
        api_base=emu.api_base,
        login_url=emu.login_url,
        rate_limits={"fs.write": (300, 60.0)} if by_hand else None,
    )
    names = iter(range(count))

    async def write() -> None:
        await client.fs.async_write(f"~/f{next(names)}.txt", b"x")

    async def run() -> float:
        async with client:
            started = time.perf_counter()
            await _concurrently(write, count, 4)
            return time.perf_counter() - started

    return asyncio.run(run())


def tiers(bench: Bench) -> list[Row]:
    """Issue 24: small writes of an emulated unlimited account, paced by the limits the
    client finds itself (the server's tier) against the same with ``rate_limits=`` given by
    hand, alternating, each on a fresh emulator state."""
    from puter_client.emulator import PuterEmulator

    s = bench.sizes
    auto: list[float] = []
    by_hand: list[float] = []
    with PuterEmulator() as emu:
        _tier_writes_seconds(emu, s.tier_writes, by_hand=True)  # warm up
        for _ in range(s.tier_repeats):
            auto.append(_tier_writes_seconds(emu, s.tier_writes, by_hand=False))
            by_hand.append(_tier_writes_seconds(emu, s.tier_writes, by_hand=True))
    return [
        Row(
            TIER_WALL,
            f"{statistics.median(auto):.2f} s ({s.tier_writes} writes)",
            f"{statistics.median(by_hand):.2f} s by hand",
            [a / h for a, h in zip(auto, by_hand, strict=True)],
            1.2,
        )
    ]


CASES: dict[str, Callable[[Bench], list[Row]]] = {
    "sync": sync_chat,
    "async": async_chat,
    "stream": streaming,
    "import": imports,
    "first-call": first_call,
    "serialization": serialization,
    "memory": memory,
    "kv": kv_get,
    "kv-keys": kv_keys,
    "speech": speech,
    "batch": batch,
    "fs": file_system,
    "fs-upload": fs_upload,
    "fs-listdir": fs_listdir,
    "fsspec": fsspec_read,
    "langchain": langchain_invoke,
    "publish": publish,
    "tiers": tiers,
}


# ---------------------------------------------------------------- profiles


_PAIRS: dict[str, Callable[[Bench], _Pair]] = {
    "sync": _chat_pair,
    "async": _async_pair,
    "stream": _stream_pair,
    "kv": _kv_get_pair,
    "listdir": _listdir_pair,
}


def profile(bench: Bench, case: str, top: int = 25) -> str:
    """cProfile of the SDK side of ``case`` (sync, async, stream, kv or listdir), by tottime."""
    s = bench.sizes
    times = {
        "sync": s.sync_calls, "async": s.async_calls, "stream": s.streams, "kv": s.sync_calls,
        "listdir": s.listdir_calls,
    }[case]  # fmt: skip
    pair = _PAIRS[case](bench)
    profiler = cProfile.Profile()
    try:
        pair.sdk(max(1, s.warmup * times // s.sync_calls))
        profiler.runcall(pair.sdk, times)
    finally:
        pair.close()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).sort_stats("tottime")
    out.write(f"cProfile of the SDK side of '{case}': {times:,} calls, by tottime\n")
    stats.print_stats(top)
    out.write("The same, only functions of puter_client (the SDK's own code):\n")
    stats.print_stats("puter_client", top)
    return out.getvalue()
