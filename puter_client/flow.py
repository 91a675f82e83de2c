"""Sans-I/O call flows, shared by the sync and async faces of ``PuterAI``.

A *flow* is a generator that yields ``Send`` steps and receives the (read)
``httpx.Response`` of each; it decides everything else itself (which request to build,
whether to log in again, how to read the answer) and returns the call's result. Errors
of a step are thrown back into the flow, so it can react to them with ordinary
``try``/``except``. Only the two small runners below do I/O, one blocking, one async.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Generator
from typing import Any, TypeVar

import attrs
import httpx

from puter_client.retry import RetryPolicy

__all__ = ["Flow", "Send", "run_async", "run_sync"]

T = TypeVar("T")


@attrs.frozen
class Send:
    """Send ``request`` (rate-limited and retried per ``policy``); answer the read response.

    ``retry_client_errors`` False makes every 4xx final (login must not retry a 429).
    ``stream`` True answers a success as an *open* response whose body is still to be
    read (error answers are read, as always).
    """

    request: httpx.Request
    policy: RetryPolicy
    retry_client_errors: bool = True
    stream: bool = False


Flow = Generator[Send, httpx.Response, T]


def run_sync(flow: Flow[T], send: Callable[[Send], httpx.Response]) -> T:
    """Drive ``flow`` to its result with a blocking ``send``."""
    step = _resume(flow, None)
    while isinstance(step, Send):
        try:
            response = send(step)
        except Exception as exc:
            step = _throw(flow, exc)
        else:
            step = _resume(flow, response)
    return step.value  # type: ignore[no-any-return]


async def run_async(flow: Flow[T], send: Callable[[Send], Awaitable[httpx.Response]]) -> T:
    """Drive ``flow`` to its result with an async ``send``."""
    step = _resume(flow, None)
    while isinstance(step, Send):
        try:
            response = await send(step)
        except Exception as exc:
            step = _throw(flow, exc)
        else:
            step = _resume(flow, response)
    return step.value  # type: ignore[no-any-return]


@attrs.frozen
class _Done:
    value: Any


def _resume(flow: Flow[Any], response: httpx.Response | None) -> Send | _Done:
    try:
        return flow.send(response)  # type: ignore[arg-type]  # None only starts the flow
    except StopIteration as stop:
        return _Done(stop.value)


def _throw(flow: Flow[Any], exc: Exception) -> Send | _Done:
    try:
        return flow.throw(exc)
    except StopIteration as stop:
        return _Done(stop.value)
