"""``POST /puterai/openai/v1/chat/completions`` answers as the server's: an account
session token is refused (403 ``app_or_api_token_required``), a scoped API token too
(403 ``forbidden``), a full-access API token (``client.create_access_token()``) gets
OpenAI's ``chat.completion``, plain or as server-sent events."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest

from puter_client.emulator import PuterEmulator, expected_reply
from tests.support.emulated import alice

PATH = "/puterai/openai/v1/chat/completions"
BODY = {"model": "gpt-4o", "messages": [{"role": "user", "content": "Hi"}]}


@pytest.fixture
def tokens(v2_emu: PuterEmulator) -> Iterator[dict[str, str]]:
    with alice() as client:
        client.login()
        assert client.token is not None
        yield {
            "session": client.token,
            "full": client.create_access_token(),
            "scoped": client.create_access_token(["driver:puter-chat-completion"]),
        }


def post(emu: PuterEmulator, token: str | None, body: object = BODY) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return httpx.post(emu.api_base + PATH, json=body, headers=headers)


def test_a_session_token_is_refused(v2_emu: PuterEmulator, tokens: dict[str, str]) -> None:
    response = post(v2_emu, tokens["session"])

    assert response.status_code == 403
    assert response.json()["code"] == "app_or_api_token_required"


def test_a_scoped_api_token_is_refused(v2_emu: PuterEmulator, tokens: dict[str, str]) -> None:
    response = post(v2_emu, tokens["scoped"])

    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    # The server's gate for every route that takes no scoped token, before the route's own.
    assert response.json()["message"] == "Access tokens are not allowed to access this resource"


def test_no_token_is_refused(v2_emu: PuterEmulator) -> None:
    assert post(v2_emu, None).status_code == 401


def test_a_full_access_api_token_gets_a_chat_completion(
    v2_emu: PuterEmulator, tokens: dict[str, str]
) -> None:
    response = post(v2_emu, tokens["full"], {**BODY, "max_tokens": 50})

    assert response.status_code == 200
    body = response.json()
    assert body["object"] == "chat.completion"
    assert body["model"] == "gpt-4o"
    (choice,) = body["choices"]
    assert choice["message"] == {"role": "assistant", "content": expected_reply("Hi", "gpt-4o")}
    assert choice["finish_reason"] == "stop"
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_a_streamed_completion_is_server_sent_events_ending_with_done(
    v2_emu: PuterEmulator, tokens: dict[str, str]
) -> None:
    response = post(v2_emu, tokens["full"], {**BODY, "stream": True})

    events = [line[6:] for line in response.text.split("\n\n") if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [json.loads(event) for event in events[:-1]]
    assert all(chunk["object"] == "chat.completion.chunk" for chunk in chunks)
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks)
    assert text == expected_reply("Hi", "gpt-4o")
    assert chunks[-1]["choices"][0]["finish_reason"] == "stop" and "usage" in chunks[-1]


def test_messages_that_are_not_an_array_are_a_bad_request(
    v2_emu: PuterEmulator, tokens: dict[str, str]
) -> None:
    response = post(v2_emu, tokens["full"], {"model": "gpt-4o", "messages": "Hi"})

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
