"""The ``puter-apps`` interface (driver ``es:app``) and the app routes, as the server
answers them.

``select`` follows the server's listing rules: a bare array unless ``cursor`` (even
null), ``offset`` or ``includeTotal`` is sent, then ``{items, cursor?, total?}`` with
an opaque cursor (base64 JSON of the last row id); ``cursor`` with ``offset`` is 400.
A taken name on ``create`` is 400 ``app_name_already_in_use`` (``dedupe_name`` picks
``<name>-xxxx``), on ``update`` 409 ``conflict``; a missing app is 404 ``not_found``.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
import secrets
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from typing import Any, TypeVar
from urllib.parse import urlsplit

from starlette.responses import Response

from puter_client.emulator.core.auth import authenticate
from puter_client.emulator.core.context import Call
from puter_client.emulator.core.driverapi import DriverCall, Interface, fail
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.jsvalues import ABSENT
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.core.wire import json_response
from puter_client.emulator.services.apps.store import AppRow

NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_-]+$")
NAME_MAX = 100
TITLE_MAX = 100
DEFAULT_LIMIT = 500
LIMIT_CAP = 5000

T = TypeVar("T")


def bad_request(message: str) -> ApiError:
    """A 400 ``bad_request`` of a driver call."""
    return fail(400, "bad_request", message)


def app_not_found() -> ApiError:
    """The 404 of an unknown app."""
    return fail(404, "not_found", "App not found")


# ------------------------------------------------------------------ validation


def _string(
    value: Any,
    key: str,
    *,
    required: bool,
    max_len: int | None = None,
    pattern: re.Pattern[str] | None = None,
    allow_empty: bool = False,
) -> str | None:
    if value is ABSENT or value is None:
        if required:
            raise bad_request(f"Missing `{key}`")
        return None
    if not isinstance(value, str):
        raise bad_request(f"`{key}` must be a string")
    if not allow_empty and not value:
        raise bad_request(f"`{key}` must not be empty")
    if max_len is not None and len(value) > max_len:
        raise bad_request(f"`{key}` must be at most {max_len} characters")
    if pattern is not None and not pattern.fullmatch(value):
        raise bad_request(f"`{key}` has an invalid format")
    return value


def _url(value: Any, *, required: bool) -> str | None:
    text = _string(value, "index_url", required=required, max_len=3000)
    if text is None:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:
        raise bad_request("`index_url` must be a valid URL") from None
    if not parts.scheme or not parts.netloc:
        raise bad_request("`index_url` must be a valid URL")
    if parts.scheme not in ("http", "https"):
        raise bad_request("`index_url` must use one of the following protocols: http:, https:")
    return text


def _bool(value: Any, key: str) -> bool | None:
    if value is ABSENT or value is None:
        return None
    if not isinstance(value, bool):
        raise bad_request(f"`{key}` must be a boolean")
    return value


def canonical_filetype(value: str) -> str:
    """An extension without its dot, lower-cased (``.TXT`` -> ``txt``); MIME types as given."""
    if "/" in value:
        return value
    return value.lstrip(".").lower()


def validated_fields(obj: Any, *, create: bool) -> dict[str, Any]:
    """The fields of ``object`` the server stores, checked in its order."""
    if not isinstance(obj, dict):
        raise bad_request("Missing or invalid `object`")
    out: dict[str, Any] = {}

    def get(key: str) -> Any:
        return obj.get(key, ABSENT)

    if create or "name" in obj:
        out["name"] = _string(get("name"), "name", required=create, max_len=NAME_MAX,
                              pattern=NAME_PATTERN)  # fmt: skip
    if create or "title" in obj:
        out["title"] = _string(get("title"), "title", required=create, max_len=TITLE_MAX)
    if "description" in obj:
        out["description"] = _string(get("description"), "description", required=False,
                                     allow_empty=True)  # fmt: skip
    if create or "index_url" in obj:
        out["index_url"] = _url(get("index_url"), required=create)
    if "icon" in obj:
        icon = _string(get("icon"), "icon", required=False, allow_empty=True)
        if icon and not icon.startswith("data:image/"):
            raise bad_request(
                "`icon` must be base64, a data:image/… URL, or an app-icon endpoint URL"
            )
        out["icon"] = icon
    for key in ("maximize_on_start", "background", "feedback_enabled"):
        if key in obj:
            out[key] = _bool(get(key), key)
    if "metadata" in obj:
        metadata = get("metadata")
        if metadata is not None and not isinstance(metadata, dict):
            raise bad_request("`metadata` must be an object")
        out["metadata"] = metadata
    if obj.get("filetype_associations"):
        types = obj["filetype_associations"]
        if not isinstance(types, list) or not all(isinstance(t, str) for t in types):
            raise bad_request("`filetype_associations` must be an array of strings")
        out["filetype_associations"] = [canonical_filetype(t) for t in types]
    return {k: v for k, v in out.items() if v is not None or k in ("description", "metadata")}


# ------------------------------------------------------------------ answers


def now_iso(state: EmulatorState) -> str:
    """The server clock as the ISO 8601 text the stores answer."""
    moment = datetime.fromtimestamp(state.clock(), tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def to_client(row: AppRow, actor: User, params: dict[str, Any] | None = None) -> dict[str, Any]:
    """An app as the driver answers it."""
    params = params or {}
    result: dict[str, Any] = {
        "uid": row.uid,
        "name": row.name,
        "title": row.title,
        "description": row.description,
        "icon": row.icon,
        "index_url": row.index_url,
        "background": row.background,
        "maximize_on_start": row.maximize_on_start,
        "feedback_enabled": row.feedback_enabled,
        "godmode": False,
        "is_private": False,
        "protected": row.protected,
        "approved_for_listing": False,
        "approved_for_opening_items": False,
        "approved_for_incentive_program": False,
        "metadata": row.metadata,
        "filetype_associations": list(row.filetypes),
        "created_at": row.created_at,
        "created_from_origin": None,
        "stats": params.get("stats"),
    }
    if actor.uuid == row.owner_uuid:
        result["owner"] = {"username": actor.username, "uuid": actor.uuid}
    if params.get("icon_size"):
        result["icon_size"] = params["icon_size"]
    return result


def _stats(row: AppRow, params: dict[str, Any]) -> dict[str, Any] | None:
    if params.get("stats") is False or not (
        params.get("stats_period") or params.get("stats_grouping")
    ):
        return None
    return {"user_count": len(row.users), "open_count": 0}


def _params(dc: DriverCall) -> dict[str, Any]:
    params = dc.arg("params")
    return dict(params) if isinstance(params, dict) else {}


def resolve(dc: DriverCall) -> AppRow | None:
    """The app an ``id`` (``{name}`` or ``{uid}``) or ``uid`` argument names."""
    apps = dc.state.apps
    ident = dc.arg("id")
    if isinstance(ident, dict):
        if isinstance(ident.get("name"), str):
            return apps.by_name(ident["name"])
        if isinstance(ident.get("uid"), str):
            return apps.by_uid(ident["uid"])
    uid = dc.arg("uid")
    return apps.by_uid(uid) if isinstance(uid, str) else None


def _writable(dc: DriverCall, row: AppRow) -> None:
    if row.owner_uuid != dc.user.uuid:
        raise fail(403, "forbidden", "Permission denied.")


def create_app(state: EmulatorState, user: User, fields: dict[str, Any], *, dedupe: bool) -> AppRow:
    """Store a new app of ``user`` (the create rules: unique name, optional dedupe)."""
    apps = state.apps
    name = fields["name"]
    if apps.by_name(name) is not None:
        if not dedupe:
            raise fail(400, "app_name_already_in_use", "An app with this name already exists")
        for _ in range(3):
            candidate = f"{name}-{secrets.token_hex(2)}"
            if apps.by_name(candidate) is None:
                name = candidate
                break
        else:
            raise fail(400, "app_name_already_in_use", "Failed to dedupe app name")
    row = AppRow(
        id=apps.next_id(),
        uid=f"app-{uuid.uuid4()}",
        name=name,
        title=fields["title"],
        index_url=fields["index_url"],
        owner_uuid=user.uuid,
        owner_username=user.username,
        created_at=now_iso(state),
        description=fields.get("description"),
        icon=fields.get("icon"),
        background=bool(fields.get("background", False)),
        maximize_on_start=bool(fields.get("maximize_on_start", False)),
        feedback_enabled=bool(fields.get("feedback_enabled", False)),
        metadata=fields.get("metadata"),
        filetypes=list(fields.get("filetype_associations", [])),
    )
    apps.add(row)
    return row


async def create(dc: DriverCall) -> Any:
    """``create {object, options: {dedupe_name}}``."""
    fields = validated_fields(dc.arg("object"), create=True)
    options = dc.arg("options")
    dedupe = isinstance(options, dict) and options.get("dedupe_name") is True
    return to_client(create_app(dc.state, dc.user, fields, dedupe=dedupe), dc.user)


async def read(dc: DriverCall) -> Any:
    """``read {id: {name}, params}``."""
    row = resolve(dc)
    if row is None:
        raise app_not_found()
    params = _params(dc)
    return to_client(row, dc.user, {**params, "stats": _stats(row, params)})


async def update(dc: DriverCall) -> Any:
    """``update {id, object}``: only the fields sent change."""
    obj = dc.arg("object")
    if not isinstance(obj, dict):
        raise bad_request("Missing or invalid `object`")
    row = resolve(dc)
    if row is None:
        raise app_not_found()
    _writable(dc, row)
    fields = validated_fields(obj, create=False)
    new_name = fields.pop("name", None)
    if new_name and new_name != row.name and dc.state.apps.by_name(new_name) is not None:
        raise fail(409, "conflict", "An app with this name already exists")
    types = fields.pop("filetype_associations", None)
    for key, value in fields.items():
        setattr(row, key, value)
    if types is not None:
        row.filetypes = types
    if new_name and new_name != row.name:
        dc.state.apps.rename(row, new_name)
    return to_client(row, dc.user)


async def delete(dc: DriverCall) -> Any:
    """``delete {id}`` -> ``{success, uid}``."""
    row = resolve(dc)
    if row is None:
        raise app_not_found()
    if row.protected:
        raise fail(403, "forbidden", "Cannot delete a protected app")
    _writable(dc, row)
    dc.state.apps.remove(row)
    return {"success": True, "uid": row.uid}


def encode_cursor(payload: dict[str, Any]) -> str:
    """The server's opaque cursor: base64 of the JSON payload."""
    return base64.b64encode(json.dumps(payload, separators=(",", ":")).encode()).decode()


def decode_cursor(value: Any) -> dict[str, Any] | None:
    """The payload of a cursor (None: none given); 400 ``invalid cursor`` when unreadable."""
    if value is ABSENT or value is None:
        return None
    if isinstance(value, dict):
        return value
    if not isinstance(value, str):
        raise bad_request("invalid cursor")
    text = value.strip()
    if not text:
        return None
    for attempt in ("base64", "json"):
        try:
            raw = base64.b64decode(text, validate=True).decode() if attempt == "base64" else text
            payload = json.loads(raw)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            continue
        if isinstance(payload, dict):
            return payload
    raise bad_request("invalid cursor")


def normalize_limit(value: Any, cap: int) -> int | None:
    """``limit`` as the server reads it: a positive number, floored, capped."""
    if value is ABSENT or value is None:
        return None
    number = (
        float(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else math.nan
    )
    if not math.isfinite(number) or number <= 0:
        raise bad_request("limit must be a positive number")
    return min(math.floor(number), cap)


def normalize_offset(value: Any) -> int | None:
    """``offset`` as the server reads it: a number >= 0, floored."""
    if value is ABSENT or value is None:
        return None
    number = (
        float(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool)
        else math.nan
    )
    if not math.isfinite(number) or number < 0:
        raise bad_request("offset must be a non-negative number")
    return math.floor(number)


def paged(
    dc: DriverCall,
    rows: list[T],
    key: Callable[[T], int],
    default_limit: int,
    cap: int,
    render: Callable[[T], Any],
) -> Any:
    """One answer of a listing by the server's rules (see the module docstring).

    ``rows`` are in listing order; ``key(row)`` is the row's id for the cursor.
    """
    limit = normalize_limit(dc.arg("limit"), cap) or default_limit
    offset = normalize_offset(dc.arg("offset"))
    has_cursor = "cursor" in dc.args
    payload = decode_cursor(dc.arg("cursor"))
    if payload is not None and offset is not None:
        raise bad_request("cursor and offset cannot be combined")
    include_total = dc.arg("includeTotal") is True
    paginated = has_cursor or offset is not None or include_total
    selected = rows
    if payload is not None:
        after = payload.get("id")
        selected = [row for row in rows if isinstance(after, (int, float)) and key(row) > after]
    if offset:
        selected = selected[offset:]
    if not paginated:
        return [render(row) for row in selected[:limit]]
    page, more = selected[:limit], len(selected) > limit
    answer: dict[str, Any] = {"items": [render(row) for row in page]}
    if more:
        answer["cursor"] = encode_cursor({"id": key(page[-1])})
    if include_total:
        answer["total"] = len(rows)
    return answer


async def select(dc: DriverCall) -> Any:
    """``select {predicate, params, limit, cursor, offset, includeTotal}``."""
    predicate = dc.arg("predicate")
    owned = isinstance(predicate, list) and "user-can-edit" in predicate
    apps = dc.state.apps
    rows = apps.owned_by(dc.user.uuid) if owned else apps.all()
    params = _params(dc)

    def render(row: AppRow) -> dict[str, Any]:
        return to_client(row, dc.user, {**params, "stats": _stats(row, params)})

    return paged(dc, rows, lambda row: row.id, DEFAULT_LIMIT, LIMIT_CAP, render)


async def get_users(dc: DriverCall) -> Any:
    """``app-telemetry`` ``get_users {app_uuid, limit, offset}``: owner only."""
    uid = dc.arg("app_uuid")
    if not isinstance(uid, str) or not uid:
        raise bad_request("Missing or invalid `app_uuid`")
    row = dc.state.apps.by_uid(uid)
    if row is None:
        raise app_not_found()
    if row.owner_uuid != dc.user.uuid:
        raise fail(403, "forbidden", "Permission denied.")
    limit = normalize_limit(dc.arg("limit"), 1000) or 100
    offset = normalize_offset(dc.arg("offset")) or 0
    return [dict(u) for u in row.users[offset : offset + limit]]


APPS = Interface(
    name="puter-apps",
    driver="es:app",
    methods={"create": create, "read": read, "update": update, "delete": delete, "select": select},
)
TELEMETRY = Interface(
    name="app-telemetry", driver="app-telemetry", methods={"get_users": get_users}
)
INTERFACES = (APPS, TELEMETRY)


# ------------------------------------------------------------------ routes


async def name_available(call: Call) -> Response:
    """``GET /apps/nameAvailable?name=``: ``{name, available}``."""
    authenticate(call.state, call.header("authorization"))
    name = call.query.get("name")
    if not name:
        raise ApiError(400, "bad_request", "Missing or invalid `name` query param")
    return json_response({"name": name, "available": call.state.apps.by_name(name) is None})


async def developer_profile(call: Call) -> Response:
    """``GET /get-dev-profile``: the account's developer profile."""
    user = authenticate(call.state, call.header("authorization"))
    profile = {
        "first_name": None,
        "last_name": None,
        "approved_for_incentive_program": False,
        "joined_incentive_program": False,
        "paypal": None,
    }
    profile.update(call.state.apps.profiles.get(user.uuid, {}))
    return json_response(profile)


APP_ROUTES = {
    ("GET", "/apps/nameAvailable"): name_available,
    ("GET", "/get-dev-profile"): developer_profile,
}
