"""The ``puter-chat-completion`` interface: ``complete`` (plain, streamed), ``models``, ``list``."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.driverapi import (
    DriverCall,
    Interface,
    driver_not_found,
    envelope,
    fail,
    insufficient_funds,
)
from puter_client.emulator.core.faults import Fault, StreamError, StreamWithoutUsage
from puter_client.emulator.core.jsvalues import ABSENT, js_string
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.core.wire import dumps, ndjson_response
from puter_client.emulator.services.chat import chat
from puter_client.emulator.services.chat.catalog import TEST_PROVIDER, ModelInfo
from puter_client.emulator.services.chat.files import resolve_file_parts

CHAT_INTERFACE = "puter-chat-completion"
AI_CHAT = "ai-chat"
#: V1 servers fell back to a default chat model; V2 servers have no default provider.
LEGACY_DEFAULT_MODEL = "gpt-5-nano"


def _resolve_driver(state: EmulatorState, body: dict[str, Any]) -> str:
    """V2 accepts only ``ai-chat``; V1 also took provider names (and ``service``)."""
    driver = body.get("driver") or body.get("service") or AI_CHAT
    if driver == AI_CHAT or (state.legacy and driver in state.catalog.providers()):
        return str(driver)
    raise driver_not_found(CHAT_INTERFACE, js_string(driver))


def _js_falsy(value: Any) -> bool:
    return value is ABSENT or value is None or value is False or value in ("", 0)


def _resolve_model(
    state: EmulatorState, args: dict[str, Any], service: str, test_mode: bool
) -> tuple[str, ModelInfo]:
    requested = args.get("model", ABSENT)
    default = state.options.default_model or (LEGACY_DEFAULT_MODEL if state.legacy else None)
    if _js_falsy(requested) and default is not None:
        requested = default
    model = state.catalog.find(requested) if isinstance(requested, str) else None
    pinned = service if service != AI_CHAT else args.get("provider")
    if test_mode:
        # V1 test mode sent every chat to the fake-chat service, whatever the model.
        model = model if model and model.provider == TEST_PROVIDER else state.catalog.find("fake")
        pinned = None
    if model is None or (pinned is not None and pinned != model.provider):
        raise fail(400, "bad_request", f"Model not found: {js_string(requested)}")
    assert isinstance(requested, str)
    return requested, model


def _messages(args: dict[str, Any]) -> list[dict[str, Any]]:
    messages = args.get("messages")
    if not isinstance(messages, list) or not messages:
        raise fail(400, "bad_request", "messages must be a non-empty array")
    if not all(isinstance(m, dict) and isinstance(m.get("role"), str) for m in messages):
        raise fail(400, "bad_request", "each message must be an object with a role")
    for message in messages:
        # The server's message normalization: no content (missing, null, "") is refused
        # unless the message carries tool calls or is a tool result.
        content = message.get("content", ABSENT)
        calls = message.get("tool_calls", ABSENT)
        if _js_falsy(content) and _js_falsy(calls) and message.get("role") != "tool":
            raise fail(400, "bad_request", "each message must have a 'content' property")
    return messages


def _check_funds(user: User, model: ModelInfo) -> None:
    if not model.free and not user.has_credits:
        raise insufficient_funds()


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


async def complete(driver_call: DriverCall) -> Response:
    """``complete``: a deterministic reply (see `chat`), plain or streamed."""
    state, args, service = driver_call.state, driver_call.args, driver_call.service
    # V1 test mode (top-level ``test_mode``) routed through the fake provider.
    test_mode = state.legacy and bool(driver_call.body.get("test_mode"))
    if service == AI_CHAT and state.legacy and not test_mode:
        raise fail(
            500, "internal_error", "Calling ai-chat directly is not yet supported", plain=True
        )
    requested, model = _resolve_model(state, args, service, test_mode)
    messages = _messages(args)
    _check_funds(driver_call.user, model)
    messages = resolve_file_parts(state, driver_call.user, model.provider, messages)
    completion = chat.complete(messages, args, requested, model, state.next_id)
    if args.get("stream") is True:
        lines = chat.stream_lines(completion, model, state.options.stream_chunk_chars)
        lines = stream_lines_with_fault(lines, driver_call.call.stream_fault)
        return ndjson_response(_paced(lines, state.options.stream_line_delay))
    prefix = "msg_" if model.family == "claude" else "chatcmpl-"
    result = chat.result(
        completion,
        model,
        state.next_id(prefix),
        legacy=state.legacy,
        via_ai_chat=service == AI_CHAT,
    )
    metadata = {"service_used": model.provider, "providerUsed": model.upstream}
    return envelope(service, result, metadata)


async def models(driver_call: DriverCall) -> Any:
    """``models``: the unfiltered catalog, test models included."""
    return driver_call.state.catalog.details(include_hidden=True)


async def model_ids(driver_call: DriverCall) -> Any:
    """``list``: every model id, test models included."""
    return driver_call.state.catalog.ids(include_hidden=True)


CHAT = Interface(
    name=CHAT_INTERFACE,
    driver=AI_CHAT,
    methods={"complete": complete, "models": models, "list": model_ids},
    resolver=_resolve_driver,
)
