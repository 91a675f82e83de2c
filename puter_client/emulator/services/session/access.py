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
``forbidden`` by every route but ``GET /token-read?token=...&file=...``, which reads a
file its user may read when the token holds ``fs:<uid>:read`` (or ``write``, or
``manage:fs:<uid>``) of the file or of a folder above it: the permission as stored,
so a path-named one (``fs:/alice/a.txt:read``) grants nothing there.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from starlette.responses import Response

from puter_client.emulator.core.auth import authenticate
from puter_client.emulator.core.context import Call
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.core.wire import json_response
from puter_client.emulator.services.fs.tree import Node, mime_type

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
    token_claims["perms"] = [n for n in names if isinstance(n, str) and n != FULL_API_ACCESS]
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


# --- GET /token-read ------------------------------------------------------------------


def _token_auth_failed() -> ApiError:
    return ApiError(401, "token_auth_failed", "Token authentication failed", surface="api")


def _token_claims(state: EmulatorState, token: str) -> dict[str, Any]:
    """The claims of a valid access token, else the route's 401."""
    try:
        claims = state.signer.decode(token)
    except ValueError:
        raise _token_auth_failed() from None
    if claims.get("type") != ACCESS_TOKEN_TYPE:
        raise _token_auth_failed()
    return claims


def _entry(state: EmulatorState, user: User, query: Mapping[str, str]) -> Node:
    """The entry ``file`` (a path, ``~`` from the home, or a uid), or ``path``/``uid``
    names, as the legacy read resolves it; 404 ``subject_does_not_exist`` if none."""
    selector = query.get("file") or ""
    path = query.get("path") if not selector else None
    uid = query.get("uid") or query.get("uuid") if not selector else None
    if selector:
        if selector.startswith(("/", "~")):
            path = selector
        else:
            uid = selector
    if path is not None:
        if path == "~" or path.startswith("~/"):
            path = f"/{user.username}{path[1:]}"
        node = state.fs.find(path)
        if node is None or node.path != path:
            raise ApiError(404, "subject_does_not_exist", f"Entry not found: path={path}")
        return node
    if uid:
        node = state.fs.by_uid(uid)
        if node is None:
            raise ApiError(404, "subject_does_not_exist", f"Entry not found: uuid={uid}")
        return node
    raise ApiError(400, "bad_request", "Missing entry reference (expected one of: path, uid, id)")


_MODES_ABOVE = {"see": ("see", "list", "read", "write"), "read": ("read", "write")}


def _token_may(
    state: EmulatorState, claims: dict[str, Any], user: User, node: Node, mode: str
) -> bool:
    """The server's ACL check of an access token: its user may (owns the entry), and
    the token is full-access or holds the mode (or a higher one, or ``manage``) on the
    entry or a folder above it."""
    home = f"/{user.username}"
    if node.path != home and not node.path.startswith(home + "/"):
        return False
    if claims.get("full_access"):
        return True
    held = set(claims.get("perms") or ())
    ancestor: Node | None = node
    while ancestor is not None and ancestor.parent is not None:
        wanted = {f"fs:{ancestor.uid}:{m}" for m in _MODES_ABOVE[mode]}
        if held & (wanted | {f"manage:fs:{ancestor.uid}"}):
            return True
        ancestor = ancestor.parent
    return False


async def token_read(call: Call) -> Response:
    """``GET /token-read?token=<access token>&file=<path or uid>``: the file's bytes
    (its type from its name), for a token that may read it (see the module docstring)."""
    state = call.state
    token = call.query.get("token")
    if not token:
        raise _token_auth_failed()
    claims = _token_claims(state, token)
    try:
        user = authenticate(state, f"Bearer {token}", allow_scoped_token=True)
    except ApiError as exc:
        if exc.status == 401:
            raise _token_auth_failed() from None
        raise
    state.fs.home(user.username)
    node = _entry(state, user, call.query)
    if not _token_may(state, claims, user, node, "read"):
        if _token_may(state, claims, user, node, "see"):
            raise ApiError(403, "access_denied", "Forbidden")
        raise ApiError(404, "subject_does_not_exist", "Subject does not exist")
    if node.is_dir:
        raise ApiError(400, "cannot_read_a_directory", "Cannot read a directory")
    data = b"".join(state.fs.blobs.read(node.blob)) if node.blob is not None else b""
    media_type = (mime_type(node.name) or "application/octet-stream").split(";")[0]
    disposition = f'inline; filename="{quote(node.name, safe="")}"'
    return Response(data, media_type=media_type, headers={"Content-Disposition": disposition})
