"""The conversation history of a client, and the list users see of it.

``ChatHistory`` keeps the messages as generated ``ChatMessage`` models (compact, sent as
they are), behind a lock, with a version number that every change increments. A chat
turn is recorded as one atomic append, only after its call succeeded.

``HistoryList`` is what ``client.chat_history`` returns: a real ``list`` of
``{"role", "content", ...}`` dicts, taken when it is read, whose edits (``append``,
``extend``, ``insert``, item and slice assignment, ``del``, ``pop``, ``remove``,
``clear``, ``sort``, ``reverse``, ``+=``, ``*=``) are written through to the client:
each edit is validated whole first (a malformed message raises ``PuterInputError``, a
``ValueError``, or ``PuterInputTypeError``, a ``TypeError``, and changes nothing,
neither the list nor the client; a message without content and without tool calls is
refused as the server refuses it), then replaces the
client's history. An edit through a list read *before* the history last changed (a chat
call completed since) raises ``RuntimeError`` instead of silently dropping that turn:
read ``client.chat_history`` again. Editing a message dict in place (``h[0]["content"] =
...``) is not seen; assign the whole message (``h[0] = {...}``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, SupportsIndex, TypeVar, overload

from puter_client.core.exceptions import PuterInputError, PuterInputTypeError

if TYPE_CHECKING:
    from puter_client._generated.models import ChatMessage

__all__ = ["ChatHistory", "HistoryList", "checked_message", "messages_from"]

T = TypeVar("T")


class ChatHistory:
    """A list of messages, safe to share between threads, with a change counter."""

    __slots__ = ("_lock", "_messages", "_version")

    def __init__(self) -> None:
        self._messages: list[ChatMessage] = []
        self._version = 0
        self._lock = threading.Lock()

    def snapshot(self) -> list[ChatMessage]:
        """The messages as they are now (a new list; the models are shared)."""
        with self._lock:
            return list(self._messages)

    def record(self, *messages: ChatMessage) -> None:
        """Append one turn's messages together."""
        with self._lock:
            self._messages.extend(messages)
            self._version += 1

    def clear(self) -> None:
        """Forget every message."""
        self.replace([])

    def replace(self, messages: list[ChatMessage], *, if_version: int | None = None) -> int:
        """Make ``messages`` the history; the new version.

        With ``if_version``, only if the history is still at that version, else
        ``RuntimeError`` (an edit based on an outdated read must not drop a turn).
        """
        with self._lock:
            if if_version is not None and if_version != self._version:
                raise RuntimeError(
                    "chat_history changed since this list was read (a chat call completed "
                    "or it was edited elsewhere); read client.chat_history again and "
                    "repeat the edit"
                )
            self._messages = list(messages)
            self._version += 1
            return self._version

    def view(self) -> HistoryList:
        """The messages as a ``HistoryList`` of dicts, writing its edits back here."""
        from puter_client.core.serialization import unstructure  # loaded with the first call

        with self._lock:
            messages, version = list(self._messages), self._version
        return HistoryList(self, [unstructure(m) for m in messages], version)

    def __len__(self) -> int:
        return len(self._messages)


def messages_from(entries: Iterable[Any], what: str = "chat_history") -> list[ChatMessage]:
    """``entries`` (message dicts or ``ChatMessage`` models) as models, or a
    ``ValueError``/``TypeError`` naming the first bad entry."""
    from puter_client._generated.models import ChatMessage
    from puter_client.core.http.jsonbody import check_sendable
    from puter_client.core.serialization import ModelValidationError, structure

    if isinstance(entries, (str, bytes, Mapping)):
        raise PuterInputTypeError(
            f"{what} must be a list of messages, not a {type(entries).__name__}",
            code="invalid_arguments",
        )
    result = []
    for index, entry in enumerate(entries):
        if isinstance(entry, ChatMessage):
            result.append(checked_message(entry, f"{what}[{index}]"))
            continue
        if not isinstance(entry, Mapping):
            raise PuterInputTypeError(
                f"{what}[{index}] must be a message dict like "
                f'{{"role": "user", "content": "..."}}, not {type(entry).__name__}',
                code="invalid_arguments",
            )
        check_sendable(entry, f"{what}[{index}]")
        try:
            message = structure(dict(entry), ChatMessage)
        except ModelValidationError as exc:
            problems = "; ".join(e.replace("@ $", f"@ {what}[{index}]") for e in exc.errors)
            raise PuterInputError(
                f"{what}[{index}] is not a valid message: {problems}", code="invalid_arguments"
            ) from None
        result.append(checked_message(message, f"{what}[{index}]"))
    return result


def checked_message(message: ChatMessage, what: str) -> ChatMessage:
    """``message`` if the server would take it: a message needs a ``content`` (not
    missing, None or ``""``) unless it carries ``tool_calls`` or is a ``tool`` result.

    The server answers 400 ``bad_request`` "each message must have a 'content'
    property"; this refuses the same message before sending, with the same code.
    """
    content = message.content
    empty = content is None or content == "" or not isinstance(content, (str, list))
    if empty and message.tool_calls is None and message.role != "tool":
        raise PuterInputError(
            f"{what} has no content: each message must have a 'content' (or, for an "
            "assistant turn, tool_calls)",
            code="bad_request",
        )
    return message


class HistoryList(list[dict[str, Any]]):
    """``client.chat_history``: a list whose edits are validated and written through to
    the client's history (see the module docstring)."""

    def __init__(self, history: ChatHistory, entries: list[dict[str, Any]], version: int):
        super().__init__(entries)
        self._history = history
        self._version = version

    def _edit(self, change: Callable[[list[dict[str, Any]]], T]) -> T:
        """Apply ``change`` to a copy, validate the copy, write it through, then keep it."""
        edited = list(self)
        result = change(edited)
        models = messages_from(edited)
        self._version = self._history.replace(models, if_version=self._version)
        super().__setitem__(slice(None), [_as_dict(m) for m in models])
        return result

    def append(self, message: dict[str, Any]) -> None:
        self._edit(lambda items: items.append(message))

    def extend(self, messages: Iterable[dict[str, Any]]) -> None:
        self._edit(lambda items: items.extend(messages))

    def insert(self, index: SupportsIndex, message: dict[str, Any]) -> None:
        self._edit(lambda items: items.insert(index, message))

    def pop(self, index: SupportsIndex = -1) -> dict[str, Any]:
        return self._edit(lambda items: items.pop(index))

    def remove(self, message: dict[str, Any]) -> None:
        self._edit(lambda items: items.remove(message))

    def clear(self) -> None:
        self._edit(lambda items: items.clear())

    def reverse(self) -> None:
        self._edit(lambda items: items.reverse())

    def sort(self, *, key: Any = None, reverse: bool = False) -> None:
        self._edit(lambda items: items.sort(key=key, reverse=reverse))

    @overload
    def __setitem__(self, index: SupportsIndex, value: dict[str, Any]) -> None: ...

    @overload
    def __setitem__(self, index: slice, value: Iterable[dict[str, Any]]) -> None: ...

    def __setitem__(self, index: Any, value: Any) -> None:
        self._edit(lambda items: items.__setitem__(index, value))

    def __delitem__(self, index: SupportsIndex | slice) -> None:
        self._edit(lambda items: items.__delitem__(index))

    def __iadd__(self, messages: Iterable[dict[str, Any]]) -> HistoryList:  # type: ignore[override,misc]
        self._edit(lambda items: items.extend(messages))
        return self

    def __imul__(self, times: SupportsIndex) -> HistoryList:
        self._edit(lambda items: items.__imul__(times))
        return self


def _as_dict(message: ChatMessage) -> dict[str, Any]:
    from puter_client.core.serialization import unstructure

    result: dict[str, Any] = unstructure(message)
    return result
