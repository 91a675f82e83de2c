"""``TokenUsage``: the token counts and cost of one reply, whatever the provider.

Servers report usage in several key sets: Claude-style ``input_tokens``/``output_tokens``
(with ``cache_read_input_tokens``) and ``usd_cents``, OpenAI-style ``prompt_tokens``/
``completion_tokens``/``total_tokens`` (with ``prompt_tokens_details.cached_tokens``), and
older (V1) servers a list of ``{"type", "model", "amount", "cost"}`` rows. One class reads
them all; what it does not know stays in ``raw``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

__all__ = ["TokenUsage"]

_INPUT_KEYS = ("input_tokens", "prompt_tokens")
_OUTPUT_KEYS = ("output_tokens", "completion_tokens")
_INPUT_ROWS = frozenset({"prompt", "input", "input_tokens", "prompt_tokens"})
_OUTPUT_ROWS = frozenset({"completion", "output", "output_tokens", "completion_tokens"})


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _first(data: Mapping[str, Any], keys: tuple[str, ...]) -> int | None:
    for key in keys:
        count = _count(data.get(key))
        if count is not None:
            return count
    return None


@attrs.frozen
class TokenUsage:
    """Token counts and cost of one reply (``None`` where the server did not say).

    Attributes:
        input_tokens: tokens read (``input_tokens``, ``prompt_tokens``, or V1 ``prompt`` rows).
        output_tokens: tokens written (``output_tokens``, ``completion_tokens``, or V1
            ``completion`` rows).
        total_tokens: ``total_tokens`` when sent, else input + output when both are known.
        cached_input_tokens: input tokens served from the provider's cache
            (``cache_read_input_tokens`` or ``prompt_tokens_details.cached_tokens``).
        cost_usd_cents: what the reply cost in US cents (``usd_cents``, or the sum of the V1
            rows' ``cost``); ``None`` for a free model or when not reported.
        raw: the usage exactly as the server sent it (a dict, or a V1 list of rows).
    """

    input_tokens: int | None = None
    output_tokens: int | None = None
    total_tokens: int | None = None
    cached_input_tokens: int | None = None
    cost_usd_cents: float | None = None
    raw: Any = attrs.field(default=None, repr=False, eq=False)

    @classmethod
    def of(cls, data: Any) -> TokenUsage | None:
        """The usage described by a reply's ``usage`` data; None for ``None``."""
        if data is None:
            return None
        if isinstance(data, Mapping):
            return cls._of_mapping(data)
        if isinstance(data, list):
            return cls._of_rows(data)
        return cls(raw=data)

    @classmethod
    def _of_mapping(cls, data: Mapping[str, Any]) -> TokenUsage:
        input_tokens = _first(data, _INPUT_KEYS)
        output_tokens = _first(data, _OUTPUT_KEYS)
        total = _count(data.get("total_tokens"))
        if total is None and input_tokens is not None and output_tokens is not None:
            total = input_tokens + output_tokens
        cached = _count(data.get("cache_read_input_tokens"))
        details = data.get("prompt_tokens_details")
        if cached is None and isinstance(details, Mapping):
            cached = _count(details.get("cached_tokens"))
        return cls(
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            total_tokens=total,
            cached_input_tokens=cached,
            cost_usd_cents=_number(data.get("usd_cents")),
            raw=data,
        )

    @classmethod
    def _of_rows(cls, rows: list[Any]) -> TokenUsage:
        inputs: list[int] = []
        outputs: list[int] = []
        costs: list[float] = []
        for row in rows:
            if not isinstance(row, Mapping):
                continue
            amount = _count(row.get("amount"))
            kind = row.get("type")
            if amount is not None and kind in _INPUT_ROWS:
                inputs.append(amount)
            elif amount is not None and kind in _OUTPUT_ROWS:
                outputs.append(amount)
            cost = _number(row.get("cost"))
            if cost is not None:
                costs.append(cost)
        input_tokens = sum(inputs) if inputs else None
        output_tokens = sum(outputs) if outputs else None
        total = (
            input_tokens + output_tokens
            if input_tokens is not None and output_tokens is not None
            else None
        )
        return cls(
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            total_tokens=total,
            cost_usd_cents=sum(costs) if costs else None,
            raw=rows,
        )
