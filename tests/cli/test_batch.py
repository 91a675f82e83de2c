"""``puter batch``: every input format, the OUTPUT journal (resume, repair, retry of the
failed ones), shards, errors before any request, progress and Ctrl-C, and ``kill -9`` at
random moments followed by a resume."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from puter_client.core.credentials import SavedLogin
from puter_client.emulator import Delay, PuterEmulator, expected_reply

from .support import (
    MODEL,
    TIMEOUT,
    Processes,
    RunPuter,
    assert_one_line_error,
    chat_calls,
    read_to_end,
    start_on_terminal,
    start_puter,
)

#: No client-side pacing in these tests (the default is 10 calls a minute).
FAST = ("--rate", "10000/1")


def write_lines(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines))
    return path


def jsonl(path: Path, items: list[dict[str, Any]]) -> Path:
    return write_lines(path, [json.dumps(item) for item in items])


def output_lines(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def by_id(path: Path) -> dict[Any, dict[str, Any]]:
    return {line["id"]: line for line in output_lines(path)}


def batch(run_puter: RunPuter, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return run_puter("batch", *args, "--model", MODEL, *FAST, stdin=stdin)


def assert_only_a_summary(result: subprocess.CompletedProcess[str], status: int = 0) -> str:
    """The summary line; the stderr of a run with the default model also states it first."""
    assert result.returncode == status, result.stderr
    lines = result.stderr.splitlines()
    if len(lines) == 2:
        assert "(the default model; choose another with --model)" in lines[0]
        lines = lines[1:]
    [line] = lines
    assert line.startswith("puter batch: ")
    return line


# ------------------------------------------------------------------ input formats


def test_text_input_answers_each_line_with_its_line_number_as_id(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write_lines(tmp_path / "prompts.txt", ["First", "", "Third"])
    out = tmp_path / "out.jsonl"

    result = batch(run_puter, str(source), "-o", str(out))

    assert "2 answered, 0 failed" in assert_only_a_summary(result)
    assert output_lines(out) == [
        {
            "id": line,
            "text": expected_reply(prompt, MODEL),
            "finish_reason": "stop",
            "usage": {"prompt_tokens": 1, "completion_tokens": 7, "total_tokens": 8},
            "error": None,
        }
        for line, prompt in [(1, "First"), (3, "Third")]
    ]


def test_jsonl_input_takes_ids_prompts_messages_and_models(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = jsonl(
        tmp_path / "in.jsonl",
        [
            {"id": "a", "prompt": "Hi", "extra": "ignored"},
            {"id": 7, "messages": [{"role": "user", "content": "From messages"}]},
            {"prompt": "No id", "model": "claude-opus-4"},
        ],
    )
    out = tmp_path / "out.jsonl"

    assert_only_a_summary(batch(run_puter, str(source), "-o", str(out)))

    assert {key: line["text"] for key, line in by_id(out).items()} == {
        "a": expected_reply("Hi", MODEL),
        7: expected_reply("From messages", MODEL),
        3: expected_reply("No id", "claude-opus-4"),
    }


def test_csv_input_reads_the_prompt_and_id_columns(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text('id,prompt,other\nr1,"Hello, world",x\nr2,Second,y\n')
    out = tmp_path / "out.jsonl"

    assert_only_a_summary(batch(run_puter, str(source), "-o", str(out)))

    assert {key: line["text"] for key, line in by_id(out).items()} == {
        "r1": expected_reply("Hello, world", MODEL),
        "r2": expected_reply("Second", MODEL),
    }


def test_csv_input_without_an_id_column_uses_line_numbers(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = tmp_path / "in.csv"
    source.write_text("prompt\nOne\nTwo\n")
    out = tmp_path / "out.jsonl"

    assert_only_a_summary(batch(run_puter, str(source), "-o", str(out)))

    assert sorted(by_id(out)) == [2, 3]


def test_stdin_input_is_read_with_a_dash(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    out = tmp_path / "out.jsonl"

    result = batch(run_puter, "-", "-o", str(out), stdin='{"id": "x", "prompt": "Piped"}\n')

    assert_only_a_summary(result)
    assert by_id(out)["x"]["text"] == expected_reply("Piped", MODEL)


# ------------------------------------------------------------------ errors


def test_duplicate_ids_are_an_error_naming_the_lines_before_any_request(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = jsonl(
        tmp_path / "in.jsonl",
        [{"id": "a", "prompt": "1"}, {"id": "b", "prompt": "2"}, {"id": "a", "prompt": "3"}],
    )
    out = tmp_path / "out.jsonl"

    result = batch(run_puter, str(source), "-o", str(out))

    assert_one_line_error(result, "duplicate ids", '"a" on lines 1, 3')
    assert emu.requests == []
    assert not out.exists()


def test_jsonl_items_with_a_prompt_may_name_images_audio_videos_and_files(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    clip = tmp_path / "a.wav"
    clip.write_bytes(b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28))
    source = jsonl(
        tmp_path / "in.jsonl",
        [{"id": "hear", "prompt": "Hear", "audio": [str(clip)], "model": "fake"}],
    )
    out = tmp_path / "out.jsonl"

    assert_only_a_summary(batch(run_puter, str(source), "-o", str(out)))

    assert by_id(out)["hear"]["text"] == expected_reply("Hear", "fake", audio=1)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('{"prompt": "ok", "audio": "a.wav"}', "audio must be a list of strings"),
        ('{"prompt": "ok", "files": [1]}', "files must be a list of strings"),
        ('{"messages": [{"role": "user", "content": "Hi"}], "videos": ["v.mp4"]}',
         "videos go with a prompt, not with messages"),
    ],
    ids=["not-a-list", "not-strings", "with-messages"],
)  # fmt: skip
def test_media_that_cannot_go_with_an_item_is_an_error_naming_its_line(
    run_puter: RunPuter,
    emu: PuterEmulator,
    logged_in: SavedLogin,
    tmp_path: Path,
    line: str,
    problem: str,
) -> None:
    source = write_lines(tmp_path / "in.jsonl", ['{"prompt": "fine"}', line])

    result = batch(run_puter, str(source), "-o", str(tmp_path / "out.jsonl"))

    assert_one_line_error(result, "line 2", problem)
    assert emu.requests == []


def test_a_line_that_is_not_an_item_is_an_error_naming_it(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write_lines(tmp_path / "in.jsonl", ['{"prompt": "ok"}', '{"nothing": 1}'])

    result = batch(run_puter, str(source), "-o", str(tmp_path / "out.jsonl"))

    assert_one_line_error(result, "line 2", "exactly one of prompt and messages")
    assert emu.requests == []


def test_an_item_the_server_refuses_is_recorded_with_its_error(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = jsonl(
        tmp_path / "in.jsonl",
        [{"id": 1, "prompt": "Fine"}, {"id": 2, "prompt": "Bad", "model": "no-such-model"}],
    )
    out = tmp_path / "out.jsonl"

    summary = assert_only_a_summary(batch(run_puter, str(source), "-o", str(out)), status=3)

    assert "1 answered, 1 failed" in summary
    failed = by_id(out)[2]
    assert failed["text"] is None
    assert failed["error"]["type"] == "PuterBadRequestError"
    assert failed["error"]["status_code"] == 400
    assert "no-such-model" in failed["error"]["message"]
    assert set(failed["error"]) == {"type", "status_code", "code", "message"}


@pytest.mark.parametrize(
    ("option", "fragment"), [("--shard=3/2", "I must be between"), ("--rate=ten/1", "REQUESTS")]
)
def test_bad_options_are_usage_errors(
    run_puter: RunPuter, tmp_path: Path, option: str, fragment: str
) -> None:
    source = write_lines(tmp_path / "in.txt", ["Hi"])

    result = run_puter("batch", str(source), "-o", str(tmp_path / "out.jsonl"), option)

    assert_one_line_error(result, fragment, status=2)


# ------------------------------------------------------------------ resuming


def test_a_rerun_repairs_the_incomplete_last_line_and_answers_only_the_rest(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write_lines(tmp_path / "in.txt", [f"Prompt {n}" for n in range(1, 7)])
    out = tmp_path / "out.jsonl"
    assert_only_a_summary(batch(run_puter, str(source), "-o", str(out)))
    complete = out.read_bytes().splitlines(keepends=True)
    out.write_bytes(b"".join(complete[:3]) + complete[3][:25])  # killed while writing line 4
    before = len(chat_calls(emu))

    summary = assert_only_a_summary(batch(run_puter, str(source), "-o", str(out)))

    assert "3 answered" in summary and "3 already in OUTPUT" in summary
    assert sorted(Counter(line["id"] for line in output_lines(out)).items()) == [
        (n, 1) for n in range(1, 7)
    ]
    assert sorted(c.args["messages"][0]["content"] for c in chat_calls(emu)[before:]) == [
        f"Prompt {n}" for n in (4, 5, 6)
    ]


def test_failed_ids_are_skipped_on_a_rerun_unless_retry_failed(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write_lines(tmp_path / "in.txt", ["One", "Two"])
    out = tmp_path / "out.jsonl"
    emu.inject("/drivers/call", status=400, times=1)
    first = run_puter("batch", str(source), "-o", str(out), "-c", "1", *FAST)
    assert_only_a_summary(first, status=3)  # an item failed

    skipping = assert_only_a_summary(batch(run_puter, str(source), "-o", str(out)))
    retrying = assert_only_a_summary(
        batch(run_puter, str(source), "-o", str(out), "--retry-failed")
    )

    assert "0 answered" in skipping
    assert "1 answered, 0 failed, 1 already in OUTPUT" in retrying
    assert [line["error"] for line in output_lines(out)] == [None, None]
    assert sorted(by_id(out)) == [1, 2]


def test_shards_together_answer_every_id_exactly_once(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    source = write_lines(tmp_path / "in.txt", [f"Prompt {n}" for n in range(40)])
    outputs = [tmp_path / f"out{i}.jsonl" for i in (1, 2, 3)]

    for index, out in enumerate(outputs, start=1):
        assert_only_a_summary(batch(run_puter, str(source), "-o", str(out), f"--shard={index}/3"))

    ids = [line["id"] for out in outputs for line in output_lines(out)]
    assert sorted(ids) == list(range(1, 41))
    assert all(output_lines(out) for out in outputs)  # each shard got some
    assert len(chat_calls(emu)) == 40


# ------------------------------------------------------------------ progress, Ctrl-C, kill -9


def test_a_terminal_shows_a_progress_bar_and_the_summary(
    started: Processes, cli_env: dict[str, str], logged_in: SavedLogin, tmp_path: Path
) -> None:
    pytest.importorskip("tqdm")
    source = write_lines(tmp_path / "in.txt", ["One", "Two", "Three"])
    args = ["batch", str(source), "-o", str(tmp_path / "out.jsonl"), "-m", MODEL, *FAST]
    process, terminal = start_on_terminal(started, args, cli_env)
    try:
        screen = read_to_end(terminal).decode(errors="replace")
    finally:
        os.close(terminal)

    assert process.wait(timeout=TIMEOUT) == 0
    assert "3/3" in screen and "failed=0" in screen
    assert "puter batch: 3 answered, 0 failed" in screen


def test_ctrl_c_stops_cleanly_with_a_summary_and_status_130(
    started: Processes, cli_env: dict[str, str], emu: PuterEmulator, logged_in: SavedLogin,
    tmp_path: Path,
) -> None:  # fmt: skip
    emu.inject("/drivers/call", Delay(0.2), times=None)
    source = write_lines(tmp_path / "in.txt", [f"Prompt {n}" for n in range(200)])
    out = tmp_path / "out.jsonl"
    process = start_puter(
        started, ["batch", str(source), "-o", str(out), "-m", MODEL, *FAST], cli_env
    )
    wait_for_lines(out, 1)

    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=TIMEOUT)

    assert process.returncode == 130
    summary, interrupted = err.splitlines()
    assert summary.startswith("puter batch: ") and "interrupted; rerun to resume" in summary
    assert interrupted == "puter: error: interrupted"
    assert out.read_bytes().endswith(b"\n")
    assert all(line["error"] is None for line in output_lines(out))


def wait_for_lines(path: Path, count: int) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not (path.exists() and path.read_bytes().count(b"\n") >= count):
        assert time.monotonic() < deadline, f"{path} never had {count} lines"
        time.sleep(0.02)


def test_kill_9_at_random_moments_then_resume_answers_every_id_exactly_once(
    started: Processes, cli_env: dict[str, str], emu: PuterEmulator, logged_in: SavedLogin,
    tmp_path: Path,
) -> None:  # fmt: skip
    emu.inject("/drivers/call", Delay(0.02), times=None)  # a run takes a second or more
    total = 300
    prompts = [f"Prompt {n}" for n in range(total)]
    source = write_lines(tmp_path / "in.txt", prompts)
    out = tmp_path / "out.jsonl"
    args = ["batch", str(source), "-o", str(out), "-m", MODEL, "-c", "6", *FAST]
    chance = random.Random(12)
    lines_after_kills = []

    for _ in range(8):  # bounded: kills, each at a random point of a run's progress
        done = out.read_bytes().count(b"\n") if out.exists() else 0
        process = start_puter(started, args, cli_env)
        # Progress, not time, decides when: on a loaded machine start-up alone can take
        # seconds, and a kill before the first answer would show nothing.
        wait_for_lines(out, min(total - 1, done + chance.randint(1, 40)))
        time.sleep(chance.uniform(0.0, 0.1))
        process.kill()
        process.wait(timeout=TIMEOUT)
        lines_after_kills.append(out.read_bytes().count(b"\n") if out.exists() else 0)
        if process.returncode == 0:
            break
    final = start_puter(started, args, cli_env)
    _, err = final.communicate(timeout=TIMEOUT * 2)

    assert final.returncode == 0, err
    assert any(0 < count < total for count in lines_after_kills), lines_after_kills
    lines = output_lines(out)
    assert Counter(line["id"] for line in lines) == Counter(range(1, total + 1))
    assert all(line["text"] == expected_reply(prompts[line["id"] - 1], MODEL) for line in lines)
