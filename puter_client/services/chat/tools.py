"""Tool calls, whichever style the provider used, and tool results to send back.

OpenAI-family models return ``message.tool_calls`` (arguments as a JSON text);
Claude-family models return ``tool_use`` content parts (arguments as an object).
``ToolRequest`` is the one view of both; ``tool_result_messages`` answers them in the
style they were asked in, which is the wire format the server accepts for that model.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from puter_client._generated import models
from puter_client.core.exceptions import PuterInputError

__all__ = [
    "ToolRequest",
    "assistant_tool_turn",
    "tool_call_style",
    "tool_requests_of",
    "tool_result_messages",
]

# Providers whose models call tools with `tool_use` parts; the others use `tool_calls`.
CLAUDE_STYLE_PROVIDERS = frozenset({"claude", "anthropic", "fake-chat"})


@attrs.frozen(kw_only=True)
class ToolRequest:
    """One tool call made by the model.

    ``arguments`` is the decoded object (``{}`` when an OpenAI-style JSON text does not
    decode to one; ``raw_arguments`` keeps that text). ``style`` is ``"openai"`` or
    ``"claude"``: the form of the call, and so of the result to send back.
    """

    id: str
    name: str
    arguments: dict[str, Any]
    style: str
    raw_arguments: str | None = None


def tool_requests_of(message: models.ChatMessage | models.ResultMessage) -> list[ToolRequest]:
    """The tool calls of an assistant message, in order."""
    requests: list[ToolRequest] = []
    if isinstance(message.tool_calls, list):
        for call in message.tool_calls:
            requests.append(
                ToolRequest(
                    id=call.id,
                    name=call.function.name,
                    arguments=_decode_arguments(call.function.arguments),
                    style="openai",
                    raw_arguments=call.function.arguments,
                )
            )
    if isinstance(message.content, list):
        for part in message.content:
            if isinstance(part, models.ToolUsePart):
                requests.append(
                    ToolRequest(id=part.id, name=part.name, arguments=part.input, style="claude")
                )
    return requests


def tool_call_style(provider: str | None) -> str:
    """``"claude"`` or ``"openai"``: how models of ``provider`` call tools (Claude if unknown)."""
    return "openai" if provider and provider not in CLAUDE_STYLE_PROVIDERS else "claude"


def assistant_tool_turn(text: str, requests: Sequence[ToolRequest]) -> models.ChatMessage:
    """The assistant turn that made ``requests`` (and said ``text``), in their style."""
    if requests and requests[0].style == "openai":
        calls = [
            models.ToolCall(
                id=r.id,
                type="function",
                function=models.FunctionCall(
                    name=r.name, arguments=r.raw_arguments or json.dumps(r.arguments)
                ),
            )
            for r in requests
        ]
        return models.ChatMessage(role="assistant", content=text or None, tool_calls=calls)
    parts: list[models.ContentPart] = [models.TextPart(text=text)] if text else []
    parts += [models.ToolUsePart(id=r.id, name=r.name, input=r.arguments) for r in requests]
    return models.ChatMessage(role="assistant", content=parts)


def tool_result_messages(
    requests: Sequence[ToolRequest], results: Mapping[str, Any]
) -> list[models.ChatMessage]:
    """The messages answering ``requests`` with ``results`` (tool call id -> result).

    A result that is not a string is sent as its JSON text. Every request must have a
    result, and every result a request (``ValueError`` otherwise).
    """
    by_id = {r.id: r for r in requests}
    unknown = sorted(set(results) - set(by_id))
    if unknown:
        raise PuterInputError(
            f"tool_results names calls the model did not make: {unknown}",
            code="invalid_arguments",
        )
    missing = [r.id for r in requests if r.id not in results]
    if missing:
        raise PuterInputError(
            f"tool_results lacks results for the calls {missing}", code="invalid_arguments"
        )
    messages: list[models.ChatMessage] = []
    claude_parts: list[models.ContentPart] = []
    for request in requests:
        text = _result_text(results[request.id])
        if request.style == "claude":
            claude_parts.append(models.ToolResultPart(tool_use_id=request.id, content=text))
        else:
            messages.append(models.ChatMessage(role="tool", tool_call_id=request.id, content=text))
    if claude_parts:
        messages.append(models.ChatMessage(role="user", content=claude_parts))
    return messages


def _decode_arguments(text: str) -> dict[str, Any]:
    try:
        value = json.loads(text) if text else {}
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _result_text(result: Any) -> str:
    if isinstance(result, str):
        return result
    try:
        return json.dumps(result, ensure_ascii=False)
    except (TypeError, ValueError):
        raise PuterInputError(
            f"a tool result must be a str or JSON-serializable, not {result!r}",
            code="invalid_arguments",
        ) from None
