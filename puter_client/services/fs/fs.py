"""``client.fs``: Puter's cloud file system, blocking and async.

``FileSystem`` is what users reach as ``client.fs``; each method is a one-line shell that
runs one flow of ``FsFlows`` with the client's session (``write`` blocks, ``async_write``
awaits). Paths are absolute (``/alice/...``), ``~``-relative, or relative to ``~/``.
Failures raise ``PuterAPIError`` subclasses; those of a missing or existing entry, and a
file or directory in the wrong place, are also the builtin ``FileNotFoundError``,
``FileExistsError``, ``NotADirectoryError`` and ``IsADirectoryError``.
"""

from __future__ import annotations

import io
import os
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO, Literal, overload

from puter_client._generated.models import DiskUsage
from puter_client.core.paging import (
    Page,
    async_iterate_items,
    async_iterate_pages,
    iterate_items,
    iterate_pages,
)
from puter_client.services.fs.entry import FSEntry
from puter_client.services.fs.files import (
    AsyncRemoteReader,
    AsyncRemoteWriter,
    RemoteWriter,
    check_mode,
    open_reader,
)
from puter_client.services.fs.flows import FsFlows, Progress
from puter_client.services.fs.listing import (
    SortBy,
    SortOrder,
    WalkItem,
    async_drive,
    check_cursor,
    drive,
)
from puter_client.services.fs.path import RemotePath, Target, Uid, remote_target
from puter_client.services.fs.sharing import (
    FailedShare,
    HostedSubdomain,
    PuterShareError,
    Recipients,
    Share,
    ShareMode,
    Sharing,
    SignedBatch,
    SignedURL,
)
from puter_client.services.fs.transfer import (
    IN_FLIGHT,
    DownloadDir,
    FailedTransfer,
    LocalPaths,
    PuterTransferError,
    TransferProgress,
    TransferredFile,
    TransferReport,
    Upload,
    async_run_transfer,
    run_transfer,
)
from puter_client.services.fs.upload import UploadData

if TYPE_CHECKING:
    from puter_client.core.session import Session

__all__ = [
    "AsyncRemoteReader",
    "AsyncRemoteWriter",
    "DiskUsage",
    "FSEntry",
    "FailedShare",
    "FailedTransfer",
    "FileSystem",
    "HostedSubdomain",
    "LocalPaths",
    "Page",
    "Progress",
    "PuterShareError",
    "PuterTransferError",
    "Recipients",
    "RemotePath",
    "RemoteWriter",
    "Share",
    "ShareMode",
    "SignedBatch",
    "SignedURL",
    "SortBy",
    "SortOrder",
    "Target",
    "TransferCallback",
    "TransferProgress",
    "TransferReport",
    "TransferredFile",
    "Uid",
    "UploadData",
    "WalkItem",
]

TransferCallback = Callable[[TransferProgress], object]
"""Called as a transfer goes on with its ``TransferProgress`` (from several threads in
the blocking form; keep it quick)."""


class FileSystem:
    """The cloud file system of one client (``client.fs``)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._flows = FsFlows(session, self)  # entries it makes are bound to this client
        self._sharing = Sharing(session, self._flows)

    def __repr__(self) -> str:
        return f"FileSystem({self._session!r})"

    def write(
        self,
        path: Target,
        data: UploadData,
        *,
        overwrite: bool = True,
        create_parents: bool = False,
        dedupe_name: bool = False,
        content_type: str | None = None,
    ) -> FSEntry:
        """Write ``data`` (``str`` as UTF-8, bytes, a binary file object or a local file's
        path) to ``path``, streamed as multipart; the new entry.

        ``overwrite`` replaces an existing file (else ``FileExistsError``);
        ``create_parents`` makes missing folders; ``dedupe_name`` picks a free name like
        ``notes (1).txt`` instead of replacing. ``content_type`` defaults to the type the
        name suggests.
        """
        return self._session.run(
            self._flows.write(
                path,
                data,
                overwrite=overwrite,
                create_parents=create_parents,
                dedupe_name=dedupe_name,
                content_type=content_type,
            )
        )

    async def async_write(
        self,
        path: Target,
        data: UploadData,
        *,
        overwrite: bool = True,
        create_parents: bool = False,
        dedupe_name: bool = False,
        content_type: str | None = None,
    ) -> FSEntry:
        """Async ``write``."""
        return await self._session.async_run(
            self._flows.write(
                path,
                data,
                overwrite=overwrite,
                create_parents=create_parents,
                dedupe_name=dedupe_name,
                content_type=content_type,
            )
        )

    def read(self, path: Target, *, offset: int = 0, length: int | None = None) -> bytes:
        """The file's bytes; from ``offset``, at most ``length`` of them (a ``Range``
        request). Past the end: ``b""``."""
        return self._session.run(self._flows.read(path, offset=offset, length=length))

    async def async_read(
        self, path: Target, *, offset: int = 0, length: int | None = None
    ) -> bytes:
        """Async ``read``."""
        return await self._session.async_run(self._flows.read(path, offset=offset, length=length))

    def read_text(self, path: Target, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The file's text, decoded with ``encoding``."""
        return self._session.run(self._flows.read(path, offset=0, length=None)).decode(
            encoding, errors
        )

    async def async_read_text(
        self, path: Target, encoding: str = "utf-8", errors: str = "strict"
    ) -> str:
        """Async ``read_text``."""
        data = await self._session.async_run(self._flows.read(path, offset=0, length=None))
        return data.decode(encoding, errors)

    def read_bytes(self, path: Target) -> bytes:
        """The file's bytes (``pathlib.Path.read_bytes``)."""
        return self._session.run(self._flows.read(path, offset=0, length=None))

    async def async_read_bytes(self, path: Target) -> bytes:
        """Async ``read_bytes``."""
        return await self._session.async_run(self._flows.read(path, offset=0, length=None))

    def write_bytes(self, path: Target, data: bytes | bytearray | memoryview) -> FSEntry:
        """Write ``data`` to the file, replacing it (``pathlib.Path.write_bytes``); the
        entry. Only bytes-like data (``write`` also takes text, files and paths)."""
        return self._session.run(self._flows.write_bytes(path, data))

    async def async_write_bytes(
        self, path: Target, data: bytes | bytearray | memoryview
    ) -> FSEntry:
        """Async ``write_bytes``."""
        return await self._session.async_run(self._flows.write_bytes(path, data))

    def write_text(
        self, path: Target, data: str, encoding: str = "utf-8", errors: str = "strict"
    ) -> FSEntry:
        """Write ``data`` encoded with ``encoding``, replacing the file
        (``pathlib.Path.write_text``); the entry."""
        return self._session.run(self._flows.write_text(path, data, encoding, errors))

    async def async_write_text(
        self, path: Target, data: str, encoding: str = "utf-8", errors: str = "strict"
    ) -> FSEntry:
        """Async ``write_text``."""
        return await self._session.async_run(self._flows.write_text(path, data, encoding, errors))

    @overload
    def open(self, path: Target, mode: Literal["rb"] = "rb") -> io.BufferedReader: ...
    @overload
    def open(self, path: Target, mode: Literal["wb"]) -> RemoteWriter: ...
    def open(self, path: Target, mode: str = "rb") -> io.BufferedReader | RemoteWriter:
        """A binary file object of the remote file, for code that wants a file.

        ``"rb"``: reads are ranged requests of 1 MB blocks (``seek`` is free);
        ``FileNotFoundError``/``IsADirectoryError`` at once. ``"wb"``: the bytes are kept
        locally (on disk past 8 MB) and uploaded, streamed, on ``close()``; a ``with``
        block that ends with an exception uploads nothing. Use it in ``with``.
        """
        check_mode(mode)
        if mode == "wb":
            where = remote_target(path, missing="NO_TARGET_PATH")
            return RemoteWriter(str(where), lambda f: self._session.run(self._flows.write(
                where, f, overwrite=True, create_parents=False, dedupe_name=False,
                content_type=None,
            )))  # fmt: skip
        entry = self._session.run(self._flows.readable(path))
        return open_reader(
            entry.path,
            entry.size or 0,
            lambda offset, n: self._session.run(
                self._flows.read(Uid(entry.uid), offset=offset, length=n)
            ),
        )

    @overload
    async def async_open(self, path: Target, mode: Literal["rb"] = "rb") -> AsyncRemoteReader: ...
    @overload
    async def async_open(self, path: Target, mode: Literal["wb"]) -> AsyncRemoteWriter: ...
    async def async_open(
        self, path: Target, mode: str = "rb"
    ) -> AsyncRemoteReader | AsyncRemoteWriter:
        """Async ``open``: ``async with await fs.async_open(p) as f: await f.read()``."""
        check_mode(mode)
        if mode == "wb":
            where = remote_target(path, missing="NO_TARGET_PATH")

            async def upload(f: BinaryIO) -> object:
                return await self._session.async_run(self._flows.write(
                    where, f, overwrite=True, create_parents=False, dedupe_name=False,
                    content_type=None,
                ))  # fmt: skip

            return AsyncRemoteWriter(str(where), upload)
        entry = await self._session.async_run(self._flows.readable(path))

        async def read_range(offset: int, n: int) -> bytes:
            return await self._session.async_run(
                self._flows.read(Uid(entry.uid), offset=offset, length=n)
            )

        return AsyncRemoteReader(entry.path, entry.size or 0, read_range)

    def download(
        self,
        path: Target,
        dest: str | os.PathLike[str],
        *,
        progress: Progress | None = None,
    ) -> Path:
        """Stream the file to the local ``dest`` (into it, when it is a folder); the local
        path. The file appears only once whole; a failed download leaves nothing.

        ``progress`` is called with the bytes received so far.
        """
        return self._session.run(self._flows.download(path, dest, progress=progress))

    async def async_download(
        self,
        path: Target,
        dest: str | os.PathLike[str],
        *,
        progress: Progress | None = None,
    ) -> Path:
        """Async ``download``."""
        return await self._session.async_run(self._flows.download(path, dest, progress=progress))

    def upload(
        self,
        sources: LocalPaths,
        remote_dir: Target = "~",
        *,
        overwrite: bool = False,
        dedupe_name: bool = True,
        create_parents: bool = False,
        in_flight: int = IN_FLIGHT,
        progress: TransferCallback | None = None,
    ) -> TransferReport:
        """Upload local files and whole folders into the remote folder ``remote_dir``
        (puter.js ``upload``); the report of what was sent.

        ``sources`` is a local path or several: a file lands as ``remote_dir/<name>``, a
        folder as ``remote_dir/<name>/...`` with everything in it (empty folders and
        zero-byte files included, ``.DS_Store`` skipped as puter.js does). As in puter.js,
        a name that is taken gets a free one (``photos (1)``) unless ``overwrite``
        replaces files (``dedupe_name=False, overwrite=False``: a taken name fails that
        file and a folder that exists is merged into). ``create_parents`` makes a missing
        ``remote_dir``; the root ``/`` is refused (``code="cannot_write_to_root"``).

        Files are streamed from disk in multipart batches, ``in_flight`` requests at a
        time; ``progress`` gets a ``TransferProgress`` as bytes go out. If some files
        fail, the others still land and ``PuterTransferError`` is raised, its
        ``report.failed`` naming each failed file and its error.
        """
        return run_transfer(
            self._session,
            Upload(
                self._flows, sources, remote_dir, overwrite=overwrite, dedupe_name=dedupe_name,
                create_parents=create_parents, in_flight=in_flight, progress=progress,
            ),
        )  # fmt: skip

    async def async_upload(
        self,
        sources: LocalPaths,
        remote_dir: Target = "~",
        *,
        overwrite: bool = False,
        dedupe_name: bool = True,
        create_parents: bool = False,
        in_flight: int = IN_FLIGHT,
        progress: TransferCallback | None = None,
    ) -> TransferReport:
        """Async ``upload``."""
        return await async_run_transfer(
            self._session,
            Upload(
                self._flows, sources, remote_dir, overwrite=overwrite, dedupe_name=dedupe_name,
                create_parents=create_parents, in_flight=in_flight, progress=progress,
            ),
        )  # fmt: skip

    def download_dir(
        self,
        remote_dir: Target,
        local_dir: str | os.PathLike[str],
        *,
        overwrite: bool = True,
        in_flight: int = IN_FLIGHT,
        progress: TransferCallback | None = None,
    ) -> TransferReport:
        """Download everything in the remote folder into ``local_dir`` (made if missing,
        like ``shutil.copytree(src, dst, dirs_exist_ok=True)``); the report.

        Each file is streamed to a hidden temporary file and appears only once whole;
        ``overwrite=False`` fails the files that exist locally. ``in_flight`` files are
        fetched at a time; ``progress`` gets a ``TransferProgress``. If some files fail,
        the others are kept and ``PuterTransferError`` is raised with the report.
        """
        return run_transfer(
            self._session,
            DownloadDir(
                self._flows, remote_dir, local_dir, overwrite=overwrite, in_flight=in_flight,
                progress=progress,
            ),
        )  # fmt: skip

    async def async_download_dir(
        self,
        remote_dir: Target,
        local_dir: str | os.PathLike[str],
        *,
        overwrite: bool = True,
        in_flight: int = IN_FLIGHT,
        progress: TransferCallback | None = None,
    ) -> TransferReport:
        """Async ``download_dir``."""
        return await async_run_transfer(
            self._session,
            DownloadDir(
                self._flows, remote_dir, local_dir, overwrite=overwrite, in_flight=in_flight,
                progress=progress,
            ),
        )  # fmt: skip

    def stat(
        self,
        path: Target,
        *,
        return_size: bool = False,
        return_permissions: bool = False,
        return_versions: bool = False,
        return_subdomains: bool = False,
    ) -> FSEntry:
        """The entry at ``path`` (``FileNotFoundError`` when there is none).

        puter.js's options: ``return_size`` makes a folder's ``size`` the bytes of
        everything in it; ``return_versions`` adds ``extra["versions"]`` (the server
        answers an empty list); ``return_permissions`` and ``return_subdomains`` are sent
        as puter.js sends them (the entry always carries ``subdomains``). Every stat asks
        the server (no cache: puter.js's ``consistency="strong"``).
        """
        return self._session.run(
            self._flows.stat(
                path, return_size=return_size, return_permissions=return_permissions,
                return_versions=return_versions, return_subdomains=return_subdomains,
            )
        )  # fmt: skip

    async def async_stat(
        self,
        path: Target,
        *,
        return_size: bool = False,
        return_permissions: bool = False,
        return_versions: bool = False,
        return_subdomains: bool = False,
    ) -> FSEntry:
        """Async ``stat``."""
        return await self._session.async_run(
            self._flows.stat(
                path, return_size=return_size, return_permissions=return_permissions,
                return_versions=return_versions, return_subdomains=return_subdomains,
            )
        )  # fmt: skip

    def exists(self, path: Target) -> bool:
        """Whether an entry exists at ``path``."""
        return self._session.run(self._flows.exists(path))

    async def async_exists(self, path: Target) -> bool:
        """Async ``exists``."""
        return await self._session.async_run(self._flows.exists(path))

    def listdir(
        self,
        path: Target = "~",
        *,
        limit: int | None = None,
        cursor: str | None = None,
        offset: int = 0,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> list[FSEntry]:
        """The folder's entries, every page fetched (sorted by name unless ``sort_by``
        says ``modified``, ``type`` or ``size``; ``sort_order="desc"`` reverses).

        ``limit`` stops after that many entries; ``cursor`` starts where a page of
        ``listdir_page`` left off; ``offset`` skips entries first (the server's unpaged
        form; not with ``cursor`` or ``recursive``). ``recursive`` lists everything below
        the folder by path, at most 10 levels down (the server's cap; ``walk`` has none).
        One page at a time: ``listdir_page``, ``listdir_pages``, ``iterdir``.
        """
        return self._session.run(
            self._flows.listdir(
                path, limit=limit, cursor=cursor, offset=offset, sort_by=sort_by,
                sort_order=sort_order, recursive=recursive,
            )
        )  # fmt: skip

    async def async_listdir(
        self,
        path: Target = "~",
        *,
        limit: int | None = None,
        cursor: str | None = None,
        offset: int = 0,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> list[FSEntry]:
        """Async ``listdir``."""
        return await self._session.async_run(
            self._flows.listdir(
                path, limit=limit, cursor=cursor, offset=offset, sort_by=sort_by,
                sort_order=sort_order, recursive=recursive,
            )
        )  # fmt: skip

    def listdir_page(
        self,
        path: Target = "~",
        *,
        cursor: str | None = None,
        limit: int | None = None,
        include_total: bool = False,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> Page[FSEntry]:
        """One page of the folder: ``items``, the ``cursor`` of the next page (``None`` on
        the last) and, with ``include_total``, the ``total`` of all pages.

        ``limit`` entries per page (1,000 by default, 10,000 at most). The cursor pins
        the sort it was made with: pass the same ``sort_by``/``sort_order`` (or none).
        """
        return self._session.run(
            self._flows.listdir_page(
                path, cursor=cursor, limit=limit, include_total=include_total,
                sort_by=sort_by, sort_order=sort_order, recursive=recursive,
            )
        )  # fmt: skip

    async def async_listdir_page(
        self,
        path: Target = "~",
        *,
        cursor: str | None = None,
        limit: int | None = None,
        include_total: bool = False,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> Page[FSEntry]:
        """Async ``listdir_page``."""
        return await self._session.async_run(
            self._flows.listdir_page(
                path, cursor=cursor, limit=limit, include_total=include_total,
                sort_by=sort_by, sort_order=sort_order, recursive=recursive,
            )
        )  # fmt: skip

    def listdir_pages(
        self,
        path: Target = "~",
        *,
        cursor: str | None = None,
        limit: int | None = None,
        include_total: bool = False,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> Iterator[Page[FSEntry]]:
        """The folder's pages, lazily: each is fetched when the iteration reaches it,
        and stopping early sends nothing more (options as ``listdir_page``)."""
        pages = self._flows.page_flows(
            path, limit=limit, include_total=include_total, sort_by=sort_by,
            sort_order=sort_order, recursive=recursive,
        )  # fmt: skip
        return iterate_pages(self._session.run, pages, check_cursor(cursor))

    def async_listdir_pages(
        self,
        path: Target = "~",
        *,
        cursor: str | None = None,
        limit: int | None = None,
        include_total: bool = False,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> AsyncIterator[Page[FSEntry]]:
        """Async ``listdir_pages`` (``async for page in fs.async_listdir_pages(...)``)."""
        pages = self._flows.page_flows(
            path, limit=limit, include_total=include_total, sort_by=sort_by,
            sort_order=sort_order, recursive=recursive,
        )  # fmt: skip
        return async_iterate_pages(self._session.async_run, pages, check_cursor(cursor))

    def iterdir(
        self,
        path: Target = "~",
        *,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
    ) -> Iterator[str]:
        """The names in the folder, lazily, a page at a time."""
        pages = self._flows.page_flows(
            path, limit=None, include_total=False, sort_by=sort_by, sort_order=sort_order,
            recursive=False,
        )  # fmt: skip
        return (entry.name for entry in iterate_items(self._session.run, pages))

    def async_iterdir(
        self,
        path: Target = "~",
        *,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
    ) -> AsyncIterator[str]:
        """Async ``iterdir`` (``async for name in fs.async_iterdir(...)``)."""
        pages = self._flows.page_flows(
            path, limit=None, include_total=False, sort_by=sort_by, sort_order=sort_order,
            recursive=False,
        )  # fmt: skip
        return _names(async_iterate_items(self._session.async_run, pages))

    def walk(self, top: Target = "~", *, topdown: bool = True) -> Iterator[WalkItem]:
        """``os.walk`` over the cloud: ``(dirpath, dirnames, filenames)`` for ``top`` and
        every folder below it, lazily (one listing per folder; absolute paths, names
        sorted). Top-down, removing names from ``dirnames`` skips those folders. Unlike
        ``os.walk``, a missing ``top`` raises ``FileNotFoundError``.
        """
        return drive(self._session, self._flows.walk(top, topdown=topdown))

    def async_walk(self, top: Target = "~", *, topdown: bool = True) -> AsyncIterator[WalkItem]:
        """Async ``walk`` (``async for dirpath, dirnames, filenames in ...``)."""
        return async_drive(self._session, self._flows.walk(top, topdown=topdown))

    def glob(self, pattern: str, *, root: Target | None = None) -> Iterator[str]:
        """The paths matching ``pattern``, lazily: ``*``, ``?``, ``[...]`` within a name
        and ``**`` for any number of folders (``"Documents/**/*.txt"``; relative
        patterns are under ``~``). Hidden names match ``*`` too, as in ``pathlib``.
        With ``root`` (a path, ``Uid`` or ``FSEntry`` of a folder), the pattern is
        relative to that folder, as ``pathlib.Path(root).glob(pattern)``."""
        return drive(self._session, self._flows.glob(pattern, root))

    def async_glob(self, pattern: str, *, root: Target | None = None) -> AsyncIterator[str]:
        """Async ``glob`` (``async for path in fs.async_glob(...)``)."""
        return async_drive(self._session, self._flows.glob(pattern, root))

    def mkdir(
        self,
        path: RemotePath,
        *,
        parents: bool = False,
        exist_ok: bool = False,
        dedupe_name: bool = False,
    ) -> FSEntry:
        """Create a folder, as ``pathlib.Path.mkdir`` does: ``parents`` makes missing
        parents; an existing entry raises ``FileExistsError`` unless it is a folder and
        ``exist_ok``. ``dedupe_name`` (puter.js) makes ``name (1)`` when the name is taken."""
        return self._session.run(
            self._flows.mkdir(path, parents=parents, exist_ok=exist_ok, dedupe_name=dedupe_name)
        )

    async def async_mkdir(
        self,
        path: RemotePath,
        *,
        parents: bool = False,
        exist_ok: bool = False,
        dedupe_name: bool = False,
    ) -> FSEntry:
        """Async ``mkdir``."""
        return await self._session.async_run(
            self._flows.mkdir(path, parents=parents, exist_ok=exist_ok, dedupe_name=dedupe_name)
        )

    def mkshortcut(self, path: RemotePath, target: Target, *, dedupe_name: bool = False) -> FSEntry:
        """Create at ``path`` a shortcut to ``target`` (a path, ``Uid`` or ``FSEntry``),
        as Puter's desktop makes them; the shortcut's entry (``is_shortcut``, and
        ``shortcut_target()`` fetches what it points to).

        A taken name is ``FileExistsError`` unless ``dedupe_name`` picks a free one
        (``notes (1)``; the server's own default, here explicit); a missing folder or
        target is ``FileNotFoundError``. A shortcut has no contents of its own: reading
        it is refused by the server (``shortcut_target_not_found``).
        """
        return self._session.run(self._flows.mkshortcut(path, target, dedupe_name=dedupe_name))

    async def async_mkshortcut(
        self, path: RemotePath, target: Target, *, dedupe_name: bool = False
    ) -> FSEntry:
        """Async ``mkshortcut``."""
        return await self._session.async_run(
            self._flows.mkshortcut(path, target, dedupe_name=dedupe_name)
        )

    def rename(self, path: Target, new_name: str) -> FSEntry:
        """Give the entry a new name in its folder; the renamed entry."""
        return self._session.run(self._flows.rename(path, new_name))

    async def async_rename(self, path: Target, new_name: str) -> FSEntry:
        """Async ``rename``."""
        return await self._session.async_run(self._flows.rename(path, new_name))

    def move(
        self,
        src: Target,
        dest: Target,
        *,
        overwrite: bool = False,
        new_name: str | None = None,
        create_parents: bool = False,
        dedupe_name: bool = False,
    ) -> FSEntry:
        """Move ``src`` into the folder ``dest``, or to the new path ``dest``; the moved
        entry. ``overwrite`` replaces a file already there, ``dedupe_name`` picks a free
        name instead. With ``new_name``, or a ``dest`` ending in ``/``, ``dest`` is the
        folder to move into (puter.js): missing, it is ``FileNotFoundError`` unless
        ``create_parents`` makes it."""
        return self._session.run(
            self._flows.move(
                src, dest, overwrite=overwrite, new_name=new_name,
                create_parents=create_parents, dedupe_name=dedupe_name,
            )
        )  # fmt: skip

    async def async_move(
        self,
        src: Target,
        dest: Target,
        *,
        overwrite: bool = False,
        new_name: str | None = None,
        create_parents: bool = False,
        dedupe_name: bool = False,
    ) -> FSEntry:
        """Async ``move``."""
        return await self._session.async_run(
            self._flows.move(
                src, dest, overwrite=overwrite, new_name=new_name,
                create_parents=create_parents, dedupe_name=dedupe_name,
            )
        )  # fmt: skip

    def copy(
        self,
        src: Target,
        dest: Target,
        *,
        overwrite: bool = False,
        new_name: str | None = None,
        dedupe_name: bool = False,
    ) -> FSEntry:
        """Copy ``src`` (a folder with everything in it) into the folder ``dest``, or to
        the new path ``dest``; the copy. ``overwrite`` replaces a file already there,
        ``dedupe_name`` picks a free name (``a (1).txt``). With ``new_name``, or a
        ``dest`` ending in ``/``, ``dest`` is the folder to copy into and a missing one
        is ``FileNotFoundError``, as on the server."""
        return self._session.run(
            self._flows.copy(
                src, dest, overwrite=overwrite, new_name=new_name, dedupe_name=dedupe_name
            )
        )

    async def async_copy(
        self,
        src: Target,
        dest: Target,
        *,
        overwrite: bool = False,
        new_name: str | None = None,
        dedupe_name: bool = False,
    ) -> FSEntry:
        """Async ``copy``."""
        return await self._session.async_run(
            self._flows.copy(
                src, dest, overwrite=overwrite, new_name=new_name, dedupe_name=dedupe_name
            )
        )

    def delete(
        self,
        path: Target | Sequence[Target],
        *,
        recursive: bool = False,
        descendants_only: bool = False,
    ) -> None:
        """Delete the entry (or each of several, in one request) for good: nothing goes
        to the Trash; a folder that is not empty only with ``recursive``.
        ``descendants_only`` empties a folder and keeps it. Not atomic, as on the server:
        the paths before a failing one stay deleted."""
        return self._session.run(
            self._flows.delete(path, recursive=recursive, descendants_only=descendants_only)
        )

    async def async_delete(
        self,
        path: Target | Sequence[Target],
        *,
        recursive: bool = False,
        descendants_only: bool = False,
    ) -> None:
        """Async ``delete``."""
        return await self._session.async_run(
            self._flows.delete(path, recursive=recursive, descendants_only=descendants_only)
        )

    def usage(self) -> DiskUsage:
        """The bytes ``used`` and the ``capacity`` of the account's storage."""
        return self._session.run(self._flows.usage())

    async def async_usage(self) -> DiskUsage:
        """Async ``usage``."""
        return await self._session.async_run(self._flows.usage())

    # ------------------------------------------------ signed and shared access

    def sign(self, target: Target, *, write: bool = False) -> SignedURL:
        """Signed URLs of one entry (puter.js ``sign``): ``url`` reads it with no token,
        and with ``write=True``, where you may write it, ``write_url`` replaces its bytes
        (else ``write_url`` is ``None``: the server signs for reading only, silently).

        Your own entries' signatures never expire; someone else's (a file shared with
        you) last an hour. Nothing to sign (no such entry, or one you may not read) is
        ``FileNotFoundError``. The URLs are secrets: anyone holding them can read.
        """
        return self._session.run(self._sharing.sign(target, write=write))

    async def async_sign(self, target: Target, *, write: bool = False) -> SignedURL:
        """Async ``sign``."""
        return await self._session.async_run(self._sharing.sign(target, write=write))

    def sign_many(
        self, targets: Sequence[Target], *, write: bool = False, app_uid: str | None = None
    ) -> SignedBatch:
        """Sign several entries in one request (puter.js ``sign(appUid, items)``): one
        ``SignedURL`` per target, ``None`` where nothing was signed. With ``app_uid``, that
        app is granted the signed access and ``token`` is its token."""
        return self._session.run(self._sharing.sign_many(targets, write=write, app_uid=app_uid))

    async def async_sign_many(
        self, targets: Sequence[Target], *, write: bool = False, app_uid: str | None = None
    ) -> SignedBatch:
        """Async ``sign_many``."""
        return await self._session.async_run(
            self._sharing.sign_many(targets, write=write, app_uid=app_uid)
        )

    def get_read_url(self, path: Target, *, expires_in: float | str | timedelta = "24h") -> str:
        """A URL reading the file with no other credential, for ``expires_in`` (seconds, a
        ``timedelta`` or a duration such as ``"24h"``, ``"30d"``; puter.js ``getReadURL``).

        It holds an access token that may only read this file (``/token-read``); revoke
        it early with ``revoke_read_url``. A folder is ``IsADirectoryError``. The server
        mints 20 such tokens an hour per account (the client paces itself to that).
        """
        return self._session.run(self._sharing.get_read_url(path, expires_in=expires_in))

    async def async_get_read_url(
        self, path: Target, *, expires_in: float | str | timedelta = "24h"
    ) -> str:
        """Async ``get_read_url``."""
        return await self._session.async_run(
            self._sharing.get_read_url(path, expires_in=expires_in)
        )

    def revoke_read_url(self, url_or_token: str) -> None:
        """Make a read URL of ``get_read_url`` stop working (puter.js ``revokeReadURL``);
        the URL itself, its token, or the token's uid. The server allows this to a login
        session only (an access token gets ``PuterAuthError``, ``session_required``); a
        token that is not yours is ``PuterNotFoundError``."""
        return self._session.run(self._sharing.revoke_read_url(url_or_token))

    async def async_revoke_read_url(self, url_or_token: str) -> None:
        """Async ``revoke_read_url``."""
        return await self._session.async_run(self._sharing.revoke_read_url(url_or_token))

    def share(
        self,
        path: Target | Sequence[Target],
        recipients: Recipients,
        *,
        mode: ShareMode = "read",
    ) -> list[Share]:
        """Give other accounts ``mode`` access to the entry (or each of several), by
        username or e-mail (puter.js ``share``); the shares made.

        ``mode``: ``see``, ``list``, ``read`` (default), ``write`` or ``manage`` (they may
        share it on). An e-mail with no confirmed account gets a pending invitation
        (``Share.pending``). Each (recipient, entry) pair succeeds or fails alone: for a
        single pair its error is raised (``PuterNotFoundError`` ``user_does_not_exist``,
        ``PuterBadRequestError`` ``cannot_share_with_self``...); for several,
        ``PuterShareError`` names the failed ones, the others stand.
        """
        return self._session.run(self._sharing.share(path, recipients, mode=mode))

    async def async_share(
        self,
        path: Target | Sequence[Target],
        recipients: Recipients,
        *,
        mode: ShareMode = "read",
    ) -> list[Share]:
        """Async ``share``."""
        return await self._session.async_run(self._sharing.share(path, recipients, mode=mode))

    def unshare(self, path: Target | Sequence[Target], recipients: Recipients) -> int:
        """Withdraw the recipients' access to the entry (puter.js ``unshare``); how many
        grants were withdrawn (0 when there was nothing to withdraw). The owner withdraws
        anyone's, others the shares they granted; yourself as recipient leaves a share.
        Errors as ``share``."""
        return self._session.run(self._sharing.unshare(path, recipients))

    async def async_unshare(self, path: Target | Sequence[Target], recipients: Recipients) -> int:
        """Async ``unshare``."""
        return await self._session.async_run(self._sharing.unshare(path, recipients))

    def get_shares(self, path: Target) -> list[Share]:
        """Who can reach an entry you own or manage (puter.js ``getShares``): shares of the
        folders above it (``inherited_from``) first, then its own, then invitations."""
        return self._session.run(self._sharing.get_shares(path))

    async def async_get_shares(self, path: Target) -> list[Share]:
        """Async ``get_shares``."""
        return await self._session.async_run(self._sharing.get_shares(path))

    def list_shared(self, *, limit: int | None = None) -> list[Share]:
        """What other accounts have shared with you (puter.js ``listShared``), every page
        fetched; at most ``limit``. Each ``Share.path`` is a path you can read from."""
        return self._session.run(self._sharing.list_shared(limit=limit))

    async def async_list_shared(self, *, limit: int | None = None) -> list[Share]:
        """Async ``list_shared``."""
        return await self._session.async_run(self._sharing.list_shared(limit=limit))

    def list_shared_page(
        self, *, cursor: str | None = None, limit: int | None = None, include_total: bool = False
    ) -> Page[Share]:
        """One page of ``list_shared``: ``limit`` shares at most (50 by default, 200 at
        most), from ``cursor``; ``include_total`` counts them all. A page may hold fewer
        than ``limit`` while ``cursor`` says more follow."""
        return self._session.run(
            self._sharing.shared_page(cursor=cursor, limit=limit, include_total=include_total)
        )

    async def async_list_shared_page(
        self, *, cursor: str | None = None, limit: int | None = None, include_total: bool = False
    ) -> Page[Share]:
        """Async ``list_shared_page``."""
        return await self._session.async_run(
            self._sharing.shared_page(cursor=cursor, limit=limit, include_total=include_total)
        )

    def list_shared_pages(
        self, *, cursor: str | None = None, limit: int | None = None, include_total: bool = False
    ) -> Iterator[Page[Share]]:
        """The pages of ``list_shared``, lazily (options as ``list_shared_page``)."""
        pages = self._sharing.shared_pages(limit=limit, include_total=include_total)
        return iterate_pages(self._session.run, pages, check_cursor(cursor))

    def async_list_shared_pages(
        self, *, cursor: str | None = None, limit: int | None = None, include_total: bool = False
    ) -> AsyncIterator[Page[Share]]:
        """Async ``list_shared_pages`` (``async for page in ...``)."""
        pages = self._sharing.shared_pages(limit=limit, include_total=include_total)
        return async_iterate_pages(self._session.async_run, pages, check_cursor(cursor))

    def readdir_subdomains(self) -> list[HostedSubdomain]:
        """Your subdomains (sites, and workers' ``workers.puter.<name>``) and the folder
        each serves (puter.js ``readdirSubdomains``): one ``/readdir-subdomains``, then one
        ``stat`` per folder. An entry's own sites are ``extra["subdomains"]``."""
        return self._session.run(self._sharing.readdir_subdomains())

    async def async_readdir_subdomains(self) -> list[HostedSubdomain]:
        """Async ``readdir_subdomains``."""
        return await self._session.async_run(self._sharing.readdir_subdomains())


async def _names(entries: AsyncIterator[FSEntry]) -> AsyncIterator[str]:
    async for entry in entries:
        yield entry.name
