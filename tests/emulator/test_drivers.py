"""``/drivers/call``: replies, envelopes, tools, streaming, methods and errors (V2)."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import pytest

from puter_client.emulator import expected_reply, expected_tool_reply, running_emulator
from puter_client.emulator.__main__ import emulator_from_args
from tests.emulator.emulator_support import Api, chat_body, ndjson, reply_text

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "Weather of a city",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer"},
            },
            "required": ["city", "unit"],
        },
    },
}


def test_fake_model_envelope(api: Api) -> None:
    response = api.chat("Hello there", model="fake")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["success"] is True and body["service"] == {"name": "ai-chat"}
    assert body["metadata"] == {"service_used": "fake-chat", "providerUsed": "fake"}
    result = body["result"]
    assert result["finish_reason"] == "stop" and result["via_ai_chat_service"] is True
    message = result["message"]
    assert message["role"] == "assistant" and message["model"] == "fake"
    assert message["stop_reason"] == "end_turn" and message["id"]
    assert message["content"] == [{"type": "text", "text": expected_reply("Hello there", "fake")}]
    assert set(result["usage"]) == {"input_tokens", "output_tokens", "usd_cents"}


def test_openai_family_content_is_a_string(api: Api) -> None:
    body = api.chat("Hi", model="gpt-4o-mini").json()
    result = body["result"]
    assert result["index"] == 0 and result["logprobs"] is None
    assert result["message"]["refusal"] is None
    assert result["message"]["content"] == expected_reply("Hi", "gpt-4o-mini")
    assert set(result["usage"]) == {"prompt_tokens", "completion_tokens", "total_tokens"}
    assert body["metadata"]["service_used"] == "openai-completion"


@pytest.mark.parametrize(
    ("name", "model_id"),
    [
        ("claude-opus-4", "claude-opus-4-20250514"),
        ("CLAUDE-OPUS-4-20250514", "claude-opus-4-20250514"),
        ("anthropic:anthropic/claude-opus-4", "claude-opus-4-20250514"),
        ("claude-3.5-sonnet", "claude-3-5-sonnet-20241022"),
        ("llama-3.3-70b", "openrouter:meta-llama/llama-3.3-70b-instruct"),
        ("costly", "costly"),
        ("abuse", "abuse"),
    ],
)
def test_models_are_found_by_id_alias_or_puter_id(api: Api, name: str, model_id: str) -> None:
    body = api.chat("Hi", model=name).json()
    assert body["result"]["message"]["model"] == model_id
    assert reply_text(body) == expected_reply("Hi", name)  # the name as requested


def test_reply_counts_turns_images_and_audio(api: Api) -> None:
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "First"},
        {"role": "assistant", "content": "Ok"},
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is "},
                {"type": "image_url", "image_url": {"url": "data:image/png;base64,AAAA"}},
                {"type": "text", "text": "this?"},
                {"type": "image_url", "image_url": {"url": "https://example.com/cat.png"}},
                {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
            ],
        },
    ]
    text = reply_text(api.chat(messages, model="gpt-4o").json())
    assert text == expected_reply("What is this?", "gpt-4o", turns=2, images=2, audio=1)


def test_complete_without_a_model_is_refused_as_by_a_server_without_default(api: Api) -> None:
    body = chat_body("Hi")
    del body["args"]["model"]
    response = api.call(body)
    assert response.status_code == 400
    assert response.json() == {
        "error": "Model not found: undefined",
        "message": "Model not found: undefined",
        "code": "bad_request",
    }


@pytest.mark.parametrize(("model", "shown"), [(None, "null"), ("", ""), (5, "5")])
def test_model_not_found_shows_the_value_as_javascript_prints_it(
    api: Api, model: object, shown: str
) -> None:
    response = api.call(chat_body("Hi", model=model))  # type: ignore[arg-type]
    assert (response.status_code, response.json()["message"]) == (400, f"Model not found: {shown}")


def test_default_model_option_answers_calls_without_a_model(api: Api) -> None:
    api.emulator.state.options.default_model = "gpt-5-nano"
    body = chat_body("Hi")
    del body["args"]["model"]
    assert reply_text(api.call(body).json()) == expected_reply("Hi", "gpt-5-nano")


def test_default_model_constructor_keyword() -> None:
    with running_emulator(default_model="fake") as emu, httpx.Client() as client:
        body = chat_body("Hi")
        del body["args"]["model"]
        headers = {"Authorization": f"Bearer {emu.token_for('alice')}"}
        response = client.post(f"{emu.api_base}/drivers/call", json=body, headers=headers)
        assert reply_text(response.json()) == expected_reply("Hi", "fake")
        emu.reset()
        assert emu.state.options.default_model == "fake"


def test_default_model_command_line_flag() -> None:
    assert emulator_from_args(["--default-model", "fake"]).state.options.default_model == "fake"
    assert emulator_from_args([]).state.options.default_model is None


def test_driver_may_be_absent(api: Api) -> None:
    assert api.chat("Hi", driver=None).status_code == 200


def test_test_mode_is_ignored(api: Api) -> None:
    body = api.call({**chat_body("Hi", model="gpt-4o"), "test_mode": True}).json()
    assert body["result"]["message"]["model"] == "gpt-4o"


def test_openai_tool_call_then_tool_result(api: Api) -> None:
    body = api.chat("Weather in Paris?", model="gpt-4o", tools=[WEATHER_TOOL]).json()
    result = body["result"]
    assert result["finish_reason"] == "tool_calls"
    message = result["message"]
    assert message["content"] is None
    (call,) = message["tool_calls"]
    assert call["type"] == "function" and call["function"]["name"] == "get_weather"
    arguments = json.loads(call["function"]["arguments"])
    assert arguments == {"city": "Weather in Paris?", "unit": "celsius"}
    messages = [
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": None, "tool_calls": message["tool_calls"]},
        {"role": "tool", "tool_call_id": call["id"], "content": "18 C and sunny"},
    ]
    after = api.chat(messages, model="gpt-4o", tools=[WEATHER_TOOL]).json()
    assert reply_text(after) == expected_tool_reply("18 C and sunny")
    assert after["result"]["finish_reason"] == "stop"


def test_claude_tool_use_then_tool_result(api: Api) -> None:
    tool = {"name": "search", "input_schema": {"type": "object", "properties": {}}}
    body = api.chat("find cats", model="claude-sonnet-4", tools=[tool]).json()
    message = body["result"]["message"]
    assert message["stop_reason"] == "tool_use"
    (part,) = message["content"]
    assert part == {
        "type": "tool_use",
        "id": part["id"],
        "name": "search",
        "input": {},
    }
    messages = [
        {"role": "user", "content": "find cats"},
        {"role": "assistant", "content": message["content"]},
        {
            "role": "user",
            "content": [{"type": "tool_result", "tool_use_id": part["id"], "content": "3 cats"}],
        },
    ]
    after = api.chat(messages, model="claude-sonnet-4", tools=[tool]).json()
    assert reply_text(after) == expected_tool_reply("3 cats")


def test_tool_choice(api: Api) -> None:
    other = {"type": "function", "function": {"name": "other", "parameters": {}}}
    named = {"type": "function", "function": {"name": "get_weather"}}
    body = api.chat("x", model="gpt-4o", tools=[other, WEATHER_TOOL], tool_choice=named).json()
    assert body["result"]["message"]["tool_calls"][0]["function"]["name"] == "get_weather"
    plain = api.chat("x", model="gpt-4o", tools=[WEATHER_TOOL], tool_choice="none").json()
    assert reply_text(plain) == expected_reply("x", "gpt-4o")


def test_streamed_reply(api: Api) -> None:
    response = api.chat("Stream me", model="gpt-4o-mini", stream=True)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-ndjson"
    assert response.headers["transfer-encoding"] == "chunked"
    lines = ndjson(response)
    texts = [line["text"] for line in lines if line["type"] == "text"]
    assert len(texts) > 2
    assert "".join(texts) == expected_reply("Stream me", "gpt-4o-mini")
    assert lines[-1]["type"] == "usage" and lines[-1]["usage"]["prompt_tokens"] == 2
    assert "success" not in response.text


def test_streamed_reasoning_model_sends_reasoning_first(api: Api) -> None:
    lines = ndjson(api.chat("Think", model="gpt-5-nano", stream=True))
    assert lines[0] == {"type": "reasoning", "reasoning": "Thinking about: Think"}
    assert [line["type"] for line in lines[1:]][-1] == "usage"


def test_streamed_tool_call(api: Api) -> None:
    lines = ndjson(api.chat("Paris", model="claude-sonnet-4", stream=True, tools=[WEATHER_TOOL]))
    assert [line["type"] for line in lines] == ["tool_use", "usage"]
    assert lines[0]["name"] == "get_weather"
    assert lines[0]["input"] == {"city": "Paris", "unit": "celsius"}


def test_stream_flag_is_read_from_args_only(api: Api) -> None:
    body = chat_body("Hi")
    body["stream"] = True
    response = api.call(body)
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["success"] is True


def test_each_stream_line_is_flushed_on_its_own(api: Api) -> None:
    api.emulator.state.options.stream_line_delay = 0.1
    body = chat_body("Hello streaming world", stream=True)
    headers = api.auth()
    arrivals: list[float] = []
    url = f"{api.emulator.api_base}/drivers/call"
    with api.client.stream("POST", url, json=body, headers=headers) as response:
        for line in response.iter_lines():
            if line:
                arrivals.append(time.monotonic())
                if len(arrivals) == 1:
                    # The server has not finished this request: the first delta came alone.
                    assert not api.emulator.requests_to("/drivers/call")[-1].done.is_set()
    assert len(arrivals) >= 4
    assert arrivals[-1] - arrivals[0] >= 0.1 * (len(arrivals) - 1) * 0.8


def test_models_and_list_methods_return_the_unfiltered_catalog(api: Api) -> None:
    base = {"interface": "puter-chat-completion", "driver": "ai-chat", "args": {}}
    models = api.call({**base, "method": "models"}).json()
    assert models["success"] is True
    ids = {m["id"] for m in models["result"]}
    assert {"fake", "costly", "abuse", "gpt-4o"} <= ids
    listed = api.call({**base, "method": "list"}).json()["result"]
    assert "fake" in listed and "gpt-4o" in listed


def test_a_body_without_interface_is_a_400_not_a_404(api: Api) -> None:
    body = chat_body("Hi")
    del body["interface"]
    response = api.call(body)
    assert response.status_code == 400
    assert response.json()["message"] == "Missing or invalid `interface`"


def test_a_body_without_method_is_a_400(api: Api) -> None:
    body = chat_body("Hi")
    del body["method"]
    response = api.call(body)
    assert response.status_code == 400
    assert response.json()["message"] == "Missing or invalid `method`"


@pytest.mark.parametrize(
    ("change", "status", "code", "message"),
    [
        ({"args": {"model": "gpt-9", "messages": [{"role": "user", "content": "x"}]}},
         400, "bad_request", "Model not found: gpt-9"),
        ({"interface": "no-such-interface"}, 404, "not_found",
         "Driver not found: no-such-interface:(no default)"),
        ({"interface": None}, 400, "bad_request", "Missing or invalid `interface`"),
        ({"interface": ""}, 400, "bad_request", "Missing or invalid `interface`"),
        ({"interface": 7}, 400, "bad_request", "Missing or invalid `interface`"),
        ({"method": None}, 400, "bad_request", "Missing or invalid `method`"),
        ({"method": "explode"}, 404, "not_found",
         "Method 'explode' not found on driver 'puter-chat-completion'"),
        ({"driver": "claude"}, 404, "not_found",
         "Driver not found: puter-chat-completion:claude"),
        ({"driver": "openai-completion"}, 404, "not_found",
         "Driver not found: puter-chat-completion:openai-completion"),
        ({"args": {"model": "fake", "messages": []}}, 400, "bad_request", None),
    ],
)  # fmt: skip
def test_driver_call_errors(
    api: Api, change: dict[str, Any], status: int, code: str, message: str | None
) -> None:
    response = api.call({**chat_body("Hi"), **change})
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code and body["error"] == body["message"]
    if message is not None:
        assert body["message"] == message


def test_provider_pin_must_match(api: Api) -> None:
    assert api.chat("Hi", model="gpt-4o", provider="openai-completion").status_code == 200
    assert api.chat("Hi", model="gpt-4o", provider="claude").status_code == 400


def test_malformed_json(api: Api) -> None:
    response = api.client.post(
        f"{api.emulator.api_base}/drivers/call",
        content=b'{"interface": ',
        headers={**api.auth(), "Content-Type": "application/json"},
    )
    assert (response.status_code, response.json()["code"]) == (400, "client_bad_json")


def test_insufficient_funds(api: Api) -> None:
    response = api.chat("Hi", model="gpt-4o", user="broke_user")
    assert response.status_code == 402
    assert response.headers["x-needs-upgrade"] == "true"
    assert response.json()["code"] == "insufficient_funds"
    assert api.chat("Hi", model="fake", user="broke_user").status_code == 200  # free


def test_unconfirmed_email(api: Api) -> None:
    response = api.chat("Hi", user="unconfirmed_user")
    assert (response.status_code, response.json()["code"]) == (403, "email_confirmation_required")


def test_large_bodies_are_accepted(api: Api) -> None:
    image = "data:image/png;base64," + "A" * (30 * 1024 * 1024)
    content = [{"type": "text", "text": "Big"}, {"type": "image_url", "image_url": {"url": image}}]
    response = api.chat([{"role": "user", "content": content}], timeout=30.0)
    assert response.status_code == 200
    assert reply_text(response.json()) == expected_reply("Big", "fake", images=1)


@pytest.mark.parametrize(("limit", "size"), [(1024, 2048), (64 * 1024, 4 * 1024 * 1024)])
def test_bodies_over_the_limit_get_413(api: Api, limit: int, size: int) -> None:
    api.emulator.state.options.max_body_bytes = limit
    response = api.chat("x" * size)
    assert response.status_code == 413
    assert response.json()["code"] == "client_bad_request"
    assert response.headers["x-needs-upgrade"] == "true"
    assert api.emulator.requests[-1].status == 413
    assert api.chat("small").status_code == 200  # the connection is still usable


def test_ids_are_deterministic_after_reset(api: Api) -> None:
    first = api.chat("Hi").json()["result"]["message"]["id"]
    api.emulator.reset()
    assert api.chat("Hi").json()["result"]["message"]["id"] == first


async def test_async_client(api: Api) -> None:
    headers = api.auth()
    async with httpx.AsyncClient(base_url=api.emulator.api_base) as client:
        responses = [
            await client.post("/drivers/call", json=chat_body(f"n{i}"), headers=headers)
            for i in range(3)
        ]
    assert [reply_text(r.json()) for r in responses] == [
        expected_reply(f"n{i}", "fake") for i in range(3)
    ]
