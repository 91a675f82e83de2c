"""``client.apps``: register, read, change, delete and list apps (``puter-apps``).

``AppCalls`` holds the pure flows; ``Apps`` (what users reach as ``client.apps``) runs
them blocking or, in its ``async_`` twins, async. Every refusal before a request is a
``PuterInputError`` (``code="invalid_request"``, puter.js's message where it has one).
A taken name is ``PuterConflictError`` whether the server said 400
``app_name_already_in_use`` (``create``) or 409 ``conflict`` (``update``); the
server's status and code are kept. Listings come in three forms sharing ``Page[App]``:
``list`` (every app, pages fetched lazily), ``pages`` and ``page``.
"""

from __future__ import annotations

import builtins
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypedDict

import httpx

from puter_client._generated import endpoints, models
from puter_client.core.exceptions import (
    PuterAPIError,
    PuterConflictError,
    PuterInputError,
    PuterInputTypeError,
)
from puter_client.core.flow import Flow
from puter_client.core.paging import (
    FetchPage,
    Page,
    PageArgs,
    PageFlows,
    async_iterate_items,
    async_iterate_pages,
    checked_count,
    cursor_pages,
    item_pages,
    iterate_items,
    iterate_pages,
    single_page,
)
from puter_client.core.serialization import unstructure
from puter_client.core.session import Session
from puter_client.services.apps.results import App, AppUser, DeveloperProfile, NameCheck

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = [
    "APPS_DRIVER",
    "PAGE_SIZE",
    "AppCalls",
    "AppChanges",
    "AppFields",
    "AppRef",
    "Apps",
]

APPS_DRIVER = "es:app"
"""The driver of the ``puter-apps`` interface."""
PAGE_SIZE = 100
"""Apps asked for per page by ``list`` (the server's own default is 500)."""
USERS_PAGE_SIZE = 100

AppRef = App | str
"""An app, or its name."""


class AppFields(TypedDict, total=False):
    """The optional fields of ``create`` (only those given are sent)."""

    description: str
    icon: str
    maximize_on_start: bool
    background: bool
    feedback_enabled: bool
    filetype_associations: Sequence[str]
    metadata: Mapping[str, Any]


class AppChanges(AppFields, total=False):
    """The fields ``update`` may change (only those given; the others are kept)."""

    new_name: str
    index_url: str
    title: str


_BOOLS = frozenset({"maximize_on_start", "background", "feedback_enabled"})
_TEXTS = frozenset({"description", "icon", "index_url", "title", "new_name"})


def _input_error(message: str) -> PuterInputError:
    return PuterInputError(message, code="invalid_request")


def _type_error(name: str, wanted: str, value: object) -> PuterInputTypeError:
    return PuterInputTypeError(
        f"{name} must be {wanted}, not {type(value).__name__}", code="invalid_request"
    )


def _required(value: object, argument: str, message: str) -> str:
    if value is None or value == "":
        raise _input_error(message)
    if not isinstance(value, str):
        raise _type_error(argument, "a str", value)
    return value


def checked_name(name: object) -> str:
    """An app name as given, or ``PuterInputError("Name is required")``."""
    return _required(name, "name", "Name is required")


def _fields(given: Mapping[str, Any], allowed: frozenset[str]) -> dict[str, Any]:
    """The wire ``object`` of the fields given (None: not given), each checked."""
    unknown = sorted(set(given) - allowed)
    if unknown:
        raise PuterInputTypeError(
            f"unknown app field(s): {', '.join(unknown)}", code="invalid_request"
        )
    wire: dict[str, Any] = {}
    for key, value in given.items():
        if value is None:
            continue
        if key in _BOOLS and not isinstance(value, bool):
            raise _type_error(key, "a bool", value)
        if key in _TEXTS and not isinstance(value, str):
            raise _type_error(key, "a str", value)
        if key == "filetype_associations":
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise _type_error(key, "a sequence of str", value)
            value = list(value)
        if key == "metadata":
            if not isinstance(value, Mapping):
                raise _type_error(key, "a mapping", value)
            value = dict(value)
        if key in ("new_name", "index_url", "title") and not value:
            raise _input_error(f"{key} must not be empty")
        wire["name" if key == "new_name" else key] = value
    return wire


_CREATE_FIELDS = frozenset(AppFields.__annotations__)
_UPDATE_FIELDS = frozenset(AppChanges.__annotations__) | _CREATE_FIELDS


def _params(icon_size: int | None, stats_period: str | None) -> models.AppReadParams | None:
    if icon_size is not None:
        checked_count("icon_size", icon_size)
    if stats_period is not None and not isinstance(stats_period, str):
        raise _type_error("stats_period", "a str", stats_period)
    if icon_size is None and stats_period is None:
        return None
    return models.AppReadParams(icon_size=icon_size, stats_period=stats_period)


def as_conflict(exc: PuterAPIError) -> PuterConflictError:
    """``exc`` as a ``PuterConflictError``, its status, code, body and request kept."""
    return PuterConflictError(
        exc.message, status_code=exc.status_code, code=exc.code, body=exc.body,
        method=exc.method, url=exc.url,
    )  # fmt: skip


class AppCalls:
    """The flows of ``client.apps`` over one session (pure: no I/O of their own)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def create(
        self,
        name: str,
        index_url: str,
        title: str | None,
        fields: Mapping[str, Any],
        dedupe_name: bool,
    ) -> Flow[App]:
        obj: dict[str, Any] = {
            "name": checked_name(name),
            "index_url": _required(index_url, "index_url", "Index URL is required"),
            "title": name if title is None else _required(title, "title", "Title is required"),
        }
        obj.update(_fields(fields, _CREATE_FIELDS))
        if not isinstance(dedupe_name, bool):
            raise _type_error("dedupe_name", "a bool", dedupe_name)
        args = models.AppsCreateArgs(
            object=models.AppFields(**obj),
            options=models.AppsCreateOptions(dedupe_name=dedupe_name),
        )
        return self._create(models.AppsCreateCall(driver=APPS_DRIVER, args=args))

    def _create(self, call: models.AppsCreateCall) -> Flow[App]:
        try:
            return (yield from self._session.send(endpoints.APPS_CREATE, _app, body=call))
        except PuterAPIError as exc:
            if exc.code == "app_name_already_in_use":
                raise as_conflict(exc) from None
            raise

    def get(self, name: str, icon_size: int | None, stats_period: str | None) -> Flow[App]:
        args = models.AppsReadArgs(
            id=models.AppId(name=checked_name(name)), params=_params(icon_size, stats_period)
        )
        call = models.AppsReadCall(driver=APPS_DRIVER, args=args)
        return self._session.send(endpoints.APPS_READ, _app, body=call)

    def update(self, name: str, changes: Mapping[str, Any]) -> Flow[App]:
        args = models.AppsUpdateArgs(
            id=models.AppId(name=checked_name(name)),
            object=models.AppFields(**_fields(changes, _UPDATE_FIELDS)),
        )
        return self._session.send(
            endpoints.APPS_UPDATE, _app, body=models.AppsUpdateCall(driver=APPS_DRIVER, args=args)
        )

    def delete(self, name: str) -> Flow[None]:
        args = models.AppsDeleteArgs(id=models.AppId(name=checked_name(name)))
        call = models.AppsDeleteCall(driver=APPS_DRIVER, args=args)
        return self._session.send(endpoints.APPS_DELETE, _nothing, body=call)

    def fetch(self, icon_size: int | None, stats_period: str | None) -> FetchPage[App]:
        """The page fetcher of the listings (the filters checked now)."""
        params = _params(icon_size, stats_period)

        def fetch(page: PageArgs) -> Flow[Page[App]]:
            total = page.include_total or None
            if page.offset is None:  # a cursor (null for the first page) asks for the envelope
                args = models.AppsSelectArgs(
                    predicate=["user-can-edit"], params=params, limit=page.limit,
                    cursor=page.cursor, include_total=total,
                )  # fmt: skip
            else:
                args = models.AppsSelectArgs(
                    predicate=["user-can-edit"], params=params, limit=page.limit,
                    offset=page.offset, include_total=total,
                )  # fmt: skip
            call = models.AppsSelectCall(driver=APPS_DRIVER, args=args)
            return self._session.send(endpoints.APPS_SELECT, _app_page, body=call)

        return fetch

    def check_name(self, name: str) -> Flow[NameCheck]:
        request_name = checked_name(name)
        return self._session.send(
            endpoints.APPS_NAME_AVAILABLE, _name_check, params={"name": request_name}
        )

    def developer_profile(self) -> Flow[DeveloperProfile]:
        return self._session.send(endpoints.APPS_DEVELOPER_PROFILE, _profile)

    def user_pages(self, app: AppRef, page_size: int) -> PageFlows[AppUser]:
        """The page flows of an app's users, by offset (carried as the cursor)."""
        size = checked_count("page_size", page_size)
        resolved = self._app_uid(app)
        uid: list[str] = []

        def page(cursor: str | None) -> Flow[Page[AppUser]]:
            if not uid:
                uid.append((yield from resolved()))
            offset = int(cursor or 0)
            users = yield from self._users(uid[0], size, offset)
            more = len(users) == size
            return Page(users, str(offset + len(users)) if more else None)

        return page

    def get_users(self, app: AppRef, limit: int, offset: int) -> Flow[list[AppUser]]:
        checked_count("limit", limit)
        checked_count("offset", offset, minimum=0)
        resolved = self._app_uid(app)

        def flow() -> Flow[list[AppUser]]:
            uid = yield from resolved()
            return (yield from self._users(uid, limit, offset))

        return flow()

    def _app_uid(self, app: AppRef) -> Callable[[], Flow[str]]:
        if isinstance(app, App):
            known = app.uid

            def given() -> Flow[str]:
                return known
                yield  # a generator, so that it is a flow

            return given
        name = checked_name(app)

        def looked_up() -> Flow[str]:
            return (yield from self.get(name, None, None)).uid

        return looked_up

    def _users(self, uid: str, limit: int, offset: int) -> Flow[list[AppUser]]:
        args = models.AppUsersArgs(app_uuid=uid, limit=limit, offset=offset)
        call = models.AppUsersCall(driver="app-telemetry", args=args)
        return self._session.send(endpoints.APPS_GET_USERS, _users, body=call)


def _app(response: httpx.Response) -> App:
    return App.from_wire(unstructure(endpoints.parse_apps_read(response).result))


def _nothing(response: httpx.Response) -> None:
    endpoints.parse_apps_delete(response)


def _app_page(response: httpx.Response) -> Page[App]:
    page = endpoints.parse_apps_select(response).result
    items = [App.from_wire(unstructure(item)) for item in page.items]
    return Page(items, page.cursor or None, page.total)


def _name_check(response: httpx.Response) -> NameCheck:
    answer = endpoints.parse_apps_name_available(response)
    return NameCheck(answer.name, answer.available)


def _profile(response: httpx.Response) -> DeveloperProfile:
    answer = endpoints.parse_apps_developer_profile(response)
    return DeveloperProfile(
        first_name=answer.first_name if isinstance(answer.first_name, str) else None,
        last_name=answer.last_name if isinstance(answer.last_name, str) else None,
        paypal=answer.paypal if isinstance(answer.paypal, str) else None,
        approved_for_incentive_program=answer.approved_for_incentive_program is True,
        joined_incentive_program=answer.joined_incentive_program is True,
    )


def _users(response: httpx.Response) -> list[AppUser]:
    rows = endpoints.parse_apps_get_users(response).result
    return [AppUser.from_wire(unstructure(row)) for row in rows]


class Apps:
    """Your apps on Puter (``client.apps``); every method has an ``async_`` twin.

    ``client.apps.create("my-app", "https://example.com")``, ``get``, ``update`` (only
    the fields given), ``delete``, ``check_name``, ``developer_profile``, an app's
    ``users``; listings as ``list`` (lazy), ``pages`` and ``page``.
    """

    def __init__(self, session: Session) -> None:
        self._session = session
        self._calls = AppCalls(session)

    def __repr__(self) -> str:
        return f"Apps({self._session!r})"

    def create(
        self,
        name: str,
        index_url: str,
        title: str | None = None,
        *,
        dedupe_name: bool = False,
        **fields: Unpack[AppFields],
    ) -> App:
        """Register an app opening ``index_url``; ``title`` defaults to ``name``.

        Only the fields given are sent. A taken name raises ``PuterConflictError``
        (status 400, code ``app_name_already_in_use``), unless ``dedupe_name`` lets the
        server pick ``<name>-xxxx``.
        """
        return self._session.run(self._calls.create(name, index_url, title, fields, dedupe_name))

    async def async_create(
        self,
        name: str,
        index_url: str,
        title: str | None = None,
        *,
        dedupe_name: bool = False,
        **fields: Unpack[AppFields],
    ) -> App:
        """Async ``create``."""
        flow = self._calls.create(name, index_url, title, fields, dedupe_name)
        return await self._session.async_run(flow)

    def get(
        self, name: str, *, icon_size: int | None = None, stats_period: str | None = None
    ) -> App:
        """The app named ``name`` (``PuterNotFoundError`` when there is none); its
        ``stats`` for ``stats_period`` (``today``, ``7d``...) when given."""
        return self._session.run(self._calls.get(name, icon_size, stats_period))

    async def async_get(
        self, name: str, *, icon_size: int | None = None, stats_period: str | None = None
    ) -> App:
        """Async ``get``."""
        return await self._session.async_run(self._calls.get(name, icon_size, stats_period))

    def update(self, name: str, **changes: Unpack[AppChanges]) -> App:
        """Change the fields given (``new_name``, ``index_url``, ``title``...); the others
        are kept. ``PuterNotFoundError`` for an unknown app, ``PuterConflictError`` when
        ``new_name`` is taken."""
        return self._session.run(self._calls.update(name, changes))

    async def async_update(self, name: str, **changes: Unpack[AppChanges]) -> App:
        """Async ``update``."""
        return await self._session.async_run(self._calls.update(name, changes))

    def delete(self, name: str) -> None:
        """Delete the app (``PuterNotFoundError`` when there is none)."""
        return self._session.run(self._calls.delete(name))

    async def async_delete(self, name: str) -> None:
        """Async ``delete``."""
        return await self._session.async_run(self._calls.delete(name))

    def list(
        self,
        *,
        limit: int | None = None,
        icon_size: int | None = None,
        stats_period: str | None = None,
    ) -> Iterator[App]:
        """Your apps, fetched page by page as you iterate (nothing is sent before);
        at most ``limit`` of them (one request when they fit one page)."""
        fetch = self._calls.fetch(icon_size, stats_period)
        return iterate_items(self._session.run, item_pages(fetch, limit, PAGE_SIZE), limit)

    def async_list(
        self,
        *,
        limit: int | None = None,
        icon_size: int | None = None,
        stats_period: str | None = None,
    ) -> AsyncIterator[App]:
        """Async ``list``: ``async for app in client.apps.async_list()``."""
        fetch = self._calls.fetch(icon_size, stats_period)
        pages = item_pages(fetch, limit, PAGE_SIZE)
        return async_iterate_items(self._session.async_run, pages, limit)

    def pages(
        self,
        *,
        page_size: int | None = None,
        cursor: str | None = None,
        include_total: bool = False,
        icon_size: int | None = None,
        stats_period: str | None = None,
    ) -> Iterator[Page[App]]:
        """Your apps page by page from ``cursor`` (each fetched as you iterate);
        ``include_total`` asks the first page for the ``total``."""
        fetch = self._calls.fetch(icon_size, stats_period)
        return iterate_pages(
            self._session.run, cursor_pages(fetch, page_size, cursor, include_total), cursor
        )

    def async_pages(
        self,
        *,
        page_size: int | None = None,
        cursor: str | None = None,
        include_total: bool = False,
        icon_size: int | None = None,
        stats_period: str | None = None,
    ) -> AsyncIterator[Page[App]]:
        """Async ``pages``."""
        fetch = self._calls.fetch(icon_size, stats_period)
        pages = cursor_pages(fetch, page_size, cursor, include_total)
        return async_iterate_pages(self._session.async_run, pages, cursor)

    def page(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        offset: int | None = None,
        include_total: bool = False,
        icon_size: int | None = None,
        stats_period: str | None = None,
    ) -> Page[App]:
        """One page of your apps, in one request: from ``cursor`` (or ``offset``; not
        both), at most ``limit``; ``include_total`` adds the ``total``."""
        fetch = self._calls.fetch(icon_size, stats_period)
        return self._session.run(single_page(fetch, limit, cursor, offset, include_total))

    async def async_page(
        self,
        *,
        limit: int | None = None,
        cursor: str | None = None,
        offset: int | None = None,
        include_total: bool = False,
        icon_size: int | None = None,
        stats_period: str | None = None,
    ) -> Page[App]:
        """Async ``page``."""
        fetch = self._calls.fetch(icon_size, stats_period)
        return await self._session.async_run(
            single_page(fetch, limit, cursor, offset, include_total)
        )

    def check_name(self, name: str) -> NameCheck:
        """Whether ``name`` is free for a new app."""
        return self._session.run(self._calls.check_name(name))

    async def async_check_name(self, name: str) -> NameCheck:
        """Async ``check_name``."""
        return await self._session.async_run(self._calls.check_name(name))

    def developer_profile(self) -> DeveloperProfile:
        """Your developer profile."""
        return self._session.run(self._calls.developer_profile())

    async def async_developer_profile(self) -> DeveloperProfile:
        """Async ``developer_profile``."""
        return await self._session.async_run(self._calls.developer_profile())

    def users(self, app: AppRef, *, page_size: int = USERS_PAGE_SIZE) -> Iterator[AppUser]:
        """The users of your ``app`` (an ``App`` or its name), fetched page by page as
        you iterate (``PuterPermissionError`` for an app you do not own)."""
        return iterate_items(self._session.run, self._calls.user_pages(app, page_size))

    def async_users(
        self, app: AppRef, *, page_size: int = USERS_PAGE_SIZE
    ) -> AsyncIterator[AppUser]:
        """Async ``users``."""
        return async_iterate_items(self._session.async_run, self._calls.user_pages(app, page_size))

    def get_users(
        self, app: AppRef, *, limit: int = 100, offset: int = 0
    ) -> builtins.list[AppUser]:
        """One page of your ``app``'s users: at most ``limit``, after ``offset``."""
        return self._session.run(self._calls.get_users(app, limit, offset))

    async def async_get_users(
        self, app: AppRef, *, limit: int = 100, offset: int = 0
    ) -> builtins.list[AppUser]:
        """Async ``get_users``."""
        return await self._session.async_run(self._calls.get_users(app, limit, offset))
