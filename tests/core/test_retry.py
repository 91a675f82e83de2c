"""RetryPolicy: which failures are retried, how many times, and how long to wait."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from puter_client.core.configuration import PuterConfig
from puter_client.core.retry import (
    FailureKind,
    RetryClass,
    RetryPolicy,
    classify_exception,
    is_retryable_status,
    parse_retry_after,
)

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc).timestamp()


def no_jitter_policy(**kwargs: Any) -> RetryPolicy:
    """A policy whose random source always returns 0, i.e. no jitter."""
    return RetryPolicy(random=lambda: 0.0, now=lambda: NOW, **kwargs)


# --- statuses -------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 429, 500, 501, 502, 503, 504, 599])
def test_transient_statuses_are_retryable(status: int) -> None:
    assert is_retryable_status(status)


@pytest.mark.parametrize(
    "status", [200, 204, 301, 400, 401, 402, 403, 404, 405, 409, 410, 413, 422, 451]
)
def test_final_statuses_are_not_retryable(status: int) -> None:
    assert not is_retryable_status(status)


def test_policy_method_agrees_with_the_function() -> None:
    policy = RetryPolicy()
    assert policy.is_retryable_status(503)
    assert not policy.is_retryable_status(401)


# --- retry classes --------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_an_idempotent_operation_retries_every_transient_status(status: int) -> None:
    assert RetryClass.IDEMPOTENT.allows_status(status)


@pytest.mark.parametrize(
    ("status", "allowed"),
    [(429, True), (503, True), (408, False), (500, False), (502, False), (504, False)],
)
def test_an_unsafe_operation_retries_only_statuses_that_prove_nothing_was_done(
    status: int, allowed: bool
) -> None:
    assert RetryClass.UNSAFE.allows_status(status) is allowed


@pytest.mark.parametrize(
    ("status", "allowed"), [(408, False), (429, False), (500, True), (503, True)]
)
def test_a_login_retries_server_errors_but_never_a_client_error(status: int, allowed: bool) -> None:
    assert RetryClass.LOGIN.allows_status(status) is allowed


@pytest.mark.parametrize("kind", [FailureKind.CONNECT, FailureKind.TIMEOUT, FailureKind.DISCONNECT])
def test_an_idempotent_operation_retries_any_failure_without_an_answer(kind: FailureKind) -> None:
    assert RetryClass.IDEMPOTENT.allows_failure(kind)
    assert RetryClass.LOGIN.allows_failure(kind)


@pytest.mark.parametrize(
    ("kind", "allowed"),
    [(FailureKind.CONNECT, True), (FailureKind.TIMEOUT, False), (FailureKind.DISCONNECT, False)],
)
def test_an_unsafe_operation_retries_a_failure_only_when_no_connection_was_made(
    kind: FailureKind, allowed: bool
) -> None:
    assert RetryClass.UNSAFE.allows_failure(kind) is allowed


# --- attempt counting -----------------------------------------------------------------


def test_three_max_retries_allow_four_attempts_in_total() -> None:
    policy = RetryPolicy(max_retries=3)
    decisions = [policy.should_retry(attempt, status=503) for attempt in range(5)]
    assert decisions == [True, True, True, False, False]
    assert policy.max_attempts == 4


def test_zero_max_retries_means_a_single_attempt() -> None:
    assert not RetryPolicy(max_retries=0).should_retry(0, status=503)


def test_a_final_status_is_never_retried() -> None:
    assert not RetryPolicy().should_retry(0, status=404)


def test_a_retryable_exception_kind_is_retried() -> None:
    assert RetryPolicy().should_retry(0, exception_kind=FailureKind.DISCONNECT)


def test_an_unretryable_exception_kind_is_not_retried() -> None:
    assert not RetryPolicy().should_retry(0, exception_kind=FailureKind.OTHER)


def test_no_failure_means_no_retry() -> None:
    assert not RetryPolicy().should_retry(0)


def test_next_delay_is_none_when_giving_up() -> None:
    policy = no_jitter_policy()
    assert policy.next_delay(0, status=400) is None
    assert policy.next_delay(3, status=503) is None


def test_next_delay_is_the_wait_when_retrying() -> None:
    policy = no_jitter_policy()
    assert policy.next_delay(1, exception_kind=FailureKind.TIMEOUT) == 2.0
    assert policy.next_delay(0, status=503, retry_after="5") == 5.0


# --- backoff --------------------------------------------------------------------------


def test_delays_follow_the_documented_exponential_backoff() -> None:
    policy = no_jitter_policy()
    assert [policy.delay_for(n) for n in range(4)] == [1.0, 2.0, 4.0, 8.0]


def test_delays_are_capped() -> None:
    policy = no_jitter_policy(max_delay=5.0)
    assert policy.delay_for(10) == 5.0


def test_huge_attempt_numbers_do_not_overflow() -> None:
    assert no_jitter_policy().delay_for(100_000) == 30.0


def test_jitter_scales_the_delay_down_by_at_most_a_quarter() -> None:
    almost_one = 0.999999
    policy = RetryPolicy(random=lambda: almost_one)
    assert 0.75 < policy.delay_for(0) <= 1.0
    assert policy.delay_for(0) == pytest.approx(0.75, abs=1e-5)


def test_zero_retry_delay_means_immediate_retries() -> None:
    assert RetryPolicy(retry_delay=0.0).delay_for(3) == 0.0


def test_from_config_uses_the_config_values() -> None:
    cfg = PuterConfig(environ={}, max_retries=5, retry_delay=0.5, backoff_factor=3)
    policy = RetryPolicy.from_config(cfg, random=lambda: 0.0)
    assert policy.max_retries == 5
    assert [policy.delay_for(n) for n in range(3)] == [0.5, 1.5, 4.5]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_retries": -1},
        {"retry_delay": -1.0},
        {"backoff_factor": 0.5},
        {"max_delay": float("inf")},
        {"jitter": 1.5},
    ],
)
def test_invalid_policy_parameters_are_rejected(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        RetryPolicy(**kwargs)


# --- Retry-After ----------------------------------------------------------------------


def test_retry_after_seconds_win_over_backoff() -> None:
    assert no_jitter_policy().delay_for(0, "7") == 7.0


def test_retry_after_is_not_jittered() -> None:
    assert RetryPolicy(random=lambda: 0.9).delay_for(0, "4") == 4.0


def test_fractional_retry_after_is_accepted() -> None:
    assert no_jitter_policy().delay_for(0, " 1.5 ") == 1.5


def test_retry_after_zero_means_retry_now() -> None:
    assert no_jitter_policy().delay_for(2, "0") == 0.0


def test_retry_after_http_date_is_relative_to_now() -> None:
    in_ten_seconds = format_datetime(datetime.fromtimestamp(NOW + 10, timezone.utc), usegmt=True)
    assert no_jitter_policy().delay_for(0, in_ten_seconds) == 10.0


def test_retry_after_http_date_in_the_past_means_retry_now() -> None:
    assert no_jitter_policy().delay_for(0, "Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


@pytest.mark.parametrize("header", ["-5", "soon", "", "5 seconds", "1e3", "nan", "inf"])
def test_unusable_retry_after_falls_back_to_backoff(header: str) -> None:
    assert no_jitter_policy().delay_for(1, header) == 2.0


def test_absurd_retry_after_is_capped() -> None:
    assert no_jitter_policy(max_retry_after=60.0).delay_for(0, "86400") == 60.0


def test_parse_retry_after_treats_an_unzoned_date_as_utc() -> None:
    header = format_datetime(datetime.fromtimestamp(NOW + 3, timezone.utc)).replace(
        "+0000", "-0000"
    )
    assert parse_retry_after(header, now=NOW) == 3.0


def test_parse_retry_after_without_a_header_is_none() -> None:
    assert parse_retry_after(None, now=NOW) is None


# --- exception classification ---------------------------------------------------------

REQUEST = httpx.Request("POST", "https://api.puter.com/drivers/call")


@pytest.mark.parametrize(
    ("exc", "kind"),
    [
        (httpx.ConnectError("refused", request=REQUEST), FailureKind.CONNECT),
        (httpx.ConnectTimeout("slow", request=REQUEST), FailureKind.TIMEOUT),
        (httpx.ReadTimeout("slow", request=REQUEST), FailureKind.TIMEOUT),
        (httpx.WriteTimeout("slow", request=REQUEST), FailureKind.TIMEOUT),
        (httpx.PoolTimeout("busy", request=REQUEST), FailureKind.TIMEOUT),
        (httpx.ReadError("reset", request=REQUEST), FailureKind.DISCONNECT),
        (httpx.WriteError("broken pipe", request=REQUEST), FailureKind.DISCONNECT),
        (
            httpx.RemoteProtocolError(
                "Server disconnected without sending a response.", request=REQUEST
            ),
            FailureKind.DISCONNECT,
        ),
        (TimeoutError(), FailureKind.TIMEOUT),
        (asyncio.TimeoutError(), FailureKind.TIMEOUT),
        (ConnectionRefusedError(), FailureKind.CONNECT),
        (ConnectionResetError(), FailureKind.DISCONNECT),
    ],
)
def test_transient_transport_failures_are_classified_as_retryable(
    exc: BaseException, kind: FailureKind
) -> None:
    assert classify_exception(exc) is kind
    assert kind.retryable


@pytest.mark.parametrize(
    "exc",
    [
        httpx.UnsupportedProtocol("ftp", request=REQUEST),
        httpx.LocalProtocolError("bad header", request=REQUEST),
        httpx.ProxyError("407", request=REQUEST),
        httpx.DecodingError("gzip", request=REQUEST),
        httpx.TooManyRedirects("loop", request=REQUEST),
        httpx.InvalidURL("bad"),
        ValueError("bug"),
        KeyboardInterrupt(),
    ],
)
def test_permanent_failures_are_classified_as_other(exc: BaseException) -> None:
    assert classify_exception(exc) is FailureKind.OTHER
    assert not FailureKind.OTHER.retryable
