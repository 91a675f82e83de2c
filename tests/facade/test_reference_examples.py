"""Every code block of the API reference (``docs/API_REFERENCE.md``), executed against the
emulator with its printed output checked.

The blocks are read from the reference itself, so the tests follow it as it changes. The
reference's placeholders are mapped to the emulator, and nothing else is changed:

- ``your_username``/``your_password`` is an emulator account as written.
- ``"user"``/``"pass"``: Puter refuses passwords shorter than six characters before it
  even looks the account up (the emulator too: 400 "Invalid password."), so the blocks
  run with ``password="pass"`` read as ``password="user-password"``, the password of the
  emulator account ``user``. ``test_the_placeholder_password_pass_is_refused_by_puter``
  shows why.
- ``"your_existing_token"`` is a real token of ``your_username``.
- ``/tmp/dinner.jpg`` and ``/tmp/report.png`` are real image files in a temporary folder.
- the rate-limiting block runs with ``rate_limit_period=0.5`` instead of ``10``, so that
  its eleven requests take one second rather than twenty.

``puter.config`` points at the emulator (the ``emu`` fixture) and is restored after each
test, so blocks that change it globally do not leak. Blocks that use ``PuterAI`` without
importing it find it imported, as the reference's first examples do.
"""

from __future__ import annotations

import inspect
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from puter import PuterAI, PuterConfig, config
from puter.exceptions import PuterAuthError
from puter_client.emulator import PuterEmulator
from tests.support.emulated import (
    PNG_1X1,
    catalog_names,
    chat_calls,
    last_user_content,
    reply,
)
from tests.support.timing import SlotLog, assert_no_arrival_before_its_slot, most_in_a_window

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "API_REFERENCE.md"

USER, USER_PASSWORD = "user", "user-password"
YOUR_USERNAME, YOUR_PASSWORD = "your_username", "your_password"
_FENCE = re.compile(r"^```(\w*)\s*$")
_HEADING = re.compile(r"^(#+)\s+(.*?)\s*$")


def reference_blocks() -> list[tuple[str, str, str]]:
    """``(heading, language, code)`` of every fenced block, in order."""
    blocks: list[tuple[str, str, str]] = []
    heading = ""
    language: str | None = None
    lines: list[str] = []
    for line in REFERENCE.read_text(encoding="utf-8").splitlines():
        fence = _FENCE.match(line)
        if language is None and fence:
            language, lines = fence.group(1), []
        elif language is not None and line.strip() == "```":
            blocks.append((heading, language, "\n".join(lines) + "\n"))
            language = None
        elif language is not None:
            lines.append(line)
        elif match := _HEADING.match(line):
            heading = match.group(2)
    return blocks


def reference_code(heading: str, *, nth: int = 0, language: str = "python") -> str:
    """The ``nth`` block of ``language`` under ``heading`` (exact, else a unique prefix)."""
    blocks = reference_blocks()
    headings = {h for h, _, _ in blocks}
    chosen = heading if heading in headings else None
    if chosen is None:
        candidates = [h for h in headings if h.startswith(heading)]
        assert len(candidates) == 1, f"no single heading starts with {heading!r}: {candidates}"
        chosen = candidates[0]
    codes = [code for h, lang, code in blocks if h == chosen and lang == language]
    return codes[nth]


def replaced(code: str, replacements: dict[str, str]) -> str:
    for old, new in replacements.items():
        assert old in code, f"the reference no longer contains {old!r}"
        code = code.replace(old, new)
    return code.replace('password="pass"', f'password="{USER_PASSWORD}"')


def exported_variables(code: str) -> dict[str, str]:
    """``NAME=value`` of the ``export NAME="value"`` lines of a shell block."""
    found = re.findall(r'^export (\w+)="([^"]*)"$', code, flags=re.MULTILINE)
    assert found
    return dict(found)


Run = Callable[..., dict[str, Any]]


@pytest.fixture
def run_block(emu: PuterEmulator) -> Iterator[Run]:
    """Run a block of the reference against ``emu``; returns the block's namespace.

    The clients a block leaves in its namespace are closed after the test."""
    emu.add_user(USER, USER_PASSWORD)
    emu.add_user(YOUR_USERNAME, YOUR_PASSWORD)
    made: list[PuterAI] = []

    def run(
        heading: str,
        *,
        nth: int = 0,
        replace: dict[str, str] | None = None,
        given: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        code = replaced(reference_code(heading, nth=nth), replace or {})
        namespace: dict[str, Any] = {
            "__name__": "api_reference_example",
            "PuterAI": PuterAI,
            **(given or {}),
        }
        exec(compile(code, f"{REFERENCE.name}: {heading}", "exec"), namespace)
        made.extend(v for v in namespace.values() if isinstance(v, PuterAI))
        return namespace

    yield run
    for client in made:
        client.close()


@pytest.fixture
def images(tmp_path: Path) -> dict[str, str]:
    """Real image files for the reference's /tmp paths."""
    paths = {"/tmp/dinner.jpg": tmp_path / "dinner.png", "/tmp/report.png": tmp_path / "report.png"}
    for path in paths.values():
        path.write_bytes(PNG_1X1)
    return {old: str(new) for old, new in paths.items()}


def run_program(code: str, emu: PuterEmulator, *, timeout: float) -> str:
    """Run ``code`` in its own interpreter pointed at ``emu``; its output, or a note that
    it did not finish within ``timeout`` seconds."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PUTER_")}
    try:
        result = subprocess.run(
            [sys.executable, "-c", code],
            env={**env, **emu.env()},
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
    except subprocess.TimeoutExpired:
        return f"did not finish in {timeout} s"
    return result.stdout


def logged_in(emu: PuterEmulator, username: str) -> bool:
    return any(
        r.json == {"username": username, "password": password}
        for r in emu.requests_to("/login")
        for password in (USER_PASSWORD, YOUR_PASSWORD)
    )


# --- authentication -----------------------------------------------------------------------


def test_the_placeholder_password_pass_is_refused_by_puter(emu: PuterEmulator) -> None:
    emu.add_user(USER, USER_PASSWORD)

    client = PuterAI(username="user", password="pass")
    with client, pytest.raises(PuterAuthError, match="Invalid password"):
        client.login()


def test_method_1_direct_credentials(run_block: Run, emu: PuterEmulator) -> None:
    namespace = run_block("Method 1: Direct Credentials")

    assert namespace["client"].token is not None
    assert logged_in(emu, YOUR_USERNAME)


def test_method_2_environment_variables(
    run_block: Run, emu: PuterEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in exported_variables(
        reference_code("Method 2: Environment Variables", language="bash")
    ).items():
        monkeypatch.setenv(name, value)

    namespace = run_block("Method 2: Environment Variables")

    assert namespace["client"].token is not None
    assert logged_in(emu, YOUR_USERNAME)


def test_method_3_token_based_authentication(run_block: Run, emu: PuterEmulator) -> None:
    token = emu.token_for(YOUR_USERNAME)

    namespace = run_block(
        "Method 3: Token-based Authentication", replace={"your_existing_token": token}
    )

    assert namespace["client"].chat("Hello") == reply("Hello")
    assert emu.requests_to("/login") == []


# --- the PuterAI class --------------------------------------------------------------------


def test_the_constructor_signature(run_block: Run) -> None:
    parameters = inspect.signature(PuterAI).parameters
    for name in ("username", "password", "token"):
        assert parameters[name].default is None
    assert any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values())

    run_block(
        "Constructor",
        given={"username": None, "password": None, "token": None, "config_overrides": {}},
    )


def test_the_constructor_example(run_block: Run) -> None:
    namespace = run_block("Constructor", nth=1)

    client = namespace["client"]
    assert (client.config.timeout, client.config.max_retries) == (60, 5)
    assert client.config.rate_limit_requests == 20
    assert config.timeout == 30


def test_login(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("`login() -> bool`")

    assert capsys.readouterr().out == "Successfully logged in!\n"


def test_async_login(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("`async_login() -> bool`")

    assert capsys.readouterr().out == "Successfully logged in!\n"


def test_chat(
    run_block: Run,
    emu: PuterEmulator,
    images: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    run_block(
        "`chat(",
        replace={"/tmp/dinner.jpg": images["/tmp/dinner.jpg"]},
    )

    assert capsys.readouterr().out.splitlines() == [
        reply("Hello, how are you?"),
        reply("Explain quantum computing", "gpt-4", turns=2),
        reply("List every ingredient you see in this dish", turns=3, images=1),
        reply("Transcribe this audio clip.", turns=4, audio=1),
    ]
    vision, parts = chat_calls(emu)[-2:]
    assert last_user_content(vision)[1]["image_url"]["url"].startswith("data:image/png;base64,")
    assert last_user_content(parts) == [
        {"type": "text", "text": "Transcribe this audio clip."},
        {"type": "input_audio", "audio": {"id": "file_audio_123"}},
    ]


def test_async_chat(
    run_block: Run,
    emu: PuterEmulator,
    images: dict[str, str],
    capsys: pytest.CaptureFixture[str],
) -> None:
    run_block(
        "`async_chat(",
        replace={"/tmp/report.png": images["/tmp/report.png"]},
    )

    assert capsys.readouterr().out.splitlines() == [
        reply("What is AI?"),
        reply("What is in this bowl?", turns=2, images=1),
        reply("Summarize", turns=3, images=1),
        reply("Count the objects", turns=3, images=1),
        reply("What is machine learning?", turns=3),
    ]
    bowl = next(r for r in chat_calls(emu) if "bowl" in str(last_user_content(r)))
    assert last_user_content(bowl)[1] == {
        "type": "image_url",
        "image_url": {"url": "https://example.com/food.jpg"},
    }


def test_get_available_models(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    names = list(catalog_names(include_test_models=False))

    run_block("`get_available_models() -> List[str]`")

    assert capsys.readouterr().out.splitlines() == [
        f"Available models: {len(names)}",
        *(f"  • {name}" for name in names[:5]),
    ]


def test_set_model(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("`set_model(model_name: str) -> bool`")

    assert capsys.readouterr().out.splitlines() == [
        "Current model: claude-opus-4",
        "Successfully switched to GPT-4",
        "New current model: gpt-4",
    ]


def test_clear_chat_history(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("`clear_chat_history()`")

    assert capsys.readouterr().out.splitlines() == ["History length: 4", "History length: 0"]


def test_current_model(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("`current_model: str`")

    assert capsys.readouterr().out == "claude-opus-4\n"


def test_chat_history(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("`chat_history: List[Dict[str, Any]]`")

    expected = [
        {"role": "user", "content": "Hello!"},
        {"role": "assistant", "content": reply("Hello!")},
    ]
    assert capsys.readouterr().out == f"{expected}\n"


def test_available_models(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("`available_models: Dict[str, str]`")

    assert capsys.readouterr().out.splitlines() == [
        f"Total models: {len(catalog_names(include_test_models=False))}",
        "GPT-4 driver: openai-completion",
    ]


# --- configuration ------------------------------------------------------------------------


def test_the_configuration_options_table_matches_the_sdk() -> None:
    text = REFERENCE.read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \| `(\w+)` \| `([^`]+)` \|", text, flags=re.MULTILINE)

    assert {name: env for name, env, _ in rows} == dict(PuterConfig.ENV_VARS)
    assert {name: default for name, _, default in rows} == {
        name: str(value) for name, value in PuterConfig.DEFAULTS.items()
    }


def test_configuration_class(
    run_block: Run, emu: PuterEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    namespace = run_block("Configuration Class")

    assert capsys.readouterr().out.splitlines() == [
        f"API Base: {emu.api_base}",
        "Timeout: 30",
        "Max Retries: 3",
    ]
    assert (config.timeout, config.max_retries) == (60, 5)
    assert namespace["custom_config"].timeout == 120


def test_environment_variable_configuration(
    emu: PuterEmulator, run_block: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    variables = exported_variables(
        reference_code("Environment Variable Configuration", language="bash")
    )
    for name, value in variables.items():
        monkeypatch.setenv(name, value)

    fresh = PuterConfig()

    assert (fresh.timeout, fresh.max_retries) == (60, 5)
    assert (fresh.rate_limit_requests, fresh.rate_limit_period) == (20, 60)
    with PuterAI() as client:
        assert client.login() is True
    assert logged_in(emu, variables["PUTER_USERNAME"])


def test_client_specific_configuration(run_block: Run) -> None:
    before = config.to_dict()

    namespace = run_block("Client-Specific Configuration")

    settings = namespace["client"].config
    assert (settings.timeout, settings.max_retries) == (90, 10)
    assert (settings.rate_limit_requests, settings.rate_limit_period) == (50, 3600)
    assert config.to_dict() == before


# --- exceptions ---------------------------------------------------------------------------


def test_puter_error(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("PuterError")

    assert capsys.readouterr().out == ""


def test_puter_auth_error(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("PuterAuthError")

    assert capsys.readouterr().out == "Authentication failed: login failed: Username not found.\n"


def test_puter_api_error(
    run_block: Run, emu: PuterEmulator, capsys: pytest.CaptureFixture[str]
) -> None:
    client = PuterAI(username=USER, password=USER_PASSWORD, max_retries=0)
    emu.inject("/drivers/call", status=503)

    run_block("PuterAPIError", given={"client": client})

    out = capsys.readouterr().out
    assert out.startswith("API error: 503 ")
    assert out.rstrip().endswith(f"(POST {emu.api_base}/drivers/call)")


def test_error_handling_best_practices(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    namespace = run_block("Error Handling Best Practices")
    assert capsys.readouterr().out == reply("Hello, world!") + "\n"

    with PuterAI(token="not-a-valid-token") as refused:
        assert namespace["robust_chat"](refused, "Hello") is None

    assert capsys.readouterr().out.startswith("Authentication error: ")


# --- examples -----------------------------------------------------------------------------


def test_basic_usage(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("Basic Usage")

    assert capsys.readouterr().out.splitlines() == [
        reply("What is artificial intelligence?"),
        reply("Can you give me some tips for beginners?", turns=3),
    ]


def test_model_switching(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    question = "Explain quantum computing in simple terms."

    run_block("Model Switching")

    expected = [f"Available models: {len(catalog_names(include_test_models=False))}"]
    for model in ["gpt-4", "claude-3.5-sonnet", "gemini-pro"]:
        expected += ["", f"{model}:", reply(question, model)[:200] + "..."]
    assert capsys.readouterr().out.splitlines() == expected


def test_async_operations(run_block: Run, emu: PuterEmulator) -> None:
    questions = [
        "What is machine learning?",
        "What is deep learning?",
        "What is neural network?",
        "What is artificial intelligence?",
    ]

    # Run as its own program, with a deadline: a few concurrent chats must not stall.
    result = run_program(replaced(reference_code("Async Operations"), {}), emu, timeout=120.0)

    expected: list[str] = []
    for question in questions:
        expected += [f"Q: {question}", f"A: {reply(question)[:100]}...", ""]
    assert result.splitlines() == expected


def test_configuration_examples(run_block: Run) -> None:
    namespace = run_block("Configuration Examples")

    assert (config.timeout, config.max_retries, config.rate_limit_requests) == (60, 5, 20)
    settings = namespace["client"].config
    assert (settings.timeout, settings.max_retries, settings.rate_limit_requests) == (120, 10, 100)


def test_error_handling(run_block: Run, capsys: pytest.CaptureFixture[str]) -> None:
    run_block("Error Handling")

    assert capsys.readouterr().out == reply("Hello!") + "\n"


def test_rate_limiting(
    run_block: Run, emu: PuterEmulator, capsys: pytest.CaptureFixture[str], limiter_slots: SlotLog
) -> None:
    run_block("Rate Limiting", replace={"rate_limit_period=10": "rate_limit_period=0.5"})

    assert capsys.readouterr().out.splitlines() == [
        f"Response {i}: {reply(f'Question {i}', turns=i)[:50]}..." for i in range(1, 11)
    ]
    assert most_in_a_window(limiter_slots.slots_of("ai"), 0.5) == 5
    assert_no_arrival_before_its_slot([r.time for r in emu.requests], limiter_slots.slots)
