"""``TokenUsage``: one typed usage for every provider's key set, and the raw data kept."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from puter.types import TokenUsage

COUNTS = st.integers(min_value=0, max_value=10**9)


def test_claude_style_keys() -> None:
    raw = {"input_tokens": 3, "output_tokens": 5, "usd_cents": 0.25, "cache_read_input_tokens": 2}

    usage = TokenUsage.of(raw)

    assert usage == TokenUsage(
        input_tokens=3, output_tokens=5, total_tokens=8, cached_input_tokens=2, cost_usd_cents=0.25
    )
    assert usage is not None and usage.raw is raw


def test_openai_style_keys() -> None:
    raw = {
        "prompt_tokens": 12,
        "completion_tokens": 3,
        "total_tokens": 15,
        "prompt_tokens_details": {"cached_tokens": 4},
    }

    assert TokenUsage.of(raw) == TokenUsage(
        input_tokens=12, output_tokens=3, total_tokens=15, cached_input_tokens=4
    )


def test_the_v1_list_of_rows() -> None:
    raw = [
        {"type": "prompt", "model": "gpt-4o", "amount": 7, "cost": 0.5},
        {"type": "completion", "model": "gpt-4o", "amount": 2, "cost": 1.5},
    ]

    assert TokenUsage.of(raw) == TokenUsage(
        input_tokens=7, output_tokens=2, total_tokens=9, cost_usd_cents=2.0
    )


def test_a_free_model_has_no_cost() -> None:
    usage = TokenUsage.of({"input_tokens": 0, "output_tokens": 1, "usd_cents": None})

    assert usage is not None and usage.cost_usd_cents is None


def test_no_usage_is_none() -> None:
    assert TokenUsage.of(None) is None


@given(
    st.one_of(
        st.none(),
        st.booleans(),
        st.text(),
        st.floats(allow_nan=True),
        st.lists(st.dictionaries(st.text(), st.integers() | st.text() | st.none())),
        st.dictionaries(st.text(), st.integers() | st.text() | st.none() | st.booleans()),
    )
)
def test_any_shape_is_read_without_error_and_kept(data: Any) -> None:
    usage = TokenUsage.of(data)

    assert usage is None if data is None else usage is not None and usage.raw is data


@given(COUNTS, COUNTS)
def test_either_key_set_gives_the_same_counts(read: int, written: int) -> None:
    claude = TokenUsage.of({"input_tokens": read, "output_tokens": written})
    openai = TokenUsage.of({"prompt_tokens": read, "completion_tokens": written})

    assert claude == openai
    assert claude is not None and claude.total_tokens == read + written


def test_booleans_are_not_counts() -> None:
    usage = TokenUsage.of({"input_tokens": True, "output_tokens": False})

    assert usage == TokenUsage()
