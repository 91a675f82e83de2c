"""The ``puter-subdomains`` interface (driver ``es:subdomain``) and static hosting.

Names are lowercase ``[a-z0-9-]`` (not starting or ending with ``-``), at most 64
characters, not a reserved word (400); a taken one is 409 ``conflict``; ``root_dir`` must
name an existing folder (400 ``root_dir_id does not exist``). ``select`` follows the
listing rules of ``es:app`` (see `apps.paged`) and includes worker rows; ``read`` of a
worker row is 404. A site is served at ``<subdomain>.<static_hosting_domain>`` (the
request's ``Host``): ``/`` is the folder's ``index.html``.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.context import Call
from puter_client.emulator.core.driverapi import DriverCall, Interface, fail
from puter_client.emulator.core.jsvalues import ABSENT
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.services.apps.apps import now_iso, paged
from puter_client.emulator.services.fs.entries import v1_entry
from puter_client.emulator.services.fs.tree import Node, mime_type, normalize
from puter_client.emulator.services.hosting.store import WORKER_PREFIX, SiteRow

SUBDOMAIN_PATTERN = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$")
SUBDOMAIN_MAX = 64
MAX_SITES = 500
RESERVED = frozenset(
    {"www", "api", "mail", "ftp", "admin", "localhost", "ns1", "ns2", "smtp", "pop", "imap",
     "blog", "dev", "staging", "test"}
)  # fmt: skip


def _bad(message: str) -> Any:
    return fail(400, "bad_request", message)


def not_found() -> Any:
    """The 404 of an unknown subdomain."""
    return fail(404, "not_found", "Subdomain not found")


def _subdomain(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise _bad("Missing `subdomain`")
    if len(value) > SUBDOMAIN_MAX:
        raise _bad(f"`subdomain` must be at most {SUBDOMAIN_MAX} characters")
    if not SUBDOMAIN_PATTERN.fullmatch(value):
        raise _bad("`subdomain` has an invalid format")
    if value in RESERVED:
        raise _bad("`subdomain` is reserved")
    return value


def folder(state: EmulatorState, user: User, path: Any) -> Node:
    """The folder ``root_dir`` names (``~`` expanded), else the 400."""
    if not isinstance(path, str) or not path:
        raise _bad("root_dir_id does not exist")
    try:
        node = state.fs.find(normalize(path, user.username))
    except Exception:  # an invalid path names no folder
        node = None
    if node is None or not node.is_dir:
        raise _bad("root_dir_id does not exist")
    return node


def to_client(state: EmulatorState, row: SiteRow) -> dict[str, Any]:
    """A row as the driver answers it."""
    root = state.fs.by_uid(row.root_dir_uid) if row.root_dir_uid else None
    return {
        "uid": row.uid,
        "subdomain": row.subdomain,
        "domain": row.domain,
        "root_dir": v1_entry(root) if root is not None else None,
        "associated_app": None,
        "app_owner": None if row.app_owner is None else {"uid": row.app_owner},
        "created_at": row.created_at,
        "owner": {"username": row.owner_username, "uuid": row.owner_uuid},
        "protected": row.protected,
    }


def add_row(
    state: EmulatorState, user: User, subdomain: str, root: Node | None, app_owner: str | None
) -> SiteRow:
    """Store a new row (checked: taken, limit)."""
    if state.sites.get(subdomain) is not None:
        raise fail(409, "conflict", "A site with this subdomain already exists")
    if len(state.sites.owned_by(user.uuid)) >= MAX_SITES:
        raise fail(403, "subdomain_limit_reached", "Subdomain limit reached")
    row = SiteRow(
        id=state.sites.next_id(),
        uid=f"sd-{uuid.uuid4()}",
        subdomain=subdomain,
        owner_uuid=user.uuid,
        owner_username=user.username,
        created_at=now_iso(state),
        root_dir_uid=root.uid if root is not None else None,
        app_owner=app_owner,
    )
    state.sites.add(row)
    return row


def _object(dc: DriverCall) -> dict[str, Any]:
    obj = dc.arg("object")
    if not isinstance(obj, dict):
        raise _bad("Missing or invalid `object`")
    return obj


def _resolve(dc: DriverCall) -> SiteRow:
    ident = dc.arg("id")
    name = ident.get("subdomain") if isinstance(ident, dict) else None
    row = dc.state.sites.get(name) if isinstance(name, str) else None
    if row is None or row.subdomain.startswith(WORKER_PREFIX):
        raise not_found()
    if row.owner_uuid != dc.user.uuid:
        raise fail(403, "forbidden", "Permission denied.")
    return row


async def create(dc: DriverCall) -> Any:
    """``create {object: {subdomain, root_dir}}``."""
    obj = _object(dc)
    subdomain = _subdomain(obj.get("subdomain"))
    if dc.state.sites.get(subdomain) is not None:
        raise fail(409, "conflict", "A site with this subdomain already exists")
    root = folder(dc.state, dc.user, obj.get("root_dir"))
    return to_client(dc.state, add_row(dc.state, dc.user, subdomain, root, None))


async def read(dc: DriverCall) -> Any:
    """``read {id: {subdomain}}``."""
    return to_client(dc.state, _resolve(dc))


async def update(dc: DriverCall) -> Any:
    """``update {id, object: {root_dir}}``: a folder, or null for none."""
    obj = _object(dc)
    row = _resolve(dc)
    if "root_dir" in obj:
        value = obj["root_dir"]
        row.root_dir_uid = None if value is None else folder(dc.state, dc.user, value).uid
    if obj.get("domain", ABSENT) is not ABSENT:
        row.domain = "" if obj["domain"] is None else str(obj["domain"])
    return to_client(dc.state, row)


async def delete(dc: DriverCall) -> Any:
    """``delete {id}`` -> ``{success, uid}``."""
    row = _resolve(dc)
    if row.protected:
        raise fail(403, "forbidden", "Cannot delete a protected subdomain")
    dc.state.sites.remove(row)
    return {"success": True, "uid": row.uid}


async def select(dc: DriverCall) -> Any:
    """``select {limit, cursor, offset, includeTotal}``: the caller's rows."""
    rows = dc.state.sites.owned_by(dc.user.uuid)
    return paged(dc, rows, lambda r: r.id, 500, 5000, lambda r: to_client(dc.state, r))


SUBDOMAINS = Interface(
    name="puter-subdomains",
    driver="es:subdomain",
    methods={"create": create, "read": read, "update": update, "delete": delete, "select": select},
)


# ------------------------------------------------------------------ serving


def site_of(state: EmulatorState, host: str | None) -> SiteRow | None:
    """The site a ``Host`` header names under the static hosting domain, if any."""
    name = (host or "").rpartition(":")[0] if ":" in (host or "") else (host or "")
    suffix = "." + state.options.static_hosting_domain
    if not name.endswith(suffix):
        return None
    return state.sites.get(name[: -len(suffix)].lower())


def serves(state: EmulatorState, host: str | None) -> bool:
    """Whether ``host`` is under the static hosting domain."""
    name = (host or "").split(":")[0]
    return name.endswith("." + state.options.static_hosting_domain)


def _page(status: int, text: str) -> Response:
    return Response(
        f"<!doctype html><title>{text}</title><h1>{text}</h1>", status, media_type="text/html"
    )


async def serve(call: Call) -> Response:
    """A request to a site: its folder's file at the path (``index.html`` for a folder)."""
    state = call.state
    row = site_of(state, call.header("host"))
    if call.request.method not in ("GET", "HEAD"):
        return _page(405, "Method Not Allowed")
    if row is None or row.root_dir_uid is None:
        return _page(404, "Not Found")
    node = state.fs.by_uid(row.root_dir_uid)
    for name in [n for n in call.request.path.split("/") if n]:
        node = node.children.get(name) if node is not None and node.is_dir else None
    if node is not None and node.is_dir:
        node = node.children.get("index.html")
    if node is None or node.is_dir:
        return _page(404, "Not Found")
    data = b"".join(state.fs.blobs.read(node.blob)) if node.blob is not None else b""
    kind = node.content_type or mime_type(node.name) or "application/octet-stream"
    return Response(data, 200, media_type=kind)
