"""Large request bodies are streamed in pieces, byte for byte equal to the plain JSON."""

from __future__ import annotations

import asyncio
import json

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from puter_client._generated import endpoints, models
from puter_client.core.http.jsonbody import JsonBodyStream, encode_json, text_size_exceeds
from puter_client.core.serialization import unstructure
from tests.support.hypothesis_profiles import examples

DATA_URL = "data:image/png;base64," + "QUJD" * 400_000  # 1.6 MB, over the streaming threshold


def chat_call(*contents: str | list[models.ContentPart]) -> models.ChatCompleteCall:
    messages = [models.ChatMessage(role="user", content=c) for c in contents]
    return models.ChatCompleteCall(
        driver="ai-chat", args=models.ChatCompleteArgs(model="gpt-4o", messages=messages)
    )


def image_message_call() -> models.ChatCompleteCall:
    parts: list[models.ContentPart] = [
        models.TextPart(text="What is this?"),
        models.ImageUrlPart(image_url=models.ImageUrl(url=DATA_URL)),
    ]
    return chat_call("earlier turn", parts)


def test_a_small_body_is_not_considered_large() -> None:
    assert not text_size_exceeds(chat_call("Hi"), 1 << 20)


def test_a_big_inline_image_makes_the_body_large() -> None:
    assert text_size_exceeds(image_message_call(), 1 << 20)


def test_streamed_body_equals_the_plain_json_bytes() -> None:
    call = image_message_call()
    stream = JsonBodyStream(call)
    streamed = b"".join(stream)
    assert streamed == encode_json(unstructure(call))
    assert stream.length == len(streamed)


def test_streamed_body_can_be_read_again_for_a_retry() -> None:
    stream = JsonBodyStream(image_message_call())
    assert b"".join(stream) == b"".join(stream)


def test_streamed_body_reads_the_same_asynchronously() -> None:
    stream = JsonBodyStream(image_message_call())

    async def read_all() -> bytes:
        return b"".join([chunk async for chunk in stream])

    assert asyncio.run(read_all()) == b"".join(stream)


def test_a_long_string_that_needs_escaping_is_still_valid_json() -> None:
    text = 'quote " backslash \\ newline \n é ' * 40_000
    call = chat_call(text)
    assert json.loads(b"".join(JsonBodyStream(call))) == unstructure(call)


def test_the_request_for_a_large_body_carries_host_and_exact_length() -> None:
    call = image_message_call()
    request = endpoints.build_chat_complete(call, base_url="http://127.0.0.1:9/", token="t")
    body = b"".join(request.stream)  # type: ignore[arg-type]
    assert request.headers["host"] == "127.0.0.1:9"
    assert int(request.headers["content-length"]) == len(body)
    assert "transfer-encoding" not in request.headers
    assert json.loads(body) == unstructure(call)


def test_the_request_for_a_small_body_is_plain_bytes() -> None:
    request = endpoints.build_chat_complete(chat_call("Hi"), base_url="http://x", token="t")
    assert isinstance(request.stream, httpx.ByteStream)


@settings(max_examples=examples(60), deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(max_size=50),
            st.tuples(st.text(min_size=1, max_size=8), st.integers(70_000, 71_000)).map(
                lambda piece_count: piece_count[0] * piece_count[1]
            ),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_streamed_encoding_matches_json_dumps_for_any_messages(contents: list[str]) -> None:
    call = chat_call(*contents)
    assert b"".join(JsonBodyStream(call)) == encode_json(unstructure(call))
