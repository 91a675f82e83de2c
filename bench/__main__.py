"""``python -m bench``: run the benchmarks and print one table of SDK / baseline ratios.

``--quick`` runs every case with tiny sizes and judges nothing (the smoke run); ``--only``
picks cases; ``--profile CASE`` prints a cProfile of the SDK side of a case instead. A
full run exits with status 1 when a ratio misses its target.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

from bench.cases import CASES, FULL, QUICK, Bench, check_same_bodies, profile
from bench.report import Row, format_table, machine
from bench.server import ServerProcess

__all__ = ["main"]


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="tiny sizes, no thresholds")
    parser.add_argument(
        "--only",
        type=lambda text: text.split(","),
        default=list(CASES),
        help=f"comma-separated cases among {','.join(CASES)} (default: all)",
    )
    parser.add_argument(
        "--profile",
        choices=["sync", "async", "stream", "kv", "listdir"],
        help="profile the SDK side of a case",
    )
    args = parser.parse_args(argv)
    unknown = sorted(set(args.only) - set(CASES))
    if unknown:
        parser.error(f"unknown case(s): {', '.join(unknown)}")
    return args


def _progress(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    """Run, print the report; the exit status (1 when a full run misses a target)."""
    args = _parse(argv)
    sizes = QUICK if args.quick else FULL
    started = time.perf_counter()
    header = machine()
    rows: list[Row] = []
    with (
        tempfile.TemporaryDirectory(prefix="puter-bench-") as workdir,
        ServerProcess(stream_lines=sizes.stream_lines, audio_bytes=sizes.speech_bytes) as server,
    ):
        bench = Bench(server.url, sizes, Path(workdir))
        check_same_bodies(bench)
        if args.profile:
            print(profile(bench, args.profile))
            return 0
        for name in args.only:
            _progress(f"bench: {name}...")
            case_started = time.perf_counter()
            rows += CASES[name](bench)
            _progress(f"bench: {name} took {time.perf_counter() - case_started:.1f} s")
    mode = "quick (smoke run: tiny sizes, no thresholds)" if args.quick else "full"
    print(f"# puter-python-sdk benchmarks, {mode}")
    print()
    print("\n".join(f"- {line}" for line in header))
    print()
    print(format_table(rows, judge=not args.quick))
    print()
    stats = server.stats
    if stats.get("requests"):
        bench.notes.append(
            f"server (its own process, not in the client's CPU): {stats['requests']:,.0f} "
            f"requests, {stats['cpu'] * 1e6 / stats['requests']:.0f} us CPU each on average; "
            f"largest request body {stats['largest_body'] / 2**20:.1f} MB"
        )
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    bench.notes.append(f"load average at the end (1, 5, 15 min): {load}")
    for note in bench.notes:
        print(f"- {note}")
    print(f"- took {time.perf_counter() - started:.0f} s")
    missed = [row.metric for row in rows if row.passed() is False]
    if missed and not args.quick:
        print(f"- missed targets: {'; '.join(missed)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
