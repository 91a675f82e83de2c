"""``POST /drivers/call``: chat ``complete`` (plain and streamed), ``models`` and ``list``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

from starlette.responses import Response

from . import chat
from .auth import authenticate
from .catalog import TEST_PROVIDER, ModelInfo
from .context import Call
from .errors import ApiError
from .faults import Fault, StreamError, StreamWithoutUsage
from .jsvalues import ABSENT, js_string
from .state import EmulatorState, User
from .wire import dumps, json_response, ndjson_response

CHAT_INTERFACE = "puter-chat-completion"
AI_CHAT = "ai-chat"
METHODS = frozenset({"complete", "models", "list"})
#: V1 servers fell back to a default chat model; V2 servers have no default provider.
LEGACY_DEFAULT_MODEL = "gpt-5-nano"


def _fail(status: int, code: str, message: str, **kw: Any) -> ApiError:
    return ApiError(status, code, message, surface="driver", **kw)


@dataclass(frozen=True)
class _Route:
    """Which service answers: ``ai-chat`` (V2, or V1 in test mode) or a V1 provider."""

    service: str
    test_mode: bool = False


def _route(state: EmulatorState, body: dict[str, Any]) -> _Route:
    driver = body.get("driver") or body.get("service") or AI_CHAT
    if not state.legacy:
        if driver != AI_CHAT:
            raise _fail(404, "not_found", f"Driver not found: {CHAT_INTERFACE}:{driver}")
        return _Route(AI_CHAT)
    if driver != AI_CHAT and driver not in state.catalog.providers():
        raise _fail(404, "not_found", f"Driver not found: {CHAT_INTERFACE}:{driver}")
    return _Route(driver, test_mode=bool(body.get("test_mode")))


def _envelope(service: str, result: Any, metadata: dict[str, Any] | None = None) -> Response:
    body: dict[str, Any] = {"success": True, "service": {"name": service}, "result": result}
    if metadata is not None:
        body["metadata"] = metadata
    return json_response(body)


def _resolve_model(
    state: EmulatorState, args: dict[str, Any], route: _Route
) -> tuple[str, ModelInfo]:
    requested = args.get("model", ABSENT)
    default = state.options.default_model or (LEGACY_DEFAULT_MODEL if state.legacy else None)
    if _js_falsy(requested) and default is not None:
        requested = default
    model = state.catalog.find(requested) if isinstance(requested, str) else None
    pinned = route.service if route.service != AI_CHAT else args.get("provider")
    if route.test_mode:
        # V1 test mode sent every chat to the fake-chat service, whatever the model.
        model = model if model and model.provider == TEST_PROVIDER else state.catalog.find("fake")
        pinned = None
    if model is None or (pinned is not None and pinned != model.provider):
        raise _fail(400, "bad_request", f"Model not found: {js_string(requested)}")
    assert isinstance(requested, str)
    return requested, model


def _js_falsy(value: Any) -> bool:
    return value is ABSENT or value is None or value is False or value in ("", 0)


def _required_name(body: dict[str, Any], field: str) -> str:
    """``body[field]`` as a non-empty string, else the server's 400."""
    value = body.get(field)
    if not isinstance(value, str) or not value:
        raise _fail(400, "bad_request", f"Missing or invalid `{field}`")
    return value


def _messages(args: dict[str, Any]) -> list[dict[str, Any]]:
    messages = args.get("messages")
    if not isinstance(messages, list) or not messages:
        raise _fail(400, "bad_request", "messages must be a non-empty array")
    if not all(isinstance(m, dict) and isinstance(m.get("role"), str) for m in messages):
        raise _fail(400, "bad_request", "each message must be an object with a role")
    return messages


def _check_funds(user: User, model: ModelInfo) -> None:
    if not model.free and not user.has_credits:
        raise _fail(
            402,
            "insufficient_funds",
            "Available funding is insufficient for this request.",
            headers={"X-Needs-Upgrade": "true"},
        )


def stream_lines_with_fault(
    lines: list[dict[str, Any]], fault: Fault | None
) -> list[dict[str, Any]]:
    """The streamed lines as a stream fault alters them."""
    if isinstance(fault, StreamError):
        kept = lines[: max(0, min(fault.after_lines, len(lines) - 1))]
        return [*kept, {"type": "error", "message": fault.message}]
    if isinstance(fault, StreamWithoutUsage):
        return [line for line in lines if line.get("type") != "usage"]
    return lines


async def _paced(lines: list[dict[str, Any]], delay: float) -> AsyncIterator[bytes]:
    for index, line in enumerate(lines):
        if index and delay > 0:
            await asyncio.sleep(delay)
        yield dumps(line) + b"\n"


async def _complete(call: Call, user: User, route: _Route, args: dict[str, Any]) -> Response:
    state = call.state
    if route.service == AI_CHAT and state.legacy and not route.test_mode:
        raise _fail(
            500, "internal_error", "Calling ai-chat directly is not yet supported", plain=True
        )
    requested, model = _resolve_model(state, args, route)
    messages = _messages(args)
    _check_funds(user, model)
    completion = chat.complete(messages, args, requested, model, state.next_id)
    if args.get("stream") is True:
        lines = chat.stream_lines(completion, model, state.options.stream_chunk_chars)
        lines = stream_lines_with_fault(lines, call.stream_fault)
        return ndjson_response(_paced(lines, state.options.stream_line_delay))
    via_ai_chat = route.service == AI_CHAT
    prefix = "msg_" if model.family == "claude" else "chatcmpl-"
    result = chat.result(
        completion, model, state.next_id(prefix), legacy=state.legacy, via_ai_chat=via_ai_chat
    )
    metadata = {"service_used": model.provider, "providerUsed": model.upstream}
    return _envelope(route.service, result, metadata)


async def call_driver(call: Call) -> Response:
    """Dispatch a driver call; errors are ``ApiError`` with surface ``driver``."""
    state = call.state
    body = call.json_object("api")
    user = authenticate(state, call.header("authorization"))
    interface = _required_name(body, "interface")
    method = _required_name(body, "method")
    if interface != CHAT_INTERFACE:
        raise _fail(404, "not_found", f"Driver not found: {interface}:(no default)")
    route = _route(state, body)
    if method not in METHODS:
        raise _fail(404, "not_found", f"Method '{method}' not found on driver '{interface}'")
    if not user.email_confirmed:
        raise _fail(403, "email_confirmation_required", "Email confirmation required.")
    raw_args = body.get("args")
    args: dict[str, Any] = raw_args if isinstance(raw_args, dict) else {}
    if method == "models":
        return _envelope(route.service, state.catalog.details(include_hidden=True))
    if method == "list":
        return _envelope(route.service, state.catalog.ids(include_hidden=True))
    return await _complete(call, user, route, args)
