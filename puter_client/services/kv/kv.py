"""The key-value store (``client.kv``): Puter's ``puter-kvstore`` driver, typed.

``KvCalls`` holds the pure flows, one per driver method: each checks its input at once
(``TypeError``/``ValueError`` before any request, see ``kv_input``) and returns a flow
that the client's session runs. ``KeyValueStore`` is what users reach as ``client.kv``:
every method is a one-line shell running one flow, blocking or (``async_``) async. The
listings (``keys``, ``items``) page lazily with the server's cursor, 1000 keys a page
filled up to the limit (``fetchUntilFull``), as puter.js pages them.

Data lives in the caller's namespace on the server (the user's, or an app's for an app
token). Retries follow the schema: reads, ``set``, ``delete``, ``expire``, ``update``,
``remove`` and ``flush`` are repeated after any retryable failure (doing them twice is
harmless); ``incr``, ``decr`` and ``add`` only when the server surely did nothing (no
connection, 429, 503). ``update``, ``add``, ``remove`` and ``incr``/``decr`` with a
``{path: amount}`` map work on document paths inside a value (``"a.b"``, ``"list[0]"``)
and answer the whole new value.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Mapping
from typing import Any, Literal, TypeVar, overload

import httpx

from puter_client._generated import endpoints, models
from puter_client._generated.models import KvEntry
from puter_client.core._unset import UNSET
from puter_client.core.exceptions import PuterInputError
from puter_client.core.flow import Flow
from puter_client.core.http.operation import Operation
from puter_client.core.paging import (
    Page,
    async_iterate_items,
    async_iterate_pages,
    iterate_items,
    iterate_pages,
)
from puter_client.core.session import Session
from puter_client.services.kv.input import (
    Timestamp,
    checked_amount,
    checked_amounts,
    checked_batch,
    checked_cursor,
    checked_flag,
    checked_item_limit,
    checked_key,
    checked_keys,
    checked_limit,
    checked_path_values,
    checked_paths,
    checked_pattern,
    checked_prefix,
    checked_seconds,
    checked_timestamp,
    checked_ttl,
    checked_value,
)

__all__ = ["KV_DRIVER", "PAGE_SIZE", "KeyValueStore", "KvCalls", "Page"]

T = TypeVar("T")

KV_DRIVER = "puter-kvstore"
"""The interface's one driver (also its default)."""
PAGE_SIZE = 1000
"""Keys asked for per page of a listing (puter.js asks for as many)."""


class KvCalls:
    """The key-value flows of one client's session (pure: no I/O of their own)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def get(self, key: str) -> Flow[Any]:
        """The value of ``key``; None when it is missing or expired."""
        call = models.KvGetCall(driver=KV_DRIVER, args=models.KvGetArgs(key=checked_key(key)))
        return self._session.send(endpoints.KV_GET, _get_result, body=call)

    def get_many(self, keys: Iterable[str]) -> Flow[list[Any]]:
        """The values of ``keys``, in order (None for each missing one)."""
        args = models.KvGetManyArgs(key=checked_keys(keys))
        if not args.key:
            return _done([])
        call = models.KvGetManyCall(driver=KV_DRIVER, args=args)
        return self._session.send(endpoints.KV_GET_MANY, _get_many_result, body=call)

    def set(self, key: str, value: Any, expire_at: Timestamp | None) -> Flow[bool]:
        """Store ``value`` (any JSON) under ``key``, until ``expire_at`` if given."""
        args = models.KvSetArgs(key=checked_key(key), value=value, expire_at=_expiry(expire_at))
        checked_value(value)
        call = models.KvSetCall(driver=KV_DRIVER, args=args)
        return self._session.send(endpoints.KV_SET, _set_result, body=call)

    def set_many(self, mapping: Mapping[str, Any], expire_at: Timestamp | None) -> Flow[bool]:
        """Store every key and value of ``mapping`` in one ``batchPut``."""
        expiry = _expiry(expire_at)
        checked_batch(mapping)
        items = [models.KvItem(key=k, value=v, expire_at=expiry) for k, v in mapping.items()]
        call = models.KvBatchPutCall(driver=KV_DRIVER, args=models.KvBatchPutArgs(items=items))
        return self._session.send(endpoints.KV_BATCH_PUT, _batch_put_result, body=call)

    def delete(self, key: str) -> Flow[bool]:
        """Forget ``key``; True, also when it did not exist."""
        call = models.KvDelCall(driver=KV_DRIVER, args=models.KvKeyArgs(key=checked_key(key)))
        return self._session.send(endpoints.KV_DEL, _del_result, body=call)

    def incr(self, key: str, amount: float | Mapping[str, float]) -> Flow[Any]:
        """Add ``amount`` to the number under ``key`` (a missing key counts as 0), or each
        amount of a ``{path: amount}`` map to the number at its path (the new value)."""
        if isinstance(amount, Mapping):
            args = _path_increments(key, amount)
            call = models.KvIncrCall(driver=KV_DRIVER, args=args)
            return self._session.send(endpoints.KV_INCR_PATHS, _incr_paths_result, body=call)
        call = models.KvIncrCall(driver=KV_DRIVER, args=_increment(key, amount))
        return self._session.send(endpoints.KV_INCR, _incr_result, body=call)

    def decr(self, key: str, amount: float | Mapping[str, float]) -> Flow[Any]:
        """Subtract ``amount`` from the number under ``key`` (a missing key counts as 0),
        or each amount of a ``{path: amount}`` map from the number at its path."""
        if isinstance(amount, Mapping):
            args = _path_increments(key, amount)
            call = models.KvDecrCall(driver=KV_DRIVER, args=args)
            return self._session.send(endpoints.KV_DECR_PATHS, _decr_paths_result, body=call)
        call = models.KvDecrCall(driver=KV_DRIVER, args=_increment(key, amount))
        return self._session.send(endpoints.KV_DECR, _decr_result, body=call)

    def update(self, key: str, paths: Mapping[str, Any], ttl: float | None) -> Flow[Any]:
        """Set each ``{path: value}`` inside the value of ``key``; the whole new value."""
        args = models.KvUpdateArgs(
            key=checked_key(key),
            path_and_value_map=checked_path_values(paths),
            ttl=checked_ttl(ttl),
        )
        call = models.KvUpdateCall(driver=KV_DRIVER, args=args)
        return self._session.send(endpoints.KV_UPDATE, _update_result, body=call)

    def add(self, key: str, value: Any) -> Flow[Any]:
        """Append ``value`` to the list under ``key``, or each value of a ``{path:
        value}`` map to the list at its path; the whole new value."""
        key = checked_key(key)
        if isinstance(value, Mapping):
            paths = checked_path_values(value, "value")
        else:
            checked_value(value)
            paths = {"": value}
        call = models.KvAddCall(
            driver=KV_DRIVER, args=models.KvAddArgs(key=key, path_and_value_map=paths)
        )
        return self._session.send(endpoints.KV_ADD, _add_result, body=call)

    def remove(self, key: str, paths: tuple[str, ...]) -> Flow[Any]:
        """Remove each document path from the value of ``key``; the whole new value."""
        checked = checked_paths(paths)
        args = models.KvRemoveArgs(key=checked_key(key), paths=checked)
        call = models.KvRemoveCall(driver=KV_DRIVER, args=args)
        return self._session.send(endpoints.KV_REMOVE, _remove_result, body=call)

    def expire(self, key: str, seconds: float) -> Flow[None]:
        """Let ``key`` expire ``seconds`` from now (the server's clock)."""
        args = models.KvExpireArgs(key=checked_key(key), ttl=checked_seconds(seconds, "seconds"))
        call = models.KvExpireCall(driver=KV_DRIVER, args=args)
        return self._session.send(endpoints.KV_EXPIRE, _expire_result, body=call)

    def expire_at(self, key: str, timestamp: Timestamp) -> Flow[None]:
        """Let ``key`` expire at ``timestamp`` (unix seconds or an aware datetime)."""
        when = checked_timestamp(timestamp, "timestamp")
        args = models.KvExpireAtArgs(key=checked_key(key), timestamp=when)
        call = models.KvExpireAtCall(driver=KV_DRIVER, args=args)
        return self._session.send(endpoints.KV_EXPIRE_AT, _expire_at_result, body=call)

    def flush(self) -> Flow[bool]:
        """Forget every key of the namespace."""
        call = models.KvFlushCall(driver=KV_DRIVER, args=models.KvFlushArgs())
        return self._session.send(endpoints.KV_FLUSH, _flush_result, body=call)

    # -------------------------------------------------------------- listings

    def key_pages(
        self,
        prefix: str = "",
        *,
        pattern: str | None = None,
        limit: int = PAGE_SIZE,
        include_total: bool = False,
    ) -> Callable[[str | None], Flow[Page[Any]]]:
        """The page flows of the keys (starting with ``prefix``, or matching ``pattern``
        as puter.js reads it), by cursor; ``include_total`` asks on the first page."""
        return self._pages(
            "keys", endpoints.KV_LIST_KEYS, _key_page, prefix, pattern, limit, include_total
        )

    def item_pages(
        self,
        prefix: str = "",
        *,
        pattern: str | None = None,
        limit: int = PAGE_SIZE,
        include_total: bool = False,
    ) -> Callable[[str | None], Flow[Page[Any]]]:
        """The page flows of the ``(key, value)`` pairs, as ``key_pages``."""
        return self._pages(
            "entries", endpoints.KV_LIST_ENTRIES, _entry_page, prefix, pattern, limit, include_total
        )

    def _pages(
        self,
        kind: Literal["keys", "entries"],
        op: Operation,
        parse: Callable[[httpx.Response, str], Page[Any]],
        prefix: str,
        pattern: str | None,
        limit: int,
        include_total: bool,
    ) -> Callable[[str | None], Flow[Page[Any]]]:
        prefix = checked_prefix(prefix)
        if pattern is not None:
            if prefix:
                raise PuterInputError(
                    "give a prefix or a pattern, not both", code="invalid_arguments"
                )
            sent = list_pattern(checked_pattern(pattern))
        else:
            sent = server_pattern(prefix)
        limit = checked_limit(limit)
        total = checked_flag(include_total, "include_total")
        first: list[bool] = [True]

        def page(cursor: str | None) -> Flow[Page[Any]]:
            if cursor is not None:
                checked_cursor(cursor)
            ask_total = total and first[0]  # puter.js asks for the total once, first
            first[0] = False
            args = models.KvListArgs(
                as_=kind,
                pattern=sent,
                limit=limit,
                cursor=cursor,
                fetch_until_full=True,
                include_total=True if ask_total else None,
            )
            call = models.KvListCall(driver=KV_DRIVER, args=args)
            return self._session.send(op, lambda response: parse(response, prefix), body=call)

        return page


def list_pattern(pattern: str) -> str | None:
    """The ``pattern`` puter.js sends for ``pattern``: trimmed, a trailing ``*`` dropped;
    ``None`` (every key) for ``""``, blanks or a bare ``*``. The server matches the rest
    as a plain prefix (a ``*`` elsewhere is an ordinary character)."""
    trimmed = pattern.strip()
    if trimmed.endswith("*"):
        trimmed = trimmed[:-1]
    return trimmed or None


def server_pattern(prefix: str) -> str | None:
    """The ``pattern`` to send for ``prefix``: its longest start the server reads as a
    plain prefix (it trims spaces and drops a trailing ``*``); the rest is matched here."""
    cut = len(prefix)
    for index, char in enumerate(prefix):
        if char == "*" or char.isspace():
            cut = index
            break
    return prefix[:cut] or None


class KeyValueStore:
    """Puter's key-value store, reached as ``client.kv``: JSON values under string keys.

    Every method has an ``async_`` twin taking the same arguments. Bad input (a key that
    is not a non-empty ``str`` of at most 1024 UTF-8 bytes, a value that is not JSON or
    is over 408,576 bytes as JSON, a forbidden object key) raises ``TypeError`` or
    ``ValueError`` before any request; the server's refusals raise typed ``PuterAPIError``s.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._calls = KvCalls(session)

    def __repr__(self) -> str:
        return f"KeyValueStore({self._session!r})"

    def get(self, key: str) -> Any:
        """The value stored under ``key``; None when it is missing or expired."""
        return self._session.run(self._calls.get(key))

    async def async_get(self, key: str) -> Any:
        """Async ``get``."""
        return await self._session.async_run(self._calls.get(key))

    def get_many(self, keys: Iterable[str]) -> list[Any]:
        """The values stored under ``keys``, in order (None for each missing one)."""
        return self._session.run(self._calls.get_many(keys))

    async def async_get_many(self, keys: Iterable[str]) -> list[Any]:
        """Async ``get_many``."""
        return await self._session.async_run(self._calls.get_many(keys))

    def set(self, key: str, value: Any, *, expire_at: Timestamp | None = None) -> bool:
        """Store ``value`` (any JSON value, None included) under ``key``; True.

        ``expire_at`` (unix seconds or an aware ``datetime``) makes the key expire then.
        """
        return self._session.run(self._calls.set(key, value, expire_at))

    async def async_set(self, key: str, value: Any, *, expire_at: Timestamp | None = None) -> bool:
        """Async ``set``."""
        return await self._session.async_run(self._calls.set(key, value, expire_at))

    def set_many(self, mapping: Mapping[str, Any], *, expire_at: Timestamp | None = None) -> bool:
        """Store every key and value of ``mapping`` in one request (``batchPut``); True."""
        return self._session.run(self._calls.set_many(mapping, expire_at))

    async def async_set_many(
        self, mapping: Mapping[str, Any], *, expire_at: Timestamp | None = None
    ) -> bool:
        """Async ``set_many``."""
        return await self._session.async_run(self._calls.set_many(mapping, expire_at))

    def delete(self, key: str) -> bool:
        """Forget ``key``; True, also when it did not exist."""
        return self._session.run(self._calls.delete(key))

    async def async_delete(self, key: str) -> bool:
        """Async ``delete``."""
        return await self._session.async_run(self._calls.delete(key))

    @overload
    def incr(self, key: str, amount: float = 1) -> int | float: ...
    @overload
    def incr(self, key: str, amount: Mapping[str, float]) -> Any: ...
    def incr(self, key: str, amount: float | Mapping[str, float] = 1) -> Any:
        """Add ``amount`` to the number under ``key`` (a missing key counts as 0); the
        new number. Never repeated after a failure that may have reached the server.

        With a ``{path: amount}`` map (``{"views": 1, "stats.likes": 2}``) each number at
        a document path inside the value is increased (missing ones start at 0, missing
        objects on the way are created) and the answer is the whole new value.
        """
        return self._session.run(self._calls.incr(key, amount))

    @overload
    async def async_incr(self, key: str, amount: float = 1) -> int | float: ...
    @overload
    async def async_incr(self, key: str, amount: Mapping[str, float]) -> Any: ...
    async def async_incr(self, key: str, amount: float | Mapping[str, float] = 1) -> Any:
        """Async ``incr``."""
        return await self._session.async_run(self._calls.incr(key, amount))

    @overload
    def decr(self, key: str, amount: float = 1) -> int | float: ...
    @overload
    def decr(self, key: str, amount: Mapping[str, float]) -> Any: ...
    def decr(self, key: str, amount: float | Mapping[str, float] = 1) -> Any:
        """Subtract ``amount`` from the number under ``key``; the new number. With a
        ``{path: amount}`` map, from each number at its path; the whole new value."""
        return self._session.run(self._calls.decr(key, amount))

    @overload
    async def async_decr(self, key: str, amount: float = 1) -> int | float: ...
    @overload
    async def async_decr(self, key: str, amount: Mapping[str, float]) -> Any: ...
    async def async_decr(self, key: str, amount: float | Mapping[str, float] = 1) -> Any:
        """Async ``decr``."""
        return await self._session.async_run(self._calls.decr(key, amount))

    def update(self, key: str, paths: Mapping[str, Any], *, ttl: float | None = None) -> Any:
        """Set values at document paths inside the value of ``key``, leaving the rest of
        it as it is; the whole new value.

        ``paths`` maps a dot-separated path (``"profile.name"``, ``"list[0]"``; ``""`` is
        the value itself) to the JSON value to put there; objects missing on the way are
        created, a missing key starts as an empty object. ``ttl`` (seconds) makes the key
        expire that long from now. Refused before any request: an empty map
        (``path_map_invalid``), a path through ``__proto__``, ``constructor`` or
        ``prototype`` (``bad_request``), a ``ttl`` that is not a number (``ttl_invalid``).
        """
        return self._session.run(self._calls.update(key, paths, ttl))

    async def async_update(
        self, key: str, paths: Mapping[str, Any], *, ttl: float | None = None
    ) -> Any:
        """Async ``update``."""
        return await self._session.async_run(self._calls.update(key, paths, ttl))

    def add(self, key: str, value: Any = 1) -> Any:
        """Append to a list inside the value of ``key``; the whole new value.

        As puter.js: a mapping is ``{path: value}`` (append each value to the list at its
        path); anything else is appended to the list that is the value itself (path
        ``""``). A list appends its items. A missing list starts empty. To append one
        dict to the value itself, give ``{"": {...}}``. Never repeated after a failure
        that may have reached the server (it would append twice).
        """
        return self._session.run(self._calls.add(key, value))

    async def async_add(self, key: str, value: Any = 1) -> Any:
        """Async ``add``."""
        return await self._session.async_run(self._calls.add(key, value))

    def remove(self, key: str, *paths: str) -> Any:
        """Remove each document path (``"a.b"``, ``"list[0]"``) from the value of ``key``;
        the whole new value (None when the key is missing). At least one path
        (``arguments_required``), given as separate arguments (``paths_invalid``)."""
        return self._session.run(self._calls.remove(key, paths))

    async def async_remove(self, key: str, *paths: str) -> Any:
        """Async ``remove``."""
        return await self._session.async_run(self._calls.remove(key, paths))

    def expire(self, key: str, seconds: float) -> None:
        """Let ``key`` expire ``seconds`` from now, by the server's clock."""
        return self._session.run(self._calls.expire(key, seconds))

    async def async_expire(self, key: str, seconds: float) -> None:
        """Async ``expire``."""
        return await self._session.async_run(self._calls.expire(key, seconds))

    def expire_at(self, key: str, timestamp: Timestamp) -> None:
        """Let ``key`` expire at ``timestamp`` (unix seconds or an aware ``datetime``)."""
        return self._session.run(self._calls.expire_at(key, timestamp))

    async def async_expire_at(self, key: str, timestamp: Timestamp) -> None:
        """Async ``expire_at``."""
        return await self._session.async_run(self._calls.expire_at(key, timestamp))

    def keys(
        self, prefix: str = "", *, pattern: str | None = None, limit: int | None = None
    ) -> Iterator[str]:
        """The keys starting with ``prefix``, sorted, fetched page by page (1000 keys a
        page) as you iterate; at most ``limit`` of them (``None``: all).

        ``pattern`` instead matches as puter.js does: a trailing ``*`` is a wildcard,
        ``"*"`` (or ``""``) is every key, and the rest is a prefix (``"user:*"``). For
        one page with its cursor and total, see ``list_keys``.
        """
        most = checked_item_limit(limit)
        pages = self._calls.key_pages(prefix, pattern=pattern, limit=_page_size(most))
        return iterate_items(self._session.run, pages, most)

    def async_keys(
        self, prefix: str = "", *, pattern: str | None = None, limit: int | None = None
    ) -> AsyncIterator[str]:
        """Async ``keys``: ``async for key in client.kv.async_keys()``."""
        most = checked_item_limit(limit)
        pages = self._calls.key_pages(prefix, pattern=pattern, limit=_page_size(most))
        return async_iterate_items(self._session.async_run, pages, most)

    def items(
        self, prefix: str = "", *, pattern: str | None = None, limit: int | None = None
    ) -> Iterator[tuple[str, Any]]:
        """The ``(key, value)`` pairs whose key starts with ``prefix`` (or matches
        ``pattern``, as in ``keys``), sorted by key, fetched page by page as you iterate;
        at most ``limit`` of them."""
        most = checked_item_limit(limit)
        pages = self._calls.item_pages(prefix, pattern=pattern, limit=_page_size(most))
        return iterate_items(self._session.run, pages, most)

    def async_items(
        self, prefix: str = "", *, pattern: str | None = None, limit: int | None = None
    ) -> AsyncIterator[tuple[str, Any]]:
        """Async ``items``: ``async for key, value in client.kv.async_items()``."""
        most = checked_item_limit(limit)
        pages = self._calls.item_pages(prefix, pattern=pattern, limit=_page_size(most))
        return async_iterate_items(self._session.async_run, pages, most)

    def list_keys(
        self,
        pattern: str | None = None,
        *,
        limit: int = PAGE_SIZE,
        cursor: str | None = None,
        include_total: bool = False,
    ) -> Page[str]:
        """One page of at most ``limit`` keys (one request): ``page.items``, the
        ``page.cursor`` to pass back for the next page (``None`` on the last) and, with
        ``include_total``, ``page.total`` (how many keys match; a metered count over
        every matching key, so ask once). ``pattern`` as in ``keys``."""
        pages = self._calls.key_pages(pattern=pattern, limit=limit, include_total=include_total)
        return self._session.run(pages(cursor))

    async def async_list_keys(
        self,
        pattern: str | None = None,
        *,
        limit: int = PAGE_SIZE,
        cursor: str | None = None,
        include_total: bool = False,
    ) -> Page[str]:
        """Async ``list_keys``."""
        pages = self._calls.key_pages(pattern=pattern, limit=limit, include_total=include_total)
        return await self._session.async_run(pages(cursor))

    def list_items(
        self,
        pattern: str | None = None,
        *,
        limit: int = PAGE_SIZE,
        cursor: str | None = None,
        include_total: bool = False,
    ) -> Page[tuple[str, Any]]:
        """One page of ``(key, value)`` pairs, as ``list_keys``."""
        pages = self._calls.item_pages(pattern=pattern, limit=limit, include_total=include_total)
        return self._session.run(pages(cursor))

    async def async_list_items(
        self,
        pattern: str | None = None,
        *,
        limit: int = PAGE_SIZE,
        cursor: str | None = None,
        include_total: bool = False,
    ) -> Page[tuple[str, Any]]:
        """Async ``list_items``."""
        pages = self._calls.item_pages(pattern=pattern, limit=limit, include_total=include_total)
        return await self._session.async_run(pages(cursor))

    def key_pages(
        self,
        pattern: str | None = None,
        *,
        limit: int = PAGE_SIZE,
        cursor: str | None = None,
        include_total: bool = False,
    ) -> Iterator[Page[str]]:
        """Every page of keys from ``cursor`` on, each fetched as the iteration reaches
        it (``limit`` keys a page); ``include_total`` asks the first page for the total."""
        pages = self._calls.key_pages(pattern=pattern, limit=limit, include_total=include_total)
        return iterate_pages(self._session.run, pages, _cursor(cursor))

    def async_key_pages(
        self,
        pattern: str | None = None,
        *,
        limit: int = PAGE_SIZE,
        cursor: str | None = None,
        include_total: bool = False,
    ) -> AsyncIterator[Page[str]]:
        """Async ``key_pages``: ``async for page in client.kv.async_key_pages()``."""
        pages = self._calls.key_pages(pattern=pattern, limit=limit, include_total=include_total)
        return async_iterate_pages(self._session.async_run, pages, _cursor(cursor))

    def item_pages(
        self,
        pattern: str | None = None,
        *,
        limit: int = PAGE_SIZE,
        cursor: str | None = None,
        include_total: bool = False,
    ) -> Iterator[Page[tuple[str, Any]]]:
        """Every page of ``(key, value)`` pairs from ``cursor`` on, as ``key_pages``."""
        pages = self._calls.item_pages(pattern=pattern, limit=limit, include_total=include_total)
        return iterate_pages(self._session.run, pages, _cursor(cursor))

    def async_item_pages(
        self,
        pattern: str | None = None,
        *,
        limit: int = PAGE_SIZE,
        cursor: str | None = None,
        include_total: bool = False,
    ) -> AsyncIterator[Page[tuple[str, Any]]]:
        """Async ``item_pages``."""
        pages = self._calls.item_pages(pattern=pattern, limit=limit, include_total=include_total)
        return async_iterate_pages(self._session.async_run, pages, _cursor(cursor))

    def flush(self) -> bool:
        """Forget every key of the namespace; True."""
        return self._session.run(self._calls.flush())

    async def async_flush(self) -> bool:
        """Async ``flush``."""
        return await self._session.async_run(self._calls.flush())

    def clear(self) -> bool:
        """puter.js's name for ``flush``: forget every key of the namespace; True."""
        return self._session.run(self._calls.flush())

    async def async_clear(self) -> bool:
        """Async ``clear``."""
        return await self._session.async_run(self._calls.flush())


# ------------------------------------------------------------------- pure pieces


def _done(value: T) -> Flow[T]:
    """A flow that answers ``value`` without any request."""
    return value
    yield  # a generator, so that it is a flow


def _page_size(most: int | None) -> int:
    """Keys asked for per page when at most ``most`` are wanted."""
    return PAGE_SIZE if not most else min(most, PAGE_SIZE)


def _cursor(cursor: str | None) -> str | None:
    return None if cursor is None else checked_cursor(cursor)


def _expiry(expire_at: Timestamp | None) -> float | None:
    return None if expire_at is None else checked_timestamp(expire_at, "expire_at")


def _increment(key: str, amount: float) -> models.KvIncrArgs:
    # The path "" is the stored number itself (puter.js sends {"": amount} too).
    return models.KvIncrArgs(key=checked_key(key), path_and_amount_map={"": checked_amount(amount)})


def _path_increments(key: str, amounts: Mapping[str, float]) -> models.KvIncrArgs:
    return models.KvIncrArgs(key=checked_key(key), path_and_amount_map=checked_amounts(amounts))


def _incr_paths_result(response: httpx.Response) -> Any:
    return endpoints.parse_kv_incr_paths(response).result


def _decr_paths_result(response: httpx.Response) -> Any:
    return endpoints.parse_kv_decr_paths(response).result


def _update_result(response: httpx.Response) -> Any:
    return endpoints.parse_kv_update(response).result


def _add_result(response: httpx.Response) -> Any:
    return endpoints.parse_kv_add(response).result


def _remove_result(response: httpx.Response) -> Any:
    return endpoints.parse_kv_remove(response).result


def _get_result(response: httpx.Response) -> Any:
    return endpoints.parse_kv_get(response).result


def _get_many_result(response: httpx.Response) -> list[Any]:
    return endpoints.parse_kv_get_many(response).result


def _set_result(response: httpx.Response) -> bool:
    return endpoints.parse_kv_set(response).result


def _batch_put_result(response: httpx.Response) -> bool:
    return endpoints.parse_kv_batch_put(response).result


def _del_result(response: httpx.Response) -> bool:
    return endpoints.parse_kv_del(response).result


def _flush_result(response: httpx.Response) -> bool:
    return endpoints.parse_kv_flush(response).result


def _incr_result(response: httpx.Response) -> int | float:
    return endpoints.parse_kv_incr(response).result


def _decr_result(response: httpx.Response) -> int | float:
    return endpoints.parse_kv_decr(response).result


def _expire_result(response: httpx.Response) -> None:
    endpoints.parse_kv_expire(response)


def _expire_at_result(response: httpx.Response) -> None:
    endpoints.parse_kv_expire_at(response)


def _key_page(response: httpx.Response, prefix: str) -> Page[Any]:
    page = endpoints.parse_kv_list_keys(response).result
    keys = page.items
    if prefix:
        keys = [key for key in keys if key.startswith(prefix)]
    return Page(keys, page.cursor, page.total)


def _entry_page(response: httpx.Response, prefix: str) -> Page[Any]:
    page = endpoints.parse_kv_list_entries(response).result
    pairs = [_pair(entry) for entry in page.items if entry.key.startswith(prefix)]
    return Page(pairs, page.cursor, page.total)


def _pair(entry: KvEntry) -> tuple[str, Any]:
    value = entry.value
    return entry.key, (None if value is UNSET else value)
