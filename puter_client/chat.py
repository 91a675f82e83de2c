"""The pure core of a chat call: the user turn, the driver call, the reply.

Nothing here does I/O; ``PuterAI`` runs these pieces in its sync and async faces alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs

from puter_client._generated import models
from puter_client.exceptions import PuterAPIError
from puter_client.media import build_user_content
from puter_client.serialization import ModelValidationError, structure

__all__ = [
    "AI_CHAT_DRIVER",
    "assistant_message",
    "build_call",
    "is_legacy_ai_chat_refusal",
    "reply_text",
    "user_message",
]

AI_CHAT_DRIVER = "ai-chat"
# How older servers refuse the `ai-chat` driver; the SDK then names the provider instead.
_LEGACY_AI_CHAT_REFUSAL = "ai-chat directly is not yet supported"


def user_message(
    prompt: str | None,
    images: Sequence[Any] | None,
    content_parts: Sequence[Any] | None,
) -> models.ChatMessage:
    """The user turn for a chat call; ``ValueError`` when there is nothing valid to send."""
    content = build_user_content(prompt, images, content_parts)
    if isinstance(content, str):
        return models.ChatMessage(role="user", content=content)
    return models.ChatMessage(role="user", content=[_as_part(p, i) for i, p in enumerate(content)])


def _as_part(part: Any, index: int) -> models.ContentPart:
    if attrs.has(type(part)):
        if not isinstance(part, models.ContentPart):
            raise ValueError(f"content_parts[{index}]: {type(part).__name__} is not a content part")
        return part
    try:
        return structure(part, models.ContentPart)  # type: ignore[arg-type]
    except ModelValidationError as exc:
        problems = "; ".join(e.replace(" @ $", f" @ content_parts[{index}]") for e in exc.errors)
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
    """The assistant turn to record in history for ``result``."""
    message = models.ChatMessage(role="assistant", content=text)
    tool_calls = result.message.tool_calls
    if isinstance(tool_calls, list) and tool_calls:
        message.tool_calls = tool_calls
    return message


def is_legacy_ai_chat_refusal(exc: PuterAPIError) -> bool:
    """Whether ``exc`` is an older server refusing the ``ai-chat`` driver."""
    return _LEGACY_AI_CHAT_REFUSAL in exc.message
