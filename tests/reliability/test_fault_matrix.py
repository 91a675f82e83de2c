"""The fault matrix: each way a call can fail, and what the client does about it.

Every row runs four times: blocking and async (``face``), against a current and an
older server (``emu``). Each asserts the outcome (the reply, or the exact error class
with its ``status_code`` and ``code``), the attempts the server saw, the waits between
them (from the emulator's request log), and ``chat_history``: unchanged after a failure,
two entries longer after a success.

Every client first completes one chat, so it is logged in, knows the server's generation
and has a pooled connection; ``Mark`` then separates what the faulted call caused.
"""

from __future__ import annotations

import logging
import math
import time
from datetime import datetime, timezone
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterAuthError,
    PuterBadRequestError,
    PuterConnectionError,
    PuterError,
    PuterRateLimitError,
    PuterResponseError,
    PuterServerError,
    PuterStreamError,
    PuterTimeoutError,
)
from puter_client.emulator import (
    Delay,
    Drop,
    HtmlPage,
    PuterEmulator,
    StreamError,
    StreamWithoutUsage,
    TruncatedJson,
    WrongShape,
    expected_reply,
)
from tests.support.timing import SleepLog, WaitLog

from .support import (
    ALICE,
    DRIVER_CALL,
    ERROR_CLASS,
    TOLERANCE,
    Face,
    Mark,
    assert_error,
    assert_waits,
    closed_port_url,
    gaps,
    inject_status,
    password_client,
    token_client,
    turn,
)

MODEL = "claude-opus-4"
PROMPT = "Hello"
#: The reply to PROMPT after the warm-up turn.
REPLY = expected_reply(PROMPT, MODEL, turns=2)

RETRYABLE = [408, 429, 500, 502, 503, 504]
FINAL = [400, 401, 402, 403, 404, 409, 413, 422]


async def warm_up(face: Face, client: PuterAI) -> list[dict[str, Any]]:
    """Complete one chat; the history it leaves (two entries)."""
    await face.chat(client, "Warm up")
    history = client.chat_history
    assert len(history) == 2
    return history


# --- HTTP statuses ------------------------------------------------------------------------


@pytest.mark.parametrize("status", RETRYABLE)
async def test_a_retryable_status_is_retried_with_growing_waits_then_raised(
    emu: PuterEmulator, face: Face, status: int, planned_waits: WaitLog
) -> None:
    async with token_client(emu, max_retries=2, retry_delay=0.04, backoff_factor=2.0) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        code = inject_status(emu, status, times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, ERROR_CLASS[status], status, code)
    assert len(mark.attempts()) == 3
    assert_waits(mark.attempts(), [0.04, 0.08], planned_waits)


@pytest.mark.parametrize("status", [429, 503])
async def test_a_retryable_status_that_clears_is_retried_to_success(
    emu: PuterEmulator, face: Face, status: int, planned_waits: WaitLog
) -> None:
    async with token_client(emu, max_retries=3) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        inject_status(emu, status, times=2)

        assert await face.chat(client, PROMPT) == REPLY

        assert client.chat_history == history + turn(PROMPT, REPLY)
    assert len(mark.attempts()) == 3
    assert_waits(mark.attempts(), [0.01, 0.02], planned_waits)


@pytest.mark.parametrize("status", FINAL)
async def test_a_client_error_is_raised_after_exactly_one_attempt(
    emu: PuterEmulator, face: Face, status: int
) -> None:
    async with token_client(emu, max_retries=3) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        code = inject_status(emu, status, times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, ERROR_CLASS[status], status, code)
    assert len(mark.attempts()) == 1


async def test_a_legacy_failure_given_as_a_plain_string_is_a_bad_request(
    emu: PuterEmulator, face: Face
) -> None:
    body = {"success": False, "error": "Something went wrong"}
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, status=200, body=body, times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, PuterBadRequestError, 400, None)
    assert "Something went wrong" in str(caught.value)
    assert len(mark.attempts()) == 1


# --- Retry-After ----------------------------------------------------------------------------
# A rate limiter in front of either server generation answers a real HTTP 429.


async def test_a_429_without_retry_after_waits_the_clients_own_backoff(
    emu: PuterEmulator, face: Face, planned_waits: WaitLog
) -> None:
    async with token_client(emu, retry_delay=0.2) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, status=429)

        assert await face.chat(client, PROMPT) == REPLY

        assert client.chat_history == history + turn(PROMPT, REPLY)
    assert [r.status for r in mark.attempts()] == [429, 200]
    assert_waits(mark.attempts(), [0.2], planned_waits)


@pytest.mark.parametrize(
    ("retry_after", "retry_delay", "wait"),
    [("0", 1.0, 0.0), ("1", 0.01, 1.0)],
    ids=["zero-beats-a-long-backoff", "one-beats-a-short-backoff"],
)
async def test_retry_after_in_seconds_sets_the_wait(
    emu: PuterEmulator,
    face: Face,
    retry_after: str,
    retry_delay: float,
    wait: float,
    planned_waits: WaitLog,
    skipped_sleeps: SleepLog,
) -> None:
    async with token_client(emu, retry_delay=retry_delay) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, status=429, retry_after=retry_after)

        assert await face.chat(client, PROMPT) == REPLY

        assert client.chat_history == history + turn(PROMPT, REPLY)
    assert planned_waits.waits == [wait]
    assert skipped_sleeps.waits == ([wait] if wait else [])  # a zero wait sleeps not at all
    assert [r.status for r in mark.attempts()] == [429, 200]


@pytest.mark.wallclock
async def test_a_retry_after_of_one_second_is_waited_for_real(v2_emu: PuterEmulator) -> None:
    # The rest of the matrix records the waits instead of sleeping them; this shows that a
    # planned wait is slept: the server sees the retry no sooner.
    async with token_client(v2_emu, retry_delay=0.01) as client:
        await client.async_chat("Warm up")
        mark = Mark(v2_emu)
        v2_emu.inject(DRIVER_CALL, status=429, retry_after="1")

        assert await client.async_chat(PROMPT) == REPLY
    [gap] = gaps(mark.attempts())
    assert gap >= 1.0 - TOLERANCE


async def test_retry_after_as_an_http_date_waits_until_that_date(
    emu: PuterEmulator, face: Face, planned_waits: WaitLog, skipped_sleeps: SleepLog
) -> None:
    when = math.ceil(time.time() + 30)  # HTTP dates have whole seconds
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, status=429, retry_after=datetime.fromtimestamp(when, timezone.utc))

        assert await face.chat(client, PROMPT) == REPLY
        answered = time.time()

        assert client.chat_history == history + turn(PROMPT, REPLY)
    first, second = mark.attempts()
    assert (first.status, second.status) == (429, 200)
    # The client planned to wake at the date: not later, and not sooner than it could
    # have read the answer; that wait, and only it, went to the sleep.
    [wait] = planned_waits.waits
    assert when - answered - TOLERANCE <= wait <= when - first.wall_time + TOLERANCE
    assert skipped_sleeps.waits == [wait]


@pytest.mark.wallclock
async def test_retry_after_as_an_http_date_is_waited_for_real(
    v2_emu: PuterEmulator, planned_waits: WaitLog
) -> None:
    async with token_client(v2_emu) as client:
        await client.async_chat("Warm up")
        mark = Mark(v2_emu)
        # The next whole second at least half a second away: a short real wait.
        when = math.ceil(time.time() + 0.5)
        v2_emu.inject(
            DRIVER_CALL, status=429, retry_after=datetime.fromtimestamp(when, timezone.utc)
        )

        assert await client.async_chat(PROMPT) == REPLY
    first, second = mark.attempts()
    [wait] = planned_waits.waits
    assert wait <= when - first.wall_time + TOLERANCE
    assert second.wall_time >= when - TOLERANCE


@pytest.mark.parametrize("retry_after", ["-5", "abc", "NaN", "1e3", "Someday, 99 Foo 2024"])
async def test_an_unusable_retry_after_falls_back_to_the_backoff(
    emu: PuterEmulator, face: Face, retry_after: str, planned_waits: WaitLog
) -> None:
    async with token_client(emu, retry_delay=0.1) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, status=429, retry_after=retry_after)

        assert await face.chat(client, PROMPT) == REPLY

        assert client.chat_history == history + turn(PROMPT, REPLY)
    assert_waits(mark.attempts(), [0.1], planned_waits)


@pytest.mark.parametrize("retry_after", ["99999999", "Fri, 31 Dec 9999 23:59:59 GMT"])
async def test_an_absurdly_long_retry_after_is_capped_at_sixty_seconds(
    emu: PuterEmulator, face: Face, retry_after: str, skipped_sleeps: SleepLog
) -> None:
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, status=429, retry_after=retry_after)

        assert await face.chat(client, PROMPT) == REPLY

        assert client.chat_history == history + turn(PROMPT, REPLY)
    assert skipped_sleeps.waits == [60.0]
    assert len(mark.attempts()) == 2


async def test_a_long_retry_after_with_no_retry_left_raises_at_once(
    emu: PuterEmulator, face: Face, planned_waits: WaitLog
) -> None:
    async with token_client(emu, max_retries=0) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, status=429, retry_after="99999999")

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert planned_waits.waits == []  # no wait: raised at once
        assert client.chat_history == history
    assert_error(caught.value, PuterRateLimitError, 429, "too_many_requests")
    assert len(mark.attempts()) == 1


# --- no answer at all ---------------------------------------------------------------------


async def test_a_refused_connection_is_retried_then_raised_as_a_connection_error(
    face: Face, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="puter")
    nowhere = closed_port_url()
    client = PuterAI(
        token="token",
        api_base=nowhere,
        login_url=f"{nowhere}/login",
        max_retries=2,
        retry_delay=0.04,
        backoff_factor=2.0,
    )
    async with client:
        started = time.monotonic()
        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)
        elapsed = time.monotonic() - started

        assert client.chat_history == []
    assert_error(caught.value, PuterConnectionError, None, None)
    # Nothing listens, so the attempts are counted by the client's debug log: one
    # "retrying" record after each failed attempt but the last.
    retries = [r for r in caplog.records if r.getMessage().startswith("retrying")]
    assert len(retries) == 2
    assert elapsed >= 0.75 * (0.04 + 0.08)


async def test_a_connection_dropped_before_the_answer_is_retried_to_success(
    emu: PuterEmulator, face: Face, planned_waits: WaitLog
) -> None:
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, Drop())

        assert await face.chat(client, PROMPT) == REPLY

        assert client.chat_history == history + turn(PROMPT, REPLY)
    assert [r.status for r in mark.attempts()] == [None, 200]
    assert_waits(mark.attempts(), [0.01], planned_waits)


async def test_a_connection_that_keeps_dropping_is_a_connection_error_after_every_retry(
    emu: PuterEmulator, face: Face, planned_waits: WaitLog
) -> None:
    async with token_client(emu, max_retries=2, retry_delay=0.04) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, Drop(), times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, PuterConnectionError, None, None)
    assert [r.status for r in mark.attempts()] == [None] * 3
    assert_waits(mark.attempts(), [0.04, 0.08], planned_waits)


async def test_a_connection_dropped_in_the_middle_of_the_body_is_retried_to_success(
    emu: PuterEmulator, face: Face, planned_waits: WaitLog
) -> None:
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, Drop(after_bytes=20))

        assert await face.chat(client, PROMPT) == REPLY

        assert client.chat_history == history + turn(PROMPT, REPLY)
    assert [r.status for r in mark.attempts()] == [200, 200]
    assert_waits(mark.attempts(), [0.01], planned_waits)


async def test_a_body_that_keeps_breaking_off_is_a_connection_error_after_every_retry(
    emu: PuterEmulator, face: Face, planned_waits: WaitLog
) -> None:
    async with token_client(emu, max_retries=2, retry_delay=0.04) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, Drop(after_bytes=20), times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, PuterConnectionError, None, None)
    assert len(mark.attempts()) == 3
    assert_waits(mark.attempts(), [0.04, 0.08], planned_waits)


async def test_an_answer_slower_than_the_timeout_is_retried_then_a_timeout_error(
    emu: PuterEmulator, face: Face
) -> None:
    async with token_client(emu, timeout=0.3, max_retries=1) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, Delay(seconds=2.0), times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, PuterTimeoutError, None, None)
    attempts = mark.attempts()
    assert len(attempts) == 2
    [gap] = gaps(attempts)
    assert gap >= 0.3 - TOLERANCE  # the first attempt waited out its timeout


async def test_one_slow_answer_is_retried_to_success(emu: PuterEmulator, face: Face) -> None:
    async with token_client(emu, timeout=0.3) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, Delay(seconds=2.0))

        assert await face.chat(client, PROMPT) == REPLY

        assert client.chat_history == history + turn(PROMPT, REPLY)
    assert len(mark.attempts()) == 2


# --- answers that break the protocol ------------------------------------------------------


async def test_truncated_json_is_a_response_error_and_is_not_retried(
    emu: PuterEmulator, face: Face
) -> None:
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, TruncatedJson(), times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, PuterResponseError, 200, None)
    assert "not valid JSON" in str(caught.value)
    assert len(mark.attempts()) == 1


async def test_an_html_page_with_status_200_is_a_response_error(
    emu: PuterEmulator, face: Face
) -> None:
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, HtmlPage(status=200), times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, PuterResponseError, 200, None)
    assert len(mark.attempts()) == 1


async def test_an_html_error_page_with_502_is_retried_then_a_server_error(
    emu: PuterEmulator, face: Face, planned_waits: WaitLog
) -> None:
    async with token_client(emu, max_retries=2, retry_delay=0.04) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, HtmlPage(status=502), times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, PuterServerError, 502, None)
    assert "not JSON" in str(caught.value)
    assert "<html>" not in str(caught.value)
    assert len(mark.attempts()) == 3
    assert_waits(mark.attempts(), [0.04, 0.08], planned_waits)


async def test_json_of_the_wrong_shape_is_a_response_error_naming_the_json_path(
    emu: PuterEmulator, face: Face
) -> None:
    body = {"success": True, "result": {"message": {"role": "assistant", "content": 42}}}
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, WrongShape(body=body), times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, PuterResponseError, 200, None)
    assert "$.result.message.content" in str(caught.value)
    assert len(mark.attempts()) == 1


async def test_json_that_is_not_an_object_is_a_response_error(
    emu: PuterEmulator, face: Face
) -> None:
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        emu.inject(DRIVER_CALL, WrongShape(), times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, PuterResponseError, 200, None)
    assert "expected a JSON object" in str(caught.value)


# --- streams ------------------------------------------------------------------------------


async def test_a_stream_that_ends_without_its_usage_line_raises_and_records_nothing(
    emu: PuterEmulator, face: Face
) -> None:
    deltas: list[str] = []
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, StreamWithoutUsage())

        with pytest.raises(PuterError) as caught:
            await face.stream(client, PROMPT, deltas)

        assert client.chat_history == history
    assert_error(caught.value, PuterStreamError, 200, "incomplete_stream")
    assert "".join(deltas) == REPLY  # the text came; only its end was not confirmed
    assert len(mark.attempts()) == 1


async def test_an_error_line_mid_stream_raises_after_the_deltas_before_it(
    emu: PuterEmulator, face: Face
) -> None:
    deltas: list[str] = []
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        # After a reasoning line and two text lines.
        emu.inject(DRIVER_CALL, StreamError("Upstream provider error", after_lines=3))

        with pytest.raises(PuterError) as caught:
            await face.stream(client, PROMPT, deltas)

        assert client.chat_history == history
    assert_error(caught.value, PuterStreamError, 200, None)
    assert "Upstream provider error" in str(caught.value)
    assert deltas == [REPLY[:12], REPLY[12:24]]  # the emulator streams 12 characters a line
    assert len(mark.attempts()) == 1


async def test_a_stream_cut_off_mid_body_is_a_connection_error_and_records_nothing(
    emu: PuterEmulator, face: Face
) -> None:
    deltas: list[str] = []
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        # The reasoning line (57 bytes), a text line (38 bytes), then 5 bytes of the next.
        emu.inject(DRIVER_CALL, Drop(after_bytes=100))

        with pytest.raises(PuterError) as caught:
            await face.stream(client, PROMPT, deltas)

        assert client.chat_history == history
    assert_error(caught.value, PuterConnectionError, None, None)
    assert deltas == [REPLY[:12]]  # what arrived whole was yielded; nothing is retried
    assert len(mark.attempts()) == 1


async def test_a_stream_refused_before_its_first_byte_is_retried_to_success(
    emu: PuterEmulator, face: Face, planned_waits: WaitLog
) -> None:
    deltas: list[str] = []
    async with token_client(emu) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, status=503)

        assert await face.stream(client, PROMPT, deltas) == REPLY

        assert client.chat_history == history + turn(PROMPT, REPLY)
    assert "".join(deltas) == REPLY
    assert [r.status for r in mark.attempts()] == [503, 200]
    assert_waits(mark.attempts(), [0.01], planned_waits)


# --- authentication -----------------------------------------------------------------------


async def test_a_401_cured_by_logging_in_again_costs_one_login_and_one_replay(
    emu: PuterEmulator, face: Face
) -> None:
    async with password_client(emu) as client:
        history = await warm_up(face, client)
        old_token = client.token
        mark = Mark(emu)
        emu.revoke_tokens(ALICE)

        assert await face.chat(client, PROMPT) == REPLY

        assert client.chat_history == history + turn(PROMPT, REPLY)
        assert client.token not in (None, old_token)
    refused, replayed = mark.attempts()
    [login] = mark.requests("/login")
    assert (refused.status, login.status, replayed.status) == (401, 200, 200)
    assert refused.seq < login.seq < replayed.seq


async def test_a_401_that_logging_in_again_does_not_cure_is_an_auth_error_without_a_loop(
    emu: PuterEmulator, face: Face
) -> None:
    async with password_client(emu, max_retries=3) as client:
        history = await warm_up(face, client)
        mark = Mark(emu)
        emu.inject(DRIVER_CALL, status=401, times=None)

        with pytest.raises(PuterError) as caught:
            await face.chat(client, PROMPT)

        assert client.chat_history == history
    assert_error(caught.value, PuterAuthError, 401, "unauthorized")
    refused, replayed = mark.attempts()
    [login] = mark.requests("/login")
    assert (refused.status, login.status, replayed.status) == (401, 200, 401)
    assert refused.seq < login.seq < replayed.seq
