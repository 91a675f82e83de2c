"""``tests/typing/app_puter.py``, the application that ``make typecheck`` checks against
the whole documented API, run against the emulator so that it stays a working program."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from puter import config
from puter_client.emulator import PuterEmulator
from tests.support.emulated import ALICE, ALICE_PASSWORD, PNG_1X1, closed_port_url, reply

APP = Path(__file__).resolve().parents[1] / "typing" / "app_puter.py"


def load_app() -> ModuleType:
    """Import ``tests/typing/app_puter.py`` (not a package) by its path."""
    if "app_puter" in sys.modules:
        return sys.modules["app_puter"]
    spec = importlib.util.spec_from_file_location("app_puter", APP)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["app_puter"] = module
    spec.loader.exec_module(module)
    return module


def test_the_typed_application_runs_against_the_emulator(
    emu: PuterEmulator, tmp_path: Path
) -> None:
    image = tmp_path / "dinner.png"
    image.write_bytes(PNG_1X1)
    unreachable = closed_port_url()

    report = load_app().run(
        emu.api_base,
        emu.login_url,
        ALICE,
        ALICE_PASSWORD,
        emu.token_for(ALICE),
        image,
        unreachable,
    )

    assert report.settings == (emu.api_base, emu.login_url, 60, 5, 0.05, 2.0, 20, 60)
    assert config.timeout == 60
    assert report.replies == [
        reply("Hello, how are you?"),
        reply("Explain quantum computing", "gpt-4o", turns=2),
        reply("List every ingredient you see in this dish", turns=3, images=8),
        reply("", turns=4, images=1),
        reply("Transcribe this audio clip.", turns=5, audio=1),
        reply("What is AI?"),
        reply("What is in this bowl?", turns=2, images=1),
        reply("Summarize", turns=2, images=1),
        reply("Count the objects", turns=2, images=1),
        reply("What is machine learning?", "gpt-4o", turns=2),
    ]
    assert report.history_lengths == [10, 0]
    assert len(report.models) == 5
    assert report.drivers == {"GPT-4o": "Not found", "gpt-99": "Not found"}
    assert report.chosen_models == ["claude-opus-4", "gpt-4o"]
    refused_login, bad_input, refused_token, offline = report.errors
    assert refused_login.startswith("4") and "Incorrect password" in refused_login
    # A refusal before sending is a PuterInputError: a PuterError and a ValueError.
    assert bad_input.startswith("sdk: nothing to send")
    assert refused_token.startswith("auth: ")
    assert offline.startswith("api: None None could not reach the server")
    assert f"POST {unreachable}/drivers/call" in offline
