"""The ``costly`` test model's usage as the server's fake provider counts it: the whole
prompt (every message, string content and text parts) at one token per 4 characters,
and an output never over ``max_tokens`` as sent; through the SDK, blocking and async."""

from __future__ import annotations

import asyncio
import math
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puter_client.emulator import PuterEmulator
from puter_client.emulator.services.chat.chat import costly_usage
from tests.support.emulated import alice, chat_calls

TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=200)


def tokens(text: str) -> int:
    return math.ceil(len(text.encode("utf-16-le")) // 2 / 4)


@given(st.lists(TEXT, min_size=1, max_size=5))
def test_the_input_is_every_message_at_one_token_per_4_characters(texts: list[str]) -> None:
    messages = [{"role": "user", "content": text} for text in texts]

    assert costly_usage(messages, "reply", None)[0] == sum(tokens(t) for t in texts)


@given(TEXT, TEXT)
def test_a_longer_prompt_never_counts_fewer_input_tokens(first: str, more: str) -> None:
    short = [{"role": "user", "content": first}]
    longer = [*short, {"role": "assistant", "content": "ok"}, {"role": "user", "content": more}]

    assert costly_usage(longer, "r", None)[0] >= costly_usage(short, "r", None)[0]


def test_text_parts_count_and_other_parts_do_not() -> None:
    content = [{"type": "text", "text": "12345678"}, {"type": "image_url", "image_url": {}}]

    assert costly_usage([{"role": "user", "content": content}], "r", None)[0] == 2


@given(st.integers(min_value=0, max_value=300))
def test_the_output_is_never_over_max_tokens(max_tokens: int) -> None:
    output = costly_usage([{"role": "user", "content": "hi"}], "a reply", max_tokens)[1]

    assert output <= max_tokens
    assert output == min(50, max_tokens)


def test_without_max_tokens_the_output_is_between_50_and_200() -> None:
    assert 50 <= costly_usage([{"role": "user", "content": "x"}], "word " * 500, None)[1] <= 200


def complete(face: str, messages: list[dict[str, Any]], **options: Any) -> Any:
    with alice() as client:
        if face == "sync":
            return client.complete(messages, model="costly", **options)
        return asyncio.run(client.async_complete(messages, model="costly", **options))


@pytest.mark.parametrize("face", ["sync", "async"])
def test_the_sdk_sees_the_whole_prompt_billed_and_max_tokens_sent_as_given(
    emu: PuterEmulator, face: str
) -> None:
    messages = [
        {"role": "system", "content": "s" * 40},
        {"role": "user", "content": "u" * 21},
    ]

    completion = complete(face, messages, max_tokens=0)

    assert completion.usage is not None
    assert completion.usage.input_tokens == 10 + 6
    assert completion.usage.output_tokens == 0
    assert chat_calls(emu)[-1].args["max_tokens"] == 0
