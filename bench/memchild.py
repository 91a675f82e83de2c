"""One memory case, run in a fresh interpreter so that its peak RSS is its own.

``python -m bench.memchild history URL TURNS``, ``... image URL PATH`` or ``... speech URL
PATH`` prints one JSON object: the peak RSS in bytes before the case (after imports, the
client and one warm-up call), after its preparation (the history built, or nothing), and
after the one call (``chat()``, or ``txt2speech(save_to=PATH)``), with the size of what was
sent or received (the history's JSON, the image, or the audio written to PATH).

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
from collections.abc import Callable
from pathlib import Path

from bench.workloads import PROMPT, SPEECH_TEXT, TOKEN, conversation_texts
from puter import PuterAI
from puter_client._generated.models import ChatMessage

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


def _speech_case(client: PuterAI, path: str) -> tuple[Callable[[], object], Callable[[], int]]:
    return (lambda: client.txt2speech(SPEECH_TEXT, save_to=path)), (lambda: os.path.getsize(path))


def main(argv: list[str]) -> None:
    """Run the case named by ``argv`` and print its measurements."""
    case, url, argument = argv
    prepare = {"history": _history_case, "image": _image_case, "speech": _speech_case}[case]
    client = PuterAI(
        token=TOKEN,
        api_base=url,
        login_url=f"{url}/login",
        rate_limit_requests=10**9,
        rate_limit_period=1,
    )
    client.chat("warm up")
    client.clear_chat_history()
    gc.collect()
    _reset_peak()
    before = _peak()
    call, size = prepare(client, argument)
    prepared = _peak()
    call()
    after = _peak()
    result = {"before": before, "prepared": prepared, "after": after, "payload": size()}
    client.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
