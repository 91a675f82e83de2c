"""Many files at once: ``fs.upload`` (local files and folders into a remote folder) and
``fs.download_dir`` (a remote folder into a local one).

A transfer is planned first (pure, and local checks only: nothing is sent for bad
input), then run in *stages*, each a list of independent jobs (flows) run with a bounded
number in flight: the remote folder is checked (or made), then the folders of the tree
level by level, then the files. Only the two small runners at the end differ between
the blocking and the async form.

Uploads go as multipart ``/fs/batchWrite`` requests of up to ``BATCH_FILES`` files or
``BATCH_BYTES`` bytes (a larger file goes alone), read from disk in chunks. The server
takes a batch all or nothing, so when one is refused (a file that exists without
``overwrite``, the quota...) its files are sent again one by one: the others land, the
refused ones are reported. Downloads stream each file into a hidden temporary file
renamed only once whole. A transfer with failures raises ``PuterTransferError``, whose
``report`` says what was done and what failed; nothing half-written is left either way.
"""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar, Union

import attrs

from puter_client._generated import endpoints, models
from puter_client.core.exceptions import (
    PuterAPIError,
    PuterError,
    PuterInputError,
    PuterInputTypeError,
    PuterResponseError,
)
from puter_client.core.flow import Flow
from puter_client.core.http.jsonbody import encode_json
from puter_client.core.http.multipart import FilePart, MultipartBody
from puter_client.core.http.operation import RetryClass
from puter_client.core.http.responses import FileSink
from puter_client.core.serialization import unstructure
from puter_client.core.session import Session
from puter_client.services.fs.entry import FSEntry
from puter_client.services.fs.path import Target, Uid, remote_target

__all__ = [
    "BATCH_BYTES",
    "BATCH_FILES",
    "IN_FLIGHT",
    "FailedTransfer",
    "LocalPaths",
    "PuterTransferError",
    "TransferProgress",
    "TransferReport",
    "TransferredFile",
    "is_junk",
]

T = TypeVar("T")

BATCH_FILES = 100
"""Files per ``/fs/batchWrite`` request at most."""
BATCH_BYTES = 8 << 20
"""Bytes per ``/fs/batchWrite`` request at most (a larger file goes alone)."""
IN_FLIGHT = 4
"""Requests of one transfer in flight at once, by default."""

LocalPaths = Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]]
"""What ``fs.upload`` takes: one local file or folder, or several."""

_JUNK = frozenset({".ds_store"})  # what puter.js and the server skip (any case)


def is_junk(name: str) -> bool:
    """Whether an upload skips this file name, as puter.js does (``.DS_Store``)."""
    return name.strip().lower() in _JUNK


# ------------------------------------------------------------------------ results


@attrs.frozen
class TransferProgress:
    """Where a transfer stands: bytes and files done out of the totals planned."""

    bytes_done: int
    bytes_total: int
    files_done: int
    files_total: int


@attrs.frozen
class TransferredFile:
    """One file moved: its local and remote paths, its size, and (uploads) its entry."""

    local: Path
    remote: str
    size: int
    entry: FSEntry | None = None


@attrs.frozen
class FailedTransfer:
    """One file not moved, and why (the server's error, or a local ``OSError``)."""

    local: Path
    remote: str
    error: BaseException


@attrs.frozen
class TransferReport:
    """What a transfer did: ``files`` moved, ``folders`` made or reused (remote paths for
    uploads, local for downloads), ``failed`` files, ``skipped`` junk (``.DS_Store``)."""

    files: tuple[TransferredFile, ...] = ()
    folders: tuple[str, ...] = ()
    failed: tuple[FailedTransfer, ...] = ()
    skipped: tuple[Path, ...] = ()

    @property
    def ok(self) -> bool:
        """True when no file failed."""
        return not self.failed

    @property
    def bytes(self) -> int:
        """Bytes of the files moved."""
        return sum(f.size for f in self.files)


class PuterTransferError(PuterError):
    """Some files of an upload or download failed; the others were moved.

    ``report`` lists both (``report.failed`` with each file's error). Nothing
    half-written is left: a remote batch lands whole or not at all, a local file appears
    only once complete.
    """

    def __init__(self, report: TransferReport) -> None:
        self.report = report
        first = report.failed[0]
        super().__init__(
            f"{len(report.failed)} of {len(report.failed) + len(report.files)} files failed "
            f"(first: {first.local} -> {first.remote}: {first.error})"
        )


Job = Callable[[], Flow[None]]
"""One unit of a stage: makes the flow to run."""


class _Tally:
    """Progress, thread-safe (blocking transfers run jobs in threads)."""

    def __init__(self, callback: Callable[[TransferProgress], object] | None) -> None:
        self._callback = callback
        self._lock = threading.Lock()
        self.bytes_total = self.files_total = self.bytes_done = self.files_done = 0

    def plan(self, bytes_total: int, files_total: int) -> None:
        self.bytes_total, self.files_total = bytes_total, files_total
        self._report()

    def add(self, nbytes: int = 0, files: int = 0) -> None:
        with self._lock:
            self.bytes_done += nbytes
            self.files_done += files
        if nbytes or files:
            self._report()

    def _report(self) -> None:
        if self._callback is not None:
            self._callback(
                TransferProgress(
                    self.bytes_done, self.bytes_total, self.files_done, self.files_total
                )
            )


class _Outcomes:
    """The files done and failed, collected from jobs in any order (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.done: list[TransferredFile] = []
        self.failed: list[FailedTransfer] = []
        self.folders: list[str] = []

    def ok(self, item: TransferredFile) -> None:
        with self._lock:
            self.done.append(item)

    def fail(self, local: Path, remote: str, error: BaseException) -> None:
        with self._lock:
            self.failed.append(FailedTransfer(local, remote, error))

    def folder(self, path: str) -> None:
        with self._lock:
            self.folders.append(path)

    def report(self, skipped: Sequence[Path]) -> TransferReport:
        return TransferReport(
            files=tuple(sorted(self.done, key=lambda f: f.remote)),
            folders=tuple(sorted(self.folders)),
            failed=tuple(sorted(self.failed, key=lambda f: f.remote)),
            skipped=tuple(skipped),
        )


def check_in_flight(value: int) -> int:
    """``in_flight`` if it is an int from 1 to 64."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise PuterInputTypeError(
            f"in_flight must be an int, not {type(value).__name__}", code="field_invalid"
        )
    if not 1 <= value <= 64:
        raise PuterInputError(f"in_flight must be from 1 to 64, got {value}", code="field_invalid")
    return value


def _check_progress(progress: object) -> None:
    if progress is not None and not callable(progress):
        raise PuterInputTypeError(
            f"progress must be callable, not {type(progress).__name__}", code="field_invalid"
        )


def _local_error(path: Path, exists: bool = False) -> OSError:
    if exists:
        return FileExistsError(errno.EEXIST, "a local file is in the way", str(path))
    return FileNotFoundError(errno.ENOENT, "no such local file or folder", str(path))


# ------------------------------------------------------------------------ upload


@attrs.frozen
class _LocalFile:
    local: Path
    relative: str  # under the remote folder, "/"-separated
    size: int


class Upload:
    """A planned upload; its stages, then its report."""

    def __init__(
        self,
        flows: Any,  # FsFlows (not imported: flows imports this module)
        sources: LocalPaths,
        remote_dir: Target,
        *,
        overwrite: bool,
        dedupe_name: bool,
        create_parents: bool,
        in_flight: int,
        progress: Callable[[TransferProgress], object] | None,
    ) -> None:
        for name, flag in (
            ("overwrite", overwrite), ("dedupe_name", dedupe_name),
            ("create_parents", create_parents),
        ):  # fmt: skip
            if not isinstance(flag, bool):
                raise PuterInputTypeError(
                    f"{name} must be a bool, not {type(flag).__name__}", code="field_invalid"
                )
        self.in_flight = check_in_flight(in_flight)
        _check_progress(progress)
        self.target: str | Uid = remote_target(remote_dir, "remote_dir")
        if self.target == "/":
            raise PuterInputError(
                "cannot upload to the root folder (nobody may write there); upload to a "
                "folder such as '~' instead",
                code="cannot_write_to_root",
            )
        self._flows = flows
        self._overwrite, self._parents = overwrite, create_parents
        self._dedupe = dedupe_name and not overwrite  # as puter.js: overwrite wins
        self._tally = _Tally(progress)
        self._outcomes = _Outcomes()
        self.skipped: list[Path] = []
        self._tops: list[str] = []  # folders given as sources, by name
        self._folders: list[str] = []  # relative folder paths, parents first
        self._files: list[_LocalFile] = []
        self._plan(_local_sources(sources))
        if not self._files and not self._folders:
            raise PuterInputError(
                "nothing to upload: no files or folders (junk such as .DS_Store is skipped)",
                code="EMPTY_UPLOAD",
            )
        self._renamed: dict[str, str] = {}  # a top folder's name -> the name it got
        self._tally.plan(sum(f.size for f in self._files), len(self._files))

    def _plan(self, sources: list[Path]) -> None:
        seen: set[str] = set()

        def add(local: Path, relative: str, size: int | None = None) -> None:
            if relative in seen:
                raise PuterInputError(
                    f"two sources would land at the same place: {relative!r}",
                    code="field_invalid",
                )
            seen.add(relative)
            if is_junk(local.name):
                self.skipped.append(local)
            else:
                size = local.stat().st_size if size is None else size
                self._files.append(_LocalFile(local, relative, size))

        for source in sources:
            if source.is_dir():
                top = source.resolve().name
                if not top:
                    raise PuterInputError(
                        f"cannot upload {str(source)!r} as a folder: it has no name",
                        code="field_invalid",
                    )
                if top in seen:
                    raise PuterInputError(
                        f"two sources would land at the same place: {top!r}",
                        code="field_invalid",
                    )
                seen.add(top)
                self._tops.append(top)
                self._folders.append(top)
                self._scan(os.fspath(source), top, add)
            elif source.is_file():
                add(source, source.name)
            else:
                raise _local_error(source)

    def _scan(self, folder: str, prefix: str, add: Callable[[Path, str, int], None]) -> None:
        """Plan a local folder, as ``os.walk`` goes (top-down, names sorted, a folder that
        cannot be read skipped, links to folders made but not entered): one ``scandir``
        per folder and one ``stat`` per file."""
        try:
            with os.scandir(folder) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError:
            return
        dirs = [entry for entry in entries if _is_dir(entry)]
        for entry in dirs:
            self._folders.append(f"{prefix}/{entry.name}")
        for entry in entries:
            if not _is_dir(entry) and entry.is_file():
                add(Path(entry.path), f"{prefix}/{entry.name}", entry.stat().st_size)
        for entry in dirs:
            if not entry.is_symlink():
                self._scan(entry.path, f"{prefix}/{entry.name}", add)

    def remote(self, relative: str) -> str:
        """The remote path of a relative path, after any top folder's new name."""
        top, slash, rest = relative.partition("/")
        top = self._renamed.get(top, top)
        return f"{self.target}/{top}{slash}{rest}"

    # stages ----------------------------------------------------------------------

    def stages(self) -> Iterator[list[Job]]:
        """Each stage's jobs; a stage starts once the one before is over."""
        yield [self._prepare]
        depth = 1
        while True:
            level = [f for f in self._folders if f.count("/") == depth - 1]
            if not level:
                break
            yield [partial(self._mkdir, folder) for folder in level]
            depth += 1
        yield [partial(self._send_batch, batch) for batch in self._batches()]

    def report(self) -> TransferReport:
        """The outcome (raises ``PuterTransferError`` when a file failed)."""
        report = self._outcomes.report(self.skipped)
        if report.failed:
            raise PuterTransferError(report)
        return report

    def _prepare(self) -> Flow[None]:
        """The remote folder must be a folder (made with ``create_parents``); its
        absolute path is used from here on."""
        existing = yield from self._flows._stat_or_none(self.target)
        if existing is None and self._parents and isinstance(self.target, str):
            existing = yield from self._flows.mkdir(self.target, parents=True, exist_ok=True)
        elif existing is None:
            existing = yield from self._flows.stat(self.target)  # its FileNotFoundError
        if not existing.is_dir:
            from puter_client.core.exceptions import PuterNotADirectoryError

            raise PuterNotADirectoryError(
                f"remote_dir is a file, not a folder: {existing.path}",
                status_code=400,
                code="dest_is_not_a_directory",
            )
        self.target = existing.path
        return None

    def _mkdir(self, folder: str) -> Flow[None]:
        top = "/" not in folder
        parent, _, name = self.remote(folder).rpartition("/")
        request = models.MkdirRequest(
            parent=parent,
            path=name,
            overwrite=False,
            dedupe_name=top and self._dedupe,
            create_missing_parents=False,
        )
        entry = yield from self._flows._send(
            endpoints.FS_MKDIR, endpoints.parse_fs_mkdir, body=request
        )
        made = self._flows._made(entry)
        if not made.is_dir:
            raise PuterResponseError(f"mkdir answered a file: {made.path}")
        if top and made.name != name:
            self._renamed[folder] = made.name
        self._outcomes.folder(made.path)
        return None

    def _batches(self) -> Iterator[list[_LocalFile]]:
        batch: list[_LocalFile] = []
        size = 0
        for file in self._files:
            if batch and (len(batch) >= BATCH_FILES or size + file.size > BATCH_BYTES):
                yield batch
                batch, size = [], 0
            batch.append(file)
            size += file.size
        if batch:
            yield batch

    def _send_batch(self, batch: list[_LocalFile]) -> Flow[None]:
        try:
            yield from self._write(batch)
        except PuterAPIError as exc:
            if len(batch) == 1 or not _per_file(exc):
                for file in batch:
                    self._outcomes.fail(file.local, self.remote(file.relative), exc)
                return None
            for file in batch:  # all or nothing on the server: find the refused ones
                try:
                    yield from self._write([file])
                except (PuterAPIError, OSError) as single:
                    self._outcomes.fail(file.local, self.remote(file.relative), single)
        except OSError as exc:  # a local file that vanished or changed
            for file in batch:
                self._outcomes.fail(file.local, self.remote(file.relative), exc)
        return None

    def _write(self, batch: list[_LocalFile]) -> Flow[None]:
        from puter_client.services.fs.upload import content_type_for

        replace = self._overwrite
        items, parts = [], []
        for index, file in enumerate(batch):
            name = file.relative.rpartition("/")[2]
            metadata = models.FileMetadata(
                path=self.remote(file.relative),
                size=file.size,
                content_type=content_type_for(name, file.local, None),
                overwrite=replace,
                dedupe_name=self._dedupe,
                create_missing_parents=False,
            )
            items.append(models.BatchWriteItem(index=index, file_metadata=metadata))
            parts.append(FilePart(name=f"file-{index}", filename=name, source=file.local))
        manifest = encode_json(unstructure(models.BatchWriteManifest(items=items)))
        body = _CountedBody([("manifest", manifest.decode())], parts, self._tally.add)
        op = endpoints.FS_WRITE if replace else _WRITE_ONCE
        try:
            results = yield from self._flows._send(op, endpoints.parse_fs_write, content=body)
        except BaseException:
            body.take_back()
            raise
        if len(results) != len(batch):
            body.take_back()
            raise PuterResponseError(f"expected {len(batch)} write results, got {len(results)}")
        for file, result in zip(batch, results, strict=True):
            entry = self._flows._made(result.fs_entry)
            self._outcomes.ok(TransferredFile(file.local, entry.path, file.size, entry))
        self._tally.add(files=len(batch))
        return None


_WRITE_ONCE = attrs.evolve(endpoints.FS_WRITE, retry=RetryClass.UNSAFE)


def _is_dir(entry: os.DirEntry[str]) -> bool:
    """``os.walk``'s test: a folder, or a link to one (an error reads as not one)."""
    try:
        return entry.is_dir()
    except OSError:
        return False


def _per_file(exc: PuterAPIError) -> bool:
    """Whether a refused batch may hold files that would go alone (a 4xx about them)."""
    return exc.status_code is not None and 400 <= exc.status_code < 500 and exc.status_code not in (
        401, 403, 429,
    )  # fmt: skip


def _local_sources(sources: LocalPaths) -> list[Path]:
    if isinstance(sources, (str, os.PathLike)):
        items: list[Any] = [sources]
    elif isinstance(sources, Iterable) and not isinstance(sources, (bytes, bytearray)):
        items = list(sources)
    else:
        raise PuterInputTypeError(
            "sources must be a local path or paths (str or os.PathLike), not "
            f"{type(sources).__name__}",
            code="field_invalid",
        )
    paths = []
    for item in items:
        if not isinstance(item, (str, os.PathLike)) or isinstance(os.fspath(item), bytes):
            raise PuterInputTypeError(
                f"each source must be a str or os.PathLike, not {type(item).__name__}",
                code="field_invalid",
            )
        paths.append(Path(item))
    return paths


class _CountedBody(MultipartBody):
    """A multipart body that reports the file bytes it has produced (a retry, which
    produces it again, first takes back what the last attempt reported)."""

    def __init__(
        self,
        fields: Sequence[tuple[str, str]],
        files: Sequence[FilePart],
        report: Callable[[int], None],
    ) -> None:
        super().__init__(fields, files)
        self._report = report
        self._payload = sum(f.size for f in files)
        self._sent = 0

    def __iter__(self) -> Iterator[bytes]:
        self.take_back()
        for chunk in super().__iter__():
            yield chunk
            step = min(len(chunk), self._payload - self._sent)
            if step > 0:
                self._sent += step
                self._report(step)

    def take_back(self) -> None:
        """Withdraw the bytes reported so far (the attempt failed)."""
        if self._sent:
            self._report(-self._sent)
            self._sent = 0


# ---------------------------------------------------------------------- download


class DownloadDir:
    """A planned download of a remote folder's contents into a local folder."""

    def __init__(
        self,
        flows: Any,
        remote_dir: Target,
        local_dir: str | os.PathLike[str],
        *,
        overwrite: bool,
        in_flight: int,
        progress: Callable[[TransferProgress], object] | None,
    ) -> None:
        self.source = remote_target(remote_dir, "remote_dir")
        if not isinstance(local_dir, (str, os.PathLike)):
            raise PuterInputTypeError(
                f"local_dir must be a str or os.PathLike, not {type(local_dir).__name__}",
                code="field_invalid",
            )
        if not isinstance(overwrite, bool):
            raise PuterInputTypeError(
                f"overwrite must be a bool, not {type(overwrite).__name__}", code="field_invalid"
            )
        self.in_flight = check_in_flight(in_flight)
        _check_progress(progress)
        self.local = Path(local_dir)
        if self.local.exists() and not self.local.is_dir():
            raise NotADirectoryError(errno.ENOTDIR, "not a local folder", str(self.local))
        self._flows = flows
        self._overwrite = overwrite
        self._tally = _Tally(progress)
        self._outcomes = _Outcomes()
        self._files: list[tuple[FSEntry, Path]] = []

    def stages(self) -> Iterator[list[Job]]:
        """List the tree (and make the local folders), then fetch the files."""
        yield [self._list]
        yield [partial(self._fetch, entry, local) for entry, local in self._files]

    def report(self) -> TransferReport:
        """The outcome (raises ``PuterTransferError`` when a file failed)."""
        report = self._outcomes.report(())
        if report.failed:
            raise PuterTransferError(report)
        return report

    def _list(self) -> Flow[None]:
        root = yield from self._flows.stat(self.source)
        if not root.is_dir:
            from puter_client.core.exceptions import PuterNotADirectoryError

            raise PuterNotADirectoryError(
                f"remote_dir is a file, not a folder: {root.path}",
                status_code=400,
                code="dest_is_not_a_directory",
            )
        pending = [(root.path, self.local)]
        while pending:
            folder, local = pending.pop()
            local.mkdir(parents=True, exist_ok=True)
            self._outcomes.folder(str(local))
            for entry in (yield from self._flows._listdir(folder)):
                if entry.is_dir:
                    pending.append((entry.path, local / entry.name))
                else:
                    self._files.append((entry, local / entry.name))
        self._files.sort(key=lambda pair: pair[0].path)
        self._tally.plan(sum(e.size or 0 for e, _ in self._files), len(self._files))
        return None

    def _fetch(self, entry: FSEntry, local: Path) -> Flow[None]:
        if local.exists() and (not self._overwrite or local.is_dir()):
            self._outcomes.fail(local, entry.path, _local_error(local, exists=True))
            return None
        sink = _TallySink(local, self._tally)
        try:
            yield from self._flows._send(
                endpoints.FS_READ, endpoints.parse_fs_read, params={"file": entry.path},
                headers={"Accept": "*/*", "Accept-Encoding": "identity"}, sink=sink,
            )  # fmt: skip
        except (PuterAPIError, OSError) as exc:
            sink.abort()
            self._outcomes.fail(local, entry.path, exc)
            return None
        except BaseException:
            sink.abort()
            raise
        self._tally.add(files=1)
        self._outcomes.ok(TransferredFile(local, entry.path, sink.size, entry))
        return None


class _TallySink(FileSink):
    """A ``FileSink`` adding the bytes it receives to a transfer's progress."""

    def __init__(self, path: Path, tally: _Tally) -> None:
        super().__init__(path)
        self._tally = tally

    def reset(self) -> None:
        self._tally.add(-self.size)
        super().reset()

    def write(self, chunk: bytes) -> None:
        super().write(chunk)
        self._tally.add(len(chunk))

    def abort(self) -> None:
        self._tally.add(-self.size)
        self.size = 0
        super().abort()


# ------------------------------------------------------------------------ runners


Transfer = Upload | DownloadDir


def run_transfer(session: Session, transfer: Transfer) -> TransferReport:
    """Run every stage with blocking calls, ``in_flight`` threads at most."""
    with ThreadPoolExecutor(max_workers=transfer.in_flight) as pool:
        for stage in transfer.stages():
            if len(stage) == 1:
                session.run(stage[0]())
                continue
            futures = [pool.submit(session.run, job()) for job in stage]
            try:
                for future in futures:
                    future.result()
            except BaseException:
                for future in futures:
                    future.cancel()  # the ones not started; the others end their request
                raise
    return transfer.report()


async def async_run_transfer(session: Session, transfer: Transfer) -> TransferReport:
    """Run every stage on the event loop, ``in_flight`` jobs at most."""
    import asyncio  # here: a blocking upload need not load asyncio (~60 ms)

    slots = asyncio.Semaphore(transfer.in_flight)

    async def run(job: Job) -> None:
        async with slots:
            await session.async_run(job())

    for stage in transfer.stages():
        await asyncio.gather(*(run(job) for job in stage))
    return transfer.report()
