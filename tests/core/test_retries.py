"""Point 8 (retries): ``max_retries`` more attempts after the first for what can succeed
later (connection failures, timeouts, 408, 429, 5xx), never for other 4xx; waits
grow by ``backoff_factor`` from ``retry_delay``, unless the server's ``Retry-After``
(seconds or an HTTP date) says otherwise."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import PuterAPIError, PuterAuthError, PuterServerError
from puter_client.emulator import Drop, PuterEmulator
from tests.support.emulated import ALICE, alice, chat_calls, inject_driver_error, reply
from tests.support.timing import CLOCK_EPSILON, SleepLog, WaitLog


def token_client(emu: PuterEmulator, **overrides: Any) -> PuterAI:
    """A client holding alice's token: no login, and a 401 is not answered by one.
    Retries wait 10 ms unless ``retry_delay`` is given."""
    options: dict[str, Any] = {"retry_delay": 0.01, **overrides}
    return PuterAI(token=emu.token_for(ALICE), **options)


def test_the_defaults_try_a_persistent_503_four_times(emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", status=503, times=None)

    with alice() as client, pytest.raises(PuterServerError) as caught:
        client.chat("Hello")

    assert client.config.max_retries == 3
    assert caught.value.status_code == 503
    assert [r.status for r in chat_calls(emu)] == [503] * 4


def test_a_persistent_server_error_of_either_generation_is_tried_four_times(
    emu: PuterEmulator,
) -> None:
    inject_driver_error(emu, 503, code="service_unavailable", message="Try later", times=None)

    with alice() as client, pytest.raises(PuterServerError):
        client.chat("Hello")

    assert len(chat_calls(emu)) == 4


async def test_async_chat_tries_a_persistent_503_four_times(emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", status=503, times=None)

    async with alice() as client:
        with pytest.raises(PuterServerError):
            await client.async_chat("Hello")

    assert len(chat_calls(emu)) == 4


@pytest.mark.parametrize("max_retries", [0, 1, 2, 5])
def test_max_retries_more_attempts_follow_the_first(
    v2_emu: PuterEmulator, max_retries: int
) -> None:
    v2_emu.inject("/drivers/call", status=503, times=None)

    with alice(max_retries=max_retries) as client, pytest.raises(PuterServerError):
        client.chat("Hello")

    assert len(chat_calls(v2_emu)) == max_retries + 1


def test_a_transient_failure_is_retried_until_the_call_succeeds(emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", status=503, times=2)

    with alice() as client:
        assert client.chat("Hello") == reply("Hello")

        assert len(client.chat_history) == 2
    assert [r.status for r in chat_calls(emu)][:3] == [503, 503, 200]


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_retryable_statuses_are_retried(emu: PuterEmulator, status: int) -> None:
    emu.inject("/drivers/call", status=status, times=None)

    with token_client(emu, max_retries=1) as client, pytest.raises(PuterAPIError) as caught:
        client.chat("Hello")

    assert caught.value.status_code == status
    assert len(chat_calls(emu)) == 2


@pytest.mark.parametrize("status", [400, 401, 402, 403, 404, 409, 413, 422])
def test_other_client_errors_are_never_retried(emu: PuterEmulator, status: int) -> None:
    emu.inject("/drivers/call", status=status, times=None)

    with token_client(emu) as client, pytest.raises((PuterAPIError, PuterAuthError)):
        client.chat("Hello")

    assert len(chat_calls(emu)) == 1


def test_a_dropped_connection_is_retried(emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", Drop())

    with token_client(emu) as client:
        assert client.chat("Hello") == reply("Hello")

    assert chat_calls(emu)[0].status is None


def test_a_timed_out_request_is_retried(emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", delay=2.0)

    with token_client(emu, timeout=0.2) as client:
        assert client.chat("Hello") == reply("Hello")

    assert len(chat_calls(emu)) >= 2


def test_a_server_error_on_the_model_list_is_retried(emu: PuterEmulator) -> None:
    emu.inject("/puterai/chat/models/details", status=502)

    with PuterAI(retry_delay=0.01) as client:
        assert client.available_models["gpt-4o"] == "openai-completion"

    assert len(emu.requests_to("/puterai/chat/models/details")) == 2


def test_waits_grow_from_retry_delay_by_backoff_factor(
    v2_emu: PuterEmulator, planned_waits: WaitLog, skipped_sleeps: SleepLog
) -> None:
    v2_emu.inject("/drivers/call", status=503, times=None)

    client = token_client(v2_emu, retry_delay=0.1, backoff_factor=2.0)
    with client, pytest.raises(PuterServerError):
        client.chat("Hello")

    # Each wait is the planned one, scaled down by at most 25% of jitter.
    for wait, planned in zip(planned_waits.waits, [0.1, 0.2, 0.4], strict=True):
        assert 0.75 * planned <= wait <= planned
    assert skipped_sleeps.waits == planned_waits.waits  # each planned wait went to the sleep


def test_retry_after_in_seconds_overrides_a_short_backoff(
    v2_emu: PuterEmulator, planned_waits: WaitLog, skipped_sleeps: SleepLog
) -> None:
    v2_emu.inject("/drivers/call", status=503, retry_after="1")

    with token_client(v2_emu) as client:
        assert client.chat("Hello") == reply("Hello")

    assert planned_waits.waits == [1.0]
    assert skipped_sleeps.waits == [1.0]


def test_retry_after_zero_overrides_a_long_backoff(
    v2_emu: PuterEmulator, planned_waits: WaitLog
) -> None:
    v2_emu.inject("/drivers/call", status=429, retry_after="0")

    with token_client(v2_emu, retry_delay=5.0) as client:
        assert client.chat("Hello") == reply("Hello")

    assert planned_waits.waits == [0.0]


def test_retry_after_as_an_http_date_is_honoured(
    v2_emu: PuterEmulator, planned_waits: WaitLog, skipped_sleeps: SleepLog
) -> None:
    in_thirty_seconds = datetime.now(timezone.utc) + timedelta(seconds=30)
    v2_emu.inject("/drivers/call", status=503, retry_after=in_thirty_seconds)

    with token_client(v2_emu) as client:
        assert client.chat("Hello") == reply("Hello")
        answered = datetime.now(timezone.utc)

    # The date has whole seconds: the wait reaches it from when the answer was read.
    [wait] = planned_waits.waits
    date = in_thirty_seconds.replace(microsecond=0)
    assert (date - answered).total_seconds() - CLOCK_EPSILON <= wait <= 30.0
    assert skipped_sleeps.waits == [wait]


def test_retry_after_as_a_past_http_date_means_retry_now(
    v2_emu: PuterEmulator, planned_waits: WaitLog
) -> None:
    an_hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)
    v2_emu.inject("/drivers/call", status=503, retry_after=an_hour_ago)

    with token_client(v2_emu, retry_delay=5.0) as client:
        assert client.chat("Hello") == reply("Hello")

    assert planned_waits.waits == [0.0]
