"""Points 11 and 12: the scripts of ``examples/`` run as a user would run them, in their
own interpreter with ``PUTER_API_BASE``, ``PUTER_LOGIN_URL``, ``PUTER_USERNAME`` and
``PUTER_PASSWORD`` in the environment: ``python -m examples.demo`` (``make demo``)
against its own emulator, and each script against the shared emulator as an older (V1)
server. Their printed output is checked line by line."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from examples.batch import REVIEWS
from puter_client.emulator import PuterEmulator, default_models
from tests.support.emulated import ALICE, ALICE_PASSWORD, reply
from tests.support.once import once_per_run

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = (
    "basic_usage",
    "model_switching",
    "async_operations",
    "vision",
    "streaming",
    "tool_calls",
    "configuration",
    "error_handling",
    "rate_limiting",
    "storage",
    "media",
    "batch",
    "pandas_puter",
    "langchain_chain",
    "hosting",
    "workers",
)

#: The examples also run against a V1 server. What V1 changes (the chat driver's answers,
#: error bodies, login) is what these cover; the four written later for the integrations,
#: hosting and workers run once, against the current server, in ``make demo``'s run.
ALSO_ON_V1 = EXAMPLES[: EXAMPLES.index("pandas_puter")]
SECTION = re.compile(r"^=== examples/(\w+)\.py =+$")
#: Seconds each example may take on its own; the slowest (pandas_puter, which imports
#: pandas, pyarrow and Dask) needs about 6 on a quiet machine.
EXAMPLE_TIMEOUT = 20.0


def clean_environment() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("PUTER_")}


def run(
    args: list[str], env: dict[str, str], timeout: float = 120.0
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """``python -m examples.demo``, run once for the whole test run."""

    def run_demo() -> dict[str, Any]:
        done = run(["-m", "examples.demo"], clean_environment())
        return {"returncode": done.returncode, "stdout": done.stdout, "stderr": done.stderr}

    done = once_per_run(tmp_path_factory, "examples-demo", run_demo)
    return subprocess.CompletedProcess(
        ["examples.demo"], done["returncode"], done["stdout"], done["stderr"]
    )


def demo_sections(output: str) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in output.splitlines():
        match = SECTION.match(line)
        if match:
            current = sections.setdefault(match.group(1), [])
        elif line.startswith("--- ok in"):
            current = None
        elif current is not None and line.strip():
            current.append(line)
    return sections


@pytest.fixture(scope="module")
def legacy_outputs(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, list[str]]:
    """Each example of ``ALSO_ON_V1`` run on its own against the shared emulator as a V1
    server, once for the whole test run."""
    outputs: dict[str, list[str]] = once_per_run(
        tmp_path_factory, "examples-legacy", lambda: run_on_v1(request)
    )
    return outputs


def run_on_v1(request: pytest.FixtureRequest) -> dict[str, list[str]]:
    emulator_server: PuterEmulator = request.getfixturevalue("emulator_server")
    outputs: dict[str, list[str]] = {}
    for name in ALSO_ON_V1:
        emulator_server.reset(legacy=True)
        env = {
            **clean_environment(),
            **emulator_server.env(),
            "PUTER_USERNAME": ALICE,
            "PUTER_PASSWORD": ALICE_PASSWORD,
        }
        try:
            result = run(["-m", f"examples.{name}"], env, timeout=EXAMPLE_TIMEOUT)
        except subprocess.TimeoutExpired:
            # Reported by the example's own test, whose expected lines will not match.
            outputs[name] = [f"examples/{name}.py did not finish in {EXAMPLE_TIMEOUT} s"]
            continue
        assert result.returncode == 0, result.stderr
        outputs[name] = [line for line in result.stdout.splitlines() if line.strip()]
    return outputs


@pytest.fixture(params=["v2", "legacy"])
def output(
    request: pytest.FixtureRequest, demo: subprocess.CompletedProcess[str]
) -> Iterator[dict[str, list[str]]]:
    """The printed lines of every example, per server generation."""
    if request.param == "v2":
        yield demo_sections(demo.stdout)
    else:
        yield request.getfixturevalue("legacy_outputs")


@pytest.fixture
def current_output(demo: subprocess.CompletedProcess[str]) -> dict[str, list[str]]:
    """The printed lines of every example against the current server (``make demo``)."""
    return demo_sections(demo.stdout)


def test_make_demo_runs_every_example_against_the_emulator(
    demo: subprocess.CompletedProcess[str],
) -> None:
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert demo.stdout.splitlines()[0].startswith("Puter emulator: api_base=http://127.0.0.1:")
    assert set(demo_sections(demo.stdout)) == set(EXAMPLES)
    assert demo.stdout.rstrip().endswith("All examples ran against the emulator.")


def test_basic_usage_chats_and_keeps_the_conversation(output: dict[str, list[str]]) -> None:
    assert output["basic_usage"] == [
        reply("What is artificial intelligence?"),
        reply("Can you give me some tips for beginners?", turns=3),
        "History length: 6",
        "History length after clear_chat_history(): 0",
    ]


def test_model_switching_lists_models_and_asks_each(output: dict[str, list[str]]) -> None:
    # get_available_models() leaves out the internal test models, as puter.js does
    every_name = {name for model in default_models() if not model.hidden for name in model.names()}
    question = "Explain quantum computing in simple terms."
    lines = output["model_switching"]

    assert lines[:2] == ["Current model: claude-opus-4", f"Available models: {len(every_name)}"]
    assert all(line.startswith("  • ") and line[4:] in every_name for line in lines[2:7])
    assert lines[7:] == [
        "gpt-4 (openai-completion):",
        reply(question, "gpt-4") + "...",
        "claude-3.5-sonnet (claude):",
        reply(question, "claude-3.5-sonnet") + "...",
        "gemini-pro (gemini):",
        reply(question, "gemini-pro") + "...",
        "set_model('no-such-model') -> False",
        "Current model: gemini-pro",
    ]


def test_async_operations_answers_concurrent_questions(output: dict[str, list[str]]) -> None:
    questions = [
        "What is machine learning?",
        "What is deep learning?",
        "What is neural network?",
        "What is artificial intelligence?",
    ]
    expected: list[str] = []
    for question in questions:
        expected += [f"Q: {question}", f"A: {reply(question)[:100]}..."]

    assert output["async_operations"] == [*expected, "History length: 8"]


def test_vision_sends_images_and_content_parts(output: dict[str, list[str]]) -> None:
    lines = output["vision"]

    assert lines[:3] == [
        reply("List every ingredient you see in this dish", images=1),
        reply("Compare these two pictures", turns=2, images=2),
        reply("Transcribe this audio clip.", turns=3, audio=1),
    ]
    assert lines[3].startswith("Bad image refused before any request: images[0]: file not found")


def test_streaming_prints_the_streamed_replies(output: dict[str, list[str]]) -> None:
    lines = output["streaming"]

    assert f"Streamed: {reply('Tell me a short story about a lighthouse')}" in lines
    assert "History length: 2" in lines
    assert f"Async streamed: {reply('Say hello asynchronously')}" in lines


def test_tool_calls_run_a_tool_round_for_both_styles(output: dict[str, list[str]]) -> None:
    text = "\n".join(output["tool_calls"])

    assert text.count("get_weather") >= 2
    assert "gpt-4o: after the tool: Tool result:" in text
    assert "claude-opus-4: after the tool: Tool result:" in text


def test_configuration_shows_global_and_per_client_settings(
    output: dict[str, list[str]],
) -> None:
    lines = output["configuration"]

    assert lines[0].startswith("API Base: http://127.0.0.1:")
    assert lines[1:6] == [
        "Timeout: 30",
        "Max Retries: 3",
        "Client timeout (from config): 60",
        "Custom client timeout: 120, global: 60",
        "Custom PuterConfig timeout: 120",
    ]
    assert lines[6].startswith("Invalid value refused: invalid value for timeout")
    assert lines[7].startswith("Unknown option refused: unknown configuration option(s): tiemout")


def test_error_handling_shows_each_kind_of_failure(output: dict[str, list[str]]) -> None:
    lines = output["error_handling"]

    assert lines[0] == "Authentication failed: login failed: Incorrect password."
    assert lines[1].startswith("API call failed: 400 ")
    assert "no-such-model" in lines[1]
    assert lines[2].startswith("  status_code=400 code=")
    assert lines[3:] == [
        "History is untouched after the failure: 0 messages",
        "Nothing to send: nothing to send: give a prompt with some text, images or content_parts",
        reply("Hello!"),
    ]


def test_rate_limiting_throttles_the_requests(output: dict[str, list[str]]) -> None:
    pattern = re.compile(r"^\[\s*(\d+\.\d)s\] Response (\d): (.*)$")
    matches = [pattern.match(line) for line in output["rate_limiting"]]
    assert all(matches)
    rows = [(float(m.group(1)), int(m.group(2)), m.group(3)) for m in matches if m]

    assert [number for _, number, _ in rows] == list(range(1, 9))
    assert [text for _, _, text in rows] == [
        reply(f"Question {n}", turns=n)[:50] + "..." for n in range(1, 9)
    ]
    assert rows[-1][0] >= 1.9  # 5 requests per 2 s, the login included


def test_storage_uses_the_key_value_store_and_the_file_system(
    output: dict[str, list[str]],
) -> None:
    assert output["storage"] == [
        "profile: {'name': 'Ada', 'languages': ['en', 'fr'], 'admin': False}",
        "missing: None",
        "many: ['green', 3, None]",
        "visits: 6 then 5",
        "keys: ['storage-example:color', 'storage-example:profile', "
        "'storage-example:size', 'storage-example:visits']",
        "item: size = 3",
        "refused: value is 500,002 bytes as JSON; the limit is 408,576 bytes (399 KiB)",
        "async sets: [True, True, True]",
        "left after cleanup: []",
        "wrote /alice/sdk-example/notes/hello.txt (13 bytes)",
        "read back: Hello, Puter!",
        "bytes 7-11: b'Puter'",
        "downloaded 1048576 bytes, same as sent: True",
        "notes: ['greeting.txt', 'hello.txt']",
        "greeting says: Hello, Puter!",
        "shortcut to: /alice/sdk-example/notes/greeting.txt",
        "missing file: subject_does_not_exist",
        "still there after delete: False",
        "storage: 0 of 83049754624 bytes used",
        "signed URL reads: Q3: up 12%",
        "read URL reads: Q3: up 12%",
        "read URL after revoking it: 401",
        "shared with: []",
    ]


def test_media_makes_each_kind_of_file_and_reads_the_usage(output: dict[str, list[str]]) -> None:
    lines = output["media"]
    assert lines[0].startswith("image: image/png, ")
    assert lines[1] == "speech: audio/wav streamed to hi.wav"
    assert "ocr (test mode): test_mode is enabled; this is a sample OCR response." in lines
    assert any(line.startswith("video: video/mp4 at https://") for line in lines)
    assert "typed error: 400 bad_request: Model not found: no-such-model" in lines
    assert any(line.startswith("usage this month: $0.") for line in lines)


def test_batch_answers_each_item_in_order_and_records_the_failure(
    output: dict[str, list[str]],
) -> None:
    classify = [f"Classify as positive or negative: {review}" for review in REVIEWS]

    assert output["batch"] == [
        *(f"{n}: {reply(prompt, 'gpt-4o-mini')}" for n, prompt in enumerate(classify)),
        "bad-model: failed (400)",
        "async: 3 summaries",
        "History untouched: 0 messages",
    ]


def test_pandas_puter_round_trips_frames_through_puter_urls(
    current_output: dict[str, list[str]],
) -> None:
    assert current_output["pandas_puter"] == [
        "north.csv read back: {'region': ['north', 'north'], 'month': ['2026-01', '2026-02'], "
        "'amount': [120.0, 135.5]}",
        "parquet columns read back: ['region', 'amount'] rows: 6",
        "same amounts: True",
        "east.csv: file, 59 bytes",
        "north.csv: file, 60 bytes",
        "south.csv: file, 60 bytes",
        "bytes after the header: b'north,2026-01'",
        "csv files: ['east.csv', 'north.csv', 'south.csv']",
        "partitions: 3",
        "totals: {'east': 293.75, 'north': 255.5, 'south': 199.25}",
        "left after cleanup: False",
    ]


def test_langchain_chain_runs_a_chain_a_tool_round_a_stream_and_the_byte_store(
    current_output: dict[str, list[str]],
) -> None:
    lines = current_output["langchain_chain"]

    assert lines == [
        f"chain: {reply('Is it a good day for a walk?', 'gpt-4o-mini')}",
        "tool call: get_weather({'city': 'Paris'})",
        "answer: Tool result: 18 C and sunny in Paris",
        "tokens: 13 in, 8 out",
        lines[4],
        "store: [b'hello', b'\\x00\\x01\\x02', None]",
        "store keys: ['data', 'greeting']",
        "store keys after mdelete: []",
    ]
    streamed = re.fullmatch(r"streamed in (\d+) pieces: (.*)", lines[4])
    assert streamed is not None
    assert int(streamed.group(1)) > 1
    assert streamed.group(2) == reply("Will it rain?", "gpt-4o-mini")


def test_hosting_publishes_a_folder_and_serves_it(current_output: dict[str, list[str]]) -> None:
    lines = current_output["hosting"]

    assert lines[0] == "published: hosting-example from /alice/Sites/hosting-example"
    assert re.fullmatch(r"url: http://hosting-example\.site\.puter\.localhost:\d+/", lines[1])
    assert lines[2:] == [
        "served: 200 True",
        "stylesheet: h1 { color: teal }",
        "after republish: <h1>Version 2</h1>",
        "my sites: ['hosting-example']",
        "sites left: []",
    ]


def test_workers_deploys_execs_and_deletes_a_worker(current_output: dict[str, list[str]]) -> None:
    assert current_output["workers"] == [
        "deployed: True",
        "greet: 200 {'greeting': 'Hello, Ada!'}",
        "visits: 201 {'page': 'home', 'count': 2}",
        "the worker's kv is its own: True",
        "with the session: {'signed_in': True}",
        "without: {'signed_in': False}",
        "missing route: 404",
        "listed: ['workers-example'] file: /alice/Workers/workers-example.js",
        "workers left: []",
    ]
