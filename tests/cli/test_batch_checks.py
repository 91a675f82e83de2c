"""``puter batch`` checks, dry run and exit status: every bad line at once, empty and
non-string prompts refused before any request, the default model stated, a non-zero
status when an item failed, and no temporary path ever shown."""

from __future__ import annotations

import json
from pathlib import Path

from puter_client.core.credentials import SavedLogin
from puter_client.emulator import PuterEmulator

from .support import RunPuter, chat_calls

FAST = ("--rate", "1000/1")


def write(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_every_bad_line_is_reported_at_once(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write(
        tmp_path / "in.jsonl",
        [
            json.dumps({"id": 1, "prompt": "fine"}),
            "{not json",
            json.dumps({"id": 3, "prompt": ""}),
            json.dumps({"id": 4, "prompt": 42}),
            json.dumps({"id": 5, "messages": []}),
            json.dumps([1, 2]),
        ],
    )

    result = run_puter("batch", str(source), "-o", str(tmp_path / "out.jsonl"), "-m", "fake")

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert "5 bad lines" in line
    expected = [
        (2, "not JSON"),
        (3, "prompt is empty"),
        (4, "prompt must be a string"),
        (5, "messages must be a non-empty list"),
        (6, "a line must be a JSON object"),
    ]
    for number, what in expected:
        assert f"line {number}: {what}" in line
    assert chat_calls(emu) == []
    assert not (tmp_path / "out.jsonl").exists()


def test_a_bad_line_from_stdin_never_names_a_temporary_file(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    result = run_puter(
        "batch", "-", "-o", str(tmp_path / "out.jsonl"), "--format", "jsonl",
        stdin='{"prompt": ""}\n',
    )  # fmt: skip

    assert result.returncode == 1
    assert "standard input, 1 bad lines" in result.stderr or "standard input:" in result.stderr
    assert "/tmp" not in result.stderr and "puter-batch-" not in result.stderr


def test_an_empty_csv_prompt_is_refused_at_the_check(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write(tmp_path / "in.csv", ["id,prompt", "a,hello", "b,"])

    result = run_puter("batch", str(source), "-o", str(tmp_path / "out.jsonl"))

    assert result.returncode == 1
    assert "line 3: prompt is empty" in result.stderr
    assert chat_calls(emu) == []


def test_a_failed_item_makes_the_exit_status_3(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write(tmp_path / "in.txt", ["One", "Two"])
    emu.inject("/drivers/call", status=400, times=1)

    result = run_puter(
        "batch", str(source), "-o", str(tmp_path / "out.jsonl"), "-m", "fake", "-c", "1", *FAST
    )

    assert result.returncode == 3
    assert "1 answered, 1 failed" in result.stderr


def test_help_states_the_exit_statuses(run_puter: RunPuter) -> None:
    text = " ".join(run_puter("batch", "--help").stdout.split())

    assert "Exit status: 0 when every item was answered, 3 when" in text


def test_the_default_model_is_stated_before_the_run(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write(tmp_path / "in.txt", ["One"])

    result = run_puter("batch", str(source), "-o", str(tmp_path / "out.jsonl"), *FAST)

    first = result.stderr.splitlines()[0]
    assert "1 prompts to answer with claude-opus-4 (the default model" in first


def test_dry_run_prints_count_model_and_estimated_cost_and_spends_nothing(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write(tmp_path / "in.txt", ["x" * 400, "y" * 400])

    result = run_puter(
        "batch", str(source), "-o", str(tmp_path / "out.jsonl"), "-m", "gpt-4o-mini", "--dry-run"
    )

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "2 prompts; model gpt-4o-mini"
    # 200 input tokens at 15 cents/M + 512 output tokens at 60 cents/M
    expected = (200 * 15 + 512 * 60) / 1_000_000 / 100
    assert f"estimated cost: ${expected:.4f}" in lines[1]
    assert chat_calls(emu) == []
    assert not (tmp_path / "out.jsonl").exists() or (tmp_path / "out.jsonl").read_text() == ""


def test_dry_run_says_when_the_catalog_has_no_price(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write(tmp_path / "in.txt", ["hello"])

    result = run_puter("batch", str(source), "-o", str(tmp_path / "o.jsonl"), "-m", "no-such",
                       "--dry-run")  # fmt: skip

    assert "no price in the catalog for: no-such" in result.stdout
