"""``POST /auth/create-access-token``: API (access) tokens, as the server mints them.

A session token mints; an access token may not (403 ``forbidden``). ``permissions`` must
be a non-empty array of strings or ``[string, extra?]`` arrays (400 ``bad_request``
otherwise); ``label`` a string (trimmed, 64 characters kept); ``expiresIn`` seconds or a
duration such as ``"30d"`` (the token's ``exp``). The emulator does not narrow what a
token may do by its permissions: it authenticates as its user.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.auth import authenticate
from puter_client.emulator.core.context import Call
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.wire import json_response

ACCESS_TOKEN_TYPE = "access-token"
FULL_API_ACCESS = "full-api-access"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)?\s*$")
_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800, "y": 31_557_600}


def _bad(message: str) -> ApiError:
    return ApiError(400, "bad_request", message, surface="api")


def _seconds(expires_in: Any) -> float | None:
    """``expiresIn`` in seconds (jsonwebtoken: a number is seconds, a string a duration)."""
    if expires_in in (None, "", 0, False):
        return None
    if isinstance(expires_in, bool):
        raise _bad("`expiresIn` must be a number of seconds or a duration string")
    if isinstance(expires_in, int | float):
        return float(expires_in)
    if isinstance(expires_in, str):
        match = _DURATION.match(expires_in)
        if match:
            return float(match.group(1)) * _SECONDS[match.group(2) or "ms"]
    raise _bad("`expiresIn` must be a number of seconds or a duration string")


async def create_access_token(call: Call) -> Response:
    """Mint an access token for the session's user."""
    state = call.state
    authorization = call.header("authorization")
    user = authenticate(state, authorization)
    claims = state.signer.decode((authorization or "").partition(" ")[2].strip())
    if claims.get("type") == ACCESS_TOKEN_TYPE:
        raise ApiError(
            403, "forbidden", "Access tokens may not create access tokens", surface="api"
        )
    body = call.json_object("api")
    permissions = body.get("permissions")
    if not isinstance(permissions, list) or not permissions:
        raise _bad("Missing or empty `permissions` array")
    label = body.get("label")
    if label is not None and not isinstance(label, str):
        raise _bad("`label` must be a string")
    for spec in permissions:
        if not isinstance(spec, str | list):
            raise _bad("Each permission must be a string or [string, extra?]")
    token_claims: dict[str, Any] = {
        "type": ACCESS_TOKEN_TYPE,
        "version": "0.0.0",
        "token_uid": str(uuid.uuid4()),
        "user_uid": user.uuid,
        "full_access": any(
            spec == FULL_API_ACCESS or (isinstance(spec, list) and spec[:1] == [FULL_API_ACCESS])
            for spec in permissions
        ),
    }
    lifetime = _seconds(body.get("expiresIn"))
    if lifetime is not None:
        token_claims["exp"] = int(state.clock() + lifetime)
    return json_response({"token": state.signer.issue(token_claims)})
