"""Batch runs: one stateless completion per input item, many at a time, in input order.

``Batches`` turns each item (a prompt, or a mapping with ``prompt`` or ``messages``) into
the Chat service's stateless completion flow (``Chat.complete``), runs those flows over the
client's session (so its retries, rate limiter and re-login apply to every call) and
gives back one ``BatchResult`` per item, in input order. A failed item is a result with
its ``error``; it never stops the run.

One scheduler serves both faces. ``_schedule`` is an async generator: it reads the items
lazily, keeps a bounded window of them started (at most ``concurrency`` calls in flight,
the rest of the window waiting for a slot or done and waiting for their turn), and yields
the head of the window once it is done. ``async_batch`` returns it as it is. The blocking
``batch`` runs the very same generator on an event loop of its own, in a worker thread,
and hands the results over a bounded queue; the reasons for a loop in a thread rather
than a pool of threads each driving blocking flows: 64 calls in flight cost one thread
instead of 64 (and no GIL contention between them), the scheduling code exists once, and
a caller inside a running event loop (a notebook) can still use the blocking face.

Memory stays bounded whatever the input's length: the window holds at most
``4 * concurrency`` items, and the hand-over queue at most ``concurrency`` results.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
from collections import deque
from collections.abc import (
    AsyncGenerator,
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import attrs

from puter_client.core.exceptions import PuterError, PuterInputError
from puter_client.services.chat.chat import (
    Chat,
    ChatOptions,
    MessageInput,
    user_message,
    validated_options,
)
from puter_client.services.chat.usage import TokenUsage

if TYPE_CHECKING:
    from puter_client.core.flow import Flow
    from puter_client.core.session import Session
    from puter_client.services.chat.completion import ChatCompletion

__all__ = [
    "DEFAULT_CONCURRENCY",
    "MAX_CONCURRENCY",
    "BatchInput",
    "BatchResult",
    "Batches",
    "usage_cost_cents",
]

T = TypeVar("T")

DEFAULT_CONCURRENCY = 8
MAX_CONCURRENCY = 1000
#: How many items the window may hold per call in flight (started, waiting or done).
WINDOW_PER_SLOT = 4
#: What an item may carry with its ``prompt``, as ``chat()`` takes it (``images=``, ...).
MEDIA_KEYS = ("images", "audio", "videos", "files")
ITEM_KEYS = frozenset({"id", "prompt", "messages", "model", *MEDIA_KEYS})

BatchInput = str | Mapping[str, Any]
"""One item of a batch: a prompt, or a mapping with ``prompt`` or ``messages`` (a
chat-format list) and optional ``id``, ``model``, and, with ``prompt``, ``images``,
``audio``, ``videos`` and ``files`` (each a list, as ``chat()`` takes them)."""


@attrs.frozen(kw_only=True)
class BatchResult:
    """The outcome of one batch item.

    ``index`` is its position in the input and ``id`` its ``id`` (the index when it had
    none). A success has ``text``, ``finish_reason``, ``usage`` and the whole typed
    ``completion``; a failure has ``error`` (a ``PuterError``: the call's, or a
    ``PuterInputError`` for an item that was not a valid prompt) and ``None`` elsewhere.
    """

    index: int
    id: Any
    text: str | None = None
    error: PuterError | None = None
    finish_reason: str | None = None
    usage: TokenUsage | None = None
    completion: ChatCompletion | None = attrs.field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        """Whether the item succeeded."""
        return self.error is None

    @classmethod
    def of(cls, index: int, item_id: Any, completion: ChatCompletion) -> BatchResult:
        """The result of a successful completion."""
        return cls(
            index=index,
            id=item_id,
            text=completion.text,
            finish_reason=completion.finish_reason,
            usage=completion.usage,
            completion=completion,
        )


@attrs.frozen
class _Item:
    """An item ready to run: its position, id and completion flow (not started)."""

    index: int
    id: Any
    flow: Flow[ChatCompletion]


@attrs.frozen
class _Plan:
    """A batch's validated arguments."""

    items: Iterable[BatchInput] | AsyncIterable[BatchInput]
    model: str | None
    concurrency: int
    options: ChatOptions


class Batches:
    """The batch service of one client: the items' flows, and the scheduler."""

    def __init__(self, session: Session, chat: Chat) -> None:
        self._session = session
        self._chat = chat

    def iterate(
        self,
        items: Iterable[BatchInput] | AsyncIterable[BatchInput],
        model: str | None,
        concurrency: int,
        options: ChatOptions,
    ) -> Iterator[BatchResult]:
        """The results, blocking (see the module docstring); arguments checked now."""
        plan = self._plan(items, model, concurrency, options)
        return _blocking(lambda: self._schedule(plan), buffer=plan.concurrency)

    def async_iterate(
        self,
        items: Iterable[BatchInput] | AsyncIterable[BatchInput],
        model: str | None,
        concurrency: int,
        options: ChatOptions,
    ) -> AsyncIterator[BatchResult]:
        """The results, async; arguments checked now."""
        return self._schedule(self._plan(items, model, concurrency, options))

    # ------------------------------------------------------------ pure steps

    def _plan(
        self,
        items: Iterable[BatchInput] | AsyncIterable[BatchInput],
        model: str | None,
        concurrency: int,
        options: ChatOptions,
    ) -> _Plan:
        if isinstance(items, (str, bytes, Mapping)) or not isinstance(
            items, (Iterable, AsyncIterable)
        ):
            raise TypeError(
                f"items must be an iterable of prompts or item mappings, not {type(items).__name__}"
            )
        if isinstance(concurrency, bool) or not isinstance(concurrency, int):
            raise TypeError(f"concurrency must be an int, not {type(concurrency).__name__}")
        if not 1 <= concurrency <= MAX_CONCURRENCY:
            raise ValueError(
                f"concurrency must be between 1 and {MAX_CONCURRENCY}, got {concurrency}"
            )
        if model is not None:
            self._chat.complete([{"role": "user", "content": "-"}], model, {})  # checks it
        validated_options(options)
        return _Plan(items, model, concurrency, dict(options))  # type: ignore[arg-type]

    def _prepare(self, index: int, raw: object, plan: _Plan) -> _Item | BatchResult:
        """Item ``index`` as a flow to run, or its failed result when it is not valid."""
        item_id: Any = index
        try:
            if isinstance(raw, str):
                flow = self._chat.complete(
                    [user_message(raw, None, None)], plan.model, plan.options
                )
            elif isinstance(raw, Mapping):
                item_id = _item_id(raw, index)
                model = raw.get("model")
                chosen = plan.model if model is None else model
                flow = self._chat.complete(_messages_of(raw), chosen, plan.options)
            else:
                raise TypeError(
                    f"an item must be a prompt string or a mapping, not {type(raw).__name__}"
                )
        except (ValueError, TypeError) as exc:
            error = PuterInputError(f"item {index}: {exc}", code="invalid_item")
            return BatchResult(index=index, id=item_id, error=error)
        return _Item(index, item_id, flow)

    # ------------------------------------------------------------- the runs

    async def _run(self, item: _Item, slots: asyncio.Semaphore) -> BatchResult:
        async with slots:
            try:
                completion = await self._session.async_run(item.flow)
            except PuterError as exc:
                return BatchResult(index=item.index, id=item.id, error=exc)
        return BatchResult.of(item.index, item.id, completion)

    async def _schedule(self, plan: _Plan) -> AsyncGenerator[BatchResult, None]:
        """The one scheduler (see the module docstring)."""
        source = _async_items(plan.items)
        slots = asyncio.Semaphore(plan.concurrency)
        window: deque[asyncio.Future[BatchResult] | BatchResult] = deque()
        room = plan.concurrency * WINDOW_PER_SLOT
        index = 0
        exhausted = False
        try:
            while True:
                while not exhausted and len(window) < room:
                    try:
                        raw = await anext(source)
                    except StopAsyncIteration:
                        exhausted = True
                        break
                    prepared = self._prepare(index, raw, plan)
                    if isinstance(prepared, _Item):
                        window.append(asyncio.ensure_future(self._run(prepared, slots)))
                    else:
                        window.append(prepared)
                    index += 1
                if not window:
                    return
                head = window.popleft()
                yield head if isinstance(head, BatchResult) else await head
        finally:
            started = [f for f in window if isinstance(f, asyncio.Future)]
            for future in started:
                future.cancel()
            if started:
                await asyncio.gather(*started, return_exceptions=True)


def _item_id(item: Mapping[str, Any], index: int) -> Any:
    item_id = item.get("id", index)
    if isinstance(item_id, bool) or not isinstance(item_id, (str, int)):
        raise TypeError(f"an item's id must be a str or an int, not {type(item_id).__name__}")
    return item_id


def _messages_of(item: Mapping[str, Any]) -> Sequence[MessageInput]:
    unknown = sorted(str(key) for key in set(item) - ITEM_KEYS)
    if unknown:
        raise ValueError(
            f"unknown item key(s) {', '.join(unknown)} (known: {', '.join(sorted(ITEM_KEYS))})"
        )
    prompt, messages = item.get("prompt"), item.get("messages")
    if (prompt is None) == (messages is None):
        raise ValueError("an item needs exactly one of prompt and messages")
    media = {key: item[key] for key in MEDIA_KEYS if item.get(key) is not None}
    if messages is not None:
        if media:
            raise ValueError(f"{', '.join(media)} go with a prompt, not with messages")
        return messages  # type: ignore[no-any-return]
    if not isinstance(prompt, str):
        raise TypeError(f"an item's prompt must be a str, not {type(prompt).__name__}")
    return [
        user_message(
            prompt,
            media.get("images"),
            None,
            audio=media.get("audio"),
            videos=media.get("videos"),
            files=media.get("files"),
        )
    ]


async def _async_items(items: Iterable[T] | AsyncIterable[T]) -> AsyncIterator[T]:
    """Either kind of iterable, read lazily as an async iterator."""
    if isinstance(items, AsyncIterable):
        async for item in items:
            yield item
    else:
        for item in items:
            yield item


# ------------------------------------------------------------ the blocking face


def _blocking(make: Callable[[], AsyncGenerator[T, None]], *, buffer: int) -> Iterator[T]:
    """The values of the async iterator ``make()``, produced on an event loop of its own
    in a worker thread (started at the first ``next``); at most ``buffer`` of them wait
    to be taken.

    Closing this generator early (``break``, an exception or Ctrl-C in the caller)
    cancels the async iterator, which cancels its calls in flight, and waits for the
    worker to finish.
    """
    handover = _Handover(make, buffer)
    handover.start()
    try:
        yield from handover.values()
    finally:
        handover.stop()


@attrs.frozen
class _Failed:
    error: BaseException


_END = object()


class _Handover(Generic[T]):
    """A worker thread running an async iterator, and the queue of its values."""

    def __init__(self, make: Callable[[], AsyncGenerator[T, None]], buffer: int) -> None:
        self._make = make
        self._buffer = buffer
        self._queue: queue.SimpleQueue[Any] = queue.SimpleQueue()
        self._running = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None
        self._credits: asyncio.Semaphore | None = None
        self._thread = threading.Thread(target=self._work, name="puter-batch", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._running.wait()

    def values(self) -> Iterator[T]:
        while True:
            got = self._queue.get()
            if got is _END:
                return
            if isinstance(got, _Failed):
                raise got.error
            self._on_loop(self._credits.release if self._credits else None)
            yield got

    def stop(self) -> None:
        if self._thread.is_alive() and self._task is not None:
            self._on_loop(self._task.cancel)
        self._thread.join()

    def _on_loop(self, callback: Callable[[], object] | None) -> None:
        if self._loop is not None and callback is not None:
            with contextlib.suppress(RuntimeError):  # the loop has closed: nothing to do
                self._loop.call_soon_threadsafe(callback)

    def _work(self) -> None:
        try:
            asyncio.run(self._produce())
        except asyncio.CancelledError:
            pass  # stopped by the consumer
        finally:
            self._running.set()  # in case it failed before running
            self._queue.put(_END)

    async def _produce(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._task = asyncio.current_task()
        self._credits = credits = asyncio.Semaphore(self._buffer)
        self._running.set()
        try:
            async with contextlib.aclosing(self._make()) as values:
                async for value in values:
                    await credits.acquire()
                    self._queue.put(value)
        except asyncio.CancelledError:
            raise
        except BaseException as exc:  # handed to the consumer, raised there
            self._queue.put(_Failed(exc))


def usage_cost_cents(usage: Any) -> float | None:
    """What a reply cost in US cents, when its ``usage`` says (None when it does not).

    Current servers report ``usd_cents`` (None for free models); older ones a list of
    ``{"type", "model", "amount", "cost"}`` rows.
    """
    if isinstance(usage, TokenUsage):
        return usage.cost_usd_cents
    if isinstance(usage, Mapping):
        cents = usage.get("usd_cents")
        return (
            float(cents)
            if isinstance(cents, (int, float)) and not isinstance(cents, bool)
            else None
        )
    if isinstance(usage, list):
        costs = [row.get("cost") for row in usage if isinstance(row, Mapping)]
        numbers = [
            float(cost)
            for cost in costs
            if isinstance(cost, (int, float)) and not isinstance(cost, bool)
        ]
        return sum(numbers) if numbers else None
    return None
