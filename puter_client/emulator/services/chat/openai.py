"""``POST /puterai/openai/v1/chat/completions``: the OpenAI-compatible chat route.

Its auth rules are the server's: a user's API (access) token with full access is taken;
the account's session token is refused (403 ``app_or_api_token_required``: a copied
session credential must not double as an AI key), and so is a scoped access token (403
``forbidden``). The reply is OpenAI's ``chat.completion`` object (or, with ``stream``,
``chat.completion.chunk`` server-sent events ending with ``[DONE]``), computed by the
same rules as the ``complete`` driver method.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

from starlette.responses import Response, StreamingResponse

from puter_client.emulator.core.auth import authenticate
from puter_client.emulator.core.context import Call
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.jsvalues import js_string
from puter_client.emulator.core.wire import json_response
from puter_client.emulator.services.chat import chat
from puter_client.emulator.services.chat.driver import _check_funds, _messages

OPENAI_CHAT_PATH = "/puterai/openai/v1/chat/completions"


def _check_credential(call: Call) -> Any:
    authorization = call.header("authorization")
    user = authenticate(call.state, authorization)
    claims = call.state.signer.decode((authorization or "").partition(" ")[2].strip())
    if claims.get("type") != "access-token":
        raise ApiError(
            403,
            "app_or_api_token_required",
            "This API cannot be called with an account session token. Use an app or worker "
            "token, or create an API token from the dashboard (Account → API Token).",
            surface="api",
        )
    if not claims.get("full_access"):
        raise ApiError(
            403, "forbidden", "This endpoint is only available to user sessions", surface="api"
        )
    return user


def _tool_calls(completion: chat.Completion) -> list[dict[str, Any]] | None:
    if completion.tool_call is None:
        return None
    tool = completion.tool_call
    return [
        {
            "id": tool.id,
            "type": "function",
            "function": {"name": tool.name, "arguments": json.dumps(tool.arguments)},
        }
    ]


async def chat_completions(call: Call) -> Response:
    """One chat completion in OpenAI's shape."""
    state = call.state
    user = _check_credential(call)
    body = call.json_object("api")
    if not isinstance(body.get("messages"), list):
        raise ApiError(
            400, "bad_request", "`messages` must be an array of chat messages", surface="api"
        )
    requested = js_string(body.get("model", ""))
    model = state.catalog.find(requested)
    if model is None:
        raise ApiError(400, "bad_request", f"Model not found: {requested}", surface="api")
    args: dict[str, Any] = {"messages": body["messages"], "model": requested}
    for name in ("tools", "temperature", "max_tokens"):
        if body.get(name) is not None:
            args[name] = body[name]
    messages = _messages(args)
    _check_funds(user, model)
    completion = chat.complete(messages, args, requested, model, state.next_id)
    completion_id = state.next_id("chatcmpl-")
    created = int(state.clock())
    usage = {
        "prompt_tokens": completion.input_tokens,
        "completion_tokens": completion.output_tokens,
        "total_tokens": completion.input_tokens + completion.output_tokens,
    }
    if body.get("stream"):
        return StreamingResponse(
            _events(completion, completion_id, created, requested, usage),
            media_type="text/event-stream",
        )
    message: dict[str, Any] = {"role": "assistant", "content": completion.text or ""}
    tool_calls = _tool_calls(completion)
    if tool_calls:
        message["tool_calls"] = tool_calls
    return json_response(
        {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": requested,
            "choices": [
                {
                    "index": 0,
                    "message": message,
                    "logprobs": None,
                    "finish_reason": completion.finish_reason,
                }
            ],
            "usage": usage,
        }
    )


async def _events(
    completion: chat.Completion,
    completion_id: str,
    created: int,
    model: str,
    usage: dict[str, int],
) -> AsyncIterator[bytes]:
    def chunk(delta: dict[str, Any], finish: str | None, **extra: Any) -> bytes:
        body = {
            "id": completion_id,
            "object": "chat.completion.chunk",
            "created": created,
            "model": model,
            "choices": [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
            **extra,
        }
        return f"data: {json.dumps(body)}\n\n".encode()

    if completion.text:
        yield chunk({"content": completion.text}, None)
    tool_calls = _tool_calls(completion)
    if tool_calls:
        yield chunk({"tool_calls": [{"index": 0, **tool_calls[0]}]}, None)
    yield chunk({}, completion.finish_reason, usage=usage)
    yield b"data: [DONE]\n\n"
