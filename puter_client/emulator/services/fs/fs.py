"""The file-system routes: legacy (``/stat``, ``/read``...; v1 entries) and v2 (``/fs/*``).

Errors use the API's JSON envelope. Uploads to ``/fs/batchWrite`` are streamed part by
part into the blob store, and ``/read`` streams its answer, so files of hundreds of MB
pass without being held twice. Every route counts against its rate-limit scope
(``fs.stat``, ``fs.readdir``, ``fs.read``, ``fs.write``, ``fs.mutate``, ``fs.df``).
"""

from __future__ import annotations

import base64
import binascii
import json
import math
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from starlette.responses import Response, StreamingResponse

from puter_client.emulator.core.auth import authenticate
from puter_client.emulator.core.blobs import Blob
from puter_client.emulator.core.context import Call, Handler
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.jsvalues import ABSENT, js_to_number
from puter_client.emulator.core.multipart import MultipartError, MultipartReader, boundary_of
from puter_client.emulator.core.state import User
from puter_client.emulator.core.wire import HTML_TYPE, json_response
from puter_client.emulator.services.fs.access import Viewer, can, require
from puter_client.emulator.services.fs.entries import v1_entry, v2_entry
from puter_client.emulator.services.fs.tree import (
    FileSystem,
    Node,
    fs_error,
    mime_type,
    normalize,
    split,
    subject_missing,
)

OCTET_STREAM = "application/octet-stream"
_RANGE = re.compile(r"bytes=(\d*)-(\d*)$")
_FILE_PART = re.compile(r"^(?:file-(\d+)|(\d+)|files\[(\d+)\])$")


@dataclass
class FsCall:
    """A file-system request: the caller, the tree and the parsed JSON body.

    What the caller may reach follows ``access`` (their own home, and what is shared
    with them); ``viewer`` shows them others' entries at masked paths, and reads those
    paths back.
    """

    call: Call
    user: User
    body: dict[str, Any]
    viewer: Viewer = field(init=False)

    def __post_init__(self) -> None:
        self.viewer = Viewer(self.user.username)

    @property
    def fs(self) -> FileSystem:
        """The tree (the caller's home exists)."""
        return self.call.state.fs

    def path(self, raw: Any) -> str:
        """An absolute normalized path from a client's path (a masked one unmasked)."""
        if not isinstance(raw, str):
            raise fs_error(400, "bad_request", "Path cannot be empty")
        return self.viewer.resolve(self.fs, normalize(raw, self.user.username))

    def owns(self, path: str) -> bool:
        """True for paths inside the caller's home (the home itself included)."""
        return self.viewer.owns(path)

    def may(self, node: Node, mode: str) -> bool:
        """Whether the caller may access ``node`` in ``mode``."""
        return can(node, self.user.username, mode)

    def need(self, node: Node, mode: str) -> Node:
        """``node``, if the caller may access it in ``mode`` (else 404 or 403)."""
        return require(node, self.user.username, mode)

    def find(self, path: str) -> Node | None:
        """The node at ``path`` if the caller may see it."""
        node = self.fs.find(path)
        return node if node is not None and self.may(node, "see") else None

    def entry(self, ref: dict[str, Any], *, path_key: str = "path") -> Node:
        """The node a request names by ``uid`` (or ``uuid``/``id``), by its numeric ``id``
        (the server's row id, which a shortcut's ``shortcut_to`` and ``/readdir-subdomains``
        name) or by path; the caller must be able to see it."""
        uid = next((ref[k] for k in ("uid", "uuid", "id") if isinstance(ref.get(k), str)), None)
        if uid:
            node = self.fs.by_uid(uid)
            if node is None:
                raise fs_error(404, "subject_does_not_exist", f"Entry not found: uuid={uid}")
            return self.need(node, "see")
        number = ref.get("id")
        if isinstance(number, (int, float)) and not isinstance(number, bool):
            node = self.fs.by_seq(int(number)) if float(number).is_integer() else None
            if node is None:
                raise fs_error(404, "subject_does_not_exist", f"Entry not found: id={number}")
            return self.need(node, "see")
        raw = ref.get(path_key)
        if isinstance(raw, str) and raw.strip():
            path = self.path(raw)
            node = self.fs.find(path)
            if node is None:
                raise fs_error(404, "subject_does_not_exist", f"Entry not found: path={path}")
            return self.need(node, "see")
        raise missing_reference()

    def reference(self, value: Any) -> Node:
        """A node named by a bare string: a uid if one matches, else a path."""
        node = self.fs.by_uid(value) if isinstance(value, str) else None
        if node is not None:
            return self.need(node, "see")
        return self.entry({"path": value})

    def v1(self, node: Node) -> dict[str, Any]:
        """The node's v1 entry as the caller is shown it."""
        return v1_entry(node, path=self.viewer.publish(node))

    def v2(self, node: Node, *, listing: bool = False) -> dict[str, Any]:
        """The node's v2 entry as the caller is shown it."""
        return v2_entry(node, listing=listing, path=self.viewer.publish(node))


def missing_reference() -> ApiError:
    """The 400 of a request naming no entry."""
    return fs_error(400, "bad_request", "Missing entry reference (expected one of: path, uid, id)")


def _flag(body: dict[str, Any], *names: str, default: bool = False) -> bool:
    for name in names:
        if name in body and body[name] is not None:
            return bool(body[name])
    return default


def _start(call: Call, scope: str, *, verified: bool = False, object_body: bool = True) -> FsCall:
    """Parse, authenticate (header, ``auth_token`` in the body or query) and rate-limit."""
    state = call.state
    body = call.json_object("api") if object_body else {}
    authorization = call.header("authorization")
    token = body.get("auth_token") or call.query.get("auth_token")
    if not authorization and isinstance(token, str) and token:
        authorization = f"Bearer {token}"
    user = authenticate(state, authorization)
    if verified and not user.email_confirmed:
        raise fs_error(403, "email_confirmation_required", "Email confirmation required.")
    state.enforce_rate_limit(user, scope)
    state.fs.home(user.username)
    return FsCall(call, user, body)


def _check_name(name: Any) -> str:
    if not isinstance(name, str) or not name:
        raise fs_error(400, "bad_request", "Name cannot be empty")
    if "/" in name:
        raise fs_error(400, "bad_request", "Name cannot contain a slash")
    return name


def _parent_dir(fc: FsCall, path: str, *, create: bool) -> Node:
    """The directory ``path`` goes into (created when asked), for a new entry; the caller
    must be able to write in it (their home, or a folder shared with them to write)."""
    parent_path, _ = split(path)
    if parent_path == "/":
        raise subject_missing()
    parent = fc.fs.find(parent_path)
    if parent is None:
        anchor = _nearest(fc.fs, parent_path)
        if (anchor.parent is None and not fc.owns(parent_path)) or not fc.may(anchor, "see"):
            raise subject_missing()
        if not create:
            raise fs_error(404, "not_found", f"Parent path does not exist: {parent_path}")
        fc.need(anchor, "write")
        parent = fc.fs.mkdirs(parent_path, parent_path.split("/")[1])
    elif not fc.may(parent, "see"):
        raise subject_missing()
    if not parent.is_dir:
        raise fs_error(400, "dest_is_not_a_directory", "Destination parent is not a directory")
    return fc.need(parent, "write")


def _nearest(fs: FileSystem, path: str) -> Node:
    """The deepest existing node on ``path`` (the root at least)."""
    node = fs.root
    for name in path.strip("/").split("/"):
        child = node.children.get(name) if node.is_dir else None
        if child is None:
            return node
        node = child
    return node


# stat, readdir, df -------------------------------------------------------------------


def _subtree_size(node: Node) -> int:
    return sum(n.size for n in node.walk())


async def stat(call: Call) -> Response:
    """``POST /stat {path | uid, return_size?, return_versions?, return_shares?}``: a v1
    entry (``return_permissions``/``return_subdomains`` change nothing, as on the server)."""
    fc = _start(call, "fs.stat")
    node = fc.entry(fc.body)
    entry = fc.v1(node)
    if node.is_dir and fc.body.get("return_size"):
        entry["size"] = _subtree_size(node)
    # the server has no versions or shares to tell yet: empty lists, as it answers
    if fc.body.get("return_versions"):
        entry["versions"] = []
    if fc.body.get("return_shares"):
        entry["shares"] = []
    return json_response(entry)


async def stat_v2(call: Call) -> Response:
    """``POST /fs/stat {path | uid}``: a v2 entry."""
    fc = _start(call, "fs.stat")
    return json_response(fc.v2(fc.entry(fc.body)))


def _listed(fc: FsCall, ref: dict[str, Any]) -> list[Node]:
    raw = ref.get("path")
    if isinstance(raw, str) and fc.path(raw) == "/":
        return [fc.fs.home(fc.user.username)]
    node = fc.entry(ref)
    if not node.is_dir:
        raise fs_error(400, "dest_is_not_a_directory", "Target is not a directory")
    return fc.need(node, "list").sorted_children()


async def readdir(call: Call) -> Response:
    """``POST /readdir {path | uid}``: v1 entries sorted by name."""
    fc = _start(call, "fs.readdir")
    return json_response([fc.v1(n) for n in _listed(fc, fc.body)])


SORTS = ("name", "modified", "type", "size")
MAX_LIMIT = 10_000
MAX_DEPTH = 10  # levels a recursive listing goes down at most


def _sort_value(node: Node, sort_by: str) -> Any:
    """The server's sort column: ``type`` sorts by ``is_dir`` (files first, ascending)."""
    if sort_by == "modified":
        return node.modified
    if sort_by == "size":
        return -1 if node.is_dir else node.size  # folders have no size: COALESCE(size, -1)
    if sort_by == "type":
        return int(node.is_dir)
    return node.name


def _encode_cursor(payload: dict[str, Any]) -> str:
    return base64.b64encode(json.dumps(payload).encode()).decode()


def _decode_cursor(value: Any) -> dict[str, Any] | None:
    if value is None or value == "":
        return None
    try:
        decoded = json.loads(base64.b64decode(str(value), validate=True))
    except (ValueError, TypeError, binascii.Error):
        decoded = None
    if not isinstance(decoded, dict):
        raise fs_error(400, "bad_request", "invalid cursor")
    return decoded


def _count(value: Any, label: str) -> int | None:
    if value is ABSENT or value is None:
        return None
    number = js_to_number(value)
    if not math.isfinite(number) or number < 0:
        raise fs_error(400, "bad_request", f"{label} must be a non-negative number")
    return math.floor(number)


def _choice(ref: dict[str, Any], names: tuple[str, str], allowed: tuple[str, ...]) -> str | None:
    """A sort parameter as the server reads it: lower-cased, unknown values ignored."""
    raw = ref.get(names[0], ref.get(names[1]))
    value = raw.lower() if isinstance(raw, str) else None
    return value if value in allowed else None


def _page_limit(ref: dict[str, Any]) -> int:
    limit = _count(ref.get("limit", ABSENT), "limit")
    return 1000 if limit is None else max(1, min(MAX_LIMIT, limit))


def _sorted_page(
    fc: FsCall, nodes: list[Node], ref: dict[str, Any], sort_by: str | None, order: str | None
) -> tuple[list[Node], str | None]:
    """A keyset page, as the server pages: the cursor pins the sort it was made with."""
    payload = _decode_cursor(ref.get("cursor"))
    if payload is not None and (
        (sort_by and payload.get("s") != sort_by) or (order and payload.get("o") != order)
    ):
        raise fs_error(400, "bad_request", "cursor does not match requested sort")
    sort_by = sort_by or (payload or {}).get("s") or "name"
    order = order or (payload or {}).get("o") or "asc"
    if sort_by not in SORTS or order not in ("asc", "desc"):
        raise fs_error(400, "bad_request", "invalid cursor")
    descending = order == "desc"
    keyed = sorted(((_sort_value(n, sort_by), n.seq), n) for n in nodes)
    if descending:
        keyed.reverse()
    if payload is not None:
        mark = (payload.get("v"), payload.get("id"))
        try:
            keyed = [(k, n) for k, n in keyed if (k < mark if descending else k > mark)]
        except TypeError:
            raise fs_error(400, "bad_request", "invalid cursor") from None
    limit = _page_limit(ref)
    page = [n for _, n in keyed[:limit]]
    cursor = None
    if len(keyed) > limit:
        (value, seq), _ = keyed[limit - 1]
        cursor = _encode_cursor({"v": value, "id": seq, "s": sort_by, "o": order})
    return page, cursor


def _descendants(node: Node, depth: int) -> list[Node]:
    found: list[Node] = []
    level = [node]
    for _ in range(depth):
        level = [child for parent in level for child in parent.children.values()]
        found += level
    return found


async def readdir_v2(call: Call) -> Response:
    """``/fs/readdir``: v2 entries. With ``cursor`` (null: the first page) or
    ``includeTotal``: ``{items, cursor?, total?}`` keyset pages (``limit`` 1000 by default,
    10,000 at most; ``sortBy`` name/modified/type/size, ``sortOrder`` asc/desc, pinned
    by the cursor). Without: a bare array (``limit``, ``offset``, the same sorts).
    ``recursive``: every entry below, by path, at most ``depth`` (<= 10) levels down;
    always paged, refused at the root.
    """
    fc = _start(call, "fs.readdir")
    ref: dict[str, Any] = {**call.query, **fc.body} if call.request.method == "GET" else fc.body
    include_total = ref.get("includeTotal") in (True, "true")
    paged = "cursor" in ref or include_total
    recursive = ref.get("recursive") in (True, "true")
    raw = ref.get("path")
    at_root = isinstance(raw, str) and fc.path(raw) == "/"
    if at_root and recursive:
        raise fs_error(400, "bad_request", "recursive listing is not supported at the root")
    if at_root:
        items = [fc.v2(fc.fs.home(fc.user.username), listing=True)]
        return json_response({"items": items, **({"total": 1} if include_total else {})}
                             if paged else items)  # fmt: skip
    node = fc.entry(ref)
    if not node.is_dir:
        raise fs_error(400, "dest_is_not_a_directory", "Target is not a directory")
    fc.need(node, "list")
    sort_by = _choice(ref, ("sortBy", "sort_by"), SORTS)
    order = _choice(ref, ("sortOrder", "sort_order"), ("asc", "desc"))
    if recursive:
        depth = _count(ref.get("depth", ABSENT), "depth")
        depth = MAX_DEPTH if depth is None else max(1, min(MAX_DEPTH, depth))
        nodes = sorted(_descendants(node, depth), key=lambda n: n.path)
        payload = _decode_cursor(ref.get("cursor"))
        if payload is not None:
            after = str(payload.get("p", ""))
            nodes = [n for n in nodes if n.path > after]
        limit = _page_limit(ref)
        body: dict[str, Any] = {"items": [fc.v2(n, listing=True) for n in nodes[:limit]]}
        if len(nodes) > limit:
            body["cursor"] = _encode_cursor({"p": nodes[limit - 1].path})
        if include_total:
            body["total"] = len(_descendants(node, depth))
        return json_response(body)
    children = list(node.children.values())
    if paged:
        page, cursor = _sorted_page(fc, children, ref, sort_by, order)
        body = {"items": [fc.v2(n, listing=True) for n in page]}
        if cursor is not None:
            body["cursor"] = cursor
        if include_total:
            body["total"] = len(children)
        return json_response(body)
    keyed = sorted(children, key=lambda n: (_sort_value(n, sort_by or "name"), n.seq))
    if order == "desc":
        keyed.reverse()
    offset = _count(ref.get("offset", ABSENT), "offset") or 0
    asked = _count(ref.get("limit", ABSENT), "limit")
    limit = MAX_LIMIT if asked is None else max(1, min(MAX_LIMIT, asked))
    return json_response([fc.v2(n, listing=True) for n in keyed[offset : offset + limit]])


async def df(call: Call) -> Response:
    """``GET|POST /df``: bytes used and the capacity."""
    fc = _start(call, "fs.df")
    capacity = call.state.options.storage_capacity
    return json_response({"used": fc.fs.used(fc.user.username), "capacity": capacity})


# read -------------------------------------------------------------------------------


def _byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """``(start, end)`` (end exclusive) of a ``Range: bytes=a-b`` header, or None."""
    match = _RANGE.match(header.strip()) if header else None
    if match is None:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:
        return max(0, size - int(last)), size
    end = size if not last else min(int(last) + 1, size)
    return int(first), end


async def _stream(fs: FileSystem, blob: Blob, start: int, end: int) -> AsyncIterator[bytes]:
    chunks: Iterator[bytes] = fs.blobs.read(blob, start, end)
    for chunk in chunks:
        yield chunk


def encode_uri_component(text: str) -> str:
    """JavaScript's ``encodeURIComponent``: the server puts a file's name in
    ``Content-Disposition`` this way, so that any name fits in a header."""
    return quote(text, safe="!*'()")


def _file_response(fc: FsCall, node: Node, content_type: str) -> Response:
    if node.is_dir:
        raise fs_error(400, "cannot_read_a_directory", "Cannot read a directory")
    return file_response(fc.call, node, content_type, fc.user.uuid)


def file_response(
    call: Call, node: Node, content_type: str, billed: str, *, attachment: bool = False
) -> Response:
    """A file's bytes (a ``Range`` header honoured), metered to the user ``billed``."""
    if node.is_shortcut:  # the server reads no link's target for you
        raise fs_error(
            400,
            "shortcut_target_not_found",
            "Cannot read content of a symlink or shortcut directly",
        )
    blob = node.blob
    size = node.size
    disposition = "attachment" if attachment else "inline"
    headers = {
        "Content-Disposition": f'{disposition}; filename="{encode_uri_component(node.name)}"',
        "Accept-Ranges": "bytes",
        "ETag": f'"{blob.sha256 if blob else ""}"',
    }
    span = _byte_range(call.header("range"), size)
    status = 200
    start, end = 0, size
    if span is not None:
        start, end = span
        if start >= size or start >= end:
            headers["Content-Range"] = f"bytes */{size}"
            return Response(b"", status_code=416, headers=headers, media_type=content_type)
        status = 206
        headers["Content-Range"] = f"bytes {start}-{end - 1}/{size}"
    headers["Content-Length"] = str(end - start)
    metering = call.state.metering
    metering.record(billed, "storage:read:ops")
    metering.record(billed, "egress:bytes", end - start)
    if blob is None:
        return Response(b"", status_code=status, headers=headers, media_type=content_type)
    return StreamingResponse(
        _stream(call.state.fs, blob, start, end),
        status_code=status,
        headers=headers,
        media_type=content_type,
    )


async def read(call: Call) -> Response:
    """``GET /read?file=<path>`` (or ``?uid=``): the raw bytes, always ``octet-stream``.

    ``offset``/``byte_count`` are ignored, as by the server; a ``Range`` header gives 206.
    """
    fc = _start(call, "fs.read")
    query = call.query
    node = fc.entry({"uid": query.get("uid"), "path": query.get("file") or query.get("path")})
    return _file_response(fc, fc.need(node, "read"), OCTET_STREAM)


async def read_v2(call: Call) -> Response:
    """``GET /fs/read?path=<path>`` (or ``?uid=``): the raw bytes with their MIME type."""
    fc = _start(call, "fs.read")
    node = fc.need(fc.entry(call.query), "read")
    content_type = node.content_type or mime_type(node.name) or OCTET_STREAM
    return _file_response(fc, node, content_type)


# writes -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WritePlan:
    """A checked write: where, under which name, replacing what."""

    parent: Node
    name: str
    replaces: Node | None
    content_type: str
    metadata: str
    immutable: bool
    size: int = 0  # as declared


def _plan_write(fc: FsCall, meta: Any, *, quota: bool = True) -> WritePlan:
    """Every check of a write before its content is read (in the server's order)."""
    if not isinstance(meta, dict):
        raise fs_error(400, "bad_request", "Missing fileMetadata")
    path = fc.path(meta.get("path"))
    parent_path, _ = split(path)
    if path == "/" or parent_path == "/":
        raise fs_error(400, "cannot_write_to_root", "Cannot write to root path")
    size = js_to_number(meta.get("size", ABSENT))
    if math.isnan(size) or size < 0:
        raise fs_error(400, "bad_request", "Invalid file size")
    create = _flag(meta, "createMissingParents", "create_missing_parents")
    parent = _shared_file_parent(fc, path) or _parent_dir(fc, path, create=create)
    overwrite = _flag(meta, "overwrite")
    name = _check_name(split(path)[1])
    existing = parent.children.get(name)
    if existing is not None and not overwrite and _flag(meta, "dedupeName", "dedupe_name"):
        name, existing = fc.fs.free_name(parent, name, False), None
    if existing is not None and existing.is_dir:
        raise fs_error(
            409, "cannot_overwrite_a_directory", "Cannot overwrite an existing directory"
        )
    if existing is not None and not overwrite:
        raise fs_error(
            409,
            "item_with_same_name_exists",
            "A file already exists at this path and overwrite was not requested",
            entry_name=name,
        )
    if quota:  # a batch checks its total once instead
        _check_quota(fc, int(size), existing, parent.tree_owner)
    content_type = meta.get("contentType")
    content_type = content_type if isinstance(content_type, str) and content_type else OCTET_STREAM
    extra = meta.get("metadata")
    metadata = {"contentType": content_type, **(extra if isinstance(extra, dict) else {})}
    return WritePlan(
        parent,
        name,
        existing,
        content_type,
        json.dumps(metadata, separators=(",", ":")),
        _flag(meta, "immutable"),
        int(size),
    )


def _shared_file_parent(fc: FsCall, path: str) -> Node | None:
    """The folder of a file shared with the caller on its own (its folder unseen): writing
    it needs ``write`` on the file, not on the folder."""
    target = fc.fs.find(path)
    if target is None or target.is_dir or target.parent is None or not fc.may(target, "see"):
        return None
    if fc.may(target.parent, "see"):
        return None
    fc.need(target, "write")
    return target.parent


def _check_quota(fc: FsCall, size: int, replaced: Node | None, owner: str | None = None) -> None:
    """Refuse ``size`` more bytes in ``owner``'s storage (the caller's by default)."""
    used = fc.fs.used(owner or fc.user.username) - (replaced.size if replaced else 0)
    if used + size > fc.call.state.options.storage_capacity:
        raise fs_error(413, "storage_limit_reached", "Storage limit reached")


async def _receive(chunks: AsyncIterator[bytes], fc: FsCall) -> Blob:
    """A file's content into a new blob (nothing is stored if reading it fails)."""
    writer = fc.fs.blobs.writer()
    try:
        async for chunk in chunks:
            writer.write(chunk)
        return writer.finish()
    except BaseException:
        writer.discard()
        raise


def _commit(fc: FsCall, plan: WritePlan, blob: Blob) -> dict[str, Any]:
    """Put a received blob in place as the file ``plan`` describes; the write result."""
    fc.call.state.metering.record(fc.user.uuid, "storage:write:ops")
    node = fc.fs.put_file(
        plan.parent,
        plan.name,
        blob,
        plan.parent.tree_owner,
        content_type=plan.content_type,
        metadata=plan.metadata,
        immutable=plan.immutable,
    )
    return {
        "fsEntry": fc.v2(node),
        "wasOverwrite": plan.replaces is not None,
        "requestedThumbnail": None,
        "contentHashSha256": blob.sha256,
    }


async def _store(fc: FsCall, plan: WritePlan, chunks: AsyncIterator[bytes]) -> dict[str, Any]:
    blob = await _receive(chunks, fc)
    try:
        _check_quota(fc, blob.size, plan.replaces, plan.parent.tree_owner)
    except ApiError:
        fc.fs.blobs.delete(blob)
        raise
    return _commit(fc, plan, blob)


def _json_content(item: dict[str, Any]) -> bytes:
    content = item.get("fileContent", ABSENT)
    try:
        if isinstance(content, dict) and isinstance(content.get("base64"), str):
            return base64.b64decode(content["base64"], validate=True)
        if isinstance(content, str) and item.get("encoding") == "base64":
            return base64.b64decode(content, validate=True)
        if isinstance(content, str):
            return content.encode()
    except (ValueError, binascii.Error):
        raise fs_error(400, "bad_request", "Invalid base64 file content") from None
    raise fs_error(400, "bad_request", "Unsupported file content payload")


async def _once(data: bytes) -> AsyncIterator[bytes]:
    yield data


async def _write_json(fc: FsCall, item: Any) -> dict[str, Any]:
    if not isinstance(item, dict):
        raise fs_error(400, "bad_request", "Missing fileMetadata")
    plan = _plan_write(fc, item.get("fileMetadata"))
    return await _store(fc, plan, _once(_json_content(item)))


async def write(call: Call) -> Response:
    """``POST /fs/write {fileMetadata, fileContent, encoding?}``: the write result."""
    fc = _start(call, "fs.write", verified=True)
    return json_response(await _write_json(fc, fc.body))


def _manifest(raw: bytes) -> dict[int, dict[str, Any]]:
    try:
        parsed = json.loads(raw)
    except ValueError:
        raise fs_error(400, "bad_request", "Batch write manifest is not valid JSON") from None
    items = parsed if isinstance(parsed, list) else (parsed or {}).get("items")
    if not isinstance(items, list) or not items:
        raise fs_error(
            400, "bad_request", "Batch write manifest must include a non-empty items array"
        )
    by_index: dict[int, dict[str, Any]] = {}
    for position, item in enumerate(items):
        if not isinstance(item, dict):
            raise fs_error(
                400, "bad_request", f"Batch write manifest item at position {position} is invalid"
            )
        index = js_to_number(item.get("index", position))
        if not float(index).is_integer() or index < 0:
            raise fs_error(
                400,
                "bad_request",
                f"Batch write manifest item index is invalid at position {position}",
            )
        by_index[int(index)] = item
    return by_index


def ignored_upload(meta: Any) -> bool:
    """Whether the server skips this item of a batch (``.DS_Store``, any case)."""
    path = meta.get("path") if isinstance(meta, dict) else None
    return isinstance(path, str) and path.rpartition("/")[2].lower() == ".ds_store"


async def _batch_multipart(fc: FsCall, boundary: bytes) -> list[dict[str, Any]]:
    """All or nothing, as on the server: every item is checked when the manifest
    arrives, the contents are received, and only then are the files put in place; a
    failure anywhere leaves none of them. ``.DS_Store`` items are skipped (their content
    read and dropped, no result)."""
    reader = MultipartReader(fc.call.body_chunks(), boundary)
    manifest: dict[int, dict[str, Any]] | None = None
    plans: dict[int, WritePlan] = {}
    received: dict[int, Blob] = {}
    seen: set[int] = set()
    try:
        while (part := await reader.next_part()) is not None:
            if part.name == "manifest" and part.filename is None:
                if manifest is not None:
                    raise fs_error(
                        409, "conflict", "Batch write manifest was provided more than once"
                    )
                manifest = _manifest(await reader.read(fc.call.state.options.max_body_bytes))
                declared = 0
                for index, item in manifest.items():
                    meta = item.get("fileMetadata")
                    if not ignored_upload(meta):
                        plans[index] = plan = _plan_write(fc, meta, quota=False)
                        declared += plan.size
                        declared -= plan.replaces.size if plan.replaces is not None else 0
                _check_quota_total(fc, declared)
                continue
            match = _FILE_PART.match(part.name)
            if match is None:
                continue
            if manifest is None:
                raise fs_error(
                    400, "bad_request", "Batch write manifest must come before file content"
                )
            index = int(next(g for g in match.groups() if g is not None))
            if index in seen:
                raise fs_error(409, "conflict", f"Duplicate file content for batch index {index}")
            seen.add(index)
            if index not in manifest:
                raise fs_error(
                    400, "bad_request", f"Batch write metadata was not found for index {index}"
                )
            blob = await _receive(reader.body(), fc)
            if index in plans:
                received[index] = blob
            else:
                fc.fs.blobs.delete(blob)
        if manifest is None:
            raise fs_error(400, "bad_request", "Batch write manifest is required")
        missing = [i for i in manifest if i not in seen]
        if missing:
            raise fs_error(
                400, "bad_request", f"Batch write is missing file content for index {missing[0]}"
            )
        replaced = sum(p.replaces.size for p in plans.values() if p.replaces is not None)
        _check_quota_total(fc, sum(b.size for b in received.values()) - replaced)
    except MultipartError as exc:
        _drop(fc, received)
        raise fs_error(400, "bad_request", f"Malformed multipart body: {exc}") from None
    except BaseException:
        _drop(fc, received)
        raise
    return [_commit(fc, plans[i], received[i]) for i in manifest if i in plans]


def _drop(fc: FsCall, received: dict[int, Blob]) -> None:
    for blob in received.values():
        fc.fs.blobs.delete(blob)


def _check_quota_total(fc: FsCall, extra: int) -> None:
    if fc.fs.used(fc.user.username) + extra > fc.call.state.options.storage_capacity:
        raise fs_error(413, "storage_limit_reached", "Storage limit reached")


async def batch_write(call: Call) -> Response:
    """``POST /fs/batchWrite``: multipart (manifest, then ``file-<i>`` parts) or a JSON array."""
    content_type = call.header("content-type") or ""
    boundary = boundary_of(content_type)
    if boundary is None and "json" not in content_type:
        raise fs_error(
            415,
            "unsupported_media_type",
            "Unsupported content type for batchWrite. Use multipart/form-data or application/json.",
        )
    fc = _start(call, "fs.write", verified=True, object_body=False)
    if boundary is not None:
        return json_response(await _batch_multipart(fc, boundary))
    items = call.request.json
    if items is None and call.request.body.strip():
        raise fs_error(400, "client_bad_json", "Failed to parse JSON body.")
    if not isinstance(items, list) or not items:
        raise fs_error(400, "bad_request", "Batch write requires a non-empty array")
    return json_response([await _write_json(fc, item) for item in items])


# mkdir, touch, rename, move, copy, delete ---------------------------------------------


def _make_dir(fc: FsCall, path: str, body: dict[str, Any]) -> Node:
    if path == "/" or split(path)[0] == "/":
        raise subject_missing()
    create = _flag(body, "create_missing_parents", "createMissingParents")
    parent = _parent_dir(fc, path, create=create)
    name = _check_name(split(path)[1])
    existing = parent.children.get(name)
    if existing is not None and _flag(body, "dedupe_name", "dedupeName"):
        name, existing = fc.fs.free_name(parent, name, True), None
    if existing is not None and existing.is_dir:
        return existing
    if existing is not None:
        raise fs_error(409, "conflict", f"An entry already exists at {existing.path}")
    return fc.fs.mkdir(parent, name, parent.tree_owner)


def _mkdir_path(fc: FsCall) -> str:
    parent, path = fc.body.get("parent"), fc.body.get("path")
    if isinstance(parent, str) and parent.strip():
        base = fc.path(parent)
        if not isinstance(path, str) or not path:
            raise fs_error(400, "bad_request", "Name cannot be empty")
        return fc.path(path if path.startswith("/") else f"{base.rstrip('/')}/{path}")
    if not isinstance(path, str) or not path.strip():
        raise missing_reference()
    return fc.path(path)


async def mkdir(call: Call) -> Response:
    """``POST /mkdir {parent?, path, dedupe_name?, create_missing_parents?}``: a v1 entry."""
    fc = _start(call, "fs.mutate")
    return json_response(fc.v1(_make_dir(fc, _mkdir_path(fc), fc.body)))


async def mkdir_v2(call: Call) -> Response:
    """``POST /fs/mkdir {path, ...}``: a v2 entry."""
    fc = _start(call, "fs.mutate")
    return json_response(fc.v2(_make_dir(fc, _mkdir_path(fc), fc.body)))


def _named(fc: FsCall, value: Any) -> Node:
    """A node as the ``/fs/*`` routes take one: a string is a path, an object names it
    by ``path``, ``uid`` or ``id``."""
    if isinstance(value, str):
        return fc.entry({"path": value})
    if isinstance(value, dict):
        return fc.entry(value)
    raise missing_reference()


async def mkshortcut(call: Call) -> Response:
    """``POST /fs/mkshortcut {parent, name, target, dedupe_name?}``: the shortcut's v2
    entry (``isShortcut``, ``shortcutTo`` = the target's numeric id). A taken name gets a
    free one unless ``dedupe_name`` is false (then 409 ``conflict``).

    The server creates the shortcut under whatever ``parent`` names and does not check
    the name's characters; this answers a file as parent with 400
    ``dest_is_not_a_directory`` and a name with ``/`` with 400 instead of building a tree
    that cannot be listed.
    """
    fc = _start(call, "fs.mutate", verified=True)
    body = fc.body
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise fs_error(400, "bad_request", "Missing `name`")
    parent = _named(fc, body.get("parent") if body.get("parent") is not None else body)
    target = _named(fc, body.get("target"))
    if not parent.is_dir:
        raise fs_error(400, "dest_is_not_a_directory", "Destination parent is not a directory")
    name = _check_name(name)
    existing = parent.children.get(name)
    if existing is not None:
        if not _flag(body, "dedupe_name", default=True):
            raise fs_error(409, "conflict", f"An entry already exists at {existing.path}")
        name = fc.fs.free_name(parent, name, False)
    return json_response(v2_entry(fc.fs.shortcut(parent, name, target, fc.user.username)))


async def touch(call: Call) -> Response:
    """``POST /touch {path}``: creates an empty file or updates its times; empty HTML body."""
    fc = _start(call, "fs.mutate")
    path = fc.path(fc.body.get("path"))
    node = fc.find(path)
    if node is not None:
        fc.fs.touch(fc.need(node, "write"))
    else:
        parent = _parent_dir(fc, path, create=False)
        empty = fc.fs.blobs.writer().finish()
        name = _check_name(split(path)[1])
        fc.fs.put_file(parent, name, empty, parent.tree_owner, content_type=None, metadata=None)
    return Response(b"", media_type=HTML_TYPE)


async def rename(call: Call) -> Response:
    """``POST /rename {path | uid, new_name}``: the renamed v1 entry."""
    fc = _start(call, "fs.mutate")
    node = fc.need(fc.entry(fc.body), "write")
    name = _check_name(fc.body.get("new_name"))
    assert node.parent is not None
    if name != node.name and name in node.parent.children:
        target = node.parent.children[name].path
        raise fs_error(409, "conflict", f"An entry already exists at {target}")
    fc.fs.move(node, node.parent, name)
    return json_response(fc.v1(node))


@dataclass(frozen=True)
class _Placement:
    parent: Node
    name: str
    replaced: dict[str, Any] | None


def _place(fc: FsCall, node: Node, *, dedupe_default: bool, moving: bool) -> _Placement:
    """Where a move or copy lands; an entry it replaces is deleted (its v1 entry kept)."""
    body = fc.body
    destination = body.get("destination")
    if not isinstance(destination, str) or not destination.strip():
        raise missing_reference()
    if not destination.startswith(("/", "~")):  # a uid, as the server reads a bare string
        by_uid = fc.reference(destination)
        parent: Node | None = by_uid
        dest_path = by_uid.path
    else:
        dest_path = fc.path(destination)
        parent = fc.find(dest_path)
    if parent is None and _flag(body, "create_missing_parents", "createMissingParents"):
        parent = _parent_dir(fc, f"{dest_path}/-", create=True)
    if parent is None:
        raise fs_error(404, "subject_does_not_exist", f"Entry not found: path={dest_path}")
    if not parent.is_dir:
        raise fs_error(400, "dest_is_not_a_directory", "Destination parent is not a directory")
    fc.need(parent, "write")
    if node.is_dir and (parent is node or node in _ancestors(parent)):
        raise fs_error(400, "bad_request", "Cannot move or copy a directory into itself")
    new_name = body.get("new_name", body.get("newName"))
    name = _check_name(new_name) if new_name is not None else node.name
    existing = parent.children.get(name)
    if existing is None or (moving and existing is node):
        return _Placement(parent, name, None)
    if _flag(body, "overwrite"):
        if existing.is_dir:
            raise fs_error(
                409, "cannot_overwrite_a_directory", "Cannot overwrite an existing directory"
            )
        replaced = fc.v1(existing)
        fc.fs.delete(existing)
        return _Placement(parent, name, replaced)
    if _flag(body, "dedupe_name", "dedupeName", default=dedupe_default):
        return _Placement(parent, fc.fs.free_name(parent, name, node.is_dir), None)
    raise fs_error(
        409,
        "item_with_same_name_exists",
        f"An entry already exists at {existing.path}",
        entry_name=name,
    )


def _ancestors(node: Node) -> Iterator[Node]:
    while node.parent is not None:
        node = node.parent
        yield node


async def move(call: Call) -> Response:
    """``POST /move {source, destination, new_name?, overwrite?, dedupe_name?, ...}``."""
    fc = _start(call, "fs.mutate")
    node = fc.need(fc.reference(fc.body.get("source")), "write")
    old_path = fc.viewer.publish(node)
    place = _place(fc, node, dedupe_default=False, moving=True)
    fc.fs.move(node, place.parent, place.name)
    body: dict[str, Any] = {"moved": fc.v1(node), "old_path": old_path}
    if place.replaced is not None:
        body["overwritten"] = place.replaced
    return json_response(body)


def _copy(fc: FsCall, *, dedupe_default: bool) -> tuple[Node, dict[str, Any] | None]:
    node = fc.need(fc.reference(fc.body.get("source")), "read")
    place = _place(fc, node, dedupe_default=dedupe_default, moving=False)
    extra = sum(n.size for n in node.walk())
    owner = place.parent.tree_owner
    _check_quota(fc, extra, None, owner)
    return fc.fs.copy(node, place.parent, place.name, owner), place.replaced


async def copy(call: Call) -> Response:
    """``POST /copy {source, destination, ...}``: ``[{"copied": v1, "overwritten"?}]``."""
    fc = _start(call, "fs.mutate")
    clone, replaced = _copy(fc, dedupe_default=False)
    item: dict[str, Any] = {"copied": fc.v1(clone)}
    if replaced is not None:
        item["overwritten"] = replaced
    return json_response([item])


async def copy_v2(call: Call) -> Response:
    """``POST /fs/copy {source, destination, ...}``: the copy's v2 entry (deduped by default)."""
    fc = _start(call, "fs.mutate")
    clone, _ = _copy(fc, dedupe_default=True)
    return json_response(fc.v2(clone))


def _delete(fc: FsCall, node: Node, *, recursive: bool, descendants_only: bool) -> list[Node]:
    fc.need(node, "write")
    if node.is_dir and node.children and not recursive:
        raise fs_error(409, "conflict", "Directory is not empty")
    doomed = node.sorted_children() if descendants_only else [node]
    for gone in doomed:
        fc.fs.delete(gone)
        fc.call.state.metering.record(fc.user.uuid, "storage:delete:ops")
    return doomed


async def delete(call: Call) -> Response:
    """``POST /delete {paths: [...], recursive?, descendants_only?}``: the deleted v1 entries.

    Permanent (nothing goes to the Trash) and not atomic: paths before a failing one
    stay deleted.
    """
    fc = _start(call, "fs.mutate")
    paths = fc.body.get("paths")
    if not isinstance(paths, list):
        raise missing_reference()
    recursive = _flag(fc.body, "recursive", default=True)
    descendants_only = _flag(fc.body, "descendants_only")
    deleted: list[dict[str, Any]] = []
    for path in paths:
        node = fc.reference(path)
        entries = [fc.v1(n) for n in ([node] if not descendants_only else node.sorted_children())]
        _delete(fc, node, recursive=recursive, descendants_only=descendants_only)
        deleted.extend(entries)
    return json_response(deleted)


async def delete_v2(call: Call) -> Response:
    """``POST /fs/delete {path | uid, recursive?}`` (``recursive`` defaults to false)."""
    fc = _start(call, "fs.mutate")
    node = fc.entry(fc.body)
    _delete(fc, node, recursive=_flag(fc.body, "recursive"), descendants_only=False)
    return json_response({"ok": True})


FS_ROUTES: dict[tuple[str, str], Handler] = {
    ("POST", "/stat"): stat,
    ("GET", "/read"): read,
    ("POST", "/readdir"): readdir,
    ("POST", "/mkdir"): mkdir,
    ("POST", "/touch"): touch,
    ("POST", "/rename"): rename,
    ("POST", "/move"): move,
    ("POST", "/copy"): copy,
    ("POST", "/delete"): delete,
    ("GET", "/df"): df,
    ("POST", "/df"): df,
    ("POST", "/fs/write"): write,
    ("POST", "/fs/batchWrite"): batch_write,
    ("GET", "/fs/read"): read_v2,
    ("POST", "/fs/stat"): stat_v2,
    ("GET", "/fs/readdir"): readdir_v2,
    ("POST", "/fs/readdir"): readdir_v2,
    ("POST", "/fs/mkdir"): mkdir_v2,
    ("POST", "/fs/delete"): delete_v2,
    ("POST", "/fs/copy"): copy_v2,
    ("POST", "/fs/mkshortcut"): mkshortcut,
}
