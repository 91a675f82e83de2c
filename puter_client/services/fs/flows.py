"""The file-system flows: each method checks its input at once (``TypeError`` or
``ValueError`` before any request) and returns a pure flow over the client's session.

Routes (see the protocol notes): uploads go as one streamed multipart ``/fs/batchWrite``;
reads are ``GET /read`` (a ``Range`` header for part of a file), streamed to disk by a
``FileSink`` for ``download``; the other calls use the legacy routes puter.js uses, and
``/fs/readdir`` for listings, paged with its cursor. Failures of these routes raise the
file-system errors that are also builtin ``OSError``s (``file_system_error``).
"""

from __future__ import annotations

import errno
import os
from collections.abc import Callable, Sequence
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import httpx

from puter_client._generated import endpoints, models
from puter_client.core.exceptions import (
    PuterAPIError,
    PuterFileExistsError,
    PuterInputError,
    PuterInputTypeError,
    PuterResponseError,
)
from puter_client.core.flow import Flow
from puter_client.core.http.errors import file_system_error
from puter_client.core.http.jsonbody import encode_json
from puter_client.core.http.multipart import MultipartBody
from puter_client.core.http.operation import Operation, RetryClass
from puter_client.core.http.responses import FileSink
from puter_client.core.paging import Page, PageFlows
from puter_client.core.serialization import unstructure
from puter_client.core.session import Session
from puter_client.services.fs.entry import FSEntry, entry_of
from puter_client.services.fs.listing import (
    LIST_FROM_OFFSET,
    MAX_PAGE,
    Listing,
    Plan,
    SortBy,
    SortOrder,
    WalkItem,
    check_cursor,
    check_listing,
    check_offset,
    glob_plan,
    page_request,
    read_entries,
    read_page,
    split_pattern,
    walk_plan,
)
from puter_client.services.fs.path import (
    RemotePath,
    Target,
    Uid,
    check_name,
    remote_path,
    remote_target,
    split_remote,
)
from puter_client.services.fs.upload import UploadData, content_type_for, upload_part

if TYPE_CHECKING:
    from puter_client.services.fs.fs import FileSystem

__all__ = ["PAGE_SIZE", "FsFlows", "Progress"]

T = TypeVar("T")

PAGE_SIZE = 1000
"""Entries asked for per ``/fs/readdir`` page."""

Progress = Callable[[int], object]
"""Called with the bytes received so far (from 0 again when a retry starts over)."""

_BYTES_WANTED = {"Accept": "*/*", "Accept-Encoding": "identity"}  # the bytes as stored

# A write that must not replace anything is not repeated after the request may have
# reached the server (a second attempt would find its own file and answer 409, or pick
# another name); ``overwrite`` writes are.
_WRITE_ONCE = attrs.evolve(endpoints.FS_WRITE, retry=RetryClass.UNSAFE)


class FsFlows:
    """The flows of ``client.fs`` over one session."""

    def __init__(self, session: Session, owner: FileSystem | None = None) -> None:
        self._session = session
        self._owner = owner  # the client's FileSystem: entries are bound to it

    def _made(self, model: Any) -> FSEntry:
        """The entry of a generated v1/v2 model, bound to the client."""
        return entry_of(unstructure(model), self._owner)

    # ---------------------------------------------------------------- writing

    def write(
        self,
        path: Target,
        data: UploadData,
        *,
        overwrite: bool,
        create_parents: bool,
        dedupe_name: bool,
        content_type: str | None,
    ) -> Flow[FSEntry]:
        where = remote_target(path, missing="NO_TARGET_PATH")
        if isinstance(where, Uid):
            return self._write_uid(
                where, data, overwrite, create_parents, dedupe_name, content_type
            )
        target = where
        _, name = split_remote(target, "NO_TARGET_PATH")
        _check_flags(overwrite=overwrite, create_parents=create_parents, dedupe_name=dedupe_name)
        replace = overwrite and not dedupe_name
        metadata = models.FileMetadata(
            path=target,
            size=0,
            content_type=content_type_for(name, data, content_type),
            overwrite=replace,
            dedupe_name=dedupe_name,
            create_missing_parents=create_parents,
        )
        part = upload_part(data, name="file-0", filename=name)
        metadata = attrs.evolve(metadata, size=part.size)
        item = models.BatchWriteItem(index=0, file_metadata=metadata)
        manifest = encode_json(unstructure(models.BatchWriteManifest(items=[item])))
        body = MultipartBody([("manifest", manifest.decode())], [part])
        return self._write(endpoints.FS_WRITE if replace else _WRITE_ONCE, body, target)

    def write_bytes(self, path: Target, data: bytes | bytearray | memoryview) -> Flow[FSEntry]:
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise PuterInputTypeError(
                f"data must be bytes-like, not {type(data).__name__}", code="field_invalid"
            )
        return self.write(
            path, bytes(data), overwrite=True, create_parents=False, dedupe_name=False,
            content_type=None,
        )  # fmt: skip

    def write_text(self, path: Target, data: str, encoding: str, errors: str) -> Flow[FSEntry]:
        if not isinstance(data, str):
            raise PuterInputTypeError(
                f"data must be a str, not {type(data).__name__}", code="field_invalid"
            )
        try:
            encoded = data.encode(encoding, errors)
        except LookupError as exc:
            raise PuterInputError(str(exc), code="field_invalid") from None
        return self.write(
            path, encoded, overwrite=True, create_parents=False, dedupe_name=False,
            content_type=None,
        )  # fmt: skip

    def readable(self, path: Target) -> Flow[FSEntry]:
        """The entry of a file to open for reading (``IsADirectoryError`` for a folder)."""
        return self._readable(remote_target(path))

    def _readable(self, where: str | Uid) -> Flow[FSEntry]:
        entry = yield from self._entry(
            endpoints.FS_STAT, endpoints.parse_fs_stat, _stat_request(where)
        )
        if entry.is_dir:
            raise IsADirectoryError(errno.EISDIR, "cannot open a folder", entry.path)
        return entry

    def _write_uid(
        self,
        uid: Uid,
        data: UploadData,
        overwrite: bool,
        create_parents: bool,
        dedupe_name: bool,
        content_type: str | None,
    ) -> Flow[FSEntry]:
        """Write into the file a uid names (its path looked up first)."""
        path = yield from self._path_of(uid)
        return (yield from self.write(
            path, data, overwrite=overwrite, create_parents=create_parents,
            dedupe_name=dedupe_name, content_type=content_type,
        ))  # fmt: skip

    def _path_of(self, where: str | Uid) -> Flow[str]:
        """The path of a target: as given, or looked up by uid."""
        if isinstance(where, str):
            return where
        entry = yield from self._entry(
            endpoints.FS_STAT, endpoints.parse_fs_stat, models.StatRequest(uid=where.value)
        )
        return entry.path

    def _write(self, op: Operation, body: MultipartBody, target: str) -> Flow[FSEntry]:
        results = yield from self._send(op, endpoints.parse_fs_write, content=body, subject=target)
        if len(results) != 1:
            raise PuterResponseError(f"expected one write result, got {len(results)}")
        return self._made(results[0].fs_entry)

    def mkdir(
        self, path: RemotePath, *, parents: bool, exist_ok: bool, dedupe_name: bool = False
    ) -> Flow[FSEntry]:
        target = remote_path(path)
        parent, name = split_remote(target)
        _check_flags(parents=parents, exist_ok=exist_ok, dedupe_name=dedupe_name)
        request = models.MkdirRequest(
            parent=parent,
            path=name,
            overwrite=False,
            dedupe_name=dedupe_name,
            create_missing_parents=parents,
        )
        return self._mkdir(target, request, exist_ok or dedupe_name)

    def _mkdir(self, target: str, request: models.MkdirRequest, exist_ok: bool) -> Flow[FSEntry]:
        if not exist_ok:  # the server answers 200 for an existing folder: look first
            existing = yield from self._stat_or_none(target)
            if existing is not None:
                raise _exists_error(existing)
        entry = yield from self._send(endpoints.FS_MKDIR, endpoints.parse_fs_mkdir, body=request)
        return self._made(entry)

    def mkshortcut(self, path: RemotePath, target: Target, *, dedupe_name: bool) -> Flow[FSEntry]:
        where = remote_path(path, missing="NO_TARGET_PATH")
        parent, name = split_remote(where, "NO_TARGET_PATH")
        pointed = remote_target(target, "target")
        _check_flags(dedupe_name=dedupe_name)
        request = models.MkshortcutRequest(
            parent=models.EntryRef(path=parent),
            name=name,
            target=(
                models.EntryRef(uid=pointed.value)
                if isinstance(pointed, Uid)
                else models.EntryRef(path=pointed)
            ),
            dedupe_name=dedupe_name,  # sent either way: the server's default is true
        )
        return self._mkshortcut(request, where)

    def _mkshortcut(self, request: models.MkshortcutRequest, where: str) -> Flow[FSEntry]:
        entry = yield from self._send(
            endpoints.FS_MKSHORTCUT, endpoints.parse_fs_mkshortcut, body=request, subject=where
        )
        return self._made(entry)

    def rename(self, path: Target, new_name: str) -> Flow[FSEntry]:
        where, name = remote_target(path), check_name(new_name)
        return self._rename(where, name)

    def _rename(self, where: str | Uid, name: str) -> Flow[FSEntry]:
        target = yield from self._path_of(where)
        request = models.RenameRequest(path=target, new_name=name)
        return (yield from self._entry(endpoints.FS_RENAME, endpoints.parse_fs_rename, request))

    def move(
        self,
        src: Target,
        dest: Target,
        *,
        overwrite: bool,
        new_name: str | None = None,
        create_parents: bool = False,
        dedupe_name: bool = False,
    ) -> Flow[FSEntry]:
        source, where = _bare(remote_target(src, "src")), remote_target(dest, "dest")
        _check_flags(overwrite=overwrite, create_parents=create_parents, dedupe_name=dedupe_name)
        name = None if new_name is None else check_name(new_name)
        folder = name is not None or isinstance(where, Uid) or _names_a_folder(dest)
        destination = _bare(where)
        return self._move(source, destination, folder, name, overwrite, create_parents, dedupe_name)

    def _move(
        self,
        source: str,
        destination: str,
        folder: bool,
        name: str | None,
        overwrite: bool,
        create_parents: bool,
        dedupe_name: bool,
    ) -> Flow[FSEntry]:
        if not folder:
            destination, name = yield from self._placement(destination)
        request = models.MoveRequest(
            source=source,
            destination=destination,
            new_name=name,
            overwrite=overwrite,
            dedupe_name=dedupe_name or None,
            create_missing_parents=create_parents or None,
        )
        result = yield from self._send(endpoints.FS_MOVE, endpoints.parse_fs_move, body=request)
        return self._made(result.moved)

    def copy(
        self,
        src: Target,
        dest: Target,
        *,
        overwrite: bool,
        new_name: str | None = None,
        dedupe_name: bool = False,
    ) -> Flow[FSEntry]:
        source, where = _bare(remote_target(src, "src")), remote_target(dest, "dest")
        _check_flags(overwrite=overwrite, dedupe_name=dedupe_name)
        name = None if new_name is None else check_name(new_name)
        folder = name is not None or isinstance(where, Uid) or _names_a_folder(dest)
        destination = _bare(where)
        return self._copy(source, destination, folder, name, overwrite, dedupe_name)

    def _copy(
        self,
        source: str,
        destination: str,
        folder: bool,
        name: str | None,
        overwrite: bool,
        dedupe_name: bool,
    ) -> Flow[FSEntry]:
        if not folder:
            destination, name = yield from self._placement(destination)
        request = models.CopyRequest(
            source=source,
            destination=destination,
            new_name=name,
            overwrite=overwrite,
            dedupe_name=dedupe_name or None,
        )
        results = yield from self._send(endpoints.FS_COPY, endpoints.parse_fs_copy, body=request)
        if not results:
            raise PuterResponseError("the copy answered no entry")
        return self._made(results[0].copied)

    def _placement(self, destination: str) -> Flow[tuple[str, str | None]]:
        """Where a move or copy goes when ``dest`` may be a new path: into ``destination``
        when it is a folder, else into its parent under its name (as puter.js's move)."""
        existing = yield from self._stat_or_none(destination)
        if existing is not None and existing.is_dir:
            return destination, None
        return split_remote(destination)

    def delete(
        self,
        path: Target | Sequence[Target],
        *,
        recursive: bool,
        descendants_only: bool = False,
    ) -> Flow[None]:
        _check_flags(recursive=recursive, descendants_only=descendants_only)
        if isinstance(path, (str, PurePosixPath, Uid, FSEntry)):
            paths = [_bare(remote_target(path))]
        elif isinstance(path, Sequence):
            paths = [_bare(remote_target(p, "paths")) for p in path]
            if not paths:
                raise PuterInputError("no paths to delete", code="NO_PATH_OR_UID")
        else:
            raise PuterInputTypeError(
                f"path must be a path or a sequence of paths, not {type(path).__name__}",
                code="field_invalid",
            )
        request = models.DeleteRequest(
            paths=paths, recursive=recursive, descendants_only=descendants_only
        )
        return self._delete(request)

    def _delete(self, request: models.DeleteRequest) -> Flow[None]:
        yield from self._send(endpoints.FS_DELETE, endpoints.parse_fs_delete, body=request)
        return None

    # ---------------------------------------------------------------- reading

    def read(self, path: Target, *, offset: int, length: int | None) -> Flow[bytes]:
        target = remote_target(path)
        _check_count("offset", offset)
        if length is not None:
            _check_count("length", length)
        return self._read(target, offset, length)

    def _read(self, target: str | Uid, offset: int, length: int | None) -> Flow[bytes]:
        headers = dict(_BYTES_WANTED)
        ranged = offset > 0 or length is not None
        if ranged:
            last = "" if length is None else str(offset + max(length, 1) - 1)
            headers["Range"] = f"bytes={offset}-{last}"
        try:
            response = yield from self._send(
                endpoints.FS_READ, endpoints.parse_fs_read, params=_read_params(target),
                headers=headers,
            )  # fmt: skip
        except PuterAPIError as exc:
            if exc.status_code == 416:  # the range starts at or after the end
                return b""
            raise
        data = response.content
        if ranged and response.status_code == 200:  # the range was ignored: cut it here
            data = data[offset:] if length is None else data[offset : offset + length]
        return data if length != 0 else b""

    def download(
        self, path: Target, dest: str | os.PathLike[str], *, progress: Progress | None
    ) -> Flow[Path]:
        where = remote_target(path)
        if not isinstance(dest, (str, os.PathLike)):
            raise PuterInputTypeError(
                f"dest must be a str or os.PathLike, not {type(dest).__name__}",
                code="field_invalid",
            )
        local = Path(dest)
        # A trailing separator means a folder, as an existing folder does: the file goes
        # in it under the entry's name. The folder must exist (checked before any request).
        into = local.is_dir() or os.fspath(dest).endswith(("/", os.sep))
        folder = local if into else local.parent
        if not folder.is_dir():
            raise FileNotFoundError(
                errno.ENOENT, "no local folder to download into", str(folder.absolute())
            )
        return self._download(where, local, into, progress)

    def _download(
        self, where: str | Uid, local: Path, into: bool, progress: Progress | None
    ) -> Flow[Path]:
        if into:  # into the folder, under the entry's name
            local = local / split_remote((yield from self._path_of(where)))[1]
        sink = FileSink(local) if progress is None else _ProgressSink(local, progress)
        try:
            yield from self._send(
                endpoints.FS_READ, endpoints.parse_fs_read, params=_read_params(where),
                headers=_BYTES_WANTED, sink=sink,
            )  # fmt: skip
        except BaseException:
            sink.abort()  # also when cancelled: no temporary file stays behind
            raise
        return local

    def stat(
        self,
        path: Target,
        *,
        return_size: bool = False,
        return_permissions: bool = False,
        return_versions: bool = False,
        return_subdomains: bool = False,
    ) -> Flow[FSEntry]:
        _check_flags(
            return_size=return_size, return_permissions=return_permissions,
            return_versions=return_versions, return_subdomains=return_subdomains,
        )  # fmt: skip
        request = attrs.evolve(
            _stat_request(remote_target(path)),
            return_size=return_size or None,
            return_permissions=return_permissions or None,
            return_versions=return_versions or None,
            return_subdomains=return_subdomains or None,
        )
        return self._entry(endpoints.FS_STAT, endpoints.parse_fs_stat, request)

    def exists(self, path: Target) -> Flow[bool]:
        return self._exists(remote_target(path))

    def _exists(self, target: str | Uid) -> Flow[bool]:
        return (yield from self._stat_or_none(target)) is not None

    def _stat_or_none(self, target: str | Uid) -> Flow[FSEntry | None]:
        try:
            return (yield from self._entry(
                endpoints.FS_STAT, endpoints.parse_fs_stat, _stat_request(target)
            ))  # fmt: skip
        except FileNotFoundError:
            return None

    def listdir(
        self,
        path: Target,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        offset: int = 0,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> Flow[list[FSEntry]]:
        listing = check_listing(
            path, limit=limit, sort_by=sort_by, sort_order=sort_order, recursive=recursive,
            page_limit=False,
        )  # fmt: skip
        start = check_cursor(cursor)
        skip = check_offset(offset)
        if skip and (start is not None or recursive):
            raise PuterInputError(
                "offset cannot be combined with cursor or recursive (the server pages those "
                "by cursor only)",
                code="field_invalid",
            )
        return self._listdir_at(listing, start, skip)

    def _listdir_at(self, listing: Listing, cursor: str | None, skip: int) -> Flow[list[FSEntry]]:
        if skip:
            return (yield from self._list_from(listing, skip))
        return (yield from self._listdir(listing.path or "~", listing, cursor))

    def _listdir(
        self, target: str, listing: Listing | None = None, cursor: str | None = None
    ) -> Flow[list[FSEntry]]:
        if listing is None:
            listing = check_listing(
                target, limit=None, sort_by=None, sort_order=None, recursive=False
            )
        entries: list[FSEntry] = []
        while True:
            want = (
                PAGE_SIZE if listing.limit is None else min(PAGE_SIZE, listing.limit - len(entries))
            )
            page = yield from self._page(listing, cursor, want)
            entries += page.items
            if not page.cursor or not page.items or len(entries) == listing.limit:
                return entries
            cursor = page.cursor

    def _list_from(self, listing: Listing, offset: int) -> Flow[list[FSEntry]]:
        """The unpaged form, from ``offset``, in requests of at most ``MAX_PAGE``."""
        entries: list[FSEntry] = []
        while True:
            want = (
                MAX_PAGE if listing.limit is None else min(MAX_PAGE, listing.limit - len(entries))
            )
            params = {"offset": str(offset), "limit": str(want)}
            if listing.uid is not None:
                params["uid"] = listing.uid
            else:
                params["path"] = listing.path or "~"
            if listing.sort_by is not None:
                params["sortBy"] = listing.sort_by
            if listing.sort_order is not None:
                params["sortOrder"] = listing.sort_order
            found = yield from self._send(LIST_FROM_OFFSET, self._read_entries, params=params)
            entries += found
            offset += len(found)
            if len(found) < want or len(entries) == listing.limit:
                return entries

    def listdir_page(
        self,
        path: Target,
        *,
        cursor: str | None,
        limit: int | None,
        include_total: bool,
        sort_by: SortBy | None,
        sort_order: SortOrder | None,
        recursive: bool,
    ) -> Flow[Page[FSEntry]]:
        return self.page_flows(
            path, limit=limit, include_total=include_total, sort_by=sort_by,
            sort_order=sort_order, recursive=recursive,
        )(check_cursor(cursor))  # fmt: skip

    def page_flows(
        self,
        path: Target,
        *,
        limit: int | None,
        include_total: bool,
        sort_by: SortBy | None,
        sort_order: SortOrder | None,
        recursive: bool,
    ) -> PageFlows[FSEntry]:
        """``page(cursor)`` of a checked listing (for the lazy walks of ``core.paging``)."""
        listing = check_listing(
            path, limit=limit, sort_by=sort_by, sort_order=sort_order, recursive=recursive,
            include_total=include_total,
        )  # fmt: skip

        def page(cursor: str | None) -> Flow[Page[FSEntry]]:
            return self._page(listing, cursor, listing.limit or PAGE_SIZE)

        return page

    def _page(self, listing: Listing, cursor: str | None, limit: int) -> Flow[Page[FSEntry]]:
        request = page_request(listing, cursor, limit)
        return (yield from self._send(endpoints.FS_READDIR, self._read_page, body=request))

    def _read_page(self, response: httpx.Response) -> Page[FSEntry]:
        return read_page(response, self._owner)

    def _read_entries(self, response: httpx.Response) -> list[FSEntry]:
        return read_entries(response, self._owner)

    def walk(self, top: Target, *, topdown: bool) -> Plan[WalkItem]:
        target = remote_target(top, "top")
        _check_flags(topdown=topdown)
        return walk_plan(self._stat, self._listdir, target, topdown)

    def glob(self, pattern: str, root: Target | None = None) -> Plan[str]:
        where = None if root is None else remote_target(root, "root")
        split_pattern(pattern) if where is None else split_pattern(pattern, relative=True)
        return glob_plan(self._stat, self._listdir, pattern, where)

    def _stat(self, target: str | Uid) -> Flow[FSEntry]:
        return self._entry(endpoints.FS_STAT, endpoints.parse_fs_stat, _stat_request(target))

    def stat_by_id(self, entry_id: int) -> Flow[FSEntry]:
        """The entry the server's numeric id names (a shortcut's ``shortcut_to``)."""
        if isinstance(entry_id, bool) or not isinstance(entry_id, int):
            raise PuterInputTypeError(
                f"an entry id must be an int, not {type(entry_id).__name__}", code="field_invalid"
            )
        request = models.StatRequest(id=entry_id)
        return self._entry(endpoints.FS_STAT, endpoints.parse_fs_stat, request)

    def usage(self) -> Flow[models.DiskUsage]:
        return self._send(endpoints.FS_DF, endpoints.parse_fs_df)

    # ---------------------------------------------------------------- helpers

    def _entry(
        self,
        op: Operation,
        parse: Callable[[httpx.Response], models.FsEntryV1],
        body: Any,
    ) -> Flow[FSEntry]:
        return self._made((yield from self._send(op, parse, body=body)))

    def _send(self, op: Operation, parse: Callable[[httpx.Response], T], **kwargs: Any) -> Flow[T]:
        """``session.send``, with the file-system error classes; those that are builtin
        ``OSError``s get ``errno`` and ``filename`` (the path the request named)."""
        subject = kwargs.pop("subject", None) or _subject(kwargs)
        try:
            return (yield from self._session.send(op, parse, **kwargs))
        except PuterAPIError as exc:
            refined = file_system_error(exc)
            if isinstance(refined, OSError):
                _name_os_error(refined, subject)
            if refined is exc:
                raise
            raise refined from None


_ERRNO: tuple[tuple[type[OSError], int], ...] = (
    (FileNotFoundError, errno.ENOENT),
    (FileExistsError, errno.EEXIST),
    (NotADirectoryError, errno.ENOTDIR),
    (IsADirectoryError, errno.EISDIR),
)


def _name_os_error(error: OSError, subject: str | None) -> None:
    """Set ``errno``, ``strerror`` and ``filename`` as ``open()`` does (the text stays)."""
    for kind, number in _ERRNO:
        if isinstance(error, kind):
            error.errno = number
            error.strerror = os.strerror(number)
            break
    if subject is not None:
        error.filename = subject


def _subject(kwargs: dict[str, Any]) -> str | None:
    """The path a request names: its body's ``path``/``source``, or its ``file`` query."""
    body = kwargs.get("body")
    if isinstance(body, models.MkdirRequest) and isinstance(body.parent, str):
        return f"{body.parent.rstrip('/')}/{body.path}"
    for key in ("path", "source"):
        value = getattr(body, key, None)
        if isinstance(value, str):
            return value
    if isinstance(body, models.DeleteRequest) and len(body.paths) == 1:
        only = body.paths[0]
        return only if isinstance(only, str) else None
    params = kwargs.get("params") or {}
    value = params.get("file", params.get("path"))
    return value if isinstance(value, str) else None


class _ProgressSink(FileSink):
    """A ``FileSink`` that reports the bytes received so far."""

    def __init__(self, path: Path, progress: Progress) -> None:
        super().__init__(path)
        self._progress = progress

    def reset(self) -> None:
        super().reset()
        self._progress(0)

    def write(self, chunk: bytes) -> None:
        super().write(chunk)
        self._progress(self.size)


def _bare(where: str | Uid) -> str:
    """A path, or a uid as the legacy routes take one (a string not starting with / or ~)."""
    return where.value if isinstance(where, Uid) else where


def _stat_request(where: str | Uid) -> models.StatRequest:
    if isinstance(where, Uid):
        return models.StatRequest(uid=where.value)
    return models.StatRequest(path=where)


def _read_params(where: str | Uid) -> dict[str, str]:
    return {"uid": where.value} if isinstance(where, Uid) else {"file": where}


def _names_a_folder(dest: Target) -> bool:
    """A destination written with a trailing ``/`` names a folder to go into, which must
    exist (as on the server), never a new name."""
    text = str(dest)
    return len(text) > 1 and text.endswith("/")


def _exists_error(entry: FSEntry) -> PuterFileExistsError:
    kind = "directory" if entry.is_dir else "file"
    error = PuterFileExistsError(
        f"A {kind} already exists at {entry.path} (mkdir(..., exist_ok=True) accepts a folder)",
        status_code=409,
        code="item_with_same_name_exists",
    )
    _name_os_error(error, entry.path)
    return error


def _check_flags(**flags: object) -> None:
    for name, value in flags.items():
        if not isinstance(value, bool):
            raise PuterInputTypeError(
                f"{name} must be a bool, not {type(value).__name__}", code="field_invalid"
            )


def _check_count(name: str, value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PuterInputTypeError(
            f"{name} must be an int, not {type(value).__name__}", code="field_invalid"
        )
    if value < 0:
        raise PuterInputError(f"{name} must be >= 0, got {value}", code="field_invalid")
