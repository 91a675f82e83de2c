"""Refusals of the chat and AI media calls before any request: each carries puter.js's
code in ``.code`` (or the server's ``bad_request`` where only the server refuses the
same input) and stays a ``ValueError``/``TypeError``; a message without content (and
without tool calls) is refused as the server refuses it, also when assigned to
``chat_history``. Blocking and async alike; nothing is sent."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import PuterInputError, PuterInputTypeError
from puter_client.emulator import PuterEmulator
from tests.support.emulated import PNG_1X1, alice, chat_calls, driver_calls

NO_CONTENT = [
    {"role": "user"},
    {"role": "user", "content": None},
    {"role": "user", "content": ""},
    {"role": "assistant", "content": None},
]
TOOL_TURN = {
    "role": "assistant",
    "content": None,
    "tool_calls": [{"id": "c1", "type": "function", "function": {"name": "f", "arguments": "{}"}}],
}


def run(client: PuterAI, face: str, name: str, *args: Any, **kwargs: Any) -> Any:
    """``client.<name>(...)`` blocking, or its ``async_`` twin in an event loop."""
    if face == "sync":
        return getattr(client, name)(*args, **kwargs)
    return asyncio.run(getattr(client, f"async_{name}")(*args, **kwargs))


@pytest.fixture(params=["sync", "async"])
def face(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.mark.parametrize("message", NO_CONTENT, ids=repr)
def test_assigning_a_message_without_content_to_chat_history_is_refused(
    emu: PuterEmulator, message: dict[str, Any]
) -> None:
    with alice() as client:
        client.chat_history = [{"role": "user", "content": "kept"}]
        with pytest.raises(PuterInputError) as caught:
            client.chat_history = [{"role": "system", "content": "s"}, message]

        assert caught.value.code == "bad_request"
        assert "content" in str(caught.value)
        assert client.chat_history == [{"role": "user", "content": "kept"}]


def test_appending_a_message_without_content_to_chat_history_is_refused(
    emu: PuterEmulator,
) -> None:
    with alice() as client:
        history = client.chat_history
        with pytest.raises(PuterInputError) as caught:
            history.append({"role": "user", "content": ""})

        assert caught.value.code == "bad_request"
        assert client.chat_history == []


def test_an_assistant_turn_with_tool_calls_needs_no_content(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat_history = [{"role": "user", "content": "q"}, TOOL_TURN]

        assert len(client.chat_history) == 2


@pytest.mark.parametrize("message", NO_CONTENT, ids=repr)
def test_complete_refuses_a_message_without_content_before_sending(
    emu: PuterEmulator, face: str, message: dict[str, Any]
) -> None:
    with alice() as client:
        with pytest.raises(PuterInputError) as caught:
            run(client, face, "complete", [message])

        assert caught.value.code == "bad_request"
        assert chat_calls(emu) == []


Call = Callable[[PuterAI, str], Any]

# (what is done, the exception class, the code)
REFUSALS: list[tuple[str, Call, type[Exception], str]] = [
    ("chat of nothing", lambda c, f: run(c, f, "chat", ""), ValueError, "prompt_required"),
    ("chat prompt not a str", lambda c, f: run(c, f, "chat", 5), TypeError, "invalid_arguments"),
    ("unknown chat option", lambda c, f: run(c, f, "chat", "hi", colour=1), TypeError,
     "invalid_arguments"),
    ("bad chat option", lambda c, f: run(c, f, "chat", "hi", max_tokens="x"), ValueError,
     "invalid_arguments"),
    ("empty messages", lambda c, f: run(c, f, "complete", []), ValueError, "arguments_required"),
    ("empty content_parts", lambda c, f: run(c, f, "chat", content_parts=[]), ValueError,
     "arguments_required"),
    ("image not an image", lambda c, f: run(c, f, "chat", "hi", images=[b"nope"]), ValueError,
     "invalid_arguments"),
    ("NaN in an option", lambda c, f: run(c, f, "chat", "hi", temperature=float("nan")),
     ValueError, "invalid_arguments"),
    ("txt2img empty prompt", lambda c, f: run(c, f, "txt2img", " "), ValueError,
     "prompt_required"),
    ("txt2img no prompt", lambda c, f: run(c, f, "txt2img", None), TypeError, "prompt_required"),
    ("txt2vid empty prompt", lambda c, f: run(c, f, "txt2vid", ""), ValueError,
     "prompt_required"),
    ("txt2speech empty text", lambda c, f: run(c, f, "txt2speech", ""), ValueError,
     "text_required"),
    ("txt2speech text too long", lambda c, f: run(c, f, "txt2speech", "a" * 3001), ValueError,
     "input_too_large"),
    ("speech2txt no audio", lambda c, f: run(c, f, "speech2txt", None), TypeError,
     "audio_required"),
    ("img2txt no image", lambda c, f: run(c, f, "img2txt", None), TypeError, "source_required"),
    ("ocr image too large", lambda c, f: run(c, f, "ocr", PNG_1X1 + b"\0" * (10 * 2**20)),
     ValueError, "input_too_large"),
    ("txt2img width alone", lambda c, f: run(c, f, "txt2img", "cat", width=5), ValueError,
     "invalid_arguments"),
]  # fmt: skip


@pytest.mark.parametrize(("call", "kind", "code"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_an_ai_refusal_before_sending_carries_its_code(
    emu: PuterEmulator, face: str, call: Call, kind: type[Exception], code: str
) -> None:
    with alice() as client:
        with pytest.raises(PuterInputError) as caught:
            call(client, face)

        assert caught.value.code == code
        assert isinstance(caught.value, kind)
        assert isinstance(caught.value, PuterInputTypeError) == (kind is TypeError)
        assert driver_calls(emu) == []
