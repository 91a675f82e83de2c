"""``rate_limits=``: what a client accepts, refuses before any request, and shows."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puter import PuterAI
from puter_client.core.ratelimit import SERVER_LIMITS, TIERED_LIMITS

GROUPS = sorted({"ai", *SERVER_LIMITS})


@given(
    group=st.sampled_from(GROUPS),
    requests=st.integers(1, 10_000),
    period=st.floats(0.001, 86_400.0),
    in_flight=st.none() | st.integers(1, 1_000),
)
def test_a_valid_setting_is_shown_as_given(
    group: str, requests: int, period: float, in_flight: int | None
) -> None:
    client = PuterAI(token="t", rate_limits={group: (requests, period, in_flight)})

    limits = client.rate_limits[group]
    assert (limits.requests, limits.period, limits.in_flight) == (requests, period, in_flight)
    assert limits.source == ("explicit" if group in TIERED_LIMITS or group == "ai" else "fixed")


@given(group=st.sampled_from(sorted(TIERED_LIMITS)), requests=st.integers(1, 10_000))
def test_a_two_item_setting_keeps_the_tiers_in_flight_cap(group: str, requests: int) -> None:
    client = PuterAI(token="t", rate_limits={group: (requests, 60.0)})

    assert client.rate_limits[group].in_flight == TIERED_LIMITS[group]["paid"].in_flight


@given(
    in_flight=st.integers(max_value=0)
    | st.booleans()
    | st.floats(allow_nan=True)
    | st.text(max_size=3)
)
def test_a_bad_in_flight_cap_is_refused(in_flight: Any) -> None:
    with pytest.raises(ValueError, match="in_flight"):
        PuterAI(token="t", rate_limits={"kv": (10, 1.0, in_flight)})


@pytest.mark.parametrize("setting", [10, "10/1", (10,), (10, 1.0, 2, 3), None])
def test_a_setting_of_the_wrong_shape_is_refused(setting: Any) -> None:
    with pytest.raises(TypeError, match=r"\(requests, seconds\)"):
        PuterAI(token="t", rate_limits={"kv": setting})


@pytest.mark.parametrize("setting", [(0, 1.0), (10, 0.0), (10, float("inf")), (True, 1.0)])
def test_a_bad_window_is_refused(setting: Any) -> None:
    with pytest.raises(ValueError):
        PuterAI(token="t", rate_limits={"fs.write": setting})


def test_an_unknown_group_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown rate-limit group.*fs\.write"):
        PuterAI(token="t", rate_limits={"fs.wrte": (1, 1.0)})
