"""Hostile answers from the server: whatever status, headers and body come back (random
JSON, random bytes, ~5 MB bodies, JSON nested 100,000 deep, absurd ``Retry-After`` and
``Content-Type`` values), a call ends with its reply or a ``PuterError`` subclass, never
``KeyError``, ``IndexError``, ``AttributeError``, ``RecursionError`` or a cattrs error.

The high-volume properties test the pure functions every answer goes through, with
``httpx.Response`` objects built in memory: ``parse_chat_complete`` (and what the client
then reads from its result), ``error_from_response``, the stream accumulator, and the
``Retry-After`` parser. A smaller property and the size extremes go through the emulator,
so that the transport and both faces are covered too.
"""

from __future__ import annotations

import contextlib
import json
import math
import time
import types
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter.exceptions import PuterError, PuterResponseError, PuterServerError
from puter_client._generated import endpoints
from puter_client.core import transport
from puter_client.core.http.errors import error_from_response
from puter_client.core.retry import RetryPolicy, parse_retry_after
from puter_client.core.serialization import unstructure
from puter_client.emulator import PuterEmulator, Respond
from puter_client.services.chat.completion import ChatCompletion, assistant_message, reply_text
from puter_client.services.chat.streaming import StreamAccumulator
from puter_client.services.chat.tools import assistant_tool_turn
from tests.support.hypothesis_profiles import examples

from .support import DRIVER_CALL, Face, token_client

REQUEST = httpx.Request("POST", "http://127.0.0.1:9/drivers/call")
JSON = "application/json"
NDJSON = "application/x-ndjson"
FIVE_MB = 5 * 1024 * 1024
DEEP = 100_000

PURE = settings(max_examples=examples(100), deadline=None)
WIRE = settings(
    max_examples=examples(50),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# --- strategies ---------------------------------------------------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=12,
)
part_types = st.sampled_from(["text", "tool_use", "image_url", "reasoning", "future"])
parts = st.fixed_dictionaries(
    {"type": part_types | json_values},
    optional={k: json_values for k in ("text", "id", "name", "input", "image_url")},
)
tool_calls = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "id": json_values,
            "type": json_values,
            "function": json_values
            | st.fixed_dictionaries({}, optional={"name": json_values, "arguments": json_values}),
        },
    ),
    max_size=2,
)
messages = st.fixed_dictionaries(
    {},
    optional={
        "role": st.sampled_from(["assistant", "user", "tool"]) | json_values,
        "content": st.text(max_size=12) | st.lists(parts, max_size=3) | json_values,
        "tool_calls": tool_calls | json_values,
        "stop_reason": json_values,
    },
)
results = st.fixed_dictionaries(
    {},
    optional={
        "message": messages | json_values,
        "usage": json_values,
        "finish_reason": json_values,
    },
)
legacy_errors = st.fixed_dictionaries(
    {},
    optional={
        "code": json_values,
        "message": json_values,
        "status": st.integers(100, 700) | json_values,
    },
)
envelopes = st.fixed_dictionaries(
    {},
    optional={
        "success": st.booleans() | json_values,
        "result": results | json_values,
        "error": legacy_errors | json_values,
        "message": json_values,
        "code": json_values,
    },
)
bodies = (
    st.builds(lambda value: json.dumps(value).encode(), envelopes | json_values)
    | st.binary(max_size=64)
    | st.sampled_from([b"", b"null", b"{", b'{"success": true', b"<html>502</html>", b"\xff\xfe"])
)
content_types = st.sampled_from(
    [
        "application/json",
        "application/json; charset=latin-1",
        "application/x-ndjson",
        "text/plain",
        "text/html",
        "application/octet-stream",
        "",
    ]
) | st.from_regex(r"[ -~]{0,30}", fullmatch=True)
retry_afters = st.sampled_from(
    [
        "0",
        "-5",
        "abc",
        "99999999",
        "1e400",
        "9" * 400,
        "NaN",
        "inf",
        " 3 ",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Mon, 01 Jan 1900 00:00:00 GMT",
        "Thu, 01 Jan 1970 00:00:00 -2400",
        "Wed, 32 Foo 2024 25:61:61 GMT",
    ]
) | st.from_regex(r"[ -~]{0,40}", fullmatch=True)
event_types = st.sampled_from(["text", "reasoning", "tool_use", "usage", "error", "future"])
events = st.fixed_dictionaries(
    {"type": event_types | json_values},
    optional={
        k: json_values for k in ("text", "reasoning", "id", "name", "input", "usage", "message")
    },
)
stream_lines = (
    st.builds(json.dumps, events | json_values)
    | st.text(max_size=30)
    | st.sampled_from(["", " ", "{", "[" * 50])
)
#: Statuses an HTTP/1.1 response with a body can have.
statuses = st.integers(200, 599).filter(lambda s: s not in (204, 205, 304))


def response(status: int, body: bytes, content_type: str | None = None) -> httpx.Response:
    """A read response to a driver call, as the transport hands it over."""
    headers = {} if content_type is None else {"content-type": content_type}
    return httpx.Response(status, content=body, headers=headers, request=REQUEST)


def read_as_the_client_does(answer: httpx.Response) -> None:
    """Parse ``answer`` and read everything the client reads from a successful reply."""
    result = endpoints.parse_chat_complete(answer).result
    completion = ChatCompletion.of(result)
    assert isinstance(completion.text, str)
    _ = (completion.finish_reason, completion.usage, completion.tool_calls)
    unstructure(assistant_message(result, reply_text(result)))  # as history records it


def nested(depth: int, leaf: str = "0") -> str:
    """A JSON array ``depth`` levels deep."""
    return "[" * depth + leaf + "]" * depth


def nested_object(depth: int) -> str:
    """A JSON object ``depth`` levels deep."""
    return '{"a":' * depth + "1" + "}" * depth


# --- pure functions: any answer -----------------------------------------------------------


@PURE
@given(status=st.integers(100, 599), body=bodies, content_type=content_types)
def test_any_answer_to_a_chat_is_its_reply_or_a_puter_error(
    status: int, body: bytes, content_type: str
) -> None:
    with contextlib.suppress(PuterError):
        read_as_the_client_does(response(status, body, content_type))


@PURE
@given(body=st.builds(lambda r: {"success": True, "result": r}, results))
def test_any_reply_of_the_right_envelope_is_read_or_a_response_error(body: Any) -> None:
    with contextlib.suppress(PuterResponseError):
        read_as_the_client_does(response(200, json.dumps(body).encode()))


@PURE
@given(status=st.integers(400, 599), body=bodies, content_type=content_types)
def test_any_error_answer_becomes_a_puter_error_that_prints(
    status: int, body: bytes, content_type: str
) -> None:
    error = error_from_response(response(status, body, content_type))

    assert isinstance(error, PuterError)
    assert str(error) and repr(error)


@PURE
@given(lines=st.lists(stream_lines, max_size=8))
def test_any_streamed_lines_are_a_reply_or_a_puter_error(lines: list[str]) -> None:
    accumulator = StreamAccumulator()
    try:
        for line in lines:
            accumulator.feed(line)
        accumulator.finish()
    except PuterError:
        return
    assert isinstance(accumulator.text, str)
    for style in ("claude", "openai"):
        requests = accumulator.tool_requests_in(style)
        if requests:
            unstructure(assistant_tool_turn(accumulator.text, requests))  # as history does


@PURE
@given(value=retry_afters, attempt=st.integers(0, 2))
def test_any_retry_after_gives_a_finite_wait_of_at_most_sixty_seconds(
    value: str, attempt: int
) -> None:
    parsed = parse_retry_after(value, now=time.time())
    assert parsed is None or (math.isfinite(parsed) and parsed >= 0)

    wait = RetryPolicy().next_delay(attempt, status=429, retry_after=value)

    assert wait is not None and math.isfinite(wait) and 0 <= wait <= 60.0


# --- pure functions: extremes -------------------------------------------------------------


@pytest.mark.parametrize("status", [200, 500])
@pytest.mark.parametrize(
    "body",
    [
        b"x" * FIVE_MB,
        b"<html>" + b"a" * FIVE_MB + b"</html>",
        json.dumps({"message": "m" * FIVE_MB}).encode(),
        json.dumps({"success": True, "result": {"message": {"content": "c" * FIVE_MB}}}).encode(),
    ],
    ids=["bytes", "html", "json-error", "json-reply-without-role"],
)
def test_a_five_megabyte_answer_is_read_or_a_puter_error(status: int, body: bytes) -> None:
    try:
        read_as_the_client_does(response(status, body, "application/json"))
    except PuterError as error:
        assert len(str(error)) < 2 * FIVE_MB


@pytest.mark.parametrize("status", [200, 500])
@pytest.mark.parametrize(
    "body",
    [
        nested(DEEP),
        nested_object(DEEP),
        '{"success": false, "error": ' + nested_object(DEEP) + "}",
        '{"success": true, "result": {"message": {"role": "assistant", "content": '
        + nested(DEEP)
        + "}}}",
    ],
    ids=["array", "object", "legacy-error", "reply-content"],
)
def test_json_nested_a_hundred_thousand_deep_is_a_puter_error(status: int, body: str) -> None:
    with pytest.raises(PuterError):
        read_as_the_client_does(response(status, body.encode(), "application/json"))


@pytest.mark.parametrize(
    "line",
    [
        nested(DEEP),
        '{"type": "usage", "usage": ' + nested(DEEP) + "}",
        '{"type": "tool_use", "id": "1", "name": "f", "input": ' + nested_object(DEEP) + "}",
    ],
    ids=["array", "usage", "tool-input"],
)
def test_a_stream_line_nested_a_hundred_thousand_deep_is_a_puter_error(line: str) -> None:
    with pytest.raises(PuterError):
        StreamAccumulator().feed(line)


# --- through the emulator -----------------------------------------------------------------


@pytest.fixture
def unslept(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retry waits are skipped (a random ``Retry-After`` may ask for a minute)."""

    def sleep(seconds: float) -> None:
        assert 0 <= seconds <= 60

    clock = types.SimpleNamespace(sleep=sleep, perf_counter=time.perf_counter)
    monkeypatch.setattr(transport, "time", clock)


header_names = st.sampled_from(
    ["Retry-After", "Content-Encoding", "X-Needs-Upgrade", "Set-Cookie", "Location", "Vary"]
) | st.from_regex(r"X-[A-Za-z0-9-]{1,12}", fullmatch=True)
header_values = retry_afters | st.sampled_from(["gzip", "br", "deflate", "identity", "true"])


@WIRE
@given(
    status=statuses,
    body=bodies,
    content_type=content_types.filter(lambda t: t.strip() == t),
    headers=st.dictionaries(header_names, header_values.filter(lambda v: v.strip() == v)),
    stream=st.booleans(),
)
def test_any_answer_through_the_wire_ends_the_call_with_a_reply_or_a_puter_error(
    v2_emu: PuterEmulator,
    unslept: None,
    status: int,
    body: bytes,
    content_type: str,
    headers: dict[str, str],
    stream: bool,
) -> None:
    fault = Respond(status=status, body=body, headers=headers, content_type=content_type or None)
    v2_emu.inject(DRIVER_CALL, fault, times=None)
    with token_client(v2_emu, max_retries=1) as client:
        try:
            if stream:
                with client.chat_stream("Hello") as reply:
                    reply.until_done()
            else:
                client.chat("Hello")
        except PuterError:
            pass
        _ = client.chat_history
    v2_emu.clear_faults()


@pytest.mark.parametrize("status", [201, 206, 302])
async def test_a_stream_answered_with_another_success_status_is_a_puter_error(
    v2_emu: PuterEmulator, face: Face, status: int
) -> None:
    lines = b'{"type": "text", "text": "Hi"}\n{"type": "usage", "usage": {}}\n'
    v2_emu.inject(DRIVER_CALL, Respond(status=status, body=lines, content_type=NDJSON))

    async with token_client(v2_emu) as client:
        with pytest.raises(PuterError):
            await face.stream(client, "Hello", [])

        assert client.chat_history == []


async def test_a_five_megabyte_html_page_is_a_response_error(
    v2_emu: PuterEmulator, face: Face
) -> None:
    page = "<html><body>" + "a" * FIVE_MB + "</body></html>"
    v2_emu.inject(DRIVER_CALL, Respond(status=200, body=page, content_type="text/html"))

    async with token_client(v2_emu) as client:
        with pytest.raises(PuterResponseError):
            await face.chat(client, "Hello")

        assert client.chat_history == []


async def test_a_five_megabyte_error_body_is_retried_then_a_server_error(
    v2_emu: PuterEmulator, face: Face
) -> None:
    body = {"error": "e" * FIVE_MB, "code": "internal_error"}
    v2_emu.inject(DRIVER_CALL, status=502, body=body, times=None)

    async with token_client(v2_emu, max_retries=1) as client:
        with pytest.raises(PuterServerError) as caught:
            await face.chat(client, "Hello")

    assert caught.value.code == "internal_error"
    assert len(v2_emu.requests_to(DRIVER_CALL)) == 2


async def test_a_reply_nested_a_hundred_thousand_deep_is_a_response_error(
    v2_emu: PuterEmulator, face: Face
) -> None:
    v2_emu.inject(DRIVER_CALL, Respond(status=200, body=nested(DEEP).encode(), content_type=JSON))

    async with token_client(v2_emu) as client:
        with pytest.raises(PuterResponseError):
            await face.chat(client, "Hello")

        assert client.chat_history == []


async def test_a_stream_line_nested_a_hundred_thousand_deep_is_a_response_error(
    v2_emu: PuterEmulator, face: Face
) -> None:
    line = ('{"type": "usage", "usage": ' + nested(DEEP) + "}\n").encode()
    v2_emu.inject(DRIVER_CALL, Respond(status=200, body=line, content_type="application/x-ndjson"))

    async with token_client(v2_emu) as client:
        with pytest.raises(PuterResponseError):
            await face.stream(client, "Hello", [])

        assert client.chat_history == []


async def test_a_tool_call_nested_too_deep_to_write_back_never_breaks_the_client(
    v2_emu: PuterEmulator, face: Face
) -> None:
    # 400 levels parse as JSON, but writing them back (history, the next request) takes
    # several Python frames per level.
    reply = (
        '{"success": true, "result": {"message": {"role": "assistant", "content": '
        '[{"type": "tool_use", "id": "call_1", "name": "f", "input": '
        + nested_object(400)
        + "}]}}}"
    )
    v2_emu.inject(DRIVER_CALL, Respond(status=200, body=reply.encode(), content_type=JSON))

    async with token_client(v2_emu) as client:
        try:
            await face.chat(client, "Hello")
        except PuterError:
            assert client.chat_history == []
        assert isinstance(client.chat_history, list)
        with contextlib.suppress(PuterError):
            await face.chat(client, "Next")
