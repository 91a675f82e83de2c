"""An application that uses the generated models and endpoint stubs directly.

``make typecheck`` checks this file with ``mypy --strict``: the documented way of using the
models needs no ``Any``, ``cast`` or ``type: ignore``, and ``assert_type`` pins the types an
application relies on. test_app_models.py also runs it, so it stays honest at runtime.

What it shows: requests built with keyword arguments, roles and tags as plain strings,
optional *and* nullable fields narrowed with ``is UNSET`` / ``is None``, content parts and
stream lines narrowed by class (``isinstance`` or ``match``), the stubs' signatures.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
import httpx
from typing_extensions import assert_type

from puter_client._generated import endpoints, models
from puter_client.core._unset import UNSET, UnsetType
from puter_client.core.serialization import structure, unstructure

API_BASE = "https://api.puter.com"
WEB_BASE = "https://puter.com"


# ------------------------------------------------------------------- requests


def login_request(username: str, password: str) -> httpx.Request:
    body = models.LoginRequest(username=username, password=password)
    request = endpoints.build_login(body, base_url=WEB_BASE)
    assert_type(request, httpx.Request)
    return request


def weather_tool() -> models.Tool:
    return models.Tool(
        function=models.FunctionDefinition(
            name="get_weather",
            description="The weather in a city.",
            parameters={"type": "object", "properties": {"city": {"type": "string"}}},
        )
    )


def conversation(question: str, image_url: str) -> list[models.ChatMessage]:
    """Every role, as a plain string, and every kind of content."""
    parts: list[models.ContentPart] = [
        models.TextPart(text=question),
        models.ImageUrlPart(image_url=models.ImageUrl(url=image_url, detail="low")),
    ]
    return [
        models.ChatMessage(role="system", content="Answer briefly."),
        models.ChatMessage(role="user", content=parts),
        models.ChatMessage(
            role="assistant",
            content=None,  # JSON null: a turn that only calls tools
            tool_calls=[
                models.ToolCall(
                    id="call_1",
                    function=models.FunctionCall(name="get_weather", arguments='{"city": "Oslo"}'),
                )
            ],
        ),
        models.ChatMessage(role="tool", content="4 °C, rain", tool_call_id="call_1"),
    ]


def claude_style_tool_turns() -> list[models.ChatMessage]:
    return [
        models.ChatMessage(
            role="assistant",
            content=[models.ToolUsePart(id="tu_1", name="get_weather", input={"city": "Oslo"})],
        ),
        models.ChatMessage(
            role="user",
            content=[
                models.ToolResultPart(
                    tool_use_id="tu_1", content=[models.TextPart(text="4 °C, rain")], is_error=False
                ),
                models.FilePart(puter_path="/alice/Desktop/forecast.pdf"),
                models.InputAudioPart(input_audio=models.InputAudio(data="UklGRg==", format="wav")),
            ],
        ),
    ]


ROLES: dict[str, models.Role] = {
    "system": "system",
    "user": "user",
    "assistant": "assistant",
    "tool": "tool",
}


def speaker(name: str) -> models.Role:
    """A ``Role`` from untrusted text (a plain ``str`` is not a ``Role`` until checked)."""
    try:
        return ROLES[name]
    except KeyError:
        raise ValueError(f"unknown role {name!r}") from None


def chat_call(
    messages: list[models.ChatMessage], *, stream: bool = False
) -> models.ChatCompleteCall:
    return models.ChatCompleteCall(
        driver="ai-chat",
        args=models.ChatCompleteArgs(
            model="gpt-5-nano",
            messages=messages,
            stream=stream,
            max_tokens=256,
            temperature=0.2,
            tools=[weather_tool()],
            tool_choice="auto",
        ),
    )


def chat_request(token: str, question: str, image_url: str) -> httpx.Request:
    call = chat_call(conversation(question, image_url))
    request = endpoints.build_chat_complete(call, base_url=API_BASE, token=token)
    assert_type(request, httpx.Request)
    return request


def with_more_tokens(call: models.ChatCompleteCall, max_tokens: int) -> models.ChatCompleteCall:
    """Models are plain attrs classes: ``attrs.evolve`` copies them with changes."""
    return attrs.evolve(call, args=attrs.evolve(call.args, max_tokens=max_tokens))


def models_request(token: str) -> httpx.Request:
    call = models.ChatModelsCall(driver="ai-chat", args=models.ChatModelsArgs())
    return endpoints.build_chat_models(call, base_url=API_BASE, token=token)


# ------------------------------------------------------------------ responses


def part_text(part: models.ContentPart) -> str:
    """The text of one part, narrowed by class."""
    if isinstance(part, models.TextPart):
        assert_type(part, models.TextPart)
        return part.text
    if isinstance(part, models.ToolResultPart):
        return text_of(part.content)
    if isinstance(part, models.UnknownPart):
        extra: dict[str, Any] = part.additional_properties
        return str(extra.get("text", ""))
    return ""


def text_of(content: str | list[models.ContentPart] | UnsetType | None) -> str:
    """All text of a message's content, whatever its shape."""
    if content is UNSET or content is None:
        return ""
    if isinstance(content, str):
        return content
    assert_type(content, list[models.ContentPart])
    return "".join(part_text(part) for part in content)


def describe_part(part: models.ContentPart) -> str:
    """The same narrowing with ``match`` on classes."""
    match part:
        case models.TextPart(text=text):
            return text
        case models.ImageUrlPart(image_url=models.ImageUrl(url=url)):
            return f"[image {url}]"
        case models.ToolUsePart(name=name, input=arguments):
            return f"[call {name}({json.dumps(arguments)})]"
        case models.UnknownPart(type=kind):
            return f"[{kind}]"
        case _:
            return f"[{part.type}]"


def reply(response: httpx.Response) -> str:
    parsed = endpoints.parse_chat_complete(response)
    assert_type(parsed, models.ChatCompleteResponse)
    message = parsed.result.message
    assert_type(message, models.ResultMessage)
    if message.refusal is not UNSET and message.refusal is not None:
        assert_type(message.refusal, str)
        return f"refused: {message.refusal}"
    return text_of(message.content)


def finish_reason(result: models.ChatCompleteResult) -> str:
    """``UNSET`` (the key was absent), ``None`` (it was null) or the reason."""
    if result.finish_reason is UNSET:
        return "(not reported)"
    if result.finish_reason is None:
        return "(null)"
    assert_type(result.finish_reason, str)
    return result.finish_reason


def tool_calls(message: models.ResultMessage) -> list[models.ToolCall]:
    calls = message.tool_calls
    if calls is UNSET or calls is None:
        return []
    assert_type(calls, list[models.ToolCall])
    return calls


def model_ids(response: httpx.Response) -> list[str]:
    listed = endpoints.parse_list_models(response)
    assert_type(listed, models.ModelList)
    return listed.models


def catalog(response: httpx.Response) -> dict[str, str | None]:
    details = endpoints.parse_chat_models(response).result
    assert_type(details, list[models.ModelDetails])
    return {d.id: d.puter_id for d in details}


def account(response: httpx.Response) -> tuple[str, str | None]:
    who = endpoints.parse_whoami(response)
    email = None if who.email is UNSET else who.email
    return who.username, email


def streamed_text(lines: Iterable[bytes]) -> Iterator[str]:
    """The text deltas of a streamed reply; unknown line types are skipped."""
    for raw in lines:
        line = endpoints.parse_chat_complete_line(raw)
        assert_type(line, models.StreamLine)
        match line:
            case models.StreamText(text=text) | models.StreamReasoning(reasoning=text):
                yield text
            case models.StreamError(message=message):
                raise RuntimeError(message or "stream failed")
            case _:
                pass


# ---------------------------------------------------------- the converter itself


def round_trip(data: dict[str, Any]) -> dict[str, Any]:
    parsed = structure(data, models.ChatCompleteResponse)
    assert_type(parsed, models.ChatCompleteResponse)
    dumped: dict[str, Any] = unstructure(parsed)
    return dumped
