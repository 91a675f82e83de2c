"""Properties of retry delays: bounded, non-negative, jitter within 25%, Retry-After wins."""

from __future__ import annotations

from datetime import datetime, timezone
from email.utils import format_datetime

from hypothesis import given
from hypothesis import strategies as st

from puter_client.core.retry import RetryPolicy, is_retryable_status

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc).timestamp()

policies = st.builds(
    RetryPolicy,
    max_retries=st.integers(0, 20),
    retry_delay=st.floats(0, 100, allow_nan=False),
    backoff_factor=st.floats(1, 100, allow_nan=False),
    max_delay=st.floats(0, 120, allow_nan=False),
    max_retry_after=st.floats(0, 600, allow_nan=False),
    random=st.floats(0, 1, exclude_max=True).map(lambda r: lambda: r),
    now=st.just(lambda: NOW),
)
attempts = st.integers(0, 10_000)
junk_headers = st.one_of(st.none(), st.text(max_size=40))


@given(policies, attempts, junk_headers)
def test_delays_are_never_negative_and_never_above_their_caps(
    policy: RetryPolicy, attempt: int, retry_after: str | None
) -> None:
    delay = policy.delay_for(attempt, retry_after)
    assert 0.0 <= delay <= max(policy.max_delay, policy.max_retry_after)


@given(policies, attempts)
def test_backoff_is_the_capped_exponential_scaled_down_by_at_most_a_quarter(
    policy: RetryPolicy, attempt: int
) -> None:
    try:
        nominal = min(policy.max_delay, policy.retry_delay * policy.backoff_factor**attempt)
    except OverflowError:
        nominal = policy.max_delay
    delay = policy.delay_for(attempt)
    assert nominal * 0.75 - 1e-9 <= delay <= nominal + 1e-9


@given(policies, attempts, st.integers(0, 10**6))
def test_integer_retry_after_is_obeyed_up_to_the_cap(
    policy: RetryPolicy, attempt: int, seconds: int
) -> None:
    assert policy.delay_for(attempt, str(seconds)) == min(seconds, policy.max_retry_after)


@given(policies, attempts, st.integers(1, 10**5))
def test_negative_retry_after_is_ignored(policy: RetryPolicy, attempt: int, seconds: int) -> None:
    assert policy.delay_for(attempt, f"-{seconds}") == policy.delay_for(attempt)


@given(policies, st.integers(0, 86_400))
def test_http_date_retry_after_is_obeyed_up_to_the_cap(policy: RetryPolicy, seconds: int) -> None:
    header = format_datetime(datetime.fromtimestamp(NOW + seconds, timezone.utc), usegmt=True)
    assert policy.delay_for(0, header) == min(float(seconds), policy.max_retry_after)


@given(policies, attempts, st.integers(100, 599))
def test_retries_stop_after_max_retries_and_only_for_retryable_statuses(
    policy: RetryPolicy, attempt: int, status: int
) -> None:
    expected = attempt < policy.max_retries and is_retryable_status(status)
    assert policy.should_retry(attempt, status=status) is expected


@given(st.integers(100, 599))
def test_only_408_429_and_5xx_are_retryable(status: int) -> None:
    assert is_retryable_status(status) is (status in (408, 429) or status >= 500)
