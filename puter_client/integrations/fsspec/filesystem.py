"""``PuterFileSystem``: Puter's cloud file system as an fsspec file system (``puter://``).

Built on the public client: one ``PuterAI`` per file system instance, and every operation
is a call of ``client.fs`` (``read`` with ``offset``/``length`` for ranged reads,
``write``, ``download``, ``stat``, ``listdir``, ``mkdir``, ``delete``, ``copy``, ``move``).

Paths: ``puter://~/data.csv`` is in the home folder, ``puter:///alice/data.csv`` and
``puter://alice/data.csv`` are the absolute ``/alice/data.csv`` (a path without ``/`` or
``~`` is taken from the root, as the server takes it). Names in listings are absolute.
The home folder is asked of the server (one ``stat``) the first time a ``~`` path is used
(``~`` travels as ``/~`` until then: see ``_strip_protocol``).
"""

from __future__ import annotations

import errno
import hashlib
import os
import posixpath
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, BinaryIO

from fsspec.callbacks import DEFAULT_CALLBACK, Callback
from fsspec.implementations.local import make_path_posix
from fsspec.spec import AbstractFileSystem
from fsspec.utils import isfilelike, stringify_path

from puter_client.ai import PuterAI
from puter_client.core.exceptions import (
    PuterBadRequestError,
    PuterConflictError,
    PuterPermissionError,
)
from puter_client.integrations.fsspec.file import PuterFile

if TYPE_CHECKING:
    from puter.types import FSEntry

__all__ = ["PuterFileSystem"]

_MAGIC = frozenset("*?[")
_HOME = "/~"  # ``~``, as a path that no tool expands on the local disk
_READ_CHUNK = 1 << 20


class PuterFileSystem(AbstractFileSystem):  # type: ignore[misc]  # fsspec is untyped
    """Puter's cloud file system for fsspec, pandas, pyarrow and Dask (``puter://``).

    ``PuterFileSystem(username=, password=, token=, api_base=, login_url=)`` takes
    ``PuterAI``'s keywords (also ``token_cache``, ``rate_limits``, ``timeout``,
    ``max_retries``, ``retry_delay``); left out, credentials come from the environment
    (``PUTER_USERNAME``/``PUTER_PASSWORD``, ``PUTER_API_BASE``...) and the token cache as
    for ``PuterAI()``. Other keywords are fsspec's own (``skip_instance_cache``...).

    As ``storage_options``: ``pandas.read_csv("puter://~/a.csv", storage_options={...})``.
    The instance pickles by its options (Dask sends it to workers so); once logged in, the
    session token goes along, so that workers do not log in again.
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
        **storage_options: Any,
    ) -> None:
        super().__init__(**storage_options)
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
        self._home: str | None = None
        # fsspec strips URLs with the class's ``_strip_protocol`` too; only an instance
        # knows the home folder, so its own puts it in place of ``/~`` (every fsspec
        # method of the instance strips its paths through it).
        self._strip_protocol = self._strip_to_absolute  # type: ignore[method-assign]

    def __reduce__(self) -> tuple[Any, ...]:
        reduced: tuple[Any, ...] = super().__reduce__()
        options = dict(self.storage_options)
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
        if text == _HOME or text.startswith(_HOME + "/"):
            text = self.home + text[len(_HOME) :]
        return text

    @property
    def home(self) -> str:
        """The absolute path of the account's home folder (asked once)."""
        if self._home is None:
            with _translated("~"):
                self._home = self.client.fs.stat("~").path
        return self._home

    # ------------------------------------------------------------------------ reading

    def ls(self, path: str, detail: bool = True, **kwargs: Any) -> list[Any]:
        """The entries of a folder (a file: itself), as fsspec info dicts or names."""
        path = self._strip_protocol(path)
        with _translated(path):
            if path == "/":  # the root shows the account its home only
                entries = [self.client.fs.stat(self.home)]
            else:
                try:
                    entries = self.client.fs.listdir(path)
                except NotADirectoryError:
                    entries = [self.client.fs.stat(path)]
        infos = [_info(entry) for entry in entries]
        return infos if detail else [info["name"] for info in infos]

    def info(self, path: str, **kwargs: Any) -> dict[str, Any]:
        """``name``, ``size``, ``type`` (``file``/``directory``), ``created`` and ``mtime``
        (unix seconds), and Puter's ``uid``, ``content_type``, ``accessed``,
        ``immutable`` and ``is_public``."""
        path = self._strip_protocol(path)
        if path == "/":
            return {"name": "/", "size": 0, "type": "directory"}
        with _translated(path):
            return _info(self.client.fs.stat(path))

    def exists(self, path: str, **kwargs: Any) -> bool:
        """Whether an entry is there (other failures are raised, not taken for "no")."""
        path = self._strip_protocol(path)
        if path == "/":
            return True
        with _translated(path):
            return self.client.fs.exists(path)

    def created(self, path: str) -> datetime:
        """When the entry was created (aware UTC)."""
        return _moment(self._entry(path).created, "creation", path)

    def modified(self, path: str) -> datetime:
        """When the entry was last modified (aware UTC)."""
        return _moment(self._entry(path).modified, "modification", path)

    def ukey(self, path: str) -> str:
        """A key that changes when the file does: its uid, size and modification time."""
        info = self.info(path)
        key = f"{info['name']}\0{info.get('uid')}\0{info['size']}\0{info.get('mtime')}"
        return hashlib.sha256(key.encode()).hexdigest()

    def checksum(self, path: str) -> int:
        """``ukey`` as an int (the server gives no content hash)."""
        return int(self.ukey(path), 16)

    def cat_file(
        self, path: str, start: int | None = None, end: int | None = None, **kwargs: Any
    ) -> bytes:
        """The file's bytes ``[start, end)`` (negative: from the end), one request."""
        path = self._strip_protocol(path)
        if (start is not None and start < 0) or (end is not None and end < 0):
            size = self.info(path)["size"]
            start = None if start is None else max(size + start, 0) if start < 0 else start
            end = None if end is None else max(size + end, 0) if end < 0 else end
        offset = start or 0
        length = None if end is None else max(end - offset, 0)
        return self._read_range(path, offset, length)

    def _read_range(self, path: str, offset: int, length: int | None) -> bytes:
        with _translated(path):
            return self.client.fs.read(path, offset=offset, length=length)

    def _read_into(self, path: str, out: IO[bytes]) -> None:
        """Copy the file into ``out`` in ranged reads of ``_READ_CHUNK`` bytes."""
        offset = 0
        while chunk := self._read_range(path, offset, _READ_CHUNK):
            out.write(chunk)
            offset += len(chunk)

    def get_file(
        self,
        rpath: str,
        lpath: Any,
        callback: Callback = DEFAULT_CALLBACK,
        outfile: Any = None,
        **kwargs: Any,
    ) -> None:
        """Download one file, streamed to disk (a folder: made locally)."""
        rpath = self._strip_protocol(rpath)
        if outfile is None and isfilelike(lpath):
            outfile = lpath
        if outfile is not None:
            self._read_into(rpath, outfile)
            return
        local = Path(make_path_posix(lpath))
        local.parent.mkdir(parents=True, exist_ok=True)
        with _translated(rpath):
            try:
                self.client.fs.download(rpath, local, progress=callback.absolute_update)
            except IsADirectoryError:
                local.mkdir(parents=True, exist_ok=True)

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

    def _write_file(self, path: str, data: BinaryIO | bytes | Path, *, exclusive: bool) -> None:
        """Store a whole file (missing folders made); ``exclusive``: never replace."""
        with _translated(path):
            self.client.fs.write(path, data, overwrite=not exclusive, create_parents=True)
        self.invalidate_cache(path)

    def pipe_file(self, path: str, value: bytes, mode: str = "overwrite", **kwargs: Any) -> None:
        """Set the file's bytes; ``mode="create"`` refuses an existing file
        (``FileExistsError``, decided by the server)."""
        self._write_file(self._strip_protocol(path), bytes(value), exclusive=mode == "create")

    def put_file(
        self,
        lpath: Any,
        rpath: str,
        callback: Callback = DEFAULT_CALLBACK,
        mode: str = "overwrite",
        **kwargs: Any,
    ) -> None:
        """Upload one local file, streamed from disk (a folder: made remotely)."""
        rpath = self._strip_protocol(rpath)
        local = Path(make_path_posix(lpath))
        if local.is_dir():
            self.makedirs(rpath, exist_ok=True)
            return
        size = local.stat().st_size
        callback.set_size(size)
        self._write_file(rpath, local, exclusive=mode == "create")
        callback.absolute_update(size)

    def mkdir(self, path: str, create_parents: bool = True, **kwargs: Any) -> None:
        """Make a folder (``FileExistsError`` when something is there)."""
        path = self._strip_protocol(path)
        with _translated(path):
            self.client.fs.mkdir(path, parents=create_parents, exist_ok=False)
        self.invalidate_cache(path)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        """Make a folder and its missing parents."""
        path = self._strip_protocol(path)
        if path == "/":
            if exist_ok:
                return
            raise FileExistsError(errno.EEXIST, "File exists", path)
        try:
            with _translated(path):
                self.client.fs.mkdir(path, parents=True, exist_ok=exist_ok)
        except (FileNotFoundError, PermissionError):
            # a folder nobody may create in, such as a home folder in the root
            if not (exist_ok and self.isdir(path)):
                raise
        self.invalidate_cache(path)

    def rm_file(self, path: str) -> None:
        """Delete one file (or empty folder)."""
        path = self._strip_protocol(path)
        with _translated(path):
            self.client.fs.delete(path)
        self.invalidate_cache(path)

    def rmdir(self, path: str) -> None:
        """Delete an empty folder (``NotADirectoryError`` for a file)."""
        path = self._strip_protocol(path)
        if self.info(path)["type"] != "directory":
            raise NotADirectoryError(errno.ENOTDIR, "Not a directory", path)
        self.rm_file(path)

    def rm(self, path: Any, recursive: bool = False, maxdepth: int | None = None) -> None:
        """Delete files and folders (a folder's contents only with ``recursive``).

        A plain path is one request (the server deletes a whole tree); globs, lists and
        ``maxdepth`` are expanded first and deleted deepest first.
        """
        paths = path if isinstance(path, list) else [path]
        if maxdepth is None and not any(_MAGIC & set(p) for p in paths):
            for one in paths:
                target = self._strip_protocol(one)
                with _translated(target):
                    self.client.fs.delete(target, recursive=recursive)
                self.invalidate_cache(target)
            return
        for one in sorted(self.expand_path(path, recursive=recursive, maxdepth=maxdepth))[::-1]:
            self.rm_file(one)

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        """Copy one file on the server (a folder: made at ``path2``); replaces a file at
        ``path2``; missing folders are made."""
        source, target = self._strip_protocol(path1), self._strip_protocol(path2)
        if self.info(source)["type"] == "directory":
            self.makedirs(target, exist_ok=True)
            return
        self._server_side(self.client.fs.copy, source, target)

    def mv(
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
            source, target = self._strip_protocol(path1), self._strip_protocol(path2)
            if source == target:
                return
            if recursive or self.info(source)["type"] == "file":
                if path2.endswith("/"):
                    self.makedirs(target, exist_ok=True)
                self._server_side(self.client.fs.move, source, target)
                return
        super().mv(path1, path2, recursive=recursive, maxdepth=maxdepth, **kwargs)

    def _server_side(self, operation: Any, source: str, target: str) -> None:
        """A copy or move; when the target's folder is missing, made and tried again."""
        with _translated(source):
            try:
                operation(source, target, overwrite=True)
            except FileNotFoundError:
                if not self.exists(source):
                    raise
                self.client.fs.mkdir(posixpath.dirname(target), parents=True, exist_ok=True)
                operation(source, target, overwrite=True)
        self.invalidate_cache(source)
        self.invalidate_cache(target)

    # ------------------------------------------------------------------------ helpers

    def _entry(self, path: str) -> FSEntry:
        path = self._strip_protocol(path)
        with _translated(path):
            return self.client.fs.stat(path)


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


def _moment(moment: datetime | None, what: str, path: str) -> datetime:
    if moment is None:
        raise NotImplementedError(f"the server gave no {what} time for {path}")
    return moment


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
