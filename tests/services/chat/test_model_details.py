"""Models as data: ``list_models`` (the typed details puter.js reads from
``/puterai/chat/models/details``, the internal test models hidden) and
``list_model_providers``, blocking and async, against the emulator."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import PuterInputError, PuterInputTypeError, PuterServerError
from puter.types import ModelDetails
from puter_client.emulator import PuterEmulator
from tests.support.emulated import ALICE, driver_calls

DETAILS_PATH = "/puterai/chat/models/details"
TEST_MODELS = {"fake", "costly", "abuse"}


def run(client: PuterAI, face: str, name: str, *args: Any) -> Any:
    if face == "sync":
        return getattr(client, name)(*args)
    return asyncio.run(getattr(client, f"async_{name}")(*args))


@pytest.fixture(params=["sync", "async"])
def face(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_list_models_gives_typed_details_from_the_public_list(
    emu: PuterEmulator, face: str
) -> None:
    with PuterAI(token=emu.token_for(ALICE)) as client:
        models = run(client, face, "list_models")

    assert all(isinstance(model, ModelDetails) for model in models)
    opus = next(model for model in models if model.id == "claude-opus-4-20250514")
    assert opus.provider == "claude"
    assert opus.aliases == ["claude-opus-4"]
    assert opus.context == 200_000
    assert opus.modalities is not None and "image" in (opus.modalities.input or [])
    assert opus.tool_call is True
    assert len(emu.requests_to(DETAILS_PATH)) == 1
    assert driver_calls(emu) == []


def test_list_models_hides_the_internal_test_models(emu: PuterEmulator, face: str) -> None:
    with PuterAI(token=emu.token_for(ALICE)) as client:
        ids = {model.id for model in run(client, face, "list_models")}

    assert ids and not ids & TEST_MODELS


def test_list_models_of_a_provider_gives_only_its_models(emu: PuterEmulator, face: str) -> None:
    with PuterAI() as client:
        models = run(client, face, "list_models", "deepseek")

    assert [model.id for model in models] == ["deepseek-chat", "deepseek-reasoner"]


def test_list_model_providers_names_each_provider_once_in_list_order(
    emu: PuterEmulator, face: str
) -> None:
    with PuterAI() as client:
        providers = run(client, face, "list_model_providers")
        models = client.list_models()

    assert providers == list(dict.fromkeys(model.provider for model in models))
    assert "fake-chat" not in providers
    assert len(providers) == len(set(providers))


def test_when_the_public_list_fails_a_logged_in_client_asks_the_driver_without_test_models(
    emu: PuterEmulator, face: str
) -> None:
    emu.inject(DETAILS_PATH, status=500, times=10)
    with PuterAI(token=emu.token_for(ALICE), max_retries=0) as client:
        ids = {model.id for model in run(client, face, "list_models")}

    assert "gpt-4o" in ids and not ids & TEST_MODELS
    assert [r.json["method"] for r in driver_calls(emu)] == ["models"]


def test_when_the_public_list_fails_without_a_token_the_error_is_raised(
    emu: PuterEmulator, face: str
) -> None:
    emu.inject(DETAILS_PATH, status=500, times=10)
    with PuterAI(max_retries=0) as client, pytest.raises(PuterServerError):
        run(client, face, "list_models")


@pytest.mark.parametrize(("provider", "kind"), [(5, TypeError), ("  ", ValueError)])
def test_a_bad_provider_is_refused_before_any_request(
    emu: PuterEmulator, face: str, provider: Any, kind: type[Exception]
) -> None:
    with PuterAI() as client, pytest.raises(PuterInputError) as caught:
        run(client, face, "list_models", provider)

    assert caught.value.code == "invalid_arguments"
    assert isinstance(caught.value, PuterInputTypeError) == (kind is TypeError)
    assert emu.requests_to(DETAILS_PATH) == []
