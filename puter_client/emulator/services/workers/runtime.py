"""One request to a deployed worker, run in a fresh V8 context (``mini-racer``).

The context gets a small Web-like prelude written for the emulator: ``Headers``,
``Request`` (``json()``, ``text()``), ``Response`` (with a status and headers;
``Response.json``), ``URL`` with ``searchParams``, the ``router`` of puter.js's worker
docs (``get``/``post``/``put``/``delete``/``options``/``custom``; ``:name`` parameters,
``*name`` wildcards; a returned object is JSON, a string text, a ``Uint8Array`` bytes),
``me.puter.kv`` over the worker's own namespace and, when the request carries
``puter-auth``, ``user.puter.kv`` over the caller's. Key-value changes are made on a copy
of the namespace and written back when the request is answered.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["ENGINE_MISSING", "KvCopy", "WorkerAnswer", "engine_available", "run_request"]

ENGINE_MISSING = (
    "running workers needs the emulator's JavaScript engine (mini-racer): "
    "pip install 'puter-python-sdk[emulator]'"
)
#: Seconds one request may run in the engine.
TIME_LIMIT = 10.0


def engine_available() -> bool:
    """Whether ``mini-racer`` is installed."""
    try:
        import py_mini_racer  # noqa: F401
    except ImportError:
        return False
    return True


@dataclass
class KvCopy:
    """A namespace's items as the worker sees them, and what it changed."""

    items: dict[str, Any]
    changed: dict[str, Any] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)


@dataclass
class WorkerAnswer:
    """What the worker answered."""

    status: int
    headers: dict[str, str]
    body: bytes


PRELUDE = (Path(__file__).parent / "prelude.js").read_text(encoding="utf-8")
"""The prelude every request's context evaluates first."""


def run_request(
    source: str, request: dict[str, Any], me: KvCopy, user: KvCopy | None
) -> WorkerAnswer:
    """Run ``source`` on one request (``method``, ``url``, ``path``, ``headers``,
    ``body``); ``me``/``user`` are changed in place as the worker changed them."""
    from py_mini_racer import JSEvalException, MiniRacer

    ctx = MiniRacer()
    try:
        ctx.eval(PRELUDE)
        stores = {"me": me.__dict__, "user": None if user is None else user.__dict__}
        ctx.eval(
            f"var __stores = {json.dumps(stores)};"
            "globalThis.me = { puter: { kv: __puter.kv(__stores.me) } };"
            "var __user = __stores.user ? { puter: { kv: __puter.kv(__stores.user) } } : {};"
        )
        try:
            ctx.eval(source, timeout_sec=TIME_LIMIT)
        except JSEvalException as exc:
            return _text(500, f"the worker failed to start: {_first_line(exc)}")
        ctx.eval(
            f"__puter.dispatch({json.dumps(request)}, __user).then("
            "(r) => { globalThis.__answer = JSON.stringify(r); },"
            "(e) => { globalThis.__answer = JSON.stringify({status: 500, headers: {},"
            " text: String(e), bytes: null}); });",
            timeout_sec=TIME_LIMIT,
        )
        raw = ctx.eval("globalThis.__answer === undefined ? null : globalThis.__answer")
        if not isinstance(raw, str):
            return _text(500, "the worker did not answer")
        answer = json.loads(raw)
        changed = json.loads(str(ctx.eval("JSON.stringify(__stores)")))
    except JSEvalException as exc:
        return _text(500, f"the worker failed: {_first_line(exc)}")
    finally:
        ctx.close()
    for copy, key in ((me, "me"), (user, "user")):
        if copy is not None and changed.get(key):
            copy.changed = changed[key]["changed"]
            copy.deleted = changed[key]["deleted"]
    text, data = answer.get("text"), answer.get("bytes")
    body = text.encode() if isinstance(text, str) else bytes(data or [])
    return WorkerAnswer(int(answer["status"]), dict(answer["headers"]), body)


def _text(status: int, text: str) -> WorkerAnswer:
    return WorkerAnswer(status, {"content-type": "text/plain;charset=UTF-8"}, text.encode())


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or ["?"])[0]
