"""What the benchmarks send: the raw driver call, the serialization documents, test data.

``chat_payload`` and ``kv_get_payload`` are the exact JSON the SDK sends for
``chat(PROMPT)`` and ``kv.get(KV_KEY)`` (checked at the start of every run, see
``cases.check_same_bodies``), so the raw baseline posts the same bytes.
"""

from __future__ import annotations

import base64
import random
import struct
import zlib
from pathlib import Path
from typing import Any

__all__ = [
    "KV_KEY",
    "MODEL",
    "PROMPT",
    "SPEECH_TEXT",
    "TOKEN",
    "chat_payload",
    "conversation_texts",
    "kv_get_payload",
    "kv_list_payload",
    "raw_headers",
    "readdir_payload",
    "reply_text",
    "serialization_request",
    "serialization_response",
    "speech_payload",
    "write_png",
    "write_tree",
]

MODEL = "claude-opus-4"  # the SDK's default model, so chat(PROMPT) names it too
PROMPT = "Hello, how are you today?"
TOKEN = "bench-token"
KV_KEY = "user:42:profile"
KV_LIST_KEYS = 10_000
"""How many keys the bench server lists (``kv.keys()`` pages through them)."""
KV_PAGE = 1000
"""Keys a page (what the SDK asks for)."""
FS_LIST_ENTRIES = 5000
"""Entries of the folder the bench server lists (``fs.listdir`` pages through them)."""
FS_PAGE = 1000
"""Entries a ``/fs/readdir`` page (what the SDK asks for)."""
FS_LIST_PATH = "~/bench-list"
"""The folder the listing case lists."""
SPEECH_TEXT = "Read this sentence aloud, slowly and clearly."


def chat_payload(*, stream: bool = False) -> dict[str, Any]:
    """The driver call a raw httpx user posts for ``chat(PROMPT)`` (same keys, same order)."""
    args: dict[str, Any] = {"model": MODEL, "messages": [{"role": "user", "content": PROMPT}]}
    if stream:
        args["stream"] = True
    return {
        "interface": "puter-chat-completion",
        "driver": "ai-chat",
        "method": "complete",
        "args": args,
    }


def kv_list_payload(cursor: str | None) -> dict[str, Any]:
    """The driver call a raw httpx user posts for one page of ``kv.keys()``."""
    args: dict[str, Any] = {"as": "keys", "limit": KV_PAGE, "fetchUntilFull": True}
    if cursor is not None:
        args["cursor"] = cursor
    return {"interface": "puter-kvstore", "method": "list", "args": args, "driver": "puter-kvstore"}


def readdir_payload(cursor: str | None) -> dict[str, Any]:
    """The ``/fs/readdir`` body a raw httpx user posts for one page of
    ``fs.listdir(FS_LIST_PATH)`` (the SDK's body: same keys, same order)."""
    return {"path": FS_LIST_PATH, "cursor": cursor, "limit": FS_PAGE}


def write_tree(root: Path, files: int, size: int, *, per_folder: int) -> Path:
    """A local folder of ``files`` files of ``size`` bytes each, ``per_folder`` to a
    subfolder (``part-000/file-00000.bin``...); random bytes, so nothing compresses."""
    rng = random.Random(files * 7919 + size)
    block = rng.randbytes(min(size, 1 << 20))
    for index in range(files):
        folder = root / f"part-{index // per_folder:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        with (folder / f"file-{index:05d}.bin").open("wb") as file:
            left = size
            while left > 0:
                piece = block[: min(left, len(block))]
                file.write(piece)
                left -= len(piece)
    return root


def kv_get_payload() -> dict[str, Any]:
    """The driver call a raw httpx user posts for ``kv.get(KV_KEY)`` (same keys, same order)."""
    return {
        "interface": "puter-kvstore",
        "method": "get",
        "args": {"key": KV_KEY},
        "driver": "puter-kvstore",
    }


def raw_headers(*, stream: bool = False) -> dict[str, str]:
    """The headers a raw httpx user sends (the SDK sends these and a User-Agent)."""
    accept = "application/x-ndjson" if stream else "application/json"
    return {"Authorization": f"Bearer {TOKEN}", "Accept": accept}


def reply_text(envelope: Any) -> str:
    """The reply text of a chat envelope, read the way a raw httpx user would."""
    content = envelope["result"]["message"]["content"]
    if isinstance(content, str):
        return content
    return "".join(part["text"] for part in content if part.get("type") == "text")


_WORDS = " ".join(
    [
        "the model answers each question with care and cites what it read about python",
        "asyncio http servers clients streams tokens history images memory latency profile",
        "benchmark request response envelope driver chat completion retry limit window",
    ]
).split(" ")


def conversation_texts(turns: int, *, seed: int = 6) -> list[tuple[str, str]]:
    """``turns`` (user, assistant) texts, each 200-500 characters, all distinct."""
    rng = random.Random(seed)

    def text(index: int) -> str:
        size = rng.randint(200, 500)
        words = [f"#{index}"]
        length = len(words[0])
        while length < size:
            word = rng.choice(_WORDS)
            words.append(word)
            length += len(word) + 1
        return " ".join(words)[:size]

    return [(text(2 * i), text(2 * i + 1)) for i in range(turns)]


def write_png(path: Path, size: int) -> Path:
    """A ``size``-byte file that starts as a real PNG (signature and IHDR), then noise."""
    ihdr = struct.pack(">IIBBBBB", 4096, 4096, 8, 2, 0, 0, 0)
    chunk = struct.pack(">I", len(ihdr)) + b"IHDR" + ihdr
    head = b"\x89PNG\r\n\x1a\n" + chunk + struct.pack(">I", zlib.crc32(chunk[4:]))
    with path.open("wb") as file:
        file.write(head)
        file.write(random.Random(size).randbytes(size - len(head)))
    return path


_TOOLS = [
    {
        "type": "function",
        "function": {
            "name": "get_weather",
            "description": "The current weather of a city.",
            "parameters": {
                "type": "object",
                "properties": {"city": {"type": "string"}, "unit": {"enum": ["C", "F"]}},
                "required": ["city"],
            },
        },
    },
    {
        "type": "function",
        "function": {
            "name": "search",
            "description": "Search the web.",
            "parameters": {"type": "object", "properties": {"q": {"type": "string"}}},
            "strict": True,
        },
    },
]
_SMALL_PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 2).decode()


def serialization_request() -> dict[str, Any]:
    """A 20-message ``complete`` driver call using every kind of message and part."""
    function = {"name": "get_weather", "arguments": '{"city": "Paris"}'}
    call: dict[str, Any] = {"id": "call_1", "type": "function", "function": function}
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": "You are a helpful assistant. Answer briefly."},
        {"role": "user", "content": "What is in this picture, and what is the weather?"},
        {"role": "assistant", "content": "Please send the picture."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "Here it is."},
                {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
                {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{_SMALL_PNG}"}},
            ],
        },
        {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_1", "content": '{"temp": 21, "sky": "clear"}'},
        {"role": "assistant", "content": "A cat on a sofa; Paris is 21 C and clear."},
        {"role": "user", "content": [{"type": "file", "puter_path": "/alice/Desktop/a.pdf"}]},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me search for that."},
                {"type": "tool_use", "id": "tu_1", "name": "search", "input": {"q": "a.pdf"}},
            ],
        },
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": "tu_1", "content": "3 results"}],
        },
        {"role": "assistant", "content": "I found three results about the document."},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "And this recording?"},
                {
                    "type": "input_audio",
                    "input_audio": {"data": "UklGRiQAAABXQVZF", "format": "wav"},
                },
            ],
        },
        {"role": "assistant", "content": "It is a short greeting."},
        {"role": "user", "content": "Thanks. Who are you?", "name": "alice"},
        {"role": "assistant", "content": "An assistant, answering through Puter."},
        {"role": "user", "content": "Weather in Rome and Oslo?"},
        {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {**call, "id": "call_2", "function": {"name": "get_weather", "arguments": "{}"}},
                {**call, "id": "call_3", "function": {"name": "get_weather", "arguments": "{}"}},
            ],
        },
        {"role": "tool", "tool_call_id": "call_2", "content": '{"temp": 25}'},
        {"role": "tool", "tool_call_id": "call_3", "content": '{"temp": 4}'},
        {"role": "user", "content": "Summarise everything in one sentence."},
    ]
    return {
        "interface": "puter-chat-completion",
        "driver": "ai-chat",
        "method": "complete",
        "args": {
            "model": MODEL,
            "messages": messages,
            "max_tokens": 1024,
            "temperature": 0.7,
            "tools": _TOOLS,
            "tool_choice": "auto",
        },
    }


def serialization_response() -> dict[str, Any]:
    """A success envelope with text and a tool call (Claude style), usage and metadata."""
    return {
        "success": True,
        "service": {"name": "ai-chat"},
        "result": {
            "message": {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "A cat, a PDF, a greeting, and mild weather."},
                    {"type": "tool_use", "id": "tu_9", "name": "search", "input": {"q": "cats"}},
                ],
                "id": "msg_01",
                "model": "claude-opus-4-20250514",
                "stop_reason": "tool_use",
            },
            "usage": {"input_tokens": 812, "output_tokens": 41, "usd_cents": 1.2},
            "finish_reason": "tool_calls",
            "via_ai_chat_service": True,
        },
        "metadata": {"service_used": "claude", "providerUsed": "anthropic"},
    }


def speech_payload() -> dict[str, Any]:
    """The driver call ``txt2speech(SPEECH_TEXT)`` sends."""
    return {
        "interface": "puter-tts",
        "driver": "ai-tts",
        "method": "synthesize",
        "args": {"text": SPEECH_TEXT},
    }
