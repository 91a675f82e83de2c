"""The pure reply rules of `puter_client.emulator.services.chat.chat`."""

from __future__ import annotations

from typing import Any

from puter_client.emulator import expected_reply, reply_text_for
from puter_client.emulator.services.chat.chat import content_text, tool_result_text


def test_expected_reply_format() -> None:
    assert expected_reply("Hi", "fake") == ("You said: Hi (model=fake, turns=1, images=0, audio=0)")
    assert expected_reply("x", "m", turns=3, images=2, audio=1).endswith(
        "(model=m, turns=3, images=2, audio=1)"
    )


def test_reply_uses_the_last_user_message() -> None:
    messages: list[dict[str, Any]] = [
        {"role": "user", "content": "one"},
        {"role": "assistant", "content": "ok"},
        {"role": "user", "content": [{"type": "text", "text": "t"}, {"type": "image", "x": 1}]},
        {"role": "assistant", "content": "dangling"},
    ]
    assert reply_text_for(messages, "m") == expected_reply("t", "m", turns=2, images=1)


def test_content_text() -> None:
    assert content_text("plain") == "plain"
    assert content_text([{"type": "text", "text": "a"}, {"type": "x"}, "junk"]) == "a"
    assert content_text(None) == ""


def test_tool_result_detection() -> None:
    assert tool_result_text([{"role": "tool", "content": "r"}]) == "r"
    claude = [{"role": "user", "content": [{"type": "tool_result", "content": [
        {"type": "text", "text": "r2"}]}]}]  # fmt: skip
    assert tool_result_text(claude) == "r2"
    assert tool_result_text([{"role": "user", "content": "q"}]) is None
    assert tool_result_text([]) is None
