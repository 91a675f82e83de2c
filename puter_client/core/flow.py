"""Sans-I/O call flows, shared by the sync and async faces of ``PuterAI``.

A *flow* is a generator that yields steps and receives each step's outcome; it decides
everything else itself (which request to build, whether to log in again, how to read
the answer) and returns the call's result. Errors of a step are thrown back into the
flow, so it can react to them with ordinary ``try``/``except``. Only the two small
runners below do I/O, one blocking, one async.

Steps:
- ``Send``: send a request; the outcome is the read ``httpx.Response``.
- ``Await``: wait for a result another flow is producing (see ``single_flight``); the
  outcome is that result.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Awaitable, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

import httpx

from puter_client.core.retry import RetryClass, RetryPolicy

if TYPE_CHECKING:
    from concurrent.futures import Future

    from puter_client.core.http.responses import BodySink
    from puter_client.core.ratelimit import RateLimiter

__all__ = ["Await", "Flow", "Send", "SingleFlight", "async_run_flow", "run_flow"]

T = TypeVar("T")


# The steps are NamedTuples rather than attrs classes: every process that imports the
# package builds them, and a NamedTuple class is several times cheaper to create (see the
# first-call row of `make bench`).
class Send(NamedTuple):
    """Send ``request`` (rate-limited, retried per ``policy`` and ``retry``); answer the
    response.

    The answer's body is read whole, except: with ``stream`` a 200 NDJSON answer comes
    back *open*, its lines still to be read; with a ``sink`` a successful byte answer
    (not JSON) is written into the sink as it arrives, and comes back already consumed.
    Error answers and JSON are always read whole. ``limiter`` paces every attempt
    (None: the transport's own, the AI limiter).
    """

    request: httpx.Request
    policy: RetryPolicy
    retry: RetryClass = RetryClass.IDEMPOTENT
    stream: bool = False
    sink: BodySink | None = None
    limiter: RateLimiter | None = None


class Await(NamedTuple):
    """Wait for ``future`` (thread-safe); answer its result or raise its exception."""

    future: Future[Any]


Step = Send | Await
Flow = Generator[Step, Any, T]


def run_flow(flow: Flow[T], send: Callable[[Send], httpx.Response]) -> T:
    """Drive ``flow`` to its result with a blocking ``send``."""
    with _closing_on_abort(flow):
        step = _resume(flow, None)
        while not isinstance(step, _Done):
            try:
                outcome = step.future.result() if isinstance(step, Await) else send(step)
            except Exception as exc:
                step = _throw(flow, exc)
            else:
                step = _resume(flow, outcome)
    return step.value  # type: ignore[no-any-return]


async def async_run_flow(flow: Flow[T], send: Callable[[Send], Awaitable[httpx.Response]]) -> T:
    """Drive ``flow`` to its result with an async ``send``."""
    with _closing_on_abort(flow):
        step = _resume(flow, None)
        while not isinstance(step, _Done):
            try:
                if isinstance(step, Await):
                    import asyncio

                    # shield: a cancelled waiter must not cancel the future others share
                    outcome = await asyncio.shield(asyncio.wrap_future(step.future))
                else:
                    outcome = await send(step)
            except Exception as exc:
                step = _throw(flow, exc)
            else:
                step = _resume(flow, outcome)
    return step.value  # type: ignore[no-any-return]


@contextlib.contextmanager
def _closing_on_abort(flow: Flow[Any]) -> Iterator[None]:
    """Close ``flow`` if its runner is interrupted (cancelled, KeyboardInterrupt...)."""
    try:
        yield
    except BaseException:
        flow.close()
        raise


class SingleFlight:
    """Runs at most one flow per key at a time; concurrent callers share its outcome.

    Works across threads and event loops alike (the waiters ``Await`` a
    ``concurrent.futures.Future``). If the running flow is abandoned (cancelled), one of
    the waiters runs the flow itself instead.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: dict[str, Future[Any]] = {}

    def run(self, key: str, make: Callable[[], Flow[T]]) -> Flow[T]:
        """The outcome of ``make()``, run once for all callers that overlap in time."""
        from concurrent.futures import Future  # only needed once calls overlap

        while True:
            with self._lock:
                future = self._running.get(key)
                leader = future is None
                if leader:
                    future = self._running[key] = Future()
            assert future is not None
            if leader:
                return (yield from self._lead(key, future, make))
            outcome = yield Await(future)
            if outcome is not _ABANDONED:
                return outcome  # type: ignore[no-any-return]

    def _lead(self, key: str, future: Future[Any], make: Callable[[], Flow[T]]) -> Flow[T]:
        try:
            result = yield from make()
        except Exception as exc:
            future.set_exception(exc)
            raise
        except BaseException:
            future.set_result(_ABANDONED)  # cancelled: a waiter takes over
            raise
        else:
            future.set_result(result)
            return result
        finally:
            with self._lock:
                if self._running.get(key) is future:
                    del self._running[key]


_ABANDONED = object()


class _Done(NamedTuple):
    value: Any


def _resume(flow: Flow[Any], outcome: Any) -> Step | _Done:
    try:
        return flow.send(outcome)
    except StopIteration as stop:
        return _Done(stop.value)


def _throw(flow: Flow[Any], exc: Exception) -> Step | _Done:
    try:
        return flow.throw(exc)
    except StopIteration as stop:
        return _Done(stop.value)
