"""Signed and shared access: ``/sign``, ``/file``, ``/writeFile``, ``/token-read``,
``/readdir-subdomains`` and the ``/share`` routes, as the server answers them.

Signed URLs (``fileSigning``): ``sha256("<uid>/<action>/<secret>/<expires>")`` in hex,
``action`` ``read`` or ``write`` (a write signature also reads). ``/sign`` signs an entry
the caller may read, with a ``write_url`` only when they may write it (else silently a
read-only signature), effectively forever (``now + 9999999999999`` s) for the owner and
for an hour for someone else's entry; an item it cannot sign is ``{}``. ``GET /file``
needs no token: a bad, missing or expired signature is 403 ``forbidden``; a folder answers
a signed listing of its children (read URLs only). ``POST /writeFile`` also needs the
caller's token: ``operation=write`` replaces the file's bytes (a folder gets a new file
``upload-<ms>``), and the owner may ``mkdir``, ``rename``, ``delete``/``trash``, ``copy``
and ``move``.

``GET /token-read?uid=&token=`` reads a file with an access token (``getReadURL``): the
token's own permissions (``fs:<uid>:read`` on the file or a folder above it, or full
access) decide, on top of its user's.

Shares (``ShareController``/``ShareService``): ``POST /share`` grants ``mode`` on items to
recipients, each pair with its own outcome (an unconfirmed e-mail becomes a pending
invite); ``POST /share/revoke`` withdraws; ``GET /share/shares`` says who reaches one item
(shares inherited from its folders included); ``GET /share/shared-with-me`` pages what
others shared with the caller. Emulated approximations: a ``/sign`` with ``app_uid``
answers an access token of the user (the server's is a user-app token), and a share
issued through an app records no app.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import re
import time
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.auth import authenticate
from puter_client.emulator.core.context import Call, Handler
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.multipart import MultipartError, MultipartReader, boundary_of
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.core.tokens import BadSignature, MalformedToken
from puter_client.emulator.core.wire import json_response
from puter_client.emulator.services.fs.access import (
    can,
    forbidden,
    lineage,
    not_visible,
    require,
)
from puter_client.emulator.services.fs.fs import (
    OCTET_STREAM,
    FsCall,
    _check_name,
    _receive,
    _start,
    file_response,
)
from puter_client.emulator.services.fs.shares import MODES, ShareRow, satisfies
from puter_client.emulator.services.fs.tree import Node, fs_error, mime_type

#: A signature's lifetime when nobody asked for one ("effectively permanent").
FOREVER_SECONDS = 9_999_999_999_999
#: The lifetime of a signature over someone else's entry (it outlives no share for long).
NON_OWNER_SECONDS = 60 * 60
MAX_RECIPIENTS = 10
MAX_ITEMS = 50
#: Shares of "shared with me" per page: by default, and at most.
HOLDER_PAGE = 50
HOLDER_PAGE_MAX = 200
_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
_TRASH = re.compile(r"^/[^/]+/Trash(/|$)")


# ------------------------------------------------------------------ signatures


def _signature(secret: str, uid: str, action: str, expires: int) -> str:
    return hashlib.sha256(f"{uid}/{action}/{secret}/{expires}".encode()).hexdigest()


def _api_origin(call: Call) -> str:
    """Where the signed routes are: the API host as the client reached it."""
    return call.state.api_origin or f"http://{call.header('host') or 'localhost'}"


def signed_entry(
    call: Call, node: Node, *, signer: str | None, write: bool, path: str | None = None
) -> dict[str, Any]:
    """A ``SignedFile`` of ``node`` (``signer``: who asked; someone else's entry gets an
    hour), with ``write_url`` only when ``write``, and the ``path`` shown."""
    foreign = signer is not None and node.tree_owner.casefold() != signer.casefold()
    expires = math.ceil(call.state.clock()) + (NON_OWNER_SECONDS if foreign else FOREVER_SECONDS)
    secret = call.state.fs.signing_secret
    read = _signature(secret, node.uid, "read", expires)
    base = _api_origin(call)
    query = f"uid={node.uid}&expires={expires}&signature={read}"
    signed: dict[str, Any] = {
        "uid": node.uid,
        "expires": expires,
        "signature": read,
        "url": f"{base}/file?{query}",
        "read_url": f"{base}/file?{query}",
    }
    if write:
        written = _signature(secret, node.uid, "write", expires)
        signed["write_url"] = (
            f"{base}/writeFile?uid={node.uid}&expires={expires}&signature={written}"
        )
    signed.update(
        metadata_url=f"{base}/itemMetadata?{query}",
        fsentry_type=_mime_from_name(node.name),
        fsentry_is_dir=node.is_dir,
        fsentry_name=node.name,
        fsentry_size=None if node.is_dir else node.size,
        fsentry_accessed=node.accessed,
        fsentry_modified=node.modified,
        fsentry_created=node.created,
        path=node.path if path is None else path,
    )
    return signed


_MIME_BY_EXT = {
    "txt": "text/plain", "html": "text/html", "htm": "text/html", "css": "text/css",
    "js": "application/javascript", "mjs": "application/javascript",
    "json": "application/json", "xml": "application/xml", "pdf": "application/pdf",
    "zip": "application/zip", "gz": "application/gzip", "tar": "application/x-tar",
    "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif",
    "webp": "image/webp", "svg": "image/svg+xml", "ico": "image/x-icon", "bmp": "image/bmp",
    "tiff": "image/tiff", "tif": "image/tiff", "mp3": "audio/mpeg", "wav": "audio/wav",
    "ogg": "audio/ogg", "m4a": "audio/mp4", "mp4": "video/mp4", "webm": "video/webm",
    "mov": "video/quicktime", "md": "text/markdown", "markdown": "text/markdown",
    "csv": "text/csv",
}  # fmt: skip


def _mime_from_name(name: str) -> str | None:
    """The signing module's small extension table (``fsentry_type``)."""
    stem, dot, ext = name.rpartition(".")
    return _MIME_BY_EXT.get(ext.lower()) if dot and stem else None


def _verify(call: Call, action: str) -> str:
    """The uid a request's signature is valid for (``action``), or the server's 403."""
    query = call.query
    uid, signature, raw = query.get("uid", ""), query.get("signature", ""), query.get("expires")
    if not uid:
        raise fs_error(403, "forbidden", "`uid` is required for signature-based auth")
    if not signature:
        raise fs_error(403, "forbidden", "`signature` is required for signature-based auth")
    try:
        expires = float(raw) if raw not in (None, "") else math.nan
    except ValueError:
        expires = math.nan
    if not math.isfinite(expires):
        raise fs_error(403, "forbidden", "`expires` is required for signature-based auth")
    if expires < call.state.clock():
        raise fs_error(403, "forbidden", "Authentication failed. Signature expired.")
    secret = call.state.fs.signing_secret
    stamp = int(expires) if expires.is_integer() else expires  # as JavaScript prints it
    for wanted in ("write", action):
        expected = hashlib.sha256(f"{uid}/{wanted}/{secret}/{stamp}".encode()).hexdigest()
        if hmac.compare_digest(signature.lower().encode(), expected.encode()):
            return uid
    raise fs_error(403, "forbidden", "Authentication failed")


def _signed_node(call: Call, uid: str) -> Node:
    node = call.state.fs.by_uid(uid)
    if node is None:
        raise fs_error(404, "subject_does_not_exist", f"Entry not found: uuid={uid}")
    owner = call.state.find_user(username=node.tree_owner)
    if owner is not None and owner.suspended:
        raise fs_error(401, "account_suspended", "Account suspended")
    return node


async def sign(call: Call) -> Response:
    """``POST /sign {items: [{uid | path, action?}], app_uid?}``: ``{signatures, token?}``."""
    fc = _start(call, "fs.sign", verified=True)
    items = fc.body.get("items")
    if not isinstance(items, list) or not items:
        raise fs_error(400, "bad_request", "`items` is required")
    result: dict[str, Any] = {"signatures": []}
    app_uid = fc.body.get("app_uid")
    if isinstance(app_uid, str) and app_uid:
        if call.state.apps.by_uid(app_uid) is None:
            raise fs_error(404, "not_found", "App not found")
        result["token"] = _app_token(call.state, fc.user, app_uid)
    for raw in items:
        item = raw if isinstance(raw, dict) else {}
        uid, path = item.get("uid"), item.get("path")
        uid = uid if isinstance(uid, str) and uid else None
        path = path if isinstance(path, str) and path else None
        if uid is None and path is None:
            result["signatures"].append({})
            continue
        try:
            node = fc.entry({"uid": uid} if uid else {"path": path})
            fc.need(node, "read")
        except ApiError:
            result["signatures"].append({})  # unresolvable or unreadable: silently nothing
            continue
        write = item.get("action") == "write" and fc.may(node, "write")
        result["signatures"].append(
            signed_entry(
                call, node, signer=fc.user.username, write=write, path=fc.viewer.publish(node)
            )
        )
    return json_response(result)


def _app_token(state: EmulatorState, user: User, app_uid: str) -> str:
    return state.signer.issue(
        {
            "type": "access-token",
            "version": "0.0.0",
            "token_uid": f"app-{app_uid}-{time.monotonic_ns()}",
            "user_uid": user.uuid,
            "app_uid": app_uid,
        }
    )


async def signed_file(call: Call) -> Response:
    """``GET /file?uid=&expires=&signature=[&download=true]``: bytes, or a folder's signed
    listing; no token needed."""
    uid = _verify(call, "read")
    node = _signed_node(call, uid)
    if node.is_dir:
        children = [
            signed_entry(call, child, signer=None, write=False)
            | _ttl(call, child, NON_OWNER_SECONDS)
            for child in node.sorted_children()
        ]
        return json_response(children)
    owner = call.state.find_user(username=node.tree_owner)
    billed = owner.uuid if owner is not None else ""
    kind = node.content_type or mime_type(node.name) or OCTET_STREAM
    attachment = call.query.get("download") in ("true", "1")
    return file_response(call, node, kind, billed, attachment=attachment)


def _ttl(call: Call, node: Node, seconds: int) -> dict[str, Any]:
    """The signature fields of ``node`` for a lifetime of ``seconds`` (read only)."""
    expires = math.ceil(call.state.clock()) + seconds
    read = _signature(call.state.fs.signing_secret, node.uid, "read", expires)
    query = f"uid={node.uid}&expires={expires}&signature={read}"
    base = _api_origin(call)
    return {
        "expires": expires,
        "signature": read,
        "url": f"{base}/file?{query}",
        "read_url": f"{base}/file?{query}",
        "metadata_url": f"{base}/itemMetadata?{query}",
    }


async def signed_write(call: Call) -> Response:
    """``POST /writeFile?uid=&expires=&signature=&operation=...`` with the caller's token."""
    uid = _verify(call, "write")
    node = _signed_node(call, uid)
    operation = call.query.get("operation") or "write"
    authorization = call.header("authorization")
    user = authenticate(call.state, authorization) if authorization else None
    if operation != "write" and (user is None or user.username != node.tree_owner):
        raise fs_error(
            403, "forbidden", f"'{operation}' via signed URL requires owner authentication"
        )
    if user is None:
        raise fs_error(401, "unauthorized", "Unauthorized")
    fc = FsCall(call, user, call.json_object("api") if operation != "write" else {})
    if operation == "write":
        return json_response(await _signed_upload(fc, node))
    return json_response(_signed_operation(fc, node, operation))


async def _signed_upload(fc: FsCall, target: Node) -> dict[str, Any]:
    boundary = boundary_of(fc.call.header("content-type") or "")
    if target.is_dir:
        parent, name = fc.need(target, "write"), f"upload-{int(fc.call.state.clock() * 1000)}"
    else:
        assert target.parent is not None
        parent, name = target.parent, target.name
        fc.need(target, "write")
    if boundary is None:
        raise fs_error(400, "bad_request", "Expected a multipart/form-data upload")
    reader = MultipartReader(fc.call.body_chunks(), boundary)
    try:
        while (part := await reader.next_part()) is not None:
            if part.filename is None:
                await reader.read(fc.call.state.options.max_body_bytes)
                continue
            blob = await _receive(reader.body(), fc)
            kind = part.content_type or mime_type(name) or OCTET_STREAM
            metadata = json.dumps({"contentType": kind}, separators=(",", ":"))
            written = fc.fs.put_file(
                parent, name, blob, parent.tree_owner, content_type=kind, metadata=metadata
            )
            fc.call.state.metering.record(fc.user.uuid, "storage:write:ops")
            return signed_entry(
                fc.call, written, signer=fc.user.username, write=True,
                path=fc.viewer.publish(written),
            )  # fmt: skip
    except MultipartError as exc:
        raise fs_error(400, "bad_request", f"Malformed multipart body: {exc}") from None
    raise fs_error(400, "bad_request", "No file in the upload")


def _signed_operation(fc: FsCall, node: Node, operation: str) -> dict[str, Any]:
    """The owner's other operations through a write signature."""
    body, user = fc.body, fc.user.username
    if operation == "mkdir":
        fc.need(node, "write")
        name = body.get("name") if isinstance(body.get("name"), str) else None
        name = _check_name(name or f"folder-{int(fc.call.state.clock() * 1000)}")
        parent = node if node.is_dir else node.parent
        assert parent is not None
        made = fc.fs.mkdir(parent, fc.fs.free_name(parent, name, True), parent.tree_owner)
        return signed_entry(fc.call, made, signer=user, write=True, path=made.path)
    if operation == "rename":
        new_name = body.get("new_name")
        if not isinstance(new_name, str) or not new_name:
            raise fs_error(400, "bad_request", "`new_name` required")
        fc.need(node, "write")
        assert node.parent is not None
        if new_name != node.name and new_name in node.parent.children:
            raise fs_error(
                409, "conflict", f"An entry already exists at {node.parent.path}/{new_name}"
            )
        fc.fs.move(node, node.parent, _check_name(new_name))
        return signed_entry(fc.call, node, signer=user, write=True, path=node.path)
    if operation in ("delete", "trash"):
        fc.need(node, "write")
        fc.fs.delete(node)
        return {"ok": True, "uid": node.uid}
    if operation in ("copy", "move"):
        ref = body.get("destination", body.get("destination_uid", body.get("dest_path")))
        if not ref:
            raise fs_error(400, "bad_request", "`destination` required")
        destination = fc.reference(ref) if isinstance(ref, str) else fc.entry(ref)
        fc.need(node, "read" if operation == "copy" else "write")
        fc.need(destination, "write")
        new_name = body.get("new_name")
        name = _check_name(new_name) if isinstance(new_name, str) else node.name
        if name in destination.children:
            if not body.get("overwrite"):
                if not body.get("dedupe_name"):
                    raise fs_error(409, "item_with_same_name_exists",
                                   f"An entry already exists at {destination.path}/{name}",
                                   entry_name=name)  # fmt: skip
                name = fc.fs.free_name(destination, name, node.is_dir)
            else:
                fc.fs.delete(destination.children[name])
        if operation == "copy":
            result = fc.fs.copy(node, destination, name, destination.tree_owner)
        else:
            fc.fs.move(node, destination, name)
            result = node
        return signed_entry(fc.call, result, signer=user, write=True, path=result.path)
    raise fs_error(400, "bad_request", f"Unsupported writeFile operation: '{operation}'")


# ------------------------------------------------------------------ token reads


async def token_read(call: Call) -> Response:
    """``GET /token-read?uid=<uid>&token=<access token>``: the file, with its MIME type."""
    state = call.state
    token = call.query.get("token", "")
    failed = fs_error(401, "token_auth_failed", "Token authentication failed")
    if not token:
        raise failed
    try:
        claims = state.signer.decode(token)
    except (MalformedToken, BadSignature):
        raise failed from None
    if claims.get("type") != "access-token":
        raise failed
    try:
        user = authenticate(state, f"Bearer {token}", allow_scoped_token=True)
    except ApiError as exc:
        if exc.status == 401:
            raise failed from None
        raise
    if not user.email_confirmed:
        raise fs_error(403, "email_confirmation_required", "Email confirmation required.")
    state.enforce_rate_limit(user, "fs.read")
    state.fs.home(user.username)  # a new account's folders exist from its first call
    fc = FsCall(call, user, {})
    query = call.query
    node = fc.entry(_read_reference(query))
    if not (fc.may(node, "read") and _token_allows(claims, node, "read")):
        seen = fc.may(node, "see") and _token_allows(claims, node, "see")
        raise forbidden() if seen else not_visible()
    if node.is_dir:
        raise fs_error(400, "cannot_read_a_directory", "Cannot read a directory")
    kind = mime_type(node.name) or OCTET_STREAM
    return file_response(call, node, kind, user.uuid)


def _read_reference(query: Mapping[str, str]) -> dict[str, Any]:
    """What a read names, as the legacy read resolves it: ``file`` (a path, absolute or
    from ``~``, else a uid), or ``path``/``uid``."""
    selector = query.get("file") or ""
    if selector:
        return {"path": selector} if selector.startswith(("/", "~")) else {"uid": selector}
    return {"uid": query.get("uid") or query.get("uuid"), "path": query.get("path")}


def _token_allows(claims: dict[str, Any], node: Node, mode: str) -> bool:
    """Whether an access token's own permissions reach ``node`` in ``mode``."""
    if claims.get("full_access") is True:
        return True
    granted = claims.get("permissions")
    uids = {n.uid for n in lineage(node)}
    for spec in granted if isinstance(granted, list) else []:
        name = spec[0] if isinstance(spec, list) and spec else spec
        if not isinstance(name, str):
            continue
        parts = name.split(":")
        if parts[:1] == ["manage"] and parts[1:2] == ["fs"] and parts[2:3] and parts[2] in uids:
            return True
        if len(parts) == 3 and parts[0] == "fs" and parts[1] in uids and satisfies(parts[2], mode):
            return True
    return False


# ------------------------------------------------------------------ hosting


async def readdir_subdomains(call: Call) -> Response:
    """``POST /readdir-subdomains``: every subdomain row of the caller,
    ``{subdomain, root_dir_id, uuid, ts}`` (``root_dir_id``: the folder's numeric id)."""
    fc = _start(call, "fs.helper")
    rows = []
    for row in call.state.sites.owned_by(fc.user.uuid):
        root = fc.fs.by_uid(row.root_dir_uid) if row.root_dir_uid else None
        rows.append(
            {
                "subdomain": row.subdomain,
                "root_dir_id": root.seq if root is not None else None,
                "uuid": row.uid,
                "ts": row.created_at,
            }
        )
    return json_response(rows)


# ------------------------------------------------------------------ shares


def _share_call(call: Call, scope: str, *, query: bool = False) -> FsCall:
    """Authenticated (a verified account), rate-limited; a JSON object body for POSTs."""
    state = call.state
    user = authenticate(state, call.header("authorization"))
    if not user.email_confirmed:
        raise fs_error(403, "email_confirmation_required", "Email confirmation required.")
    state.enforce_rate_limit(user, scope)
    if query:
        return FsCall(call, user, {})
    json_body = "json" in (call.header("content-type") or "") and call.request.body.strip()
    if json_body and call.request.json is None:
        raise fs_error(400, "client_bad_json", "Failed to parse JSON body.")
    data = call.request.json if json_body else None
    if not isinstance(data, dict):
        raise fs_error(400, "bad_request", "body must be an object")
    return FsCall(call, user, data)


def _recipients(body: dict[str, Any]) -> list[dict[str, str]]:
    raw = body.get("recipients", body.get("recipient"))
    found: list[dict[str, str]] = []
    for item in raw if isinstance(raw, list) else [raw]:
        if isinstance(item, str):
            value = item.strip()
            if value:
                found.append({"email": value} if "@" in value else {"username": value})
        elif isinstance(item, dict):
            email, name = (
                value.strip() if isinstance(value, str) else ""
                for value in (item.get("email"), item.get("username"))
            )
            if email or name:
                found.append({"email": email} if email else {"username": name})
    if not found:
        raise fs_error(400, "bad_request", "`recipients` is required")
    if len(found) > MAX_RECIPIENTS:
        raise fs_error(
            400, "too_many_recipients", f"at most {MAX_RECIPIENTS} recipients per request"
        )
    return found


def _expand(path: str, username: str) -> str:
    trimmed = path.strip()
    return f"/{username}{trimmed[1:]}" if trimmed == "~" or trimmed.startswith("~/") else path


def _items(body: dict[str, Any], username: str) -> list[dict[str, str]]:
    raw = body.get("items", body.get("item", body.get("path", body.get("uid"))))
    found: list[dict[str, str]] = []
    for item in raw if isinstance(raw, list) else [raw]:
        if isinstance(item, str):
            value = item.strip()
            if value:
                is_path = value.startswith(("/", "~"))
                found.append({"path": _expand(value, username)} if is_path else {"uid": value})
        elif isinstance(item, dict):
            path = _expand(item["path"], username) if isinstance(item.get("path"), str) else ""
            uid = item.get("uid") if isinstance(item.get("uid"), str) else ""
            if path or uid:
                found.append({"path": path} if path else {"uid": str(uid)})
    if not found:
        raise fs_error(400, "bad_request", "`items` is required")
    if len(found) > MAX_ITEMS:
        raise fs_error(400, "too_many_items", f"at most {MAX_ITEMS} items per request")
    return found


def _target(fc: FsCall, item: dict[str, str]) -> Node:
    """The entry a share names (a masked path accepted), or 404 ``subject_does_not_exist``."""
    node: Node | None = None
    if item.get("uid"):
        node = fc.fs.by_uid(item["uid"])
    elif item.get("path"):
        try:
            node = fc.fs.find(fc.path(item["path"]))
        except ApiError:
            node = None
    if node is None or node.parent is None:
        raise not_visible()
    return node


def _manages(fc: FsCall, node: Node, mode: str = "see") -> None:
    """The caller may hand out ``mode`` on ``node`` (its owner; a ``manage`` holder for
    any mode but ``manage``); else the ACL's safe refusal."""
    owner = node.tree_owner.casefold() == fc.user.username.casefold()
    if owner or (mode != "manage" and can(node, fc.user.username, "manage")):
        return
    if can(node, fc.user.username, "see"):
        raise fs_error(403, "forbidden", "Forbidden")
    raise not_visible()


def _recipient(state: EmulatorState, recipient: dict[str, str]) -> User | str:
    """The account a recipient names, or (an address with no confirmed account) the
    address of a pending invite."""
    email = recipient.get("email")
    if email:
        user = state.find_user(email=email)
        return user if user is not None and user.email_confirmed else email
    user = state.find_user(username=recipient.get("username", ""))
    if user is None:
        raise fs_error(404, "user_does_not_exist", "Recipient does not exist")
    return user


def _now_iso(state: EmulatorState) -> str:
    moment = datetime.fromtimestamp(state.clock(), tz=timezone.utc)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _client_share(
    fc: FsCall, row: ShareRow, node: Node, *, name: bool = False, listing: bool = False
) -> dict[str, Any]:
    """A share as the routes answer it (``#toClientShare``)."""
    share: dict[str, Any] = {"uid": row.uid, "mode": row.mode, "path": fc.viewer.publish(node)}
    if name or listing:
        share["name"] = node.name
    if listing:
        share["type"] = "folder" if node.is_dir else mime_type(node.name)
        share["thumbnail"] = None
        share["owner"] = node.tree_owner
    if row.pending:
        share.update(pending=True, recipient_email=row.recipient_email)
    share.update(
        uid_entry=node.uid,
        is_dir=node.is_dir,
        issuer=row.issuer,
        holder=row.holder,
        created_at=row.created_at,
        issued_by_app=None,
        inherited_from=None,
        modified=node.modified,
        size=None if node.is_dir else node.size,
    )
    return share


def _error_shape(error: ApiError) -> dict[str, Any]:
    if error.status >= 500:
        return {"message": "Request failed"}
    return {"message": error.message or "Request failed", "code": error.code}


def _share_pair(fc: FsCall, recipient: dict[str, str], item: dict[str, str], mode: str) -> Any:
    state = fc.call.state
    if mode not in MODES:
        raise fs_error(400, "invalid_mode", f"unknown share mode: {mode}")
    node = _target(fc, item)
    _manages(fc, node, mode)
    who = _recipient(state, recipient)
    if isinstance(who, str):
        if not _EMAIL.match(who):
            raise fs_error(400, "email_not_allowed", "invalid recipient email address")
        if not fc.fs.shares.spend(fc.user.username, _day(state)):
            raise _quota_error()
        return fc.fs.shares.invite(fc.user.username, who, node.uid, mode, _now_iso(state)), node
    if who.username.casefold() == fc.user.username.casefold():
        raise fs_error(400, "cannot_share_with_self", "cannot share with yourself")
    if who.username.casefold() == node.tree_owner.casefold():
        raise fs_error(400, "cannot_share_with_owner", "recipient already owns this item")
    existing = [
        r
        for r in fc.fs.shares.on_entries([node.uid])
        if r.holder == who.username and r.issuer.casefold() == fc.user.username.casefold()
    ]
    if not existing and not fc.fs.shares.spend(fc.user.username, _day(state)):
        raise _quota_error()
    row, _ = fc.fs.shares.grant(fc.user.username, who.username, node.uid, mode, _now_iso(state))
    return row, node


def _quota_error() -> ApiError:
    return fs_error(
        429, "share_daily_limit_reached", "daily share limit reached (200); try again tomorrow"
    )


def _day(state: EmulatorState) -> str:
    return datetime.fromtimestamp(state.clock(), tz=timezone.utc).strftime("%Y-%m-%d")


def _pairs(
    recipients: list[dict[str, str]], items: list[dict[str, str]]
) -> tuple[list[tuple[dict[str, str], dict[str, str]]], list[int]]:
    """Every (recipient, item) pair, and for each the index of its first occurrence."""
    pairs = [(r, i) for r in recipients for i in items]
    first: dict[str, int] = {}
    index = [
        first.setdefault(
            json.dumps([r.get("email"), r.get("username"), i.get("uid"), i.get("path")]), n
        )
        for n, (r, i) in enumerate(pairs)
    ]
    return pairs, index


def _label(recipient: dict[str, str]) -> str:
    return recipient.get("email") or recipient.get("username") or ""


def _status(outcomes: Iterable[str], ok: str) -> str:
    states = list(outcomes)
    good = sum(1 for s in states if s == ok or (ok == "success" and s == "pending"))
    return "success" if good == len(states) else "mixed" if good else "aborted"


async def share(call: Call) -> Response:
    """``POST /share {recipients, items, mode?}``: ``{status, results}``, one result per
    (recipient, item) pair (``success``, ``pending`` or ``error`` with its code)."""
    fc = _share_call(call, "share")
    recipients = _recipients(fc.body)
    items = _items(fc.body, fc.user.username)
    raw_mode = fc.body.get("mode")
    mode = raw_mode if isinstance(raw_mode, str) else "read"
    pairs, first = _pairs(recipients, items)
    done: dict[int, dict[str, Any]] = {}
    results = []
    for n, (recipient, item) in enumerate(pairs):
        if first[n] not in done:
            try:
                row, node = _share_pair(fc, recipient, item, mode)
                done[first[n]] = {
                    **_client_share(fc, row, node, name=True),
                    "status": "pending" if row.pending else "success",
                }
            except ApiError as error:
                done[first[n]] = {
                    **({"path": item["path"]} if item.get("path") else {}),
                    "status": "error",
                    **_error_shape(error),
                }
        results.append({"recipient": _label(recipient), **done[first[n]]})
    return json_response(
        {"status": _status((r["status"] for r in results), "success"), "results": results}
    )


def _revoke_pair(fc: FsCall, recipient: dict[str, str], item: dict[str, str]) -> int:
    store = fc.fs.shares
    node = _target(fc, item)
    who = _recipient(fc.call.state, recipient)
    me = fc.user.username.casefold()
    owner = node.tree_owner.casefold() == me
    if isinstance(who, str):
        _manages(fc, node)
        return store.remove(
            r for r in store.on_entries([node.uid])
            if r.pending and (r.recipient_email or "").casefold() == who.casefold()
            and (owner or r.issuer.casefold() == me)
        )  # fmt: skip
    leaving = who.username.casefold() == me
    if leaving:
        require(node, fc.user.username, "see")
    else:
        _manages(fc, node)
    if who.username.casefold() == node.tree_owner.casefold():
        raise fs_error(400, "cannot_revoke_owner", "cannot revoke the owner of an item")
    revoked = _revoke_downstream(fc, node, who.username, set())
    rows = [
        r
        for r in store.on_entries([node.uid])
        if r.holder is not None
        and r.holder.casefold() == who.username.casefold()
        and (owner or leaving or r.issuer.casefold() == me)
    ]
    return revoked + store.remove(rows)


def _revoke_downstream(fc: FsCall, node: Node, issuer: str, seen: set[str]) -> int:
    """Withdraw what ``issuer`` granted on ``node`` and below, and so on down the line."""
    if issuer.casefold() in seen:
        return 0
    seen.add(issuer.casefold())
    store = fc.fs.shares
    rows = [r for r in store.on_entries(n.uid for n in node.walk()) if r.issuer == issuer]
    count = 0
    for row in rows:
        if row.holder is not None:
            count += _revoke_downstream(fc, node, row.holder, seen)
    return count + store.remove(rows)


async def revoke_share(call: Call) -> Response:
    """``POST /share/revoke {recipients, items}``: ``{status, revoked, results}``."""
    fc = _share_call(call, "share")
    recipients = _recipients(fc.body)
    items = _items(fc.body, fc.user.username)
    pairs, first = _pairs(recipients, items)
    done: dict[int, dict[str, Any]] = {}
    revoked = 0
    results = []
    for n, (recipient, item) in enumerate(pairs):
        if first[n] not in done:
            try:
                revoked += _revoke_pair(fc, recipient, item)
                done[first[n]] = {"status": "success"}
            except ApiError as error:
                done[first[n]] = {"status": "error", **_error_shape(error)}
        named = {k: item[k] for k in ("path", "uid") if item.get(k)}
        results.append({"recipient": _label(recipient), **named, **done[first[n]]})
    status = _status((r["status"] for r in results), "success")
    return json_response({"status": status, "revoked": revoked, "results": results})


async def shares_of(call: Call) -> Response:
    """``GET /share/shares?uid=|path=``: who reaches the item (inherited shares first,
    then its own, then pending invites)."""
    fc = _share_call(call, "share.list", query=True)
    query = call.query
    item = {}
    if query.get("uid"):
        item["uid"] = query["uid"]
    if query.get("path"):
        item["path"] = _expand(query["path"], fc.user.username)
    if not item:
        raise fs_error(400, "bad_request", "one of `uid` or `path` is required")
    node = _target(fc, {"uid": item["uid"]} if "uid" in item else item)
    _manages(fc, node)
    store = fc.fs.shares
    items: list[dict[str, Any]] = []
    for ancestor in list(lineage(node))[1:]:
        for row in store.on_entries([ancestor.uid]):
            if not row.pending:
                share_ = _client_share(fc, row, node)
                share_["inherited_from"] = fc.viewer.publish(ancestor)
                items.append(share_)
    own = store.on_entries([node.uid])
    items += [_client_share(fc, r, node) for r in own if not r.pending]
    items += [_client_share(fc, r, node) for r in own if r.pending]
    return json_response({"items": items})


async def shared_with_me(call: Call) -> Response:
    """``GET /share/shared-with-me?limit=&cursor=&includeTotal=true``: a page of what others
    shared with the caller (``cursor`` only while more remain)."""
    fc = _share_call(call, "share.list", query=True)
    query = call.query
    size = HOLDER_PAGE
    if "limit" in query:
        try:
            number = float(query["limit"])
        except ValueError:
            number = math.nan
        if not math.isfinite(number) or number <= 0:
            raise fs_error(400, "bad_request", "limit must be a positive number")
        size = min(math.floor(number), HOLDER_PAGE_MAX)
    after = 0
    if query.get("cursor", "").strip():
        try:
            decoded = json.loads(base64.b64decode(query["cursor"].strip(), validate=True))
        except (ValueError, binascii.Error):
            try:
                decoded = json.loads(query["cursor"])
            except ValueError:
                raise fs_error(400, "bad_request", "invalid share cursor") from None
        after = int(decoded.get("id", 0) or 0) if isinstance(decoded, dict) else 0
    held = fc.fs.shares.held_by(fc.user.username)
    rows = [r for r in held if r.seq > after]
    page, more = rows[:size], len(rows) > size
    items = []
    for row in page:
        node = fc.fs.by_uid(row.entry_uid)
        if node is None or _TRASH.match(node.path):
            continue
        items.append(_client_share(fc, row, node, listing=True))
    body: dict[str, Any] = {"items": items}
    if more and page:
        body["cursor"] = base64.b64encode(json.dumps({"id": page[-1].seq}).encode()).decode()
    if query.get("includeTotal") == "true":
        body["total"] = len(held)
    return json_response(body)


SHARING_ROUTES: dict[tuple[str, str], Handler] = {
    ("POST", "/sign"): sign,
    ("GET", "/file"): signed_file,
    ("POST", "/writeFile"): signed_write,
    ("GET", "/token-read"): token_read,
    ("POST", "/readdir-subdomains"): readdir_subdomains,
    ("POST", "/share"): share,
    ("POST", "/share/revoke"): revoke_share,
    ("GET", "/share/shares"): shares_of,
    ("GET", "/share/shared-with-me"): shared_with_me,
}

__all__ = ["SHARING_ROUTES", "signed_entry"]
