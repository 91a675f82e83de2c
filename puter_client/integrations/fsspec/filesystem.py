"""``PuterFileSystem``: Puter's cloud file system as an fsspec file system (``puter://``).

An ``fsspec.asyn.AsyncFileSystem``, as s3fs, gcsfs and fsspec's HTTP file system are:
every operation is a coroutine (``_cat_file``, ``_ls``, ``_info``, ``_pipe_file``,
``_put_file``, ``_get_file``, ``_rm_file``, ``_cp_file``, ``_mkdir``...) over the async
methods of one ``PuterAI`` per file system instance (``client.fs.async_read`` with
``offset``/``length`` for ranged reads, ``async_write``, ``async_download``,
``async_stat``, ``async_listdir``, ``async_mkdir``, ``async_delete``, ``async_copy``,
``async_move``). fsspec runs bulk operations (``cat`` of many paths, ``cat_ranges``,
``get``/``put``/``copy``/``rm`` of many files, ``pipe`` of a dict) as concurrent
coroutines, and ``find`` here lists the folders of each level of a tree concurrently.

Blocking use (``fs.cat_file(...)``, pandas, Dask) goes through the sync methods fsspec
makes of the coroutines, which run them on fsspec's IO event loop (a daemon thread
shared by every async file system of the process); only the blocks of a file opened
with ``fs.open`` are read by the calling thread itself (see `file`). ``asynchronous=True``
(inside a running loop) gives an instance whose ``_``-methods the caller awaits on its
own loop, and ``open_async`` for file objects.

Paths: ``puter://~/data.csv`` is in the home folder, ``puter:///alice/data.csv`` and
``puter://alice/data.csv`` are the absolute ``/alice/data.csv`` (a path without ``/`` or
``~`` is taken from the root, as the server takes it). Names in listings are absolute.
The home folder is asked of the server (one ``stat``) the first time a ``~`` path is used
(``~`` travels as ``/~`` until then: see ``_strip_protocol``).
"""

from __future__ import annotations

import asyncio
import errno
import hashlib
import os
import posixpath
import weakref
from collections.abc import Awaitable, Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from fsspec.asyn import AsyncFileSystem, _run_coros_in_chunks, running_async, sync, sync_wrapper
from fsspec.callbacks import DEFAULT_CALLBACK, Callback
from fsspec.implementations.local import make_path_posix
from fsspec.utils import isfilelike, stringify_path

from puter_client.ai import PuterAI
from puter_client.core.exceptions import (
    PuterBadRequestError,
    PuterConflictError,
    PuterPermissionError,
)
from puter_client.integrations.fsspec.file import PuterAsyncFile, PuterFile

if TYPE_CHECKING:
    from puter.types import FSEntry

__all__ = ["PuterFileSystem"]

_MAGIC = frozenset("*?[")
_HOME = "/~"  # ``~``, as a path that no tool expands on the local disk
_READ_CHUNK = 1 << 20


class PuterFileSystem(AsyncFileSystem):  # type: ignore[misc]  # fsspec is untyped
    """Puter's cloud file system for fsspec, pandas, pyarrow and Dask (``puter://``).

    ``PuterFileSystem(username=, password=, token=, api_base=, login_url=)`` takes
    ``PuterAI``'s keywords (also ``token_cache``, ``rate_limits``, ``timeout``,
    ``max_retries``, ``retry_delay``); left out, credentials come from the environment
    (``PUTER_USERNAME``/``PUTER_PASSWORD``, ``PUTER_API_BASE``...) and the token cache as
    for ``PuterAI()``. fsspec's async keywords: ``asynchronous=True`` for use with
    ``await`` on the running loop, ``loop=`` another loop for the blocking methods,
    ``batch_size=`` how many operations of a bulk call run at once. Other keywords are
    fsspec's own (``skip_instance_cache``...).

    As ``storage_options``: ``pandas.read_csv("puter://~/a.csv", storage_options={...})``.
    The instance pickles by its options (Dask sends it to workers so); once logged in, the
    session token goes along, so that workers do not log in again.

    Each operation is a coroutine (``_ls``, ``_info``, ``_cat_file``...: await them on an
    ``asynchronous=True`` instance); the blocking methods of the same name without the
    ``_`` (``ls``, ``info``, ``cat_file``..., and fsspec's ``cat``, ``get``, ``put``,
    ``glob``, ``walk``...) are fsspec's wrappers of them, which run them on fsspec's IO
    loop. ``open`` gives a `PuterFile`, ``open_async`` a `PuterAsyncFile`.
    """

    protocol = ("puter",)
    root_marker = "/"

    def __init__(
        self,
        *,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        api_base: str | None = None,
        login_url: str | None = None,
        token_cache: bool | str | os.PathLike[str] | None = None,
        rate_limits: Mapping[str, tuple[int, float]] | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        retry_delay: float | None = None,
        asynchronous: bool = False,
        loop: asyncio.AbstractEventLoop | None = None,
        batch_size: int | None = None,
        **storage_options: Any,
    ) -> None:
        super().__init__(
            asynchronous=asynchronous, loop=loop, batch_size=batch_size, **storage_options
        )
        overrides: dict[str, Any] = {
            name: value
            for name, value in (
                ("api_base", api_base),
                ("login_url", login_url),
                ("timeout", timeout),
                ("max_retries", max_retries),
                ("retry_delay", retry_delay),
            )
            if value is not None
        }
        self.client = PuterAI(
            username=username,
            password=password,
            token=token,
            token_cache=token_cache,
            rate_limits=rate_limits,
            **overrides,
        )
        """The one client of this file system."""
        # As s3fs closes its session: once this file system is garbage, its client's
        # connections are closed on the loop they belong to (an unclosed transport left
        # to the collector can race with that loop's own closing of it).
        weakref.finalize(self, _release, self.client, self._loop)
        self._home: str | None = None
        # fsspec strips URLs with the class's ``_strip_protocol`` too; only an instance
        # knows the home folder, so its own puts it in place of ``/~`` (every fsspec
        # method of the instance strips its paths through it).
        self._strip_protocol = self._strip_to_absolute  # type: ignore[method-assign]

    def __reduce__(self) -> tuple[Any, ...]:
        reduced: tuple[Any, ...] = super().__reduce__()
        options = dict(self.storage_options)
        options.pop("loop", None)  # a loop belongs to its process; the copy uses fsspec's
        token = self.client.token
        if token is not None and options.get("token") is None:
            options["token"] = token  # workers reuse the session: no login per process
        return (reduced[0], (type(self), self.storage_args, options))

    # ------------------------------------------------------------------------ paths

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        """The Puter path of a URL or path, absolute; the home folder as ``/~``.

        A class does not know the home folder, and tools such as pandas expand a leading
        ``~`` on the local disk, so ``~/a`` becomes ``/~/a`` (no account is named ``~``);
        an instance's own ``_strip_protocol`` then puts the home folder in its place.
        """
        if isinstance(path, list):
            return [cls._strip_protocol(p) for p in path]
        text: str = stringify_path(path)
        for prefix in ("puter://", "puter::"):
            if text.startswith(prefix):
                text = text[len(prefix) :]
        text = text.rstrip("/")
        if not text:
            return "/"
        return text if text.startswith("/") else f"/{text}"

    @classmethod
    def _parent(cls, path: str) -> str:
        """The folder holding ``path``."""
        return posixpath.dirname(cls._strip_protocol(path)) or "/"

    def _strip_to_absolute(self, path: Any) -> Any:
        """``_strip_protocol`` with the home folder in place of ``/~``."""
        if isinstance(path, list):
            return [self._strip_to_absolute(p) for p in path]
        text: str = type(self)._strip_protocol(path)
        if _is_home(text):
            text = self.home + text[len(_HOME) :]
        return text

    @property
    def home(self) -> str:
        """The absolute path of the account's home folder (asked once).

        Every coroutine of the file system asks for it before it is needed. Asked here
        first (by a blocking call such as ``fs.open("~/a")``), it is one ``stat``, run on
        fsspec's IO loop (also from a thread that runs another loop, such as a notebook's),
        or, for an ``asynchronous=True`` instance, sent by the calling thread; a thread
        whose running loop it would block gets ``RuntimeError`` instead (await
        ``fs._home_folder()`` first).
        """
        if self._home is None:
            loop = self.loop  # None for an asynchronous instance
            if loop is not None and not _runs(loop):
                sync(loop, self._home_folder)
            elif running_async():
                raise RuntimeError(
                    "the home folder is not known yet and asking for it would block this "
                    "thread's event loop: await fs._home_folder() first"
                )
            else:
                with _translated("~"):
                    self._home = self.client.fs.stat("~").path
        assert self._home is not None
        return self._home

    async def _home_folder(self) -> str:
        """The absolute path of the account's home folder (asked once)."""
        if self._home is None:
            with _translated("~"):
                entry = await self.client.fs.async_stat("~")
            self._home = entry.path
        return self._home

    async def _know_home(self, *paths: Any) -> None:
        """Ask for the home folder when one of ``paths`` (paths, lists of them, or dicts
        keyed by them) is under ``~`` and it is not known yet."""
        if self._home is None and any(_is_home(p) for p in _each_path(paths)):
            await self._home_folder()

    async def _path(self, path: Any) -> str:
        """The absolute Puter path of ``path`` (the home folder asked if needed)."""
        await self._know_home(path)
        stripped: str = self._strip_protocol(path)
        return stripped

    # ------------------------------------------------------------------------ reading

    async def _ls(self, path: str, detail: bool = True, **kwargs: Any) -> list[Any]:
        """The entries of a folder (a file: itself), as fsspec info dicts or names."""
        path = await self._path(path)
        with _translated(path):
            if path == "/":  # the root shows the account its home only
                entries = [await self.client.fs.async_stat(await self._home_folder())]
            else:
                try:
                    entries = await self.client.fs.async_listdir(path)
                except NotADirectoryError:
                    entries = [await self.client.fs.async_stat(path)]
        infos = [_info(entry) for entry in entries]
        return infos if detail else [info["name"] for info in infos]

    async def _info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        """``name``, ``size``, ``type`` (``file``/``directory``), ``created`` and ``mtime``
        (unix seconds), and Puter's ``uid``, ``content_type``, ``accessed``,
        ``immutable`` and ``is_public``."""
        path = await self._path(path)
        if path == "/":
            return {"name": "/", "size": 0, "type": "directory"}
        with _translated(path):
            return _info(await self.client.fs.async_stat(path))

    async def _exists(self, path: str, **kwargs: Any) -> bool:
        """Whether an entry is there (other failures are raised, not taken for "no")."""
        path = await self._path(path)
        if path == "/":
            return True
        with _translated(path):
            return await self.client.fs.async_exists(path)

    async def _created(self, path: str) -> datetime:
        """When the entry was created (aware UTC)."""
        return _moment(await self._info(path), "created", "creation", path)

    async def _modified(self, path: str) -> datetime:
        """When the entry was last modified (aware UTC)."""
        return _moment(await self._info(path), "mtime", "modification", path)

    async def _ukey(self, path: str) -> str:
        """A key that changes when the file does: its uid, size and modification time."""
        info = await self._info(path)
        key = f"{info['name']}\0{info.get('uid')}\0{info['size']}\0{info.get('mtime')}"
        return hashlib.sha256(key.encode()).hexdigest()

    async def _checksum(self, path: str) -> int:
        """``ukey`` as an int (the server gives no content hash)."""
        return int(await self._ukey(path), 16)

    created = sync_wrapper(_created)
    modified = sync_wrapper(_modified)
    ukey = sync_wrapper(_ukey)
    checksum = sync_wrapper(_checksum)

    async def _cat_file(
        self, path: str, start: int | None = None, end: int | None = None, **kwargs: Any
    ) -> bytes:
        """The file's bytes ``[start, end)`` (negative: from the end), one request."""
        path = await self._path(path)
        if (start is not None and start < 0) or (end is not None and end < 0):
            size = (await self._info(path))["size"]
            start = None if start is None else max(size + start, 0) if start < 0 else start
            end = None if end is None else max(size + end, 0) if end < 0 else end
        offset = start or 0
        length = None if end is None else max(end - offset, 0)
        return await self._read_range(path, offset, length)

    async def _read_range(self, path: str, offset: int, length: int | None) -> bytes:
        """Bytes of the file at the absolute ``path``: one ``Range`` request."""
        with _translated(path):
            return await self.client.fs.async_read(path, offset=offset, length=length)

    def _read_range_blocking(self, path: str, offset: int, length: int | None) -> bytes:
        """``_read_range`` in the calling thread, with the client's blocking transport (the
        blocks of ``PuterFile``: no hop to the event loop's thread and back)."""
        with _translated(path):
            return self.client.fs.read(path, offset=offset, length=length)

    async def _read_into(self, path: str, out: IO[bytes]) -> None:
        """Copy the file into ``out`` in ranged reads of ``_READ_CHUNK`` bytes."""
        offset = 0
        while chunk := await self._read_range(path, offset, _READ_CHUNK):
            out.write(chunk)
            offset += len(chunk)

    async def _get_file(
        self,
        rpath: str,
        lpath: Any,
        callback: Callback = DEFAULT_CALLBACK,
        outfile: Any = None,
        **kwargs: Any,
    ) -> None:
        """Download one file, streamed to disk (a folder: made locally)."""
        rpath = await self._path(rpath)
        if outfile is None and isfilelike(lpath):
            outfile = lpath
        if outfile is not None:
            await self._read_into(rpath, outfile)
            return
        local = Path(make_path_posix(lpath))
        local.parent.mkdir(parents=True, exist_ok=True)
        with _translated(rpath):
            try:
                await self.client.fs.async_download(rpath, local, progress=callback.absolute_update)
            except IsADirectoryError:
                local.mkdir(parents=True, exist_ok=True)

    async def _find(
        self, path: str, maxdepth: int | None = None, withdirs: bool = False, **kwargs: Any
    ) -> Any:
        """Everything below ``path`` (fsspec's ``find``), listing the folders of each
        level of the tree concurrently; folders that cannot be listed are left out."""
        if maxdepth is not None and maxdepth < 1:
            raise ValueError("maxdepth must be at least 1")
        path = await self._path(path)
        detail = kwargs.pop("detail", False)
        found: dict[str, dict[str, Any]] = {}
        if withdirs:
            try:
                top = await self._info(path)
            except OSError:  # missing, or not to be seen: as fsspec's isdir, not a folder
                top = {"type": None}
            if top["type"] == "directory":
                found[path] = top
        level, depth = [path], 1
        while level:
            listings = await _run_coros_in_chunks(
                [self._listing(folder) for folder in level],
                batch_size=self.batch_size,
                nofiles=True,
            )
            below: list[str] = []
            for folder, listing in zip(level, listings, strict=True):
                for info in listing:
                    name = info["name"].rstrip("/")
                    if info["type"] == "directory" and name != folder:
                        below.append(name)
                        if withdirs:
                            found[name] = info
                    else:
                        found[name] = info
            if maxdepth is not None and depth >= maxdepth:
                break
            level, depth = below, depth + 1
        names = sorted(found)
        return {name: found[name] for name in names} if detail else names

    async def _listing(self, folder: str) -> list[dict[str, Any]]:
        """A folder's entries, or none when it cannot be listed (as fsspec's ``walk``)."""
        try:
            listing: list[dict[str, Any]] = await self._ls(folder, detail=True)
        except OSError:
            return []
        return listing

    async def _du(
        self, path: str, total: bool = True, maxdepth: int | None = None, **kwargs: Any
    ) -> Any:
        """The bytes below ``path`` (sizes from the listings: no ``stat`` per file)."""
        found = await self._find(path, maxdepth=maxdepth, detail=True, **kwargs)
        sizes = {name: info.get("size", 0) for name, info in found.items()}
        return sum(sizes.values()) if total else sizes

    # The paths fsspec's own coroutines strip before anything here sees them.

    async def _walk(self, path: str, *args: Any, **kwargs: Any) -> Any:
        await self._know_home(path)
        async for item in super()._walk(path, *args, **kwargs):
            yield item

    async def _glob(self, path: str, **kwargs: Any) -> Any:
        await self._know_home(path)
        return await super()._glob(path, **kwargs)

    async def _expand_path(self, path: Any, *args: Any, **kwargs: Any) -> Any:
        await self._know_home(path)
        return await super()._expand_path(path, *args, **kwargs)

    async def _get(self, rpath: Any, lpath: Any, *args: Any, **kwargs: Any) -> Any:
        await self._know_home(rpath)
        return await super()._get(rpath, lpath, *args, **kwargs)

    async def _put(self, lpath: Any, rpath: Any, *args: Any, **kwargs: Any) -> Any:
        await self._know_home(rpath)
        return await super()._put(lpath, rpath, *args, **kwargs)

    async def _copy(self, path1: Any, path2: Any, *args: Any, **kwargs: Any) -> Any:
        await self._know_home(path1, path2)
        return await super()._copy(path1, path2, *args, **kwargs)

    # ------------------------------------------------------------------------ writing

    def _open(
        self,
        path: str,
        mode: str = "rb",
        block_size: int | None = None,
        autocommit: bool = True,
        cache_options: dict[str, Any] | None = None,
        **kwargs: Any,
    ) -> PuterFile:
        path = self._strip_protocol(path)
        if "x" in mode and self.exists(path):
            raise FileExistsError(errno.EEXIST, "File exists", path)
        info: dict[str, Any] | None = None
        if "r" in mode and kwargs.get("size") is None:
            info = self.info(path)
            if info["type"] == "directory":
                raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
            kwargs["size"] = info["size"]
        file = PuterFile(
            self,
            path,
            mode,
            block_size=block_size,
            autocommit=autocommit,
            cache_options=cache_options,
            **kwargs,
        )
        if info is not None:
            file.details = info  # f.info() needs no second stat
        return file

    async def open_async(self, path: str, mode: str = "rb", **kwargs: Any) -> PuterAsyncFile:
        """A file object whose ``read``/``write``/``close`` are awaited: ``"rb"`` reads
        each ``read(n)`` as one ranged request, ``"wb"``/``"xb"``/``"ab"`` send the file
        at ``close`` (``async with await fs.open_async(p, "wb") as f: await f.write(b)``)."""
        if "b" not in mode or kwargs.get("compression"):
            raise ValueError("open_async opens binary files, uncompressed (mode 'rb', 'wb'...)")
        path = await self._path(path)
        if mode == "xb" and await self._exists(path):
            raise FileExistsError(errno.EEXIST, "File exists", path)
        if mode == "rb" and kwargs.get("size") is None:
            info = await self._info(path)
            if info["type"] == "directory":
                raise IsADirectoryError(errno.EISDIR, "Is a directory", path)
            kwargs["size"] = info["size"]
        return PuterAsyncFile(self, path, mode, **kwargs)

    async def _write_file(
        self, path: str, data: BinaryIO | bytes | Path, *, exclusive: bool
    ) -> None:
        """Store a whole file at the absolute ``path`` (missing folders made);
        ``exclusive``: never replace."""
        with _translated(path):
            await self.client.fs.async_write(
                path, data, overwrite=not exclusive, create_parents=True
            )
        self.invalidate_cache(path)

    async def _pipe_file(
        self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any
    ) -> None:
        """Set the file's bytes; ``mode="create"`` refuses an existing file
        (``FileExistsError``, decided by the server)."""
        await self._write_file(await self._path(path), bytes(value), exclusive=mode == "create")

    async def _put_file(
        self,
        lpath: Any,
        rpath: str,
        callback: Callback = DEFAULT_CALLBACK,
        mode: str = "overwrite",
        **kwargs: Any,
    ) -> None:
        """Upload one local file, streamed from disk (a folder: made remotely)."""
        rpath = await self._path(rpath)
        local = Path(make_path_posix(lpath))
        if local.is_dir():
            await self._makedirs(rpath, exist_ok=True)
            return
        size = local.stat().st_size
        callback.set_size(size)
        await self._write_file(rpath, local, exclusive=mode == "create")
        callback.absolute_update(size)

    async def _mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        """Make a folder (``FileExistsError`` when something is there)."""
        path = await self._path(path)
        with _translated(path):
            await self.client.fs.async_mkdir(path, parents=create_parents, exist_ok=False)
        self.invalidate_cache(path)

    async def _makedirs(self, path: str, exist_ok: bool = False) -> None:
        """Make a folder and its missing parents."""
        path = await self._path(path)
        if path == "/":
            if exist_ok:
                return
            raise FileExistsError(errno.EEXIST, "File exists", path)
        try:
            with _translated(path):
                await self.client.fs.async_mkdir(path, parents=True, exist_ok=exist_ok)
        except (FileNotFoundError, PermissionError):
            # a folder nobody may create in, such as a home folder in the root
            if not (exist_ok and await self._isdir(path)):
                raise
        self.invalidate_cache(path)

    async def _rm_file(self, path: str, **kwargs: Any) -> None:
        """Delete one file (or empty folder)."""
        await self._delete(await self._path(path), recursive=False)

    async def _delete(self, path: str, *, recursive: bool) -> None:
        with _translated(path):
            await self.client.fs.async_delete(path, recursive=recursive)
        self.invalidate_cache(path)

    async def _rmdir(self, path: str) -> None:
        """Delete an empty folder (``NotADirectoryError`` for a file)."""
        path = await self._path(path)
        if (await self._info(path))["type"] != "directory":
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
        await self._delete(path, recursive=False)

    rmdir = sync_wrapper(_rmdir)

    async def _rm(
        self,
        path: Any,
        recursive: bool = False,
        batch_size: int | None = None,
        maxdepth: int | None = None,
        **kwargs: Any,
    ) -> None:
        """Delete files and folders (a folder's contents only with ``recursive``).

        Plain paths are one request each, concurrently (the server deletes a whole
        tree); globs, lists and ``maxdepth`` are expanded first and deleted level by
        level, deepest first, each level concurrently.
        """
        paths = path if isinstance(path, list) else [path]
        batch_size = batch_size or self.batch_size
        if maxdepth is None and not any(_MAGIC & set(stringify_path(p)) for p in paths):
            targets = [await self._path(p) for p in paths]
            await _run_coros_in_chunks(
                [self._delete(t, recursive=recursive) for t in targets],
                batch_size=batch_size,
                nofiles=True,
            )
            return
        expanded = await self._expand_path(path, recursive=recursive, maxdepth=maxdepth)
        for level in _deepest_first(expanded):
            await _run_coros_in_chunks(
                [self._delete(p, recursive=False) for p in level],
                batch_size=batch_size,
                nofiles=True,
            )

    async def _cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        """Copy one file on the server (a folder: made at ``path2``); replaces a file at
        ``path2``; missing folders are made."""
        source, target = await self._path(path1), await self._path(path2)
        if (await self._info(source))["type"] == "directory":
            await self._makedirs(target, exist_ok=True)
            return
        await self._server_side(self.client.fs.async_copy, source, target)

    async def _mv(
        self,
        path1: Any,
        path2: Any,
        recursive: bool = False,
        maxdepth: int | None = None,
        **kwargs: Any,
    ) -> None:
        """Move files and folders; a single file, or a folder with ``recursive``, is one
        move on the server (into ``path2`` when it is a folder, else to ``path2``)."""
        simple = (
            isinstance(path1, str)
            and isinstance(path2, str)
            and maxdepth is None
            and not _MAGIC & set(path1)
            and not path1.endswith("/")
        )
        if simple:
            source, target = await self._path(path1), await self._path(path2)
            if source == target:
                return
            if recursive or (await self._info(source))["type"] == "file":
                if path2.endswith("/"):
                    await self._makedirs(target, exist_ok=True)
                await self._server_side(self.client.fs.async_move, source, target)
                return
        if path1 == path2:
            return
        # fsspec's mv: a copy, then the source deleted
        await self._copy(path1, path2, recursive=recursive, maxdepth=maxdepth)
        await self._rm(path1, recursive=recursive)

    mv = sync_wrapper(_mv)

    async def _server_side(
        self, operation: Callable[..., Awaitable[object]], source: str, target: str
    ) -> None:
        """A copy or move; when the target's folder is missing, made and tried again."""
        with _translated(source):
            try:
                await operation(source, target, overwrite=True)
            except FileNotFoundError:
                if not await self.client.fs.async_exists(source):
                    raise
                await self.client.fs.async_mkdir(
                    posixpath.dirname(target), parents=True, exist_ok=True
                )
                await operation(source, target, overwrite=True)
        self.invalidate_cache(source)
        self.invalidate_cache(target)


def _release(client: PuterAI, loop: asyncio.AbstractEventLoop | None) -> None:
    """Close ``client``'s connections: the blocking ones here, the async ones on ``loop``
    (fsspec's I/O loop) if it still runs, without waiting (this runs in a finalizer,
    possibly on that very loop)."""
    client.close()
    if loop is not None and loop.is_running():
        asyncio.run_coroutine_threadsafe(client.aclose(), loop)


def _info(entry: FSEntry) -> dict[str, Any]:
    """The fsspec info dict of an entry."""
    info: dict[str, Any] = {
        "name": entry.path,
        "size": 0 if entry.is_dir else entry.size or 0,
        "type": "directory" if entry.is_dir else "file",
        "uid": entry.uid,
        "content_type": entry.content_type,
        "immutable": entry.immutable,
        "is_public": entry.is_public,
    }
    for key, moment in (
        ("created", entry.created),
        ("mtime", entry.modified),
        ("accessed", entry.accessed),
    ):
        if moment is not None:
            info[key] = moment.timestamp()
    return info


def _moment(info: Mapping[str, Any], key: str, what: str, path: str) -> datetime:
    """The time ``key`` of an info dict as an aware UTC datetime."""
    seconds = info.get(key)
    if seconds is None:
        raise NotImplementedError(f"the server gave no {what} time for {path}")
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def _runs(loop: asyncio.AbstractEventLoop) -> bool:
    """Whether the calling thread is running ``loop``."""
    try:
        return asyncio.get_running_loop() is loop
    except RuntimeError:
        return False


def _is_home(path: Any) -> bool:
    """Whether ``path`` is the home folder or below it, written with ``~``."""
    if not isinstance(path, (str, os.PathLike)):
        return False
    text: str = PuterFileSystem._strip_protocol(path)
    return text == _HOME or text.startswith(_HOME + "/")


def _each_path(given: Iterable[Any]) -> Iterator[Any]:
    """Every path in ``given``: paths, lists of paths, dicts keyed by paths."""
    for item in given:
        if isinstance(item, (Mapping, list, tuple)):
            yield from item
        else:
            yield item


def _deepest_first(paths: Iterable[str]) -> list[list[str]]:
    """``paths`` grouped by depth, the deepest group first (a folder's contents are
    deleted before it)."""
    levels: dict[int, list[str]] = {}
    for path in paths:
        levels.setdefault(path.rstrip("/").count("/"), []).append(path)
    return [levels[depth] for depth in sorted(levels, reverse=True)]


@contextmanager
def _translated(path: str) -> Iterator[None]:
    """The client's failures as the builtin exceptions fsspec users expect.

    Missing and existing entries, and files or folders in the wrong place, already are
    (``FileNotFoundError``...); a refusal, and writing to the root, become
    ``PermissionError``, and a folder that is not empty ``OSError(ENOTEMPTY)``, each
    chained to the client's error.
    """
    try:
        yield
    except PuterPermissionError as exc:
        raise PermissionError(errno.EACCES, exc.message, path) from exc
    except PuterBadRequestError as exc:
        if exc.code != "cannot_write_to_root":
            raise
        raise PermissionError(errno.EACCES, exc.message, path) from exc
    except PuterConflictError as exc:
        if isinstance(exc, FileExistsError) or "not empty" not in exc.message.lower():
            raise
        raise OSError(errno.ENOTEMPTY, exc.message, path) from exc
