"""Properties of the sliding window, for arbitrary arrival patterns on a fake clock."""

from __future__ import annotations

from bisect import bisect_left
from itertools import accumulate

from hypothesis import given
from hypothesis import strategies as st

from puter_client.core.ratelimit import SlidingWindow

limits = st.integers(1, 8)
periods = st.floats(0.001, 100.0, allow_nan=False)
# Gaps between arrivals: bursts (0), small and large gaps; the clock never goes back.
gaps = st.lists(
    st.one_of(st.just(0.0), st.floats(0.0, 200.0, allow_nan=False, allow_infinity=False)),
    min_size=1,
    max_size=60,
)


def starts_for(window: SlidingWindow, arrivals: list[float]) -> list[float]:
    return [window.reserve(now) for now in arrivals]


def most_starts_in_any_window(starts: list[float], period: float) -> int:
    """Largest number of starts in some [t, t + period); t can be taken at a start."""
    ordered = sorted(starts)
    return max(bisect_left(ordered, t + period) - i for i, t in enumerate(ordered))


@given(limits, periods, gaps)
def test_no_window_ever_holds_more_than_the_allowed_starts(
    requests: int, period: float, arrival_gaps: list[float]
) -> None:
    starts = starts_for(SlidingWindow(requests, period), list(accumulate(arrival_gaps)))
    assert most_starts_in_any_window(starts, period) <= requests


@given(limits, periods, st.lists(st.floats(0.0, 1000.0, allow_nan=False), min_size=1))
def test_the_window_holds_even_when_arrival_times_are_out_of_order(
    requests: int, period: float, arrivals: list[float]
) -> None:
    starts = starts_for(SlidingWindow(requests, period), arrivals)
    assert most_starts_in_any_window(starts, period) <= requests


@given(limits, periods, gaps)
def test_waits_are_never_negative_and_slots_are_handed_out_in_arrival_order(
    requests: int, period: float, arrival_gaps: list[float]
) -> None:
    arrivals = list(accumulate(arrival_gaps))
    starts = starts_for(SlidingWindow(requests, period), arrivals)
    assert all(start >= now for start, now in zip(starts, arrivals, strict=True))
    assert starts == sorted(starts)


@given(limits, periods, gaps)
def test_nobody_waits_while_the_window_has_room(
    requests: int, period: float, arrival_gaps: list[float]
) -> None:
    window = SlidingWindow(requests, period)
    starts: list[float] = []
    for now in accumulate(arrival_gaps):
        recent = [s for s in starts if s > now - period]
        start = window.reserve(now)
        if len(recent) < requests and all(s <= now for s in starts):
            assert start == now
        starts.append(start)
