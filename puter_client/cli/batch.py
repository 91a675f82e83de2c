"""``puter batch``: one completion per line of INPUT, answers appended to OUTPUT.

    puter batch INPUT -o OUTPUT [--model M] [--concurrency N] [--shard I/N]
                [--retry-failed] [--rate REQUESTS/SECONDS] [--format jsonl|csv|text]

INPUT is checked whole (format, duplicate ids) before any request; ``-`` reads standard
input (kept in a temporary file for that). OUTPUT is resumable: a rerun skips every id it
holds (failed ones too, unless ``--retry-failed``). On a terminal a progress bar shows
done/total, rate, ETA, failures, the cost so far and whether the client-side rate limit
is what paces the run (with tqdm installed: ``pip install 'puter-client[cli]'``); a
one-line summary ends every run, Ctrl-C included.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from puter_client.cli.main import EXIT_OK, CliError, _client
from puter_client.services.batch.files import (
    FORMATS,
    InputError,
    Journal,
    Record,
    detect_format,
    find_duplicates,
    id_key,
    in_shard,
    read_records,
    result_line,
)

if TYPE_CHECKING:
    from puter_client.ai import PuterAI
    from puter_client.services.batch.batch import BatchResult

#: ``client.batch``'s own default (``services.batch.batch.DEFAULT_CONCURRENCY``), repeated
#: here so that building the parser does not import the SDK.
DEFAULT_CONCURRENCY = 8

__all__ = ["add_commands"]

#: How many duplicate ids an error names before "and N more".
_SHOWN_DUPLICATES = 5
#: How many bad lines an error names before "and N more".
_SHOWN_PROBLEMS = 20
#: The exit status of a run that finished with failed items.
EXIT_ITEMS_FAILED = 3
#: Output tokens per reply the estimate of ``--dry-run`` assumes.
ASSUMED_REPLY_TOKENS = 256
#: Characters per input token the estimate of ``--dry-run`` assumes.
CHARACTERS_PER_TOKEN = 4


def add_commands(commands: Any) -> None:
    """Add ``puter batch`` to the subcommands."""
    batch = commands.add_parser(
        "batch",
        help="answer every prompt of a file, resumably",
        description=__doc__.split("\n\n")[0].replace("``", "") if __doc__ else None,
        epilog=(
            f"Exit status: {EXIT_OK} when every item was answered, {EXIT_ITEMS_FAILED} when "
            "the run finished but some items failed (their lines in OUTPUT hold the "
            "error; rerun with --retry-failed), 1 when the run could not start or "
            "stopped on an error, 2 for a usage error, 130 after Ctrl-C."
        ),
    )
    batch.add_argument("input", metavar="INPUT", help="JSONL, CSV or text file; - for stdin")
    batch.add_argument(
        "-o", "--output", required=True, metavar="OUTPUT", help="JSONL file of the answers"
    )
    batch.add_argument("--model", "-m", help="the model of items that name none")
    batch.add_argument(
        "--concurrency",
        "-c",
        type=int,
        default=DEFAULT_CONCURRENCY,
        metavar="N",
        help=f"calls in flight at once (default {DEFAULT_CONCURRENCY})",
    )
    batch.add_argument(
        "--shard", type=_shard, metavar="I/N", help="only shard I of N (1-based) of the ids"
    )
    batch.add_argument(
        "--retry-failed", action="store_true", help="call again for the ids that failed"
    )
    batch.add_argument(
        "--rate",
        type=_rate,
        metavar="REQUESTS/SECONDS",
        help="client-side limit (default: the configured one, 10/60 unless set)",
    )
    batch.add_argument("--format", choices=FORMATS, help="INPUT's format (default: guessed)")
    batch.add_argument(
        "--dry-run",
        action="store_true",
        help="check INPUT, then print the number of prompts, the model and the estimated "
        "cost from the catalog's prices, without answering anything",
    )
    batch.set_defaults(handler=_batch)


def _shard(text: str) -> tuple[int, int]:
    try:
        index, count = (int(part) for part in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not I/N: {text!r}") from None
    if not 1 <= index <= count:
        raise argparse.ArgumentTypeError(f"I must be between 1 and N: {text!r}")
    return index, count


def _rate(text: str) -> tuple[int, float]:
    try:
        requests, seconds = text.split("/")
        limit = int(requests), float(seconds)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not REQUESTS/SECONDS: {text!r}") from None
    if limit[0] < 1 or not 0 < limit[1] < float("inf"):
        raise argparse.ArgumentTypeError(f"needs REQUESTS >= 1 and SECONDS > 0: {text!r}")
    return limit


# ------------------------------------------------------------------ the command


def _batch(args: argparse.Namespace) -> int:
    label = "standard input" if args.input == "-" else args.input
    with _input_file(args.input) as path:
        fmt = args.format or detect_format(path)
        _check_input(path, fmt, label)
        journal = _open_journal(Path(args.output), args.retry_failed)
        try:
            todo = _todo(path, fmt, journal, args.shard)
            if args.dry_run:
                with _client(args, need_login=False) as client:
                    return _dry_run(client, args, path, fmt, journal)
            overrides: dict[str, Any] = {}
            if args.rate:
                overrides = {"rate_limit_requests": args.rate[0], "rate_limit_period": args.rate[1]}
            with _client(args, overrides=overrides) as client:
                if not args.model:  # say which model is spent on before spending
                    _announce(todo.total, client.current_model)
                return _run(client, args, todo, journal)
        finally:
            journal.close()


def _announce(total: int, model: str) -> None:
    """The line that states the default model before anything is spent on it."""
    print(
        f"puter batch: {total} prompts to answer with {model} (the default model; "
        "choose another with --model)",
        file=sys.stderr,
    )


def _dry_run(
    client: PuterAI, args: argparse.Namespace, path: Path, fmt: str, journal: Journal
) -> int:
    """Print what a run would do and cost; answer nothing."""
    default = args.model or client.current_model
    by_model: dict[str, list[int]] = {}
    for record in read_records(path, fmt):
        if args.shard is not None and not in_shard(record.id, *args.shard):
            continue
        if id_key(record.id) in journal.answered:
            continue
        model = record.item.get("model") or default
        counts = by_model.setdefault(model, [0, 0])
        counts[0] += 1
        counts[1] += _characters(record.item)
    total = sum(count for count, _ in by_model.values())
    how = "" if args.model else " (the default model; choose another with --model)"
    print(f"{total} prompts; model {default}{how}")
    catalog = client._session.run(client._catalogs.get())
    cents = 0.0
    unpriced: list[str] = []
    for model, (count, characters) in sorted(by_model.items()):
        price = catalog.price_of(model)
        if price is None:
            unpriced.append(model)
            continue
        tokens_in = characters / CHARACTERS_PER_TOKEN
        tokens_out = count * ASSUMED_REPLY_TOKENS
        cents += (tokens_in * price[0] + tokens_out * price[1]) / 1_000_000
        if model != default or len(by_model) > 1:
            print(f"  {model}: {count} prompts")
    print(
        f"estimated cost: ${cents / 100:.4f} (input ~{CHARACTERS_PER_TOKEN} characters a "
        f"token, {ASSUMED_REPLY_TOKENS} output tokens a reply, at the catalog's prices)"
    )
    if unpriced:
        print(f"no price in the catalog for: {', '.join(unpriced)} (not in the estimate)")
    return EXIT_OK


def _characters(item: dict[str, Any]) -> int:
    """The characters of an item's text (its prompt, or its messages' text)."""
    if isinstance(item.get("prompt"), str):
        return len(item["prompt"])
    total = 0
    for message in item.get("messages") or ():
        content = message.get("content") if isinstance(message, dict) else None
        if isinstance(content, str):
            total += len(content)
        elif isinstance(content, list):
            total += sum(
                len(part["text"])
                for part in content
                if isinstance(part, dict) and isinstance(part.get("text"), str)
            )
    return total


@contextlib.contextmanager
def _input_file(name: str) -> Iterator[Path]:
    """INPUT as a file that can be read twice (standard input is copied first)."""
    if name != "-":
        path = Path(name)
        if path.is_dir():
            raise CliError(f"{name}: is a folder; give a JSONL, CSV or text file of prompts")
        if not path.is_file():
            what = "not a regular file" if path.exists() else "no such file"
            raise CliError(f"{name}: {what} ({path.absolute()})")
        yield path
        return
    if sys.stdin is None:
        raise CliError("standard input is closed")
    with tempfile.TemporaryDirectory(prefix="puter-batch-") as folder:
        copy = Path(folder) / "stdin"
        with copy.open("wb") as target:
            shutil.copyfileobj(sys.stdin.buffer, target)
        yield copy


def _check_input(path: Path, fmt: str, label: str) -> None:
    """INPUT checked whole before any request: every bad line reported at once."""
    problems: list[str] = []
    try:
        count, duplicates = find_duplicates(read_records(path, fmt, name=label, problems=problems))
    except InputError as exc:
        raise CliError(str(exc)) from None
    if problems:
        shown = "; ".join(problems[:_SHOWN_PROBLEMS])
        more = len(problems) - _SHOWN_PROBLEMS
        tail = f"; and {more} more" if more > 0 else ""
        raise CliError(f"{label}: {len(problems)} bad lines: {shown}{tail}")
    if duplicates:
        shown = "; ".join(duplicates[:_SHOWN_DUPLICATES])
        more = len(duplicates) - _SHOWN_DUPLICATES
        tail = f"; and {more} more" if more > 0 else ""
        raise CliError(f"duplicate ids in the input: {shown}{tail}")
    if count == 0:
        raise CliError(f"{label}: no prompts in the input")


def _open_journal(path: Path, retry_failed: bool) -> Journal:
    try:
        return Journal.open(path, retry_failed=retry_failed)
    except InputError as exc:
        raise CliError(str(exc)) from None


@attrs.define
class _Todo:
    """What this run has to do: the records still to answer, and what it leaves out."""

    records: Iterator[Record]
    total: int
    skipped: int
    outside_shard: int


def _todo(path: Path, fmt: str, journal: Journal, shard: tuple[int, int] | None) -> _Todo:
    total = skipped = outside = 0
    for record in read_records(path, fmt):  # counted first, for the progress bar
        if shard is not None and not in_shard(record.id, *shard):
            outside += 1
        elif id_key(record.id) in journal.answered:
            skipped += 1
        else:
            total += 1

    def records() -> Iterator[Record]:
        for record in read_records(path, fmt):
            if shard is not None and not in_shard(record.id, *shard):
                continue
            if id_key(record.id) not in journal.answered:
                yield record

    return _Todo(records(), total, skipped, outside)


def _run(client: PuterAI, args: argparse.Namespace, todo: _Todo, journal: Journal) -> int:
    from puter_client.core.ratelimit import AI_LIMIT

    limiter = client._session.limiter(AI_LIMIT)  # to tell when it paces the run
    rate = f"{limiter.requests}/{limiter.period:g}s"
    progress = _Progress(todo.total, rate)
    results = client.batch(
        (record.item for record in todo.records),
        model=args.model,
        concurrency=args.concurrency,
    )
    try:
        for result in results:
            journal.append(result_line(result))
            progress.update(result, paced=limiter.pending_wait() > 0)
    except KeyboardInterrupt:
        _close(results)  # stops the calls in flight before the summary
        progress.finish(todo, interrupted=True)
        raise
    progress.finish(todo, interrupted=False)
    return EXIT_ITEMS_FAILED if progress.failed else EXIT_OK


def _close(results: Iterator[BatchResult]) -> None:
    close = getattr(results, "close", None)
    if close is not None:
        close()


# ------------------------------------------------------------------ progress


class _Progress:
    """The bar on a terminal (when tqdm is installed), and the summary line."""

    def __init__(self, total: int, rate: str) -> None:
        self.done = 0
        self.failed = 0
        self.cents = 0.0
        self.costed = False
        self._rate = rate
        self._started = time.monotonic()
        self._bar = _bar(total)

    def update(self, result: BatchResult, *, paced: bool) -> None:
        from puter_client.services.batch.batch import usage_cost_cents

        self.done += 1
        if result.error is not None:
            self.failed += 1
        cents = usage_cost_cents(result.usage)
        if cents is not None:
            self.cents += cents
            self.costed = True
        if self._bar is not None:
            note = f"failed={self.failed}"
            if self.costed:
                note += f", cost=${self.cents / 100:.4f}"
            if paced:
                note += f", paced by the client-side limit {self._rate} (--rate)"
            self._bar.set_postfix_str(note, refresh=False)
            self._bar.update(1)

    def finish(self, todo: _Todo, *, interrupted: bool) -> None:
        if self._bar is not None:
            self._bar.close()
        parts = [f"{self.done - self.failed} answered", f"{self.failed} failed"]
        if interrupted:
            parts.append(f"{todo.total - self.done} left (interrupted; rerun to resume)")
        if todo.skipped:
            parts.append(f"{todo.skipped} already in OUTPUT")
        if todo.outside_shard:
            parts.append(f"{todo.outside_shard} in other shards")
        summary = ", ".join(parts)
        if self.costed:
            summary += f"; cost ${self.cents / 100:.4f}"
        summary += f"; {time.monotonic() - self._started:.1f} s"
        if self.failed and not interrupted:
            summary += " (rerun with --retry-failed to try the failed ones again)"
        print(f"puter batch: {summary}", file=sys.stderr, flush=True)


def _bar(total: int) -> Any:
    """A tqdm bar on stderr when it is a terminal and tqdm is installed, else None."""
    if sys.stderr is None or not sys.stderr.isatty():
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    columns, lines = _terminal_size()
    return tqdm(
        total=total, unit="item", file=sys.stderr, ncols=columns, nrows=lines, smoothing=0.1
    )


def _terminal_size() -> tuple[int, int]:
    """The terminal's width and height; 100x24 where it says 0 (a fresh pseudo-terminal,
    on which tqdm would hide the bar)."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError):
        return 100, 24
    return size.columns or 100, size.lines or 24
