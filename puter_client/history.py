"""The conversation history of a ``PuterAI`` client.

Messages are kept as generated ``ChatMessage`` models (compact, and sent as they are);
``as_dicts()`` gives the documented ``{"role", "content"}`` dictionaries. A turn is
recorded as one atomic append of its messages, only after its call succeeded.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from puter_client._generated.models import ChatMessage

__all__ = ["ChatHistory"]


class ChatHistory:
    """An append-only (until cleared) list of messages, safe to share between threads."""

    __slots__ = ("_lock", "_messages")

    def __init__(self) -> None:
        self._messages: list[ChatMessage] = []
        self._lock = threading.Lock()

    def snapshot(self) -> list[ChatMessage]:
        """The messages as they are now (a new list; the models are shared)."""
        with self._lock:
            return list(self._messages)

    def record(self, *messages: ChatMessage) -> None:
        """Append one turn's messages together."""
        with self._lock:
            self._messages.extend(messages)

    def clear(self) -> None:
        """Forget every message."""
        with self._lock:
            self._messages.clear()

    def as_dicts(self) -> list[dict[str, Any]]:
        """The messages as JSON-native dictionaries, oldest first."""
        from puter_client.serialization import unstructure  # loaded with the first call

        return [unstructure(message) for message in self.snapshot()]

    def __len__(self) -> int:
        return len(self._messages)
