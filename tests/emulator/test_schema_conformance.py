"""Every answer of the emulator fits schema/puter.openapi.yaml.

A broad set of requests, in both server generations, each answer read through the
generated models with the strict converter: a field of the wrong type, a missing required
field or an unknown discriminator value fails the test, naming the JSON path.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from puter_client._generated import models
from puter_client.core.serialization import structure
from puter_client.emulator import PuterEmulator, running_emulator

Model = Any  # a model class or one of the generated unions
Check = tuple[str, httpx.Response, Model]

TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {"type": "object", "properties": {"city": {"type": "string"}}},
    },
}


@pytest.fixture(scope="module", params=[False, True], ids=["v2", "legacy"])
def emulator(request: pytest.FixtureRequest) -> Iterator[PuterEmulator]:
    with running_emulator(legacy=request.param) as emu:
        yield emu


def login_answers(emu: PuterEmulator, client: httpx.Client) -> Iterator[Check]:
    def login(body: dict[str, Any]) -> httpx.Response:
        return client.post(emu.login_url, json=body)

    yield (
        "login",
        login({"username": "alice", "password": "alice-password"}),
        (models.LoginResponse),
    )
    otp_step = login({"username": "otp_user", "password": "otp_user-password"})
    yield "login, two-factor step", otp_step, models.LoginResponse
    otp_token = otp_step.json()["otp_jwt_token"]
    otp_url = f"{emu.web_origin}/login/otp"
    for code in ("123456", "000000"):
        answer = client.post(otp_url, json={"token": otp_token, "code": code})
        yield f"login/otp with {code}", answer, models.LoginResponse
    for body in (
        {"username": "alice", "password": "wrong-password"},
        {"username": "nobody", "password": "whatever-password"},
        {"username": "alice"},
        {"username": "suspended_user", "password": "suspended_user-password"},
    ):
        yield f"login refused {body}", login(body), models.ErrorBody
    foreign = client.post(
        emu.login_url,
        json={"username": "alice", "password": "alice-password"},
        headers={"Origin": "https://elsewhere.example"},
    )
    yield "login from a foreign origin", foreign, models.ErrorBody


def api_answers(emu: PuterEmulator, client: httpx.Client) -> Iterator[Check]:
    auth = {"Authorization": f"Bearer {emu.token_for('alice')}"}
    api = emu.api_base
    yield "whoami", client.get(f"{api}/whoami", headers=auth), models.WhoAmI
    yield "whoami without a token", client.get(f"{api}/whoami"), models.ErrorBody
    garbage = {"Authorization": "Bearer garbage"}
    yield (
        "whoami with a bad token",
        client.get(f"{api}/whoami", headers=garbage),
        (models.ErrorBody),
    )
    yield "models", client.get(f"{api}/puterai/chat/models"), models.ModelList
    details = client.get(f"{api}/puterai/chat/models/details")
    yield "model details", details, models.ModelDetailsList
    yield "the wrong host", client.get(f"{emu.web_origin}/whoami"), models.ErrorBody

    def call(args: dict[str, Any], *, driver: str, method: str = "complete") -> httpx.Response:
        body = {"interface": "puter-chat-completion", "driver": driver, "method": method}
        return client.post(f"{api}/drivers/call", json={**body, "args": args}, headers=auth)

    drivers = ("claude", "openai-completion") if emu.legacy else ("ai-chat", "ai-chat")
    user = [{"role": "user", "content": "Hello"}]
    for model, driver in zip(("claude-opus-4", "gpt-4o"), drivers, strict=True):
        plain = call({"model": model, "messages": user}, driver=driver)
        yield f"complete {model}", plain, models.ChatCompleteResponse
        with_tools = call({"model": model, "messages": user, "tools": [TOOL]}, driver=driver)
        yield f"complete {model} with tools", with_tools, models.ChatCompleteResponse
    models_driver = "claude" if emu.legacy else "ai-chat"
    yield (
        "models method",
        call({}, driver=models_driver, method="models"),
        (models.ChatModelsResponse),
    )
    failure = models.LegacyFailure if emu.legacy else models.ErrorBody
    bad_model = call({"model": "no-such-model", "messages": user}, driver=drivers[0])
    yield "an unknown model", bad_model, failure
    yield "an unknown method", call({}, driver=drivers[0], method="nope"), failure
    no_model = call({"messages": user}, driver=drivers[0])
    # V2 servers have no default chat model (V1's default is not a claude model).
    yield "complete without a model", no_model, failure
    no_interface = client.post(
        f"{api}/drivers/call",
        json={"driver": drivers[0], "method": "complete", "args": {"messages": user}},
        headers=auth,
    )
    yield "a body without interface", no_interface, failure
    broke = {"Authorization": f"Bearer {emu.token_for('broke_user')}"}
    paid = client.post(
        f"{api}/drivers/call",
        json={
            "interface": "puter-chat-completion",
            "driver": drivers[0],
            "method": "complete",
            "args": {"model": "claude-opus-4", "messages": user},
        },
        headers=broke,
    )
    yield "no credits", paid, failure
    malformed = client.post(
        f"{api}/drivers/call",
        content=b"{not json",
        headers={**auth, "Content-Type": "application/json"},
    )
    yield "malformed JSON (refused before any driver)", malformed, models.ErrorBody


def stream_lines(emu: PuterEmulator, client: httpx.Client) -> Iterator[tuple[str, str]]:
    auth = {"Authorization": f"Bearer {emu.token_for('alice')}"}
    driver = "claude" if emu.legacy else "ai-chat"
    body = {
        "interface": "puter-chat-completion",
        "driver": driver,
        "method": "complete",
        "args": {
            "model": "claude-opus-4",
            "messages": [{"role": "user", "content": "Stream this please"}],
            "stream": True,
            "tools": [TOOL],
        },
    }
    for args in (body["args"], {**body["args"], "tools": []}):  # type: ignore[dict-item]
        response = client.post(
            f"{emu.api_base}/drivers/call", json={**body, "args": args}, headers=auth
        )
        if response.headers["content-type"].startswith("application/x-ndjson"):
            for number, line in enumerate(response.text.splitlines()):
                if line.strip():
                    yield f"stream line {number}", line
        else:  # an older server may answer a stream request with the whole reply
            structure(response.json(), models.ChatCompleteResponse)


def test_every_json_answer_fits_its_schema_component(emulator: PuterEmulator) -> None:
    emulator.reset(legacy=emulator.legacy)
    checked = 0
    with httpx.Client(timeout=10) as client:
        for label, response, model in [
            *login_answers(emulator, client),
            *api_answers(emulator, client),
        ]:
            if not response.headers.get("content-type", "").startswith("application/json"):
                assert emulator.legacy, f"{label}: a current server answers JSON"
                continue  # older servers answer login errors in plain text
            structure(response.json(), model)  # raises, naming the JSON path, if it does not fit
            checked += 1
    assert checked >= (18 if emulator.legacy else 24)


def test_every_stream_line_fits_the_stream_line_union(emulator: PuterEmulator) -> None:
    emulator.reset(legacy=emulator.legacy)
    kinds = set()
    with httpx.Client(timeout=10) as client:
        for _, line in stream_lines(emulator, client):
            event = structure(json.loads(line), models.StreamLine)
            assert not isinstance(event, models.StreamUnknown), line
            kinds.add(type(event).__name__)
    assert {"StreamText", "StreamUsage"} <= kinds or emulator.legacy
