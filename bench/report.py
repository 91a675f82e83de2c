"""The results table and the description of the machine it was measured on."""

from __future__ import annotations

import datetime
import os
import platform
import statistics
import subprocess
from collections.abc import Sequence
from pathlib import Path

import attrs
import httpx

from bench.stats import spread

__all__ = ["COLUMNS", "Row", "format_table", "machine"]

COLUMNS = ("metric", "SDK", "raw/baseline", "ratio (median)", "spread", "target", "pass/fail")


@attrs.frozen
class Row:
    """One line of the table. ``ratios`` holds one ratio per repeat; lower is better."""

    metric: str
    sdk: str
    baseline: str
    ratios: Sequence[float]
    target: float | None = None

    @property
    def ratio(self) -> float:
        """The median ratio."""
        return statistics.median(self.ratios)

    def passed(self) -> bool | None:
        """Whether the median ratio meets the target; None without a target."""
        return None if self.target is None else self.ratio <= self.target

    def cells(self, *, judge: bool) -> tuple[str, ...]:
        """The cells of this row; ``judge`` False leaves pass/fail open (quick runs)."""
        verdict = self.passed()
        if verdict is None:
            outcome = "info"
        elif not judge:
            outcome = "- (quick)"
        else:
            outcome = "PASS" if verdict else "FAIL"
        target = "-" if self.target is None else f"<= {self.target:g}"
        return (
            self.metric,
            self.sdk,
            self.baseline,
            f"{self.ratio:.2f}",
            spread(self.ratios),
            target,
            outcome,
        )


def format_table(rows: Sequence[Row], *, judge: bool) -> str:
    """A Markdown table of ``rows``, its columns aligned."""
    lines = [COLUMNS, *(row.cells(judge=judge) for row in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]

    def render(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([render(lines[0]), rule, *(render(line) for line in lines[1:])])


def _cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.partition(":")[2].strip()
    return platform.processor() or "unknown CPU"


def _revision() -> str:
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty"], capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return done.stdout.strip() or "unknown"


def machine() -> list[str]:
    """Where and when: date, platform, CPU, cores, Python, httpx, revision, load."""
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 0
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    return [
        f"date: {now}",
        f"machine: {platform.platform()}; CPU: {_cpu_model()}; "
        f"cores: {os.cpu_count()} ({usable} usable)",
        f"python: {platform.python_implementation()} {platform.python_version()}; "
        f"httpx {httpx.__version__}; revision: {_revision()}",
        f"load average at start (1, 5, 15 min): {load}",
    ]
