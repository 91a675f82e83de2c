"""The V1 (legacy) generation of ``/drivers/call``."""

from __future__ import annotations

import pytest

from puter_client.emulator import expected_reply
from tests.emulator.emulator_support import Api, chat_body, ndjson, reply_text


def test_ai_chat_is_refused_with_a_plain_string(legacy_api: Api) -> None:
    for driver in ("ai-chat", None):
        response = legacy_api.chat("Hi", model="claude-sonnet-4", driver=driver)
        assert response.status_code == 200
        assert response.json() == {
            "success": False,
            "error": "Calling ai-chat directly is not yet supported",
        }


@pytest.mark.parametrize(
    ("model", "driver", "family"),
    [
        ("claude-sonnet-4", "claude", "claude"),
        ("gpt-4o-mini", "openai-completion", "openai"),
        ("fake", "fake-chat", "claude"),
        ("gemini-pro", "gemini", "openai"),
    ],
)
def test_provider_driver_answers(legacy_api: Api, model: str, driver: str, family: str) -> None:
    response = legacy_api.chat("Hi", model=model, driver=driver)
    assert response.status_code == 200
    body = response.json()
    assert body["success"] is True and body["service"] == {"name": driver}
    assert reply_text(body) == expected_reply("Hi", model)
    assert "via_ai_chat_service" not in body["result"]
    content = body["result"]["message"]["content"]
    assert isinstance(content, list if family == "claude" else str)


def test_openai_usage_is_a_list(legacy_api: Api) -> None:
    usage = legacy_api.chat("Hi there", model="gpt-4o", driver="openai-completion").json()
    items = usage["result"]["usage"]
    assert [item["type"] for item in items] == ["prompt", "completion"]
    assert all(set(item) == {"type", "model", "amount", "cost"} for item in items)
    assert items[0]["amount"] == 2 and items[0]["model"] == "gpt-4o"


def test_test_mode_routes_ai_chat_to_fake_chat(legacy_api: Api) -> None:
    body = {**chat_body("Hi", model="gpt-4o"), "test_mode": True}
    response = legacy_api.call(body).json()
    assert response["success"] is True
    assert response["result"]["message"]["model"] == "fake"
    assert reply_text(response) == expected_reply("Hi", "gpt-4o")


def test_streaming_with_a_provider_driver(legacy_api: Api) -> None:
    response = legacy_api.chat("Hi", model="claude-sonnet-4", driver="claude", stream=True)
    assert response.headers["content-type"] == "application/x-ndjson"
    lines = ndjson(response)
    text = "".join(line["text"] for line in lines if line["type"] == "text")
    assert text == expected_reply("Hi", "claude-sonnet-4")


@pytest.mark.parametrize(
    ("body", "user", "code", "status"),
    [
        (chat_body("Hi", model="gpt-9", driver="openai-completion"), "alice", "bad_request", 400),
        (chat_body("Hi", model="gpt-4o", driver="claude"), "alice", "bad_request", 400),
        (chat_body("Hi", driver="nope"), "alice", "not_found", 404),
        ({**chat_body("Hi"), "interface": "nope"}, "alice", "not_found", 404),
        (chat_body("Hi", model="gpt-4o", driver="openai-completion"), "broke_user",
         "insufficient_funds", 402),
        (chat_body("Hi", driver="fake-chat"), "unconfirmed_user",
         "email_confirmation_required", 403),
    ],
)  # fmt: skip
def test_errors_are_http_200_envelopes(
    legacy_api: Api, body: dict[str, object], user: str, code: str, status: int
) -> None:
    response = legacy_api.call(body, user=user)
    assert response.status_code == 200
    payload = response.json()
    assert payload["success"] is False
    error = payload["error"]
    assert (error["code"], error["status"]) == (code, status) and error["message"]


def test_models_method_through_ai_chat(legacy_api: Api) -> None:
    body = {"interface": "puter-chat-completion", "driver": "ai-chat", "method": "models"}
    response = legacy_api.call({**body, "args": {}}).json()
    assert response["success"] is True
    assert "fake" in {m["id"] for m in response["result"]}


def test_mode_switches_at_run_time(api: Api) -> None:
    assert api.chat("Hi", driver="claude", model="claude-sonnet-4").status_code == 404
    api.emulator.legacy = True
    assert api.chat("Hi", driver="claude", model="claude-sonnet-4").json()["success"] is True
    api.emulator.reset()
    assert api.emulator.legacy is False
