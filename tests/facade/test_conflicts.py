"""A 409 (the server's "already exists") is final: whatever the operation, it is raised
after one attempt as ``PuterConflictError``, never waited on and retried."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import PuterAuthError, PuterConflictError
from puter_client.emulator import PuterEmulator
from tests.support.emulated import ALICE, ALICE_PASSWORD

CONFLICT = {"error": "exists", "message": "An entry already exists", "code": "conflict"}


def chat(client: PuterAI) -> Any:
    return client.chat("Hello")


def complete(client: PuterAI) -> Any:
    return client.complete([{"role": "user", "content": "Hello"}])


def stream(client: PuterAI) -> Any:
    with client.chat_stream("Hello") as reply:
        return reply.until_done()


def models_method(client: PuterAI) -> Any:
    from puter_client._generated import endpoints, models

    call = models.ChatModelsCall(driver="ai-chat", args=models.ChatModelsArgs())
    return client._session.run(
        client._session.send(endpoints.CHAT_MODELS, endpoints.parse_chat_models, body=call)
    )


@pytest.mark.parametrize(
    ("route", "call"),
    [
        ("/drivers/call", chat),
        ("/drivers/call", complete),
        ("/drivers/call", stream),
        ("/drivers/call", models_method),
    ],
    ids=["chat", "complete", "chat_stream", "models-driver-method"],
)
def test_a_409_is_raised_after_one_attempt_as_a_conflict(
    v2_emu: PuterEmulator, route: str, call: Callable[[PuterAI], Any]
) -> None:
    v2_emu.inject(route, status=409, body=CONFLICT, times=None)

    client = PuterAI(token=v2_emu.token_for(ALICE), retry_delay=5.0)
    with client, pytest.raises(PuterConflictError) as caught:
        call(client)

    assert (caught.value.status_code, caught.value.code) == (409, "conflict")
    assert len(v2_emu.requests_to(route)) == 1


async def test_an_async_409_is_raised_after_one_attempt(v2_emu: PuterEmulator) -> None:
    v2_emu.inject("/drivers/call", status=409, body=CONFLICT, times=None)

    async with PuterAI(token=v2_emu.token_for(ALICE), retry_delay=5.0) as client:
        with pytest.raises(PuterConflictError):
            await client.async_chat("Hello")

    assert len(v2_emu.requests_to("/drivers/call")) == 1


def test_a_409_at_login_is_a_login_error_after_one_attempt(v2_emu: PuterEmulator) -> None:
    v2_emu.inject("/login", status=409, body=CONFLICT, times=None)

    client = PuterAI(ALICE, ALICE_PASSWORD, retry_delay=5.0)
    with client, pytest.raises(PuterAuthError) as caught:
        client.login()

    assert caught.value.status_code == 409
    assert len(v2_emu.requests_to("/login")) == 1
