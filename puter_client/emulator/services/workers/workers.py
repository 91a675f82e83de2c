"""The ``workers`` interface (driver ``worker-service``) and deployed workers' requests.

A worker is a subdomain row ``workers.puter.<name>`` (the sites' table) whose root is the
source file, bound to an app (its sandbox) or to none. ``create`` answers the URL that
serves it here, ``http://<name>.workers.puter.localhost:<port>``; ``getFilePaths``
always says ``https://<name>.puter.work`` (the server's quirk). A request whose ``Host``
is under the workers domain runs the file's current source (see `runtime`): its
``me.puter.kv`` is the sandbox app's namespace of the deployer, or the deployer's own
when unsandboxed; ``user.puter.kv`` the caller's, when ``puter-auth`` holds a session.
"""

from __future__ import annotations

import asyncio
import logging
import re
from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.auth import authenticate
from puter_client.emulator.core.context import Call
from puter_client.emulator.core.driverapi import DriverCall, Interface, fail
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.services.apps.apps import paged
from puter_client.emulator.services.fs.tree import normalize
from puter_client.emulator.services.hosting.hosting import add_row
from puter_client.emulator.services.hosting.store import WORKER_PREFIX, SiteRow
from puter_client.emulator.services.kv.store import Namespace
from puter_client.emulator.services.workers.runtime import (
    ENGINE_MISSING,
    KvCopy,
    engine_available,
    run_request,
)

logger = logging.getLogger(__name__)

NAME_PATTERN = re.compile(r"^[a-zA-Z0-9_-]+$")
MAX_WORKERS = 100


def _bad(message: str) -> ApiError:
    return fail(400, "bad_request", message)


def _name(value: Any) -> str:
    name = str(value if value is not None else "").lower()
    if not name:
        raise _bad("Missing `workerName`")
    return name


def _rows(state: EmulatorState, user: User) -> list[SiteRow]:
    return [r for r in state.sites.owned_by(user.uuid) if r.subdomain.startswith(WORKER_PREFIX)]


def _host_port(call: Call) -> str:
    host = call.header("host") or ""
    return f":{host.rpartition(':')[2]}" if ":" in host else ""


async def create(dc: DriverCall) -> Any:
    """``create {authorization, filePath, workerName, appId?}`` -> ``{success, errors, url}``."""
    state, user = dc.state, dc.user
    name = _name(dc.arg("workerName") if isinstance(dc.arg("workerName"), str) else None)
    path = dc.arg("filePath")
    if not isinstance(path, str) or not path:
        raise _bad("Missing `filePath`")
    if not NAME_PATTERN.fullmatch(name):
        raise _bad("Worker name must be alphanumeric (plus _ and -)")
    app_uid = dc.arg("appId")
    app_uid = app_uid if isinstance(app_uid, str) and app_uid else None
    if app_uid is not None:
        app = state.apps.by_uid(app_uid)
        if app is None or app.owner_uuid != user.uuid:
            raise fail(403, "forbidden", "Cannot deploy worker for another app")
    existing = state.sites.get(WORKER_PREFIX + name)
    if existing is not None and existing.owner_uuid != user.uuid:
        raise fail(409, "conflict", "Worker name is already in use")
    if existing is None and len(_rows(state, user)) >= MAX_WORKERS:
        raise fail(403, "forbidden", f"Worker limit reached (max {MAX_WORKERS})")
    node = state.fs.find(normalize(path, user.username))
    if node is None or node.is_dir:
        raise fail(404, "subject_does_not_exist", "File not found")
    if existing is not None:
        existing.root_dir_uid = node.uid
        existing.app_owner = app_uid
    else:
        row = add_row(state, user, WORKER_PREFIX + name, node, app_uid)
        row.root_dir_uid = node.uid
    if app_uid is not None:
        state.fs.mkdirs(f"/{user.username}/AppData/{app_uid}", user.username)
    domain = state.options.workers_domain
    return {"success": True, "errors": [], "url": f"http://{name}.{domain}{_host_port(dc.call)}"}


def _record(state: EmulatorState, row: SiteRow) -> dict[str, Any]:
    name = row.subdomain[len(WORKER_PREFIX) :]
    node = state.fs.by_uid(row.root_dir_uid) if row.root_dir_uid else None
    return {
        "name": name,
        "url": f"https://{name}.puter.work",
        "file_path": node.path if node is not None else None,
        "file_uid": row.root_dir_uid,
        "app_uid": row.app_owner,
        "created_at": row.created_at,
    }


async def get_file_paths(dc: DriverCall) -> Any:
    """``getFilePaths {workerName}`` -> ``[row]`` or ``[]``; else a listing (apps' rules)."""
    state = dc.state
    name = dc.arg("workerName")
    if isinstance(name, str) and name:
        row = state.sites.get(WORKER_PREFIX + name)
        return [] if row is None or row.owner_uuid != dc.user.uuid else [_record(state, row)]
    rows = _rows(state, dc.user)
    return paged(dc, rows, lambda r: r.id, 500, 5000, lambda r: _record(state, r))


async def destroy(dc: DriverCall) -> Any:
    """``destroy {authorization, workerName}`` -> ``{success, result: {id}}``."""
    name = _name(dc.arg("workerName") if isinstance(dc.arg("workerName"), str) else None)
    row = dc.state.sites.get(WORKER_PREFIX + name)
    if row is None:
        raise fail(404, "not_found", "Worker not found")
    if row.owner_uuid != dc.user.uuid:
        raise fail(403, "forbidden", "This is not your worker")
    dc.state.sites.remove(row)
    return {"success": True, "result": {"id": row.uid}}


WORKERS = Interface(
    name="workers",
    driver="worker-service",
    methods={"create": create, "getFilePaths": get_file_paths, "destroy": destroy},
)


# ------------------------------------------------------------------ running workers


def serves(state: EmulatorState, host: str | None) -> bool:
    """Whether ``host`` is under the workers domain."""
    return (host or "").split(":")[0].endswith("." + state.options.workers_domain)


def _copy(space: Namespace, state: EmulatorState) -> KvCopy:
    return KvCopy(dict(space.live_items(None, state.clock())))


def _write_back(space: Namespace, copy: KvCopy) -> None:
    for key in copy.deleted:
        space.delete(key)
    for key, value in copy.changed.items():
        space.set(key, value, None)


def _caller(state: EmulatorState, token: str | None) -> User | None:
    if not token:
        return None
    try:
        return authenticate(state, f"Bearer {token}")
    except ApiError:
        return None


async def serve(call: Call) -> Response:
    """A request to a deployed worker: its source runs on it."""
    state = call.state
    host = (call.header("host") or "").split(":")[0]
    name = host[: -len("." + state.options.workers_domain)].lower()
    row = state.sites.get(WORKER_PREFIX + name)
    node = state.fs.by_uid(row.root_dir_uid) if row and row.root_dir_uid else None
    if row is None or node is None or node.blob is None:
        return Response("Worker not found", 404, media_type="text/plain")
    if not engine_available():
        logger.warning("emulator: %s", ENGINE_MISSING)
        return Response(ENGINE_MISSING, 503, media_type="text/plain")
    owner = state.user_by_uuid(row.owner_uuid)
    assert owner is not None
    me_space = (
        state.kv.namespace(owner.uuid, row.app_owner)
        if row.app_owner
        else state.kv.namespace(owner.uuid)
    )
    caller = _caller(state, call.header("puter-auth"))
    user_space = state.kv.namespace(caller.uuid) if caller is not None else None
    me, user = _copy(me_space, state), (_copy(user_space, state) if user_space else None)
    source = b"".join(state.fs.blobs.read(node.blob)).decode("utf-8", "replace")
    query = f"?{call.request.query}" if call.request.query else ""
    request = {
        "method": call.request.method,
        "url": f"http://{call.header('host')}{call.request.path}{query}",
        "path": call.request.path,
        "headers": dict(call.request.headers),
        "body": call.request.body.decode("utf-8", "replace"),
    }
    answer = await asyncio.to_thread(run_request, source, request, me, user)
    _write_back(me_space, me)
    if user_space is not None and user is not None:
        _write_back(user_space, user)
    return Response(answer.body, answer.status, headers=answer.headers)
