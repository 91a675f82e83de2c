"""The reply side of a chat call: its text, the assistant turn to record, and the typed
``ChatCompletion`` that ``complete`` returns. Pure."""

from __future__ import annotations

import attrs

from puter_client._generated import models
from puter_client.core._unset import UNSET
from puter_client.services.chat.tools import ToolRequest, tool_requests_of
from puter_client.services.chat.usage import TokenUsage

__all__ = ["ChatCompletion", "assistant_message", "reply_text"]


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
    def usage(self) -> TokenUsage | None:
        """Token counts and cost (one type for every provider's key set; the server's own
        data in ``.raw``), or None when the reply has none."""
        return TokenUsage.of(None if self.result.usage is UNSET else self.result.usage)

    @property
    def message(self) -> models.ChatMessage:
        """The assistant turn, ready to append to the messages of a next call."""
        return assistant_message(self.result, self.text)
