"""The files of ``puter batch``: shards partition any ids, OUTPUT cut at any byte is
repaired to its complete lines, result lines carry what the result holds."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from puter.exceptions import PuterRateLimitError
from puter.types import BatchResult
from puter_client.services.batch.batch import usage_cost_cents
from puter_client.services.batch.files import Journal, id_key, in_shard, result_line
from puter_client.services.chat.usage import TokenUsage

ids = st.one_of(st.text(max_size=20), st.integers(min_value=-(10**12), max_value=10**12))


@given(st.lists(ids, unique_by=id_key, max_size=60), st.integers(min_value=1, max_value=7))
def test_every_id_falls_in_exactly_one_shard(item_ids: list[Any], count: int) -> None:
    for item_id in item_ids:
        owners = [index for index in range(1, count + 1) if in_shard(item_id, index, count)]
        assert len(owners) == 1


def test_an_int_id_and_its_string_are_different_ids() -> None:
    assert id_key(1) != id_key("1")


def results(count: int) -> list[BatchResult]:
    return [
        BatchResult(
            index=n, id=f"id-{n}", text=f"answer {n} ü", usage=TokenUsage.of({"usd_cents": n})
        )
        for n in range(count)
    ]


@given(st.integers(min_value=1, max_value=8), st.data())
def test_output_cut_at_any_byte_keeps_exactly_its_complete_lines(
    count: int, data: st.DataObject
) -> None:
    lines = [result_line(result) for result in results(count)]
    whole = b"".join(lines)
    cut = data.draw(st.integers(min_value=0, max_value=len(whole)))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.jsonl"
        path.write_bytes(whole[:cut])

        journal = Journal.open(path, retry_failed=False)
        journal.close()

        kept = path.read_bytes()
    complete = [line for line in lines if whole.index(line) + len(line) <= cut]
    assert kept == b"".join(complete)
    assert journal.answered == {id_key(json.loads(line)["id"]) for line in complete}


def test_a_failed_result_line_names_the_error() -> None:
    error = PuterRateLimitError("Too many requests.", status_code=429, code="too_many_requests")

    line = json.loads(result_line(BatchResult(index=0, id=3, error=error)))

    assert line == {
        "id": 3,
        "text": None,
        "finish_reason": None,
        "usage": None,
        "error": {
            "type": "PuterRateLimitError",
            "status_code": 429,
            "code": "too_many_requests",
            "message": "Too many requests.",
        },
    }


@given(st.lists(st.floats(min_value=0, max_value=1e6), max_size=5))
def test_the_cost_of_older_usage_rows_is_their_sum(costs: list[float]) -> None:
    usage = [{"type": "prompt", "model": "m", "amount": 1, "cost": cost} for cost in costs]

    assert usage_cost_cents(usage) == (sum(costs) if costs else None)


def test_the_cost_of_current_usage_is_its_usd_cents() -> None:
    assert usage_cost_cents({"input_tokens": 3, "usd_cents": 0.25}) == 0.25
    assert usage_cost_cents({"input_tokens": 3, "usd_cents": None}) is None
    assert usage_cost_cents({"prompt_tokens": 3}) is None
