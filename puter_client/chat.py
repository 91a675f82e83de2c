"""The pure core of a chat call: the user turn, the driver call, the reply.

Nothing here does I/O; ``PuterAI`` runs these pieces in its sync and async faces alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, TypedDict

import attrs

from puter_client._generated import models
from puter_client._jsonbody import check_sendable
from puter_client._unset import UNSET
from puter_client.exceptions import PuterAPIError
from puter_client.media import build_user_content
from puter_client.serialization import ModelValidationError, structure, unstructure
from puter_client.tools import ToolRequest, tool_requests_of

__all__ = [
    "AI_CHAT_DRIVER",
    "ChatCompletion",
    "ChatOptions",
    "as_messages",
    "assistant_message",
    "build_call",
    "is_legacy_ai_chat_refusal",
    "reply_text",
    "user_message",
    "validated_options",
]

AI_CHAT_DRIVER = "ai-chat"
# How older servers refuse the `ai-chat` driver; the SDK then names the provider instead.
_LEGACY_AI_CHAT_REFUSAL = "ai-chat directly is not yet supported"


class ChatOptions(TypedDict, total=False):
    """Optional arguments of a chat call; only those given are sent."""

    max_tokens: int
    temperature: float
    top_p: float
    tools: Sequence[Mapping[str, Any] | models.Tool]
    tool_choice: str | Mapping[str, Any]
    reasoning_effort: str
    provider: str
    response: Mapping[str, Any]


OPTION_NAMES = frozenset(ChatOptions.__annotations__)


def validated_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The chat options as model values; ``TypeError``/``ValueError`` for bad ones."""
    if not options:
        return {}
    unknown = sorted(set(options) - OPTION_NAMES)
    if unknown:
        raise TypeError(f"unknown chat option(s): {', '.join(unknown)}")
    given = {name: unstructure(value) for name, value in options.items() if value is not None}
    for name, value in given.items():
        check_sendable(value, f"the chat option {name}")
    try:
        args = structure({"model": "-", "messages": [], **given}, models.ChatCompleteArgs)
    except ModelValidationError as exc:
        raise ValueError(f"invalid chat option: {'; '.join(exc.errors)}") from None
    return {name: getattr(args, name) for name in given}


def as_messages(messages: Sequence[Any]) -> list[models.ChatMessage]:
    """Messages given as dicts or ``ChatMessage`` models, as models."""
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise ValueError("messages must be a list of messages")
    if not messages:
        raise ValueError("messages must not be empty")
    result = []
    for index, message in enumerate(messages):
        if isinstance(message, models.ChatMessage):
            result.append(message)
            continue
        check_sendable(message, f"messages[{index}]")
        try:
            result.append(structure(message, models.ChatMessage))
        except ModelValidationError as exc:
            problems = "; ".join(e.replace("@ $", f"@ messages[{index}]") for e in exc.errors)
            raise ValueError(f"messages[{index}] is not a valid message: {problems}") from None
    return result


def user_message(
    prompt: str | None,
    images: Sequence[Any] | None,
    content_parts: Sequence[Any] | None,
) -> models.ChatMessage:
    """The user turn for a chat call; ``ValueError`` when there is nothing valid to send."""
    content = build_user_content(prompt, images, content_parts)
    if isinstance(content, str):
        check_sendable(content, "the prompt")
        return models.ChatMessage(role="user", content=content)
    parts = [_as_part(p, i) for i, p in enumerate(content)]
    if content_parts is not None:
        for index, part in enumerate(parts):
            check_sendable(part, f"content_parts[{index}]")
    else:
        if isinstance(prompt, str):
            check_sendable(prompt, "the prompt")
        image_parts = parts[len(parts) - len(images or ()) :]
        for index, part in enumerate(image_parts):
            check_sendable(part, f"images[{index}]")
    return models.ChatMessage(role="user", content=parts)


def _as_part(part: Any, index: int) -> models.ContentPart:
    if attrs.has(type(part)):
        if not isinstance(part, models.ContentPart):
            raise ValueError(f"content_parts[{index}]: {type(part).__name__} is not a content part")
        return part
    try:
        part_model: models.ContentPart = structure(part, models.ContentPart)
        return part_model
    except ModelValidationError as exc:
        problems = "; ".join(e.replace("@ $", f"@ content_parts[{index}]") for e in exc.errors)
        raise ValueError(
            f"content_parts[{index}] is not a valid content part: {problems}"
        ) from None


def build_call(
    messages: list[models.ChatMessage],
    model: str,
    *,
    driver: str = AI_CHAT_DRIVER,
    stream: bool = False,
    options: dict[str, Any] | None = None,
) -> models.ChatCompleteCall:
    """The ``complete`` driver call; ``options`` holds only the arguments the caller set."""
    args = models.ChatCompleteArgs(model=model, messages=messages, **(options or {}))
    if stream:
        args.stream = True
    return models.ChatCompleteCall(driver=driver, args=args)


def reply_text(result: models.ChatCompleteResult) -> str:
    """The reply's text: the string content, or the concatenated text parts."""
    content = result.message.content
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(part.text for part in content if isinstance(part, models.TextPart))
    return ""


def assistant_message(result: models.ChatCompleteResult, text: str) -> models.ChatMessage:
    """The assistant turn to record in history for ``result``.

    A plain reply is recorded as its text; a turn that calls tools keeps the calls in
    the form the model made them (``tool_calls``, or ``tool_use`` parts).
    """
    content = result.message.content
    if isinstance(content, list) and any(isinstance(p, models.ToolUsePart) for p in content):
        return models.ChatMessage(role="assistant", content=list(content))
    tool_calls = result.message.tool_calls
    if isinstance(tool_calls, list) and tool_calls:
        return models.ChatMessage(role="assistant", content=text or None, tool_calls=tool_calls)
    return models.ChatMessage(role="assistant", content=text)


@attrs.frozen(kw_only=True)
class ChatCompletion:
    """The typed result of ``PuterAI.complete``.

    ``result`` is the generated ``ChatCompleteResult`` as the server sent it; the other
    attributes are read from it.
    """

    result: models.ChatCompleteResult
    text: str
    tool_calls: list[ToolRequest]

    @classmethod
    def of(cls, result: models.ChatCompleteResult) -> ChatCompletion:
        """The completion of a result."""
        return cls(
            result=result, text=reply_text(result), tool_calls=tool_requests_of(result.message)
        )

    @property
    def finish_reason(self) -> str | None:
        """Why the model stopped (``stop``, ``length``, ``tool_calls``...), if it said."""
        reason = self.result.finish_reason
        if isinstance(reason, str):
            return reason
        stop = self.result.message.stop_reason
        return stop if isinstance(stop, str) else None

    @property
    def usage(self) -> Any:
        """Token usage and cost as the server reported it (shape varies), or None."""
        return None if self.result.usage is UNSET else self.result.usage

    @property
    def message(self) -> models.ChatMessage:
        """The assistant turn, ready to append to the messages of a next call."""
        return assistant_message(self.result, self.text)


def is_legacy_ai_chat_refusal(exc: PuterAPIError) -> bool:
    """Whether ``exc`` is an older server refusing the ``ai-chat`` driver."""
    return _LEGACY_AI_CHAT_REFUSAL in exc.message
