"""Point 7: models. ``current_model`` (default ``claude-opus-4``), ``available_models``
(every id, alias and puterId -> provider; fetched lazily, once per client, from the
``models`` driver method when authenticated, else ``/puterai/chat/models/details``, else
a bundled snapshot), ``get_available_models()`` and ``set_model()``."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from puter import PuterAI
from puter_client.emulator import PuterEmulator
from tests.support.emulated import (
    ALICE,
    DEFAULT_MODEL,
    alice,
    catalog_names,
    chat_calls,
    closed_port_url,
    driver_calls,
    reply,
)

DETAILS_PATH = "/puterai/chat/models/details"


def catalog_requests(emu: PuterEmulator) -> list[str]:
    """The catalog fetches: ``details`` or the ``models`` driver method."""
    fetched = ["details" for _ in emu.requests_to(DETAILS_PATH)]
    fetched += [
        "driver"
        for r in driver_calls(emu)
        if isinstance(r.json, dict) and r.json.get("method") == "models"
    ]
    return fetched


def test_current_model_defaults_to_claude_opus_4(emu: PuterEmulator) -> None:
    with PuterAI() as client:
        assert client.current_model == "claude-opus-4"


def test_chat_uses_the_current_model_by_default(emu: PuterEmulator) -> None:
    with alice() as client:
        assert client.chat("Hello") == reply("Hello", DEFAULT_MODEL)

    assert chat_calls(emu)[-1].args["model"] == DEFAULT_MODEL


def test_constructing_a_client_sends_no_request(emu: PuterEmulator) -> None:
    with alice(), PuterAI(token=emu.token_for(ALICE)), PuterAI():
        pass

    assert emu.requests == []


def test_available_models_maps_every_id_alias_and_puter_id_to_its_provider(
    emu: PuterEmulator,
) -> None:
    with PuterAI() as client:
        assert client.available_models == catalog_names(include_test_models=False)


def test_an_unauthenticated_client_reads_the_public_details_list(emu: PuterEmulator) -> None:
    with alice() as client:
        models = client.available_models

    assert "fake" not in models
    assert catalog_requests(emu) == ["details"]
    assert emu.requests_to("/login") == []


def test_an_authenticated_client_asks_the_models_driver_method_and_sees_test_models(
    emu: PuterEmulator,
) -> None:
    with alice() as client:
        client.login()
        models = client.available_models

    assert models == catalog_names(include_test_models=True)
    assert models["fake"] == "fake-chat"
    assert catalog_requests(emu) == ["driver"]


def test_a_token_client_asks_the_models_driver_method(emu: PuterEmulator) -> None:
    with PuterAI(token=emu.token_for(ALICE)) as client:
        assert "fake" in client.available_models

    assert catalog_requests(emu) == ["driver"]


def test_get_available_models_hides_the_test_models_as_puter_js_does(emu: PuterEmulator) -> None:
    with PuterAI(token=emu.token_for(ALICE)) as client:
        names = client.get_available_models()

        assert not {"fake", "costly", "abuse"} & set(names)
        assert names == list(catalog_names(include_test_models=False))
        assert client.set_model("fake") is True  # still callable


def test_the_catalog_is_fetched_once_per_client(emu: PuterEmulator) -> None:
    with PuterAI() as client:
        first = client.available_models
        again = client.available_models
        names = client.get_available_models()
        client.set_model("gpt-4o")
        client.set_model("no-such-model")

    assert first == again
    assert names == list(first)
    assert catalog_requests(emu) == ["details"]


def test_concurrent_first_lookups_share_one_catalog_request(emu: PuterEmulator) -> None:
    emu.inject(DETAILS_PATH, delay=0.2)  # the lookups overlap while the first is answered
    with PuterAI() as client:
        threads = [threading.Thread(target=client.get_available_models) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

        assert "gpt-4o" in client.available_models

    assert catalog_requests(emu) == ["details"]


def test_each_client_keeps_its_own_catalog(emu: PuterEmulator) -> None:
    with PuterAI() as first, PuterAI() as second:
        for client in (first, second, first, second):
            assert "gpt-4o" in client.available_models

    assert catalog_requests(emu) == ["details", "details"]


def test_the_bundled_snapshot_is_used_when_the_server_is_unreachable(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with PuterAI(api_base=closed_port_url(), max_retries=0) as client:
        models = client.available_models

    assert models["claude-opus-4"] == "claude"
    assert models["gpt-4o"] == "openai-completion"
    assert any(
        r.levelno == logging.WARNING and "bundled" in r.getMessage()
        for r in caplog.records
        if r.name == "puter"
    )


def test_get_available_models_lists_every_name(emu: PuterEmulator) -> None:
    with PuterAI() as client:
        names = client.get_available_models()

    assert names == list(catalog_names(include_test_models=False))
    assert all(isinstance(name, str) for name in names)


def test_available_models_is_a_copy(emu: PuterEmulator) -> None:
    with PuterAI() as client:
        client.available_models["gpt-4o"] = "tampered"
        del client.available_models["gemini-pro"]

        assert client.available_models["gpt-4o"] == "openai-completion"
        assert "gemini-pro" in client.available_models


@pytest.mark.parametrize(
    ("name", "chosen"),
    [
        ("gpt-4o", "gpt-4o"),
        ("GPT-4O", "gpt-4o"),
        ("claude-3.5-sonnet", "claude-3.5-sonnet"),
        ("Claude-3.5-Sonnet", "claude-3.5-sonnet"),
        ("claude-opus-4-20250514", "claude-opus-4-20250514"),
        ("google:google/gemini-pro", "google:google/gemini-pro"),
    ],
)
def test_set_model_accepts_ids_aliases_and_puter_ids_in_any_case(
    emu: PuterEmulator, name: str, chosen: str
) -> None:
    with PuterAI() as client:
        assert client.set_model(name) is True

        assert client.current_model == chosen


@pytest.mark.parametrize("name", ["no-such-model", "gpt-99", "", "   "])
def test_set_model_returns_false_and_changes_nothing_for_an_unknown_name(
    emu: PuterEmulator, name: str
) -> None:
    with PuterAI() as client:
        client.set_model("gpt-4o")

        assert client.set_model(name) is False

        assert client.current_model == "gpt-4o"


def test_chat_after_set_model_uses_the_new_model(emu: PuterEmulator) -> None:
    with alice() as client:
        client.set_model("GPT-4")

        assert client.chat("Hello") == reply("Hello", "gpt-4")

    assert chat_calls(emu)[-1].args["model"] == "gpt-4"


def test_a_logged_in_client_can_select_a_test_model(emu: PuterEmulator) -> None:
    with alice() as client:
        client.login()

        assert client.set_model("fake") is True
        assert client.chat("Hello") == reply("Hello", "fake")


async def test_async_set_model_returns_false_and_changes_nothing_for_an_unknown_name(
    emu: PuterEmulator,
) -> None:
    async with PuterAI() as client:
        assert await client.async_set_model("gpt-4o") is True

        assert await client.async_set_model("no-such-model") is False

        assert client.current_model == "gpt-4o"


def test_set_model_docs_say_what_it_does_for_an_unknown_model() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    docstring = " ".join((PuterAI.set_model.__doc__ or "").split())

    assert "returns False and keeps ``current_model``" in docstring
    assert "not raise" in docstring
    assert 'client.set_model("gpt-4o")                         # True; False (model kept)' in readme
