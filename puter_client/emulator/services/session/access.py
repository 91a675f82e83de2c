"""API (access) tokens, as the server mints them and as it lets them act.

``POST /auth/create-access-token``: a session token mints; an access token may not (403
``forbidden``). ``permissions`` must be a non-empty array of strings or ``[string,
extra?]`` arrays (400 ``bad_request`` otherwise); ``label`` a string (trimmed, 64
characters kept); ``expiresIn`` seconds or a duration such as ``"30d"`` (the token's
``exp``). Every permission but ``full-api-access`` must be one the user holds (403
``forbidden``, ``Issuer lacks permission(s): ...``, with ``missing_permissions``): the
``driver`` and ``service`` families every user holds, ``fs:<uid>:<mode>`` and
``manage:fs:<uid>`` of the user's own entries (``fs:/path:<mode>`` names the entry by
path and is checked as its uid, but kept as written), ``user:<own uuid>:email:read``.

What a token may do (the server's gates, `core.auth`): a full-access token acts as its
user on every API route (account management aside); a scoped token is refused 403
``forbidden`` by every route but ``GET /token-read`` (in ``services.fs.sharing``: the
read URLs of ``getReadURL``), which reads a file its user may read when the token
holds ``fs:<uid>:read`` (or ``write``, or ``manage:fs:<uid>``) of the file or of a folder
above it: the permission as stored, so a path-named one (``fs:/alice/a.txt:read``) grants
nothing there.

``POST /auth/revoke-access-token {tokenOrUuid, anti_csrf}``: a web session only (an access
token is 401 ``session_required``), with a one-use anti-CSRF token from the web host's
``GET /get-anticsrf-token`` (else 400 "Incorrect anti-CSRF token."); ``tokenOrUuid`` is
the token or its ``token_uid`` (a token of someone else, or no token: 404 ``not_found``).
A revoked token then fails with 401 ``token_auth_failed``.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.auth import authenticate
from puter_client.emulator.core.context import Call
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.core.tokens import BadSignature, MalformedToken
from puter_client.emulator.core.wire import json_response

ACCESS_TOKEN_TYPE = "access-token"
FULL_API_ACCESS = "full-api-access"
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w|y)?\s*$")
_SECONDS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86_400, "w": 604_800, "y": 31_557_600}
_JWT = re.compile(r"^[\w-]+\.[\w-]+\.[\w-]+$")


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
    names = [spec if isinstance(spec, str) else (spec[0] if spec else None) for spec in permissions]
    requested = list(dict.fromkeys(n for n in names if isinstance(n, str) and n))
    missing = [n for n in requested if n != FULL_API_ACCESS and not _holds(state, user, n)]
    if missing:
        raise ApiError(
            403,
            "forbidden",
            f"Issuer lacks permission(s): {', '.join(missing)}",
            extra={"missing_permissions": missing},
            surface="api",
        )
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
    # The server keeps the grants in a table; here they travel in the signed token.
    token_claims["permissions"] = permissions
    state.record_access_token(token_claims["token_uid"], user)
    lifetime = _seconds(body.get("expiresIn"))
    if lifetime is not None:
        token_claims["exp"] = int(state.clock() + lifetime)
    return json_response({"token": state.signer.issue(token_claims)})


# --- which permissions a user holds (the server's permission scan, in small) -----------

_USER_ROOTS = frozenset({"driver", "service"})
"""The permission families every user holds (``default_user_permissions``)."""


def _holds(state: EmulatorState, user: User, permission: str) -> bool:
    """Whether ``user`` holds ``permission`` (see the module docstring)."""
    rewritten = _fs_path_to_uid(state, permission)
    if rewritten is None:
        return False  # a path that names no entry: the server's rewrite fails
    parts = rewritten.split(":")
    options = [":".join(parts[: i + 1]) for i in range(len(parts))]
    if any(option in _USER_ROOTS for option in options):
        return True
    if rewritten == f"user:{user.uuid}:email:read":
        return True
    return any(_owns(state, user, option) for option in options)


def _fs_path_to_uid(state: EmulatorState, permission: str) -> str | None:
    """``fs:/path:...`` (or ``manage:fs:/path...``) with the entry's uid for its path."""
    if not permission.startswith(("fs:", "manage:fs:")):
        return permission
    manage, _, rest = permission.partition("fs:")
    if not rest.startswith("/"):
        return permission
    path, _, tail = rest.partition(":")
    node = state.fs.find(path)
    if node is None or node.path != path:
        return None
    return f"{manage}fs:{node.uid}" + (f":{tail}" if tail else "")


def _owns(state: EmulatorState, user: User, option: str) -> bool:
    """The ``is-owner`` rule: an ``fs:<uid>...`` (or ``manage:``) permission of an entry
    of the user's own tree."""
    if not option.startswith(("fs:", "manage:fs:", "manage:manage:fs:")):
        return False
    parts = option.replace("manage:", "").split(":")
    node = state.fs.by_uid(parts[1]) if len(parts) > 1 else None
    return node is not None and node.owner == user.username


def _web_session(call: Call) -> User:
    """The user of a plain session token (not an access token), else 401."""
    state = call.state
    authorization = call.header("authorization")
    user = authenticate(state, authorization)
    claims = state.signer.decode((authorization or "").partition(" ")[2].strip())
    if claims.get("type") != "session":
        raise ApiError(401, "session_required", "Web session required", surface="api")
    return user


async def anti_csrf_token(call: Call) -> Response:
    """``GET /get-anticsrf-token`` (web host): a one-use token for the revoke routes."""
    user = _web_session(call)
    return json_response({"token": call.state.issue_csrf_token(user)})


async def revoke_access_token(call: Call) -> Response:
    """``POST /auth/revoke-access-token {tokenOrUuid, anti_csrf}``: ``{"ok": true}``."""
    state = call.state
    user = _web_session(call)
    body = call.json_object("api")
    if not state.consume_csrf_token(user, body.get("anti_csrf")):
        raise _bad("Incorrect anti-CSRF token.")
    value = body.get("tokenOrUuid")
    if not isinstance(value, str) or not value:
        raise _bad("Missing `tokenOrUuid`")
    value = value.strip()
    not_found = ApiError(404, "not_found", "Access token not found", surface="api")
    if _JWT.match(value):
        try:
            claims = state.signer.decode(value)
        except (MalformedToken, BadSignature):
            raise ApiError(
                401, "token_auth_failed", "Authentication failed.", surface="api"
            ) from None
        token_uid = claims.get("token_uid")
        if claims.get("type") != ACCESS_TOKEN_TYPE or not isinstance(token_uid, str):
            raise ApiError(400, "token_invalid", "Invalid access token", surface="api")
        if claims.get("user_uid") != user.uuid:
            raise not_found
    else:
        token_uid = value
        if state.access_token_owner(token_uid) != user.uuid:
            raise not_found
    state.revoke_access_token(token_uid)
    return json_response({"ok": True})
