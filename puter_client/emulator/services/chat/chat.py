"""Deterministic chat completions and the bodies that carry them (pure functions).

Reply text, so that tests can see what arrived::

    You said: {last_user_text} (model={requested_model}, turns={user_messages},
    images={image_parts}, audio={audio_parts}[, videos={video_parts}][, files={file_parts}])

on one line, where ``last_user_text`` is the string content of the last ``user``
message, or the concatenation of its ``text`` parts; ``requested_model`` is
``args.model`` exactly as sent (the default model's id when absent); ``user_messages``
counts the messages whose role is ``user``; ``image_parts`` counts the last user
message's ``image_url`` and ``image`` parts, ``audio_parts`` its ``input_audio`` parts,
``video_parts`` its ``video_url`` parts and ``file_parts`` its files (``file``,
``document`` and ``container_upload`` parts, and any part still naming a
``puter_path``); the last two are written only when not zero. The parts are counted as
the model sees them: after the provider read the files they name (`files`), so a Puter
image becomes an image, and a file the model cannot be given an error text in the
message's text. Build it with `expected_reply`.

Tools: when ``args.tools`` is a non-empty list, ``tool_choice`` is not ``"none"`` and
the last message is not a tool result, the model calls the tool named by
``tool_choice`` (else the first tool) with the arguments the user text writes for it
(``magic_function(3)``) or else made from its JSON schema (`tool_arguments`, module
`arguments`). After a tool result (a ``role: tool`` message, or a user message
with ``tool_result`` parts) the reply is ``"Tool result: " + <the result's text>``
(`expected_tool_reply`).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from puter_client.emulator.core.jsvalues import js_to_number
from puter_client.emulator.services.chat.arguments import tool_arguments
from puter_client.emulator.services.chat.catalog import ModelInfo

IMAGE_PART_TYPES = frozenset({"image_url", "image"})
AUDIO_PART_TYPES = frozenset({"input_audio"})
VIDEO_PART_TYPES = frozenset({"video_url"})
FILE_PART_TYPES = frozenset({"file", "document", "container_upload"})


def expected_reply(
    text: str,
    model: str,
    *,
    turns: int = 1,
    images: int = 0,
    audio: int = 0,
    videos: int = 0,
    files: int = 0,
) -> str:
    """The reply the emulator gives to a plain chat message (see the module docstring)."""
    counts = f"turns={turns}, images={images}, audio={audio}"
    if videos:
        counts += f", videos={videos}"
    if files:
        counts += f", files={files}"
    return f"You said: {text} (model={model}, {counts})"


def expected_tool_reply(result_text: str) -> str:
    """The reply the emulator gives after a tool result."""
    return f"Tool result: {result_text}"


def content_text(content: Any) -> str:
    """A string content, or the concatenated ``text`` of a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(
            p["text"]
            for p in content
            if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str)
        )
    return ""


def _parts(message: dict[str, Any]) -> list[dict[str, Any]]:
    content = message.get("content")
    return [p for p in content if isinstance(p, dict)] if isinstance(content, list) else []


def _last_user(messages: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return next((m for m in reversed(messages) if m.get("role") == "user"), {})


def last_user_text(messages: Sequence[dict[str, Any]]) -> str:
    """The text of the last ``user`` message."""
    return content_text(_last_user(messages).get("content"))


def reply_text_for(messages: Sequence[dict[str, Any]], model: str) -> str:
    """The plain reply to ``messages`` asked of ``model`` (the name as requested)."""
    last = _last_user(messages)
    parts = _parts(last)
    types = [p.get("type") for p in parts]
    return expected_reply(
        content_text(last.get("content")),
        model,
        turns=sum(1 for m in messages if m.get("role") == "user"),
        images=sum(1 for t in types if t in IMAGE_PART_TYPES),
        audio=sum(1 for t in types if t in AUDIO_PART_TYPES),
        videos=sum(1 for t in types if t in VIDEO_PART_TYPES),
        files=sum(1 for p in parts if p.get("type") in FILE_PART_TYPES or p.get("puter_path")),
    )


def tool_result_text(messages: Sequence[dict[str, Any]]) -> str | None:
    """The text of the tool result that ends ``messages``, or None."""
    if not messages:
        return None
    last = messages[-1]
    if last.get("role") == "tool":
        return content_text(last.get("content"))
    results = [p for p in _parts(last) if p.get("type") == "tool_result"]
    if last.get("role") == "user" and results:
        return "".join(content_text(p.get("content")) for p in results)
    return None


def _tool_name(tool: dict[str, Any]) -> str:
    function = tool.get("function")
    source = function if isinstance(function, dict) else tool
    return str(source.get("name", ""))


def _tool_schema(tool: dict[str, Any]) -> dict[str, Any]:
    function = tool.get("function")
    source = function if isinstance(function, dict) else tool
    for key in ("parameters", "input_schema"):
        schema = source.get(key)
        if isinstance(schema, dict):
            return schema
    return {}


def _chosen_tool(tools: list[dict[str, Any]], tool_choice: Any) -> dict[str, Any] | None:
    if tool_choice == "none":
        return None
    wanted = None
    if isinstance(tool_choice, dict):
        wanted = _tool_name(tool_choice) or None
    return next((t for t in tools if _tool_name(t) == wanted), tools[0])


@dataclass(frozen=True)
class ToolCall:
    """A call the model asks the caller to make."""

    id: str
    name: str
    arguments: dict[str, Any]


@dataclass(frozen=True)
class Completion:
    """What the model answers: text or a tool call, plus token counts."""

    text: str | None
    tool_call: ToolCall | None
    reasoning: str | None
    input_tokens: int
    output_tokens: int

    @property
    def finish_reason(self) -> str:
        """``"tool_calls"`` for a tool call, else ``"stop"``."""
        return "tool_calls" if self.tool_call else "stop"


def _words(text: str) -> int:
    return len(text.split())


def complete(
    messages: Sequence[dict[str, Any]],
    args: dict[str, Any],
    requested_model: str,
    model: ModelInfo,
    new_id: Callable[[str], str],
) -> Completion:
    """The model's answer to a ``complete`` call."""
    user_text = last_user_text(messages)
    tools = [t for t in args.get("tools") or [] if isinstance(t, dict)]
    result = tool_result_text(messages)
    tool = _chosen_tool(tools, args.get("tool_choice")) if tools and result is None else None
    call: ToolCall | None = None
    text: str | None = None
    if tool is not None:
        prefix = "toolu_" if model.family == "claude" else "call_"
        arguments = tool_arguments(_tool_schema(tool), user_text, name=_tool_name(tool))
        call = ToolCall(id=new_id(prefix), name=_tool_name(tool), arguments=arguments)
        output = json.dumps(arguments)
    elif result is not None:
        text = output = expected_tool_reply(result)
    else:
        text = output = reply_text_for(messages, requested_model)
    input_tokens = sum(_words(content_text(m.get("content"))) for m in messages)
    output_tokens = _words(output)
    if model.id == COSTLY_MODEL:
        input_tokens, output_tokens = costly_usage(messages, output, args.get("max_tokens"))
    return Completion(
        text=text,
        tool_call=call,
        reasoning=f"Thinking about: {user_text}" if model.reasoning else None,
        input_tokens=input_tokens,
        output_tokens=output_tokens,
    )


def _js_length(text: str) -> int:
    """JavaScript's ``length``: UTF-16 code units."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


COSTLY_MODEL = "costly"
"""The test model whose usage the server counts from the input (``FakeChatProvider``)."""


def costly_usage(
    messages: Sequence[dict[str, Any]], output: str, max_tokens: Any
) -> tuple[int, int]:
    """The ``costly`` model's token counts as the server's fake provider makes them:
    every message's text (string content, or its text parts) at one token per 4
    characters, rounded up, summed over the whole prompt; the output between 50 and 200
    tokens (the server's is random in that range; here it follows the reply's words),
    never over ``max_tokens`` as sent (8192 when absent)."""
    input_tokens = 0
    for message in messages:
        content = message.get("content")
        if isinstance(content, str):
            input_tokens += math.ceil(_js_length(content) / 4)
        elif isinstance(content, list):
            for part in content:
                if isinstance(part, dict) and part.get("type") == "text":
                    text = part.get("text")
                    if isinstance(text, str):
                        input_tokens += math.ceil(_js_length(text) / 4)
    limit = 8192.0 if max_tokens is None else js_to_number(max_tokens)
    wanted = float(min(200, max(50, _words(output))))
    capped = min(wanted, limit) if not math.isnan(limit) else math.nan
    output_tokens = 0 if math.isnan(capped) else max(0, math.floor(capped))
    return input_tokens, output_tokens


def usage(completion: Completion, model: ModelInfo, *, legacy: bool) -> Any:
    """Token usage as each provider family and server generation report it."""
    cin = completion.input_tokens * model.input_cost / 1_000_000
    cout = completion.output_tokens * model.output_cost / 1_000_000
    if model.family == "claude":
        body: dict[str, Any] = {
            "input_tokens": completion.input_tokens,
            "output_tokens": completion.output_tokens,
        }
        if not legacy:
            body["usd_cents"] = None if model.free else cin + cout
        return body
    if legacy:
        return [
            {"type": "prompt", "model": model.id, "amount": completion.input_tokens, "cost": cin},
            {
                "type": "completion",
                "model": model.id,
                "amount": completion.output_tokens,
                "cost": cout,
            },
        ]
    return {
        "prompt_tokens": completion.input_tokens,
        "completion_tokens": completion.output_tokens,
        "total_tokens": completion.input_tokens + completion.output_tokens,
    }


def tool_use_part(call: ToolCall) -> dict[str, Any]:
    """A Claude-style ``tool_use`` part (also the streamed tool line)."""
    return {"type": "tool_use", "id": call.id, "name": call.name, "input": call.arguments}


def message(completion: Completion, model: ModelInfo, message_id: str) -> dict[str, Any]:
    """``result.message``: content as parts (Claude family) or a string (OpenAI family)."""
    call = completion.tool_call
    if model.family == "claude":
        content = [tool_use_part(call)] if call else [{"type": "text", "text": completion.text}]
        return {
            "id": message_id,
            "type": "message",
            "role": "assistant",
            "model": model.id,
            "content": content,
            "stop_reason": "tool_use" if call else "end_turn",
            "stop_sequence": None,
        }
    body: dict[str, Any] = {
        "id": message_id,
        "role": "assistant",
        "model": model.id,
        "content": completion.text,
        "refusal": None,
        "annotations": [],
        "stop_reason": completion.finish_reason,
    }
    if call:
        body["tool_calls"] = [
            {
                "id": call.id,
                "type": "function",
                "function": {"name": call.name, "arguments": json.dumps(call.arguments)},
            }
        ]
    return body


def result(
    completion: Completion,
    model: ModelInfo,
    message_id: str,
    *,
    legacy: bool,
    via_ai_chat: bool,
) -> dict[str, Any]:
    """The ``result`` of a successful ``complete`` call."""
    body: dict[str, Any] = {}
    if model.family == "openai":
        body["index"] = 0
    body["message"] = message(completion, model, message_id)
    if model.family == "openai":
        body["logprobs"] = None
    body["finish_reason"] = completion.finish_reason
    body["usage"] = usage(completion, model, legacy=legacy)
    if via_ai_chat:
        body["via_ai_chat_service"] = True
    return body


def stream_lines(
    completion: Completion, model: ModelInfo, chunk_chars: int
) -> list[dict[str, Any]]:
    """The NDJSON objects of a streamed reply, the ``usage`` line last."""
    lines: list[dict[str, Any]] = []
    if completion.reasoning:
        lines.append({"type": "reasoning", "reasoning": completion.reasoning})
    if completion.tool_call:
        lines.append(tool_use_part(completion.tool_call))
    text = completion.text or ""
    size = max(1, chunk_chars)
    lines.extend({"type": "text", "text": text[i : i + size]} for i in range(0, len(text), size))
    lines.append({"type": "usage", "usage": usage(completion, model, legacy=False)})
    return lines
