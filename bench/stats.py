"""Timing and statistics: measure a block, interleave SDK and raw repeats, summarise ratios."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Sequence
from typing import NamedTuple

__all__ = ["Comparison", "Measure", "interleave", "measure", "spread"]


class Measure(NamedTuple):
    """One timed block: wall and process (CPU) seconds, and how many units it did."""

    wall: float
    cpu: float
    units: int

    def cpu_per_unit(self) -> float:
        """Process seconds per unit."""
        return self.cpu / self.units

    def total_wall(self) -> float:
        """Wall seconds of the whole block."""
        return self.wall


def measure(run: Callable[[], int]) -> Measure:
    """Time ``run`` (which returns how many units it did) after a full garbage collection."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    units = run()
    return Measure(time.perf_counter() - wall, time.process_time() - cpu, units)


def interleave(
    sdk: Callable[[], Measure], raw: Callable[[], Measure], repeats: int
) -> list[tuple[Measure, Measure]]:
    """Run ``sdk`` and ``raw`` alternately (A B A B ...), ``repeats`` pairs."""
    return [(sdk(), raw()) for _ in range(repeats)]


class Comparison(NamedTuple):
    """Paired values of the SDK and its baseline (lower is better), one pair per repeat."""

    sdk: list[float]
    raw: list[float]

    @classmethod
    def of(
        cls, pairs: Sequence[tuple[Measure, Measure]], value: Callable[[Measure], float]
    ) -> Comparison:
        """Read one value (``Measure.cpu_per_unit`` or ``Measure.total_wall``) of every pair."""
        return cls([value(s) for s, _ in pairs], [value(r) for _, r in pairs])

    @property
    def ratios(self) -> list[float]:
        """SDK / baseline, per pair."""
        return [s / r for s, r in zip(self.sdk, self.raw, strict=True)]

    @property
    def ratio(self) -> float:
        """The median of the per-pair ratios."""
        return statistics.median(self.ratios)


def spread(values: Sequence[float]) -> str:
    """``min-max`` of ``values`` (and the interquartile range when there are enough)."""
    low, high = min(values), max(values)
    text = f"{low:.2f}-{high:.2f}"
    if len(values) >= 4:
        q1, _, q3 = statistics.quantiles(values, n=4)
        text += f" (IQR {q1:.2f}-{q3:.2f})"
    return text
