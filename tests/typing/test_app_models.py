"""app_models.py is type-checked by mypy; these tests run it, so it stays a working example."""

from __future__ import annotations

import json

import httpx
import pytest

from puter_client._generated import endpoints, models
from puter_client.core._unset import UNSET
from tests.typing import app_models

TOKEN = "tok-abc"


def drivers_response(body: object) -> httpx.Response:
    request = httpx.Request("POST", "https://api.puter.com/drivers/call")
    return httpx.Response(200, json=body, request=request)


def test_the_login_request_carries_the_credentials() -> None:
    request = app_models.login_request("alice", "pw")
    assert json.loads(request.content) == {"username": "alice", "password": "pw"}


def test_the_chat_request_sends_every_role_and_the_null_content() -> None:
    request = app_models.chat_request(TOKEN, "What is this?", "https://x/cat.png")
    messages = json.loads(request.content)["args"]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "tool"]
    assert messages[2]["content"] is None
    assert request.headers["Authorization"] == f"Bearer {TOKEN}"


def test_claude_style_tool_turns_serialize_with_their_tags() -> None:
    call = app_models.chat_call(app_models.claude_style_tool_turns())
    request = endpoints.build_chat_complete(call, base_url="https://x", token=TOKEN)
    parts = json.loads(request.content)["args"]["messages"][1]["content"]
    assert [p["type"] for p in parts] == ["tool_result", "file", "input_audio"]


def test_a_role_is_checked_before_it_is_used() -> None:
    assert app_models.speaker("tool") == "tool"
    with pytest.raises(ValueError, match="robot"):
        app_models.speaker("robot")


def test_evolve_changes_only_the_copy() -> None:
    call = app_models.chat_call([])
    bigger = app_models.with_more_tokens(call, 1024)
    assert (call.args.max_tokens, bigger.args.max_tokens) == (256, 1024)


def test_the_reply_text_joins_text_parts_and_tool_results() -> None:
    body = {
        "success": True,
        "result": {
            "message": {
                "role": "assistant",
                "content": [
                    {"type": "text", "text": "It is "},
                    {"type": "tool_result", "tool_use_id": "t", "content": "4 °C"},
                    {"type": "hologram", "text": "!"},
                ],
            }
        },
    }
    assert app_models.reply(drivers_response(body)) == "It is 4 °C!"


def test_a_refusal_is_reported() -> None:
    body = {"success": True, "result": {"message": {"role": "assistant", "refusal": "no"}}}
    assert app_models.reply(drivers_response(body)) == "refused: no"


def test_describe_part_matches_on_classes() -> None:
    assert app_models.describe_part(models.TextPart(text="hi")) == "hi"
    assert app_models.describe_part(models.UnknownPart(type="video")) == "[video]"
    assert app_models.describe_part(models.FilePart(puter_path="/p")) == "[file]"


def test_finish_reason_tells_absent_null_and_value_apart() -> None:
    message = models.ResultMessage(role="assistant")
    assert app_models.finish_reason(models.ChatCompleteResult(message=message)) == "(not reported)"
    assert (
        app_models.finish_reason(models.ChatCompleteResult(message=message, finish_reason=None))
        == "(null)"
    )
    assert (
        app_models.finish_reason(models.ChatCompleteResult(message=message, finish_reason="stop"))
        == "stop"
    )


def test_tool_calls_default_to_an_empty_list() -> None:
    assert app_models.tool_calls(models.ResultMessage(role="assistant", tool_calls=UNSET)) == []


def test_streamed_text_yields_text_and_reasoning_and_skips_unknown_lines() -> None:
    lines = [
        b'{"type":"reasoning","reasoning":"hm"}',
        b'{"type":"text","text":"Hel"}',
        b'{"type":"ping"}',
        b'{"type":"text","text":"lo"}',
    ]
    assert list(app_models.streamed_text(lines)) == ["hm", "Hel", "lo"]


def test_streamed_text_raises_on_an_error_line() -> None:
    with pytest.raises(RuntimeError, match="overloaded"):
        list(app_models.streamed_text([b'{"type":"error","message":"overloaded"}']))


def test_the_catalog_maps_ids_to_puter_ids() -> None:
    body = {"success": True, "result": [{"id": "gpt-5", "puterId": "openai:gpt-5"}]}
    assert app_models.catalog(drivers_response(body)) == {"gpt-5": "openai:gpt-5"}


def test_the_round_trip_is_exact() -> None:
    body = {"success": True, "result": {"message": {"role": "assistant"}, "finish_reason": None}}
    assert app_models.round_trip(body) == body
