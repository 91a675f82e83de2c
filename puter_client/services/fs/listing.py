"""Listings that scale: one page (``Page[FSEntry]``), lazy pages, ``walk`` and ``glob``.

``/fs/readdir`` pages as the server does: a keyset cursor that pins the sort it was made
with (``sort_by`` name/modified/type/size, ``sort_order`` asc/desc; ties in creation
order), ``limit`` per page (1,000 by default, 10,000 at most), ``include_total``. An
``offset`` is only understood by its unpaged form (a bare array, GET with query
parameters), which ``listdir(offset=...)`` uses. ``recursive`` lists everything below
a folder by path, at most ten levels down (the server's cap), always paged.

``walk`` and ``glob`` are *plans*: generators that yield either a flow to run (a folder
to list) or an item for the caller, so that one plan serves the blocking and the async
iterator (``drive`` / ``async_drive``).
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import AsyncIterator, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

import attrs
import httpx

from puter_client._generated import endpoints, models
from puter_client.core.exceptions import PuterInputError, PuterInputTypeError
from puter_client.core.flow import Flow
from puter_client.core.http.errors import error_from_response, response_error
from puter_client.core.http.responses import decode_json
from puter_client.core.paging import Page
from puter_client.core.session import Session
from puter_client.services.fs.entry import FSEntry, entries_of
from puter_client.services.fs.path import Target, Uid, remote_path, remote_target

if TYPE_CHECKING:
    from puter_client.services.fs.fs import FileSystem

__all__ = [
    "MAX_PAGE",
    "SortBy",
    "SortOrder",
    "WalkItem",
    "async_drive",
    "check_listing",
    "drive",
    "glob_plan",
    "read_entries",
    "read_page",
    "split_pattern",
    "walk_plan",
]

T = TypeVar("T")

SortBy = Literal["name", "modified", "type", "size"]
"""What a listing is sorted by (``type``: files before folders, ascending)."""
SortOrder = Literal["asc", "desc"]
"""Ascending or descending."""

MAX_PAGE = 10_000
"""The most entries the server answers in one page."""
_SORTS = ("name", "modified", "type", "size")

WalkItem = tuple[str, list[str], list[str]]
"""``(dirpath, dirnames, filenames)``, as ``os.walk`` yields them."""

# GET /fs/readdir with query parameters and no cursor: the unpaged bare array
LIST_FROM_OFFSET = attrs.evolve(endpoints.FS_READDIR, method="GET")


def read_page(response: httpx.Response, fs: FileSystem | None) -> Page[FSEntry]:
    """A ``/fs/readdir`` page of entries bound to ``fs``, or the answer's typed error.

    Read straight from the decoded JSON (no model in between): a page of thousands of
    entries costs little more than decoding it (the ``listdir`` bench row).
    """
    if response.status_code != 200:
        raise error_from_response(response)
    body = decode_json(response)
    items = body.get("items") if isinstance(body, dict) else None
    if not isinstance(items, list):
        raise response_error(response, "unexpected response from fs_readdir: no items list")
    cursor, total = body.get("cursor"), body.get("total")
    if not (cursor is None or isinstance(cursor, str)) or not (
        total is None or (isinstance(total, int) and not isinstance(total, bool))
    ):
        raise response_error(response, "unexpected response from fs_readdir: bad cursor or total")
    return Page(_entries(response, items, fs), cursor or None, total)


def read_entries(response: httpx.Response, fs: FileSystem | None) -> list[FSEntry]:
    """The bare array of an unpaged listing, as entries bound to ``fs``; or its error."""
    if response.status_code != 200:
        raise error_from_response(response)
    body = decode_json(response)
    if not isinstance(body, list):
        raise response_error(response, "unexpected response from fs_readdir: not a list")
    return _entries(response, body, fs)


def _entries(response: httpx.Response, items: list[Any], fs: FileSystem | None) -> list[FSEntry]:
    try:
        return entries_of(items, fs)
    except ValueError as exc:
        raise response_error(response, f"unexpected entry from fs_readdir: {exc}") from None


def _invalid(message: str) -> PuterInputError:
    return PuterInputError(message, code="field_invalid")


def _count(name: str, value: object, *, least: int, most: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise PuterInputTypeError(
            f"{name} must be an int, not {type(value).__name__}", code="field_invalid"
        )
    if value < least or (most is not None and value > most):
        bound = f"from {least} to {most}" if most is not None else f">= {least}"
        raise _invalid(f"{name} must be {bound}, got {value}")
    return value


@attrs.frozen
class Listing:
    """Checked listing options (``check_listing``): the folder by ``path`` or by ``uid``."""

    path: str | None
    uid: str | None
    limit: int | None
    sort_by: SortBy | None
    sort_order: SortOrder | None
    recursive: bool
    include_total: bool


def check_listing(
    path: Target,
    *,
    limit: int | None,
    sort_by: str | None,
    sort_order: str | None,
    recursive: bool,
    include_total: bool = False,
    page_limit: bool = True,
) -> Listing:
    """The listing options, or ``PuterInputError`` (``code="field_invalid"``) before any
    request. ``page_limit``: ``limit`` is a page size (at most 10,000). A ``Uid`` or an
    ``FSEntry`` names the folder by uid (``/fs/readdir`` takes one)."""
    where = remote_target(path)
    target = where if isinstance(where, str) else None
    uid = where.value if isinstance(where, Uid) else None
    if limit is not None:
        _count("limit", limit, least=1, most=MAX_PAGE if page_limit else None)
    if sort_by is not None and sort_by not in _SORTS:
        raise _invalid(f"sort_by must be one of {', '.join(_SORTS)}, got {sort_by!r}")
    if sort_order is not None and sort_order not in ("asc", "desc"):
        raise _invalid(f"sort_order must be 'asc' or 'desc', got {sort_order!r}")
    for name, flag in (("recursive", recursive), ("include_total", include_total)):
        if not isinstance(flag, bool):
            raise PuterInputTypeError(
                f"{name} must be a bool, not {type(flag).__name__}", code="field_invalid"
            )
    if recursive and target == "/":
        raise _invalid("a recursive listing of the root is refused by the server")
    return Listing(target, uid, limit, sort_by, sort_order, recursive, include_total)  # type: ignore[arg-type]


def check_cursor(cursor: object) -> str | None:
    """A page cursor: a non-empty str or None."""
    if cursor is not None and not isinstance(cursor, str):
        raise PuterInputTypeError(
            f"cursor must be a str or None, not {type(cursor).__name__}", code="field_invalid"
        )
    return cursor or None


def check_offset(offset: object) -> int:
    """An offset: an int >= 0."""
    return _count("offset", offset, least=0)


def page_request(listing: Listing, cursor: str | None, limit: int | None) -> models.ReaddirRequest:
    """The ``/fs/readdir`` body of one page."""
    return models.ReaddirRequest(
        path=listing.path,
        uid=listing.uid,
        cursor=cursor,
        limit=limit,
        include_total=listing.include_total or None,
        sort_by=listing.sort_by,
        sort_order=listing.sort_order,
        recursive=listing.recursive or None,
    )


# ------------------------------------------------------------------ walk, glob

Plan = Generator[Flow[Any] | T, Any, None]
"""Yields a flow (its result is sent back) or an item for the caller."""


def walk_plan(
    stat: Callable[[str | Uid], Flow[FSEntry]],
    list_folder: Callable[[str], Flow[list[FSEntry]]],
    top: str | Uid,
    topdown: bool,
) -> Plan[WalkItem]:
    """``os.walk`` over the cloud: ``(dirpath, dirnames, filenames)`` per folder (paths
    absolute, names sorted); top-down, the caller may prune ``dirnames`` in place. A
    missing ``top`` is ``FileNotFoundError``, a file ``NotADirectoryError``."""
    folder = yield from _folder(stat, top)
    root: list[FSEntry] = yield list_folder(folder.path)
    yield from _walk(list_folder, folder.path, root, topdown)


def _folder(
    stat: Callable[[str | Uid], Flow[FSEntry]], where: str | Uid
) -> Generator[Flow[Any], Any, FSEntry]:
    """The folder ``where`` names (``NotADirectoryError`` for a file); its entry is the
    plan's return value."""
    folder: FSEntry = yield stat(where)
    if not folder.is_dir:
        from puter_client.core.exceptions import PuterNotADirectoryError

        raise PuterNotADirectoryError(
            f"not a folder: {folder.path}", status_code=400, code="dest_is_not_a_directory"
        )
    return folder


def _walk(
    list_folder: Callable[[str], Flow[list[FSEntry]]],
    folder: str,
    entries: list[FSEntry],
    topdown: bool,
) -> Plan[WalkItem]:
    dirs = [e.name for e in entries if e.is_dir]
    files = [e.name for e in entries if not e.is_dir]
    item: WalkItem = (folder, dirs, files)
    if topdown:
        yield item
    for name in list(dirs):
        path = f"{folder.rstrip('/')}/{name}"
        below: list[FSEntry] = yield list_folder(path)
        yield from _walk(list_folder, path, below, topdown)
    if not topdown:
        yield item


def glob_plan(
    stat: Callable[[str | Uid], Flow[FSEntry]],
    list_folder: Callable[[str], Flow[list[FSEntry]]],
    pattern: str,
    root: str | Uid | None = None,
) -> Plan[str]:
    """The paths matching ``pattern``: ``*``, ``?`` and ``[...]`` within a name, ``**``
    for any number of folders (hidden names included, as ``pathlib`` does). With
    ``root``, the (relative) pattern is matched inside that folder, as ``Path.glob``."""
    if root is None:
        base, parts = split_pattern(pattern)
    else:
        literal, parts = split_pattern(pattern, relative=True)
        folder = yield from _folder(stat, root)
        base = "/".join([folder.path.rstrip("/"), *literal]) or "/"
    matchers = [None if p == "**" else re.compile(fnmatch.translate(p)) for p in parts]
    deep = None in matchers
    top: list[FSEntry] = yield list_folder(base)
    pending: list[tuple[list[FSEntry], int]] = [(top, 1)]
    while pending:
        entries, depth = pending.pop(0)
        for entry in entries:
            relative = entry.path.split("/")[-depth:]
            if _matches(matchers, relative):
                yield entry.path
            if entry.is_dir and (deep or depth < len(matchers)):
                below: list[FSEntry] = yield list_folder(entry.path)
                pending.append((below, depth + 1))


@overload
def split_pattern(pattern: str) -> tuple[str, list[str]]: ...
@overload
def split_pattern(pattern: str, relative: Literal[True]) -> tuple[list[str], list[str]]: ...
def split_pattern(pattern: str, relative: bool = False) -> tuple[Any, list[str]]:
    """``(base folder, parts with wildcards)`` of a pattern; ``relative``: the pattern is
    under a given root (no leading ``/`` or ``~``) and its literal folders come as a list."""
    if not isinstance(pattern, str):
        raise PuterInputTypeError(
            f"pattern must be a str, not {type(pattern).__name__}", code="field_invalid"
        )
    if relative and pattern.startswith(("/", "~")):
        raise _invalid(f"with root, pattern is relative to it (no leading / or ~): {pattern!r}")
    full = remote_path(pattern, "pattern")
    segments = full.split("/")
    if relative:
        segments = segments[1:]  # "~/" was put in front of the relative pattern
    literal = 0
    while literal < len(segments) - 1 and not _magic(segments[literal]):
        literal += 1
    parts = segments[literal:]
    if not parts or not any(_magic(p) for p in parts):
        raise _invalid(f"pattern has no wildcard (*, ?, [...] or **): {pattern!r}")
    if relative:
        return segments[:literal], parts
    base = "/".join(segments[:literal]) or "/"
    return base, parts


def _magic(segment: str) -> bool:
    return any(c in segment for c in "*?[")


def _matches(matchers: list[re.Pattern[str] | None], names: list[str]) -> bool:
    if not matchers:
        return not names
    head, rest = matchers[0], matchers[1:]
    if head is None:  # **: zero or more folders
        return any(_matches(rest, names[i:]) for i in range(len(names) + 1))
    return bool(names) and head.match(names[0]) is not None and _matches(rest, names[1:])


# -------------------------------------------------------------------- drivers


def drive(session: Session, plan: Plan[T]) -> Iterator[T]:
    """Run a plan's flows with blocking calls, yielding its items as they come."""
    outcome: Any = None
    try:
        while True:
            step = plan.send(outcome)
            if isinstance(step, Generator):
                outcome = session.run(step)
            else:
                outcome = None
                yield step
    except StopIteration:
        return
    finally:
        plan.close()


async def async_drive(session: Session, plan: Plan[T]) -> AsyncIterator[T]:
    """Async ``drive``."""
    outcome: Any = None
    try:
        while True:
            step = plan.send(outcome)
            if isinstance(step, Generator):
                outcome = await session.async_run(step)
            else:
                outcome = None
                yield step
    except StopIteration:
        return
    finally:
        plan.close()
