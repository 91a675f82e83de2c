"""One memory case, run in a fresh interpreter so that its peak RSS is its own.

``python -m bench.memchild history URL TURNS``, ``... image URL PATH``, ``... download URL
BYTES`` (``download-raw``: the same with plain httpx) or ``... speech URL PATH`` prints one
JSON object: the peak RSS in bytes before the case (after imports, the client and one
warm-up call), after its preparation (the history built, or nothing), and after the one
call (``chat()``, a byte answer streamed to a file, or ``txt2speech(save_to=PATH)``), with
the size of what was sent or received.
``... fsspec-read URL BYTES`` reads a remote file through ``fsspec.open("puter://...")``
in 1 MB blocks (compared with ``fs-download``, ``client.fs.download`` of the same file).
``python -m bench.memchild batch URL INPUT`` runs ``puter batch INPUT`` (in this process,
concurrency 64, no client-side pacing) instead of the call; its payload is INPUT's size.
``... fs-upload URL DIR`` uploads the local folder DIR with ``client.fs.upload`` (4
requests in flight); ``fs-upload-raw`` sends the same requests with plain httpx from as
many threads: the folder checked, its folders made level by level, then the files in
multipart batches of at most 100 files or 8 MB.

The peak is the kernel's high-water mark of this process's memory (``VmHWM``), reset to
the current RSS just before the case. ``ru_maxrss`` is no use here: on Linux a child
inherits the parent's peak across fork and exec, which hides any smaller growth.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from bench.workloads import PROMPT, SPEECH_TEXT, TOKEN, conversation_texts
from puter import PuterAI
from puter_client._generated.models import ChatMessage
from puter_client.core.ratelimit import SERVER_LIMITS

__all__ = ["main"]


_STATUS = Path("/proc/self/status")


def _reset_peak() -> None:
    """Start the high-water mark afresh from the current RSS (Linux; else a no-op)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak() -> int:
    """The peak RSS in bytes: ``VmHWM``, or ``ru_maxrss`` where /proc is missing."""
    try:
        status = _STATUS.read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    line = next(line for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(line.split()[1]) * 1024  # in kB


def _history_case(client: PuterAI, turns: str) -> tuple[Callable[[], object], Callable[[], int]]:
    for user, assistant in conversation_texts(int(turns)):
        client._chat.history.record(
            ChatMessage(role="user", content=user), ChatMessage(role="assistant", content=assistant)
        )

    def size() -> int:
        messages = client.chat_history[:-2]  # without the turn the measured call added
        return len(json.dumps(messages, ensure_ascii=False, separators=(",", ":")).encode())

    return (lambda: client.chat(PROMPT)), size


def _image_case(client: PuterAI, path: str) -> tuple[Callable[[], object], Callable[[], int]]:
    return (lambda: client.chat("What is in this image?", images=[path])), (
        lambda: os.path.getsize(path)
    )


def _download_case(client: PuterAI, size: str) -> tuple[Callable[[], object], Callable[[], int]]:
    """A byte answer streamed to disk through the SDK's HTTP layer (file sink)."""
    from puter_client.core.http.errors import error_from_response
    from puter_client.core.http.operation import Operation
    from puter_client.core.http.responses import FileSink

    target = Path(tempfile.mkdtemp()) / "download.bin"
    op = Operation(name="download", method="GET", path="/bytes", host="api", auth=False)

    def checked(response: httpx.Response) -> None:
        if response.status_code != 200:
            raise error_from_response(response)

    def call() -> None:
        session = client._session
        session.run(session.send(op, checked, params={"n": size}, sink=FileSink(target)))

    return call, lambda: _size_removed(target)


def _raw_download_case(
    client: PuterAI, size: str
) -> tuple[Callable[[], object], Callable[[], int]]:
    """The same answer streamed to disk with plain httpx."""
    target = Path(tempfile.mkdtemp()) / "download.bin"
    url = f"{client.config.api_base}/bytes?n={size}"

    def call() -> None:
        with httpx.stream("GET", url) as response, open(target, "wb") as file:
            for chunk in response.iter_bytes():
                file.write(chunk)

    return call, lambda: _size_removed(target)


def _fs_write_case(client: PuterAI, local: str) -> tuple[Callable[[], object], Callable[[], int]]:
    """``client.fs.write`` of a local file (one streamed multipart upload)."""
    return (lambda: client.fs.write("bench/upload.bin", Path(local))), (
        lambda: os.path.getsize(local)
    )


def _raw_fs_write_case(
    client: PuterAI, local: str
) -> tuple[Callable[[], object], Callable[[], int]]:
    """The same upload with plain httpx's streamed multipart."""
    manifest = json.dumps(
        {"items": [{"index": 0, "fileMetadata": {"path": "~/bench/upload.bin",
                                                 "size": os.path.getsize(local)}}]}
    )  # fmt: skip

    def call() -> None:
        with open(local, "rb") as file:
            response = httpx.post(
                f"{client.config.api_base}/fs/batchWrite",
                headers={"Authorization": f"Bearer {TOKEN}"},
                data={"manifest": manifest},
                files={"file-0": ("upload.bin", file, "application/octet-stream")},
                timeout=120,
            )
        response.raise_for_status()

    return call, lambda: os.path.getsize(local)


UPLOAD_TO = "~/bench-dir"
UPLOAD_IN_FLIGHT = 4  # the SDK's default (transfer.IN_FLIGHT)


def _tree_size(local: str) -> int:
    return sum(p.stat().st_size for p in Path(local).rglob("*") if p.is_file())


def _fs_upload_case(client: PuterAI, local: str) -> tuple[Callable[[], object], Callable[[], int]]:
    """``client.fs.upload`` of a local folder (its default 4 requests in flight)."""
    expected = sum(1 for p in Path(local).rglob("*") if p.is_file())

    def call() -> None:
        report = client.fs.upload(local, UPLOAD_TO, in_flight=UPLOAD_IN_FLIGHT)
        assert len(report.files) == expected

    return call, lambda: _tree_size(local)


def _raw_fs_upload_case(
    client: PuterAI, local: str
) -> tuple[Callable[[], object], Callable[[], int]]:
    """The same upload with plain httpx: the same requests, as many in flight."""
    root = Path(local)
    url, headers = client.config.api_base, {"Authorization": f"Bearer {TOKEN}"}
    remote = "/bench/bench-dir"

    def batches(files: list[Path]) -> list[list[Path]]:
        found: list[list[Path]] = []
        batch: list[Path] = []
        size = 0
        for path in files:
            length = path.stat().st_size
            if batch and (len(batch) >= 100 or size + length > 8 << 20):
                found.append(batch)
                batch, size = [], 0
            batch.append(path)
            size += length
        return [*found, batch] if batch else found

    def call() -> None:
        files: list[Path] = []
        levels: dict[int, list[str]] = {0: [root.name]}
        for folder, dirs, names in os.walk(root):
            dirs.sort()
            inner = Path(folder).relative_to(root).as_posix()
            prefix = root.name if inner == "." else f"{root.name}/{inner}"
            for name in dirs:
                levels.setdefault(prefix.count("/") + 1, []).append(f"{prefix}/{name}")
            files += [Path(folder) / name for name in sorted(names)]

        with (
            httpx.Client(timeout=120, headers=headers) as http,
            ThreadPoolExecutor(UPLOAD_IN_FLIGHT) as pool,
        ):
            found = http.post(f"{url}/stat", json={"path": UPLOAD_TO})
            found.raise_for_status()

            def mkdir(relative: str) -> None:
                parent, _, name = f"{remote}/{relative}".rpartition("/")
                body = {
                    "parent": parent, "path": name, "overwrite": False,
                    "dedupe_name": "/" not in relative, "create_missing_parents": False,
                }  # fmt: skip
                http.post(f"{url}/mkdir", json=body).raise_for_status()

            def send(batch: list[Path]) -> None:
                items = [
                    {"index": i, "fileMetadata": {
                        "path": f"{remote}/{p.relative_to(root.parent).as_posix()}",
                        "size": p.stat().st_size, "contentType": "application/octet-stream",
                        "overwrite": False, "dedupeName": True, "createMissingParents": False,
                    }}
                    for i, p in enumerate(batch)
                ]  # fmt: skip
                opened = [p.open("rb") for p in batch]
                try:
                    parts = [
                        (f"file-{i}", (p.name, f, "application/octet-stream"))
                        for i, (p, f) in enumerate(zip(batch, opened, strict=True))
                    ]
                    answer = http.post(
                        f"{url}/fs/batchWrite",
                        data={"manifest": json.dumps({"items": items})},
                        files=parts,
                    )
                finally:
                    for f in opened:
                        f.close()
                answer.raise_for_status()
                assert len(answer.json()) == len(batch)

            for depth in sorted(levels):
                list(pool.map(mkdir, levels[depth]))
            list(pool.map(send, batches(files)))

    return call, lambda: _tree_size(local)


def _fs_download_case(client: PuterAI, size: str) -> tuple[Callable[[], object], Callable[[], int]]:
    """``client.fs.download`` of a remote file to disk."""
    target = Path(tempfile.mkdtemp()) / "download.bin"
    return (lambda: client.fs.download(f"bench-{size}.bin", target)), (
        lambda: _size_removed(target)
    )


def _raw_fs_download_case(
    client: PuterAI, size: str
) -> tuple[Callable[[], object], Callable[[], int]]:
    """The same download with plain httpx, streamed to a file."""
    target = Path(tempfile.mkdtemp()) / "download.bin"
    url = f"{client.config.api_base}/read"

    def call() -> None:
        params = {"file": f"~/bench-{size}.bin"}
        headers = {"Authorization": f"Bearer {TOKEN}"}
        with (
            httpx.stream("GET", url, params=params, headers=headers, timeout=120) as response,
            open(target, "wb") as file,
        ):
            for chunk in response.iter_bytes():
                file.write(chunk)

    return call, lambda: _size_removed(target)


def _fsspec_read_case(client: PuterAI, size: str) -> tuple[Callable[[], object], Callable[[], int]]:
    """``fsspec.open("puter://...")`` of a remote file, read sequentially in 1 MB blocks
    (ranged reads through the file's read-ahead cache); nothing kept."""
    import fsspec

    url = client.config.api_base
    received = [0]

    def call() -> None:
        with fsspec.open(
            f"puter:///bench/bench-{size}.bin", "rb", token=TOKEN, api_base=url,
            login_url=f"{url}/login",
        ) as file:  # fmt: skip
            while block := file.read(1 << 20):
                received[0] += len(block)

    return call, lambda: received[0]


def _size_removed(path: Path) -> int:
    size = path.stat().st_size
    path.unlink()
    path.parent.rmdir()
    return size


def _speech_case(client: PuterAI, path: str) -> tuple[Callable[[], object], Callable[[], int]]:
    return (lambda: client.txt2speech(SPEECH_TEXT, save_to=path)), (lambda: os.path.getsize(path))


def _batch_case(client: PuterAI, source: str) -> tuple[Callable[[], object], Callable[[], int]]:
    from puter_client.cli import main as cli
    from puter_client.core.credentials import CONFIG_DIR_ENV, SavedLogin, save_login

    url = client.config.api_base
    folder = tempfile.mkdtemp(prefix="puter-bench-batch-")
    os.environ[CONFIG_DIR_ENV] = folder
    save_login(SavedLogin(token=TOKEN, api_base=url, username="bench"))
    output = os.path.join(folder, "output.jsonl")
    argv = ["--api-base", url, "batch", source, "-o", output, "-c", "64", "--rate", "1000000/1"]

    def run() -> None:
        status = cli.main(argv)
        if status != 0:
            raise SystemExit(f"puter batch failed with status {status}")

    return run, lambda: os.path.getsize(source)


def main(argv: list[str]) -> None:
    """Run the case named by ``argv`` and print its measurements."""
    case, url, argument = argv
    prepare = {
        "history": _history_case,
        "image": _image_case,
        "download": _download_case,
        "download-raw": _raw_download_case,
        "speech": _speech_case,
        "batch": _batch_case,
        "fs-write": _fs_write_case,
        "fs-write-raw": _raw_fs_write_case,
        "fs-download": _fs_download_case,
        "fs-upload": _fs_upload_case,
        "fs-upload-raw": _raw_fs_upload_case,
        "fs-download-raw": _raw_fs_download_case,
        "fsspec-read": _fsspec_read_case,
    }[case]
    client = PuterAI(
        token=TOKEN,
        api_base=url,
        login_url=f"{url}/login",
        rate_limit_requests=10**9,
        rate_limit_period=1,
        rate_limits=dict.fromkeys(SERVER_LIMITS, (10**9, 1.0, None)),  # no client pacing
    )
    client.chat("warm up")
    if case.startswith("fsspec"):
        import puter.fsspec  # noqa: F401  # imported before the peak is reset, like the SDK
    client.clear_chat_history()
    gc.collect()
    _reset_peak()
    before = _peak()
    call, size = prepare(client, argument)
    prepared = _peak()
    started = time.perf_counter()
    call()
    seconds = time.perf_counter() - started
    after = _peak()
    result = {
        "before": before,
        "prepared": prepared,
        "after": after,
        "payload": size(),
        "seconds": seconds,
    }
    client.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
