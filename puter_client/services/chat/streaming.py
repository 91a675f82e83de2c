"""Streamed replies: ``chat_stream`` and ``async_chat_stream``.

A streamed reply is NDJSON, one ``StreamLine`` per line. ``StreamAccumulator`` is the
pure core that reads the lines; ``ChatStream`` and ``AsyncChatStream`` are the two thin
I/O shells. The request goes out on the first read (iterating, ``events()`` or
``until_done()``); failures before the first byte are retried like any call, nothing is
retried after.

The turn is added to history once, when the stream completes (its ``usage`` line came
and the body ended). An ``error`` line raises ``PuterStreamError``; a body that ends
without the usage line raises ``PuterStreamError`` too, since the reply may be cut
short. Closing or leaving a stream early releases its connection and records nothing.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from puter_client._generated import endpoints, models
from puter_client.core._unset import UNSET, UnsetType
from puter_client.core.exceptions import PuterStreamError
from puter_client.core.http.errors import connection_error
from puter_client.services.chat.completion import reply_text
from puter_client.services.chat.tools import ToolRequest, tool_requests_of
from puter_client.services.chat.usage import TokenUsage

if TYPE_CHECKING:
    from typing_extensions import Self

__all__ = ["AsyncChatStream", "ChatStream", "StreamAccumulator", "StreamSource"]

# What opening a stream gives: the open NDJSON response, or (when the server answered
# with a whole reply instead of a stream) that reply.
StreamSource = httpx.Response | models.ChatCompleteResult


class StreamAccumulator:
    """Reads the lines of one streamed reply and collects its text, tool calls, usage."""

    def __init__(self) -> None:
        self._text: list[str] = []
        self._reasoning: list[str] = []
        self.tool_uses: list[models.StreamToolUse] = []
        self.usage: Any = UNSET
        self.complete = False

    @property
    def text(self) -> str:
        """The reply text received so far."""
        return "".join(self._text)

    @property
    def reasoning(self) -> str:
        """The model's visible reasoning received so far."""
        return "".join(self._reasoning)

    @property
    def tool_requests(self) -> list[ToolRequest]:
        """The tool calls received so far (in the stream's own, Claude-like, form)."""
        return self.tool_requests_in("claude")

    def tool_requests_in(self, style: str) -> list[ToolRequest]:
        """The tool calls received so far, to be answered in ``style``."""
        return [
            ToolRequest(id=t.id, name=t.name, arguments=t.input, style=style)
            for t in self.tool_uses
        ]

    def feed(self, line: str) -> models.StreamLine | None:
        """Read one line; the typed event, or None for a blank line."""
        if not line or line.isspace():
            return None
        text_event = _plain_text_event(line)
        if text_event is not None:  # the common line, read without the general converter
            self._text.append(text_event.text)
            return text_event
        event = endpoints.parse_chat_complete_line(line)
        self.feed_event(event)
        return event

    def feed_event(self, event: models.StreamLine) -> None:
        """Record one event; ``PuterStreamError`` for an ``error`` event."""
        if isinstance(event, models.StreamText):
            self._text.append(event.text)
        elif isinstance(event, models.StreamReasoning):
            self._reasoning.append(event.reasoning)
        elif isinstance(event, models.StreamToolUse):
            self.tool_uses.append(event)
        elif isinstance(event, models.StreamUsage):
            self.usage = event.usage
        elif isinstance(event, models.StreamError):
            raise PuterStreamError(
                event.message or "the provider failed in the middle of the reply",
                status_code=200,
                code=event.code,
            )

    def finish(self) -> None:
        """The body ended: check that the reply is whole."""
        if self.usage is UNSET:
            raise PuterStreamError(
                "the stream ended without its usage line; the reply may be incomplete",
                status_code=200,
                code="incomplete_stream",
            )
        self.complete = True

    def replay(self, result: models.ChatCompleteResult) -> list[models.StreamLine]:
        """The events of a whole (non-streamed) reply, read as if they had streamed."""
        text = reply_text(result)
        events: list[models.StreamLine] = [models.StreamText(text=text)] if text else []
        events += [
            models.StreamToolUse(id=r.id, name=r.name, input=r.arguments)
            for r in tool_requests_of(result.message)
        ]
        events.append(models.StreamUsage(usage=None if result.usage is UNSET else result.usage))
        for event in events:
            self.feed_event(event)
        return events


def _plain_text_event(line: str) -> models.StreamText | None:
    """``{"type": "text", "text": "..."}`` and nothing else, as its event; else None.

    Text lines are nearly all of a stream; this is what the converter would build for
    them, at a fraction of the cost. Any other line goes the general way.
    """
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None  # the general way reports it
    if type(data) is dict and len(data) == 2 and data.get("type") == "text":
        text = data.get("text")
        if type(text) is str:
            return models.StreamText(text=text)
    return None


class _StreamBase:
    """What both shells share: the accumulated result and how it is recorded."""

    def __init__(
        self,
        on_complete: Callable[[StreamAccumulator], None],
        tool_style: Callable[[], str],
    ) -> None:
        self._accumulator = StreamAccumulator()
        self._on_complete = on_complete
        self._tool_style = tool_style
        self._closed = False

    @property
    def text(self) -> str:
        """The reply text received so far (all of it once the stream completed)."""
        return self._accumulator.text

    @property
    def reasoning(self) -> str:
        """The model's visible reasoning received so far."""
        return self._accumulator.reasoning

    @property
    def usage(self) -> TokenUsage | None:
        """The usage line's token counts and cost once the stream completed, else None
        (the same ``TokenUsage`` as ``complete().usage``; the line's data in ``.raw``)."""
        usage = self._accumulator.usage
        return None if isinstance(usage, UnsetType) else TokenUsage.of(usage)

    @property
    def tool_calls(self) -> list[ToolRequest]:
        """The tool calls the model made."""
        return self._accumulator.tool_requests_in(self._tool_style())

    @property
    def completed(self) -> bool:
        """Whether the whole reply arrived (and the turn was recorded)."""
        return self._accumulator.complete

    def _complete(self) -> None:
        self._accumulator.finish()
        self._on_complete(self._accumulator)


class ChatStream(_StreamBase):
    """A streamed reply: iterate for text deltas, or ``events()`` for typed events.

    Use it with ``with`` (or iterate it to the end) so that its connection is released.
    """

    def __init__(
        self,
        open_source: Callable[[], StreamSource],
        on_complete: Callable[[StreamAccumulator], None],
        tool_style: Callable[[], str] = lambda: "claude",
    ) -> None:
        super().__init__(on_complete, tool_style)
        self._open_source = open_source
        self._response: httpx.Response | None = None
        self._events: Generator[models.StreamLine, None, None] | None = None

    def events(self) -> Iterator[models.StreamLine]:
        """The typed events (text, reasoning, tool_use, usage, unknown) as they arrive."""
        if self._events is None:
            self._events = self._read()
        return self._events

    def __iter__(self) -> Iterator[str]:
        try:
            for event in self.events():
                if isinstance(event, models.StreamText):
                    yield event.text
        except GeneratorExit:  # the loop was left early: release the connection now
            self.close()
            raise

    def until_done(self) -> str:
        """Read the rest of the stream; the whole reply text."""
        for _ in self.events():
            pass
        return self.text

    def _read(self) -> Generator[models.StreamLine, None, None]:
        if self._closed:
            raise RuntimeError("this stream is closed")
        source = self._open_source()
        if isinstance(source, models.ChatCompleteResult):
            yield from self._accumulator.replay(source)
            self._complete()
            return
        self._response = source
        try:
            for line in source.iter_lines():
                event = self._accumulator.feed(line)
                if event is not None:
                    yield event
        except httpx.HTTPError as exc:
            raise connection_error(source.request, exc) from exc
        finally:
            source.close()
        self._complete()

    def close(self) -> None:
        """Stop reading and release the connection; nothing is recorded."""
        self._closed = True
        if self._events is not None:
            self._events.close()
        if self._response is not None:
            self._response.close()

    def __enter__(self) -> Self:
        self.events()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncChatStream(_StreamBase):
    """The async ``ChatStream``: ``async for delta in stream`` or ``stream.events()``."""

    def __init__(
        self,
        open_source: Callable[[], Awaitable[StreamSource]],
        on_complete: Callable[[StreamAccumulator], None],
        tool_style: Callable[[], str] = lambda: "claude",
    ) -> None:
        super().__init__(on_complete, tool_style)
        self._open_source = open_source
        self._response: httpx.Response | None = None
        self._events: AsyncGenerator[models.StreamLine, None] | None = None

    def events(self) -> AsyncIterator[models.StreamLine]:
        """The typed events (text, reasoning, tool_use, usage, unknown) as they arrive."""
        if self._events is None:
            self._events = self._read()
        return self._events

    def __aiter__(self) -> AsyncIterator[str]:
        return self

    async def __anext__(self) -> str:
        async for event in self.events():
            if isinstance(event, models.StreamText):
                return event.text
        raise StopAsyncIteration

    async def until_done(self) -> str:
        """Read the rest of the stream; the whole reply text."""
        async for _ in self.events():
            pass
        return self.text

    async def _read(self) -> AsyncGenerator[models.StreamLine, None]:
        if self._closed:
            raise RuntimeError("this stream is closed")
        source = await self._open_source()
        if isinstance(source, models.ChatCompleteResult):
            for replayed in self._accumulator.replay(source):
                yield replayed
            self._complete()
            return
        self._response = source
        try:
            async for line in source.aiter_lines():
                event = self._accumulator.feed(line)
                if event is not None:
                    yield event
        except httpx.HTTPError as exc:
            raise connection_error(source.request, exc) from exc
        finally:
            await source.aclose()
        self._complete()

    async def aclose(self) -> None:
        """Stop reading and release the connection; nothing is recorded."""
        self._closed = True
        if self._events is not None:
            await self._events.aclose()
        if self._response is not None:
            await self._response.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
