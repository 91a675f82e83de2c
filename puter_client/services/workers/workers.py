"""``client.workers``: create (sandboxed under its own app by default, unsandboxed, or
bound to a named app), get, delete, list, ``exec`` and ``deploy`` serverless workers.

``WorkerCalls`` holds the pure flows; ``Workers`` (``client.workers``) runs them blocking
or async. ``create`` does what puter.js does around the ``workers`` driver: it picks the
sandbox app ``sandbox-<name>`` (made on first use) unless told otherwise, and records the
deployment in the key-value store under ``user-workers`` (``{filePath, url, deployTime,
createTime}``), which ``exec`` reads to reach a worker by name at the URL its deployment
answered. ``exec`` is one plain HTTP request to the worker (never retried unless it is a
GET); its status is an answer, whatever it is.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from puter_client._generated import endpoints, models
from puter_client.core.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterConflictError,
    PuterInputError,
    PuterInputTypeError,
    PuterNotFoundError,
)
from puter_client.core.flow import Flow, Send
from puter_client.core.paging import (
    FetchPage,
    Listing,
    Page,
    PageArgs,
)
from puter_client.core.retry import RetryClass
from puter_client.core.serialization import unstructure
from puter_client.core.session import Session
from puter_client.services.account.account import AccountService
from puter_client.services.apps.apps import AppCalls
from puter_client.services.fs.fs import FileSystem
from puter_client.services.fs.path import RemotePath, remote_path
from puter_client.services.kv.kv import KvCalls
from puter_client.services.workers.results import Worker, WorkerDeployment, WorkerResponse

__all__ = ["PAGE_SIZE", "RECORD_KEY", "WORKERS_DRIVER", "WorkerCalls", "WorkerSource", "Workers"]

WORKERS_DRIVER = "worker-service"
"""The driver of the ``workers`` interface."""
PAGE_SIZE = 100
"""Workers asked for per page by ``list``."""
RECORD_KEY = "user-workers"
"""The key-value entry where deployments are recorded (as puter.js records them)."""
SANDBOX_INDEX_URL = "https://worker-sandbox.puter.com/"
"""The ``index_url`` of a worker's sandbox app."""

WorkerSource = str | bytes | os.PathLike[str]
"""A worker's code: a local ``.js`` file (``os.PathLike``), or the code itself."""

_NAME = re.compile(r"^[A-Za-z0-9_-]+$")
_NO_AUTH = "x-puter-no-auth"
_AUTH = "puter-auth"


def checked_name(name: object) -> str:
    """A worker name, lower-cased (as the server stores it); else ``PuterInputError``."""
    if not isinstance(name, str):
        raise PuterInputTypeError(
            f"name must be a str, not {type(name).__name__}", code="invalid_request"
        )
    if not _NAME.fullmatch(name):
        raise PuterInputError(
            f"Worker name must be alphanumeric (plus _ and -): {name!r}", code="invalid_request"
        )
    return name.lower()


def _not_found(name: str) -> PuterNotFoundError:
    return PuterNotFoundError(f"Worker not found: {name!r}", code="not_found")


def loopback(request_url: httpx.URL) -> tuple[httpx.URL, dict[str, str]]:
    """Where to connect for ``request_url``: a ``*.localhost`` host is loopback (RFC
    6761), which glibc does not resolve, so it is reached on 127.0.0.1 keeping its
    ``Host``."""
    if request_url.host == "localhost" or request_url.host.endswith(".localhost"):
        host = request_url.netloc.decode("ascii")
        return request_url.copy_with(host="127.0.0.1"), {"Host": host}
    return request_url, {}


class WorkerCalls:
    """The flows of ``client.workers`` over one session (pure: no I/O of their own)."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self._apps = AppCalls(session)
        self._kv = KvCalls(session)
        self._account = AccountService(session)

    # ------------------------------------------------------------------ helpers

    def _token(self) -> Flow[str]:
        """The session token, logging in first if there is none yet."""
        if self._session.token is not None:
            return self._session.token
        if not self._session.has_credentials():
            raise PuterAuthError(
                "not authenticated: call login() first, or create PuterAI with token="
            )
        return (yield from self._session.shared_login())

    def _app_named(self, name: str) -> Flow[str]:
        fetch = self._apps.fetch(None, None)
        cursor: str | None = None
        while True:
            page = yield from fetch(PageArgs(limit=PAGE_SIZE, cursor=cursor))
            for app in page.items:
                if app.name == name:
                    return app.uid
            if page.cursor is None:
                raise PuterNotFoundError(
                    f"No app named '{name}' in your account", code="app_not_found"
                )
            cursor = page.cursor

    def _sandbox_app(self, name: str, me: str | None) -> Flow[str]:
        sandbox = f"sandbox-{name}"
        try:
            app = yield from self._apps.get(sandbox, None, None)
        except PuterNotFoundError:
            app = yield from self._apps.create(sandbox, SANDBOX_INDEX_URL, None, {}, False)
        if app.owner is None or app.owner.uuid != me:
            raise PuterConflictError(
                f"Sandbox context is not owned by you: the app {sandbox!r} belongs to "
                "another account",
                code="sandbox_not_owned",
            )
        return app.uid

    def _records(self) -> Flow[dict[str, Any]]:
        records = yield from self._kv.get(RECORD_KEY)
        return dict(records) if isinstance(records, Mapping) else {}

    # ------------------------------------------------------------------ driver calls

    def create(
        self, name: str, file_path: RemotePath, app: str | None, sandbox: bool | None
    ) -> Flow[WorkerDeployment]:
        worker = checked_name(name)
        path = remote_path(file_path, "file_path")
        if app is not None and (not isinstance(app, str) or not app):
            raise PuterInputError("app must be a non-empty app name", code="invalid_request")
        if sandbox is not None and not isinstance(sandbox, bool):
            raise PuterInputTypeError(
                f"sandbox must be a bool, not {type(sandbox).__name__}", code="invalid_request"
            )
        return self._create(worker, path, app, sandbox)

    def _create(
        self, name: str, path: str, app: str | None, sandbox: bool | None
    ) -> Flow[WorkerDeployment]:
        app_uid: str | None = None
        if app is not None:
            app_uid = yield from self._app_named(app)
        elif sandbox is not False:
            account = yield from self._account.whoami()
            if sandbox or account.whoami.is_user_token is True:
                app_uid = yield from self._sandbox_app(name, account.uuid)
        token = yield from self._token()
        args = models.WorkersCreateArgs(
            authorization=token, file_path=path, worker_name=name, app_id=app_uid
        )
        call = models.WorkersCreateCall(driver=WORKERS_DRIVER, args=args)
        answer = yield from self._session.send(
            endpoints.WORKERS_CREATE, endpoints.parse_workers_create, body=call
        )
        result = answer.result
        errors = list(result.errors or [])
        if not result.success:
            raise PuterAPIError(
                f"the worker {name!r} was not deployed: {errors}", code="deploy_failed",
                body=errors,
            )  # fmt: skip
        url = result.url if isinstance(result.url, str) else None
        records = yield from self._records()
        now = int(time.time() * 1000)
        records[name] = {"filePath": path, "url": url, "deployTime": now, "createTime": now}
        yield from self._kv.set(RECORD_KEY, records, None)
        return WorkerDeployment(success=True, url=url, errors=errors)

    def get(self, name: str) -> Flow[Worker]:
        worker = checked_name(name)
        call = models.WorkersGetCall(
            driver=WORKERS_DRIVER, args=models.WorkersGetArgs(worker_name=worker)
        )
        return self._get(worker, call)

    def _get(self, name: str, call: models.WorkersGetCall) -> Flow[Worker]:
        answer = yield from self._session.send(
            endpoints.WORKERS_GET, endpoints.parse_workers_get, body=call
        )
        if not answer.result:
            raise _not_found(name)
        return Worker.from_wire(unstructure(answer.result[0]))

    def delete(self, name: str) -> Flow[None]:
        return self._delete(checked_name(name))

    def _delete(self, name: str) -> Flow[None]:
        token = yield from self._token()
        args = models.WorkersDestroyArgs(authorization=token, worker_name=name)
        call = models.WorkersDestroyCall(driver=WORKERS_DRIVER, args=args)
        yield from self._session.send(
            endpoints.WORKERS_DESTROY, endpoints.parse_workers_destroy, body=call
        )
        records = yield from self._records()
        if records.pop(name, None) is not None:
            yield from self._kv.set(RECORD_KEY, records, None)

    def fetch(self) -> FetchPage[Worker]:
        """The page fetcher of the listings."""

        def fetch(page: PageArgs) -> Flow[Page[Worker]]:
            total = page.include_total or None
            if page.offset is None:  # a cursor (null at first) asks for the page envelope
                args = models.WorkersSelectArgs(
                    limit=page.limit, cursor=page.cursor, include_total=total
                )
            else:
                args = models.WorkersSelectArgs(
                    limit=page.limit, offset=page.offset, include_total=total
                )
            call = models.WorkersSelectCall(driver=WORKERS_DRIVER, args=args)
            return self._session.send(endpoints.WORKERS_SELECT, _page, body=call)

        return fetch

    # ------------------------------------------------------------------ exec

    def exec(
        self,
        name_or_url: str,
        path: str,
        method: str,
        json: Any,
        content: bytes | str | None,
        headers: Mapping[str, str] | None,
        auth: bool,
        timeout: float | None,
    ) -> Flow[WorkerResponse]:
        if not isinstance(name_or_url, str) or not name_or_url:
            raise PuterInputError(
                "name_or_url must be a worker name or URL", code="invalid_request"
            )
        if "://" not in name_or_url:
            checked_name(name_or_url)
        if not isinstance(path, str):
            raise PuterInputTypeError("path must be a str", code="invalid_request")
        if not isinstance(method, str) or not method.isalpha():
            raise PuterInputError(
                f"method must be an HTTP method, got {method!r}", code="invalid_request"
            )
        if json is not None and content is not None:
            raise PuterInputError("pass json or content, not both", code="invalid_request")
        if content is not None and not isinstance(content, (bytes, str)):
            raise PuterInputTypeError("content must be bytes or str", code="invalid_request")
        if timeout is not None and (isinstance(timeout, bool) or not timeout > 0):
            raise PuterInputError("timeout must be a number > 0", code="invalid_request")
        given = httpx.Headers(headers or {})
        if not isinstance(auth, bool):
            raise PuterInputTypeError("auth must be a bool", code="invalid_request")
        # Build the request now, so that a bad header or body fails before any request.
        body = httpx.Request(method.upper(), "http://x/", json=json, content=content)
        return self._exec(name_or_url, path, body, given, auth, timeout)

    def _url(self, name_or_url: str) -> Flow[str]:
        if "://" in name_or_url:
            return name_or_url
        name = name_or_url.lower()
        records = yield from self._records()
        record = records.get(name)
        if isinstance(record, Mapping) and isinstance(record.get("url"), str):
            return str(record["url"])
        worker = yield from self._get(
            name,
            models.WorkersGetCall(
                driver=WORKERS_DRIVER, args=models.WorkersGetArgs(worker_name=name)
            ),
        )
        if worker.url is None:
            raise _not_found(name)
        return worker.url

    def _exec(
        self,
        name_or_url: str,
        path: str,
        body: httpx.Request,
        given: httpx.Headers,
        auth: bool,
        timeout: float | None,
    ) -> Flow[WorkerResponse]:
        base = yield from self._url(name_or_url)
        headers = httpx.Headers(self._session.headers)
        headers.update({k: v for k, v in body.headers.items() if k.lower() != "host"})
        headers.update(given)
        if _NO_AUTH in headers:
            del headers[_NO_AUTH]
        elif auth and _AUTH not in headers:
            headers[_AUTH] = yield from self._token()
        url = httpx.URL(base.rstrip("/") + "/" + path.lstrip("/"))
        target, host = loopback(url)
        headers.update(host)
        request = httpx.Request(body.method, target, headers=headers, content=body.content)
        if timeout is not None:
            request.extensions["timeout"] = httpx.Timeout(timeout).as_dict()
        is_get = body.method == "GET"
        policy = (
            self._session.policy if is_get else attrs.evolve(self._session.policy, max_retries=0)
        )
        limiter = self._session.limiter("workers.exec")
        response = yield Send(request, policy, RetryClass.IDEMPOTENT, limiter=limiter)
        return WorkerResponse(
            status=response.status_code,
            headers=dict(response.headers),
            content=response.content,
            url=str(url),
        )


def _page(response: httpx.Response) -> Page[Worker]:
    page = endpoints.parse_workers_select(response).result
    return Page(
        [Worker.from_wire(unstructure(item)) for item in page.items],
        page.cursor or None,
        page.total,
    )


def _deploy_target(name: str, source: object, remote: RemotePath | None) -> tuple[str, str, Any]:
    worker = checked_name(name)
    if not isinstance(source, (str, bytes, os.PathLike)):
        raise PuterInputTypeError(
            f"source must be a local file's path (os.PathLike), or the code as str or bytes, "
            f"not {type(source).__name__}",
            code="invalid_request",
        )
    if isinstance(source, os.PathLike) and not os.path.isfile(os.fspath(source)):
        raise FileNotFoundError(f"no local worker file: {os.fspath(source)!r}")
    path = remote_path(f"~/Workers/{worker}.js" if remote is None else remote, "remote_path")
    return worker, path, source


class Workers(Listing[Worker]):
    """Your serverless workers on Puter (``client.workers``); every method has an
    ``async_`` twin.

    ``client.workers.deploy("hello", Path("hello.js"))`` then
    ``client.workers.exec("hello", "/api/hi").json()``.
    """

    _page_size = PAGE_SIZE

    def __init__(self, session: Session) -> None:
        self._session = session
        self._calls = WorkerCalls(session)
        self._fs = FileSystem(session)

    def __repr__(self) -> str:
        return f"Workers({self._session!r})"

    def create(
        self,
        name: str,
        file_path: RemotePath,
        *,
        app: str | None = None,
        sandbox: bool | None = None,
    ) -> WorkerDeployment:
        """Deploy the cloud file ``file_path`` as the worker ``name`` (lower-cased).

        By default (``sandbox=None``: a login session's token) the worker runs as its
        own app ``sandbox-<name>`` (made on first use), with its own key-value store;
        ``sandbox=False`` runs it as you; ``app="x"`` binds it to your app ``x``
        (``PuterNotFoundError`` with ``code="app_not_found"`` when you have none).
        Deploying your own name again redeploys it.
        """
        return self._session.run(self._calls.create(name, file_path, app, sandbox))

    async def async_create(
        self,
        name: str,
        file_path: RemotePath,
        *,
        app: str | None = None,
        sandbox: bool | None = None,
    ) -> WorkerDeployment:
        """Async ``create``."""
        return await self._session.async_run(self._calls.create(name, file_path, app, sandbox))

    def deploy(
        self,
        name: str,
        source: WorkerSource,
        *,
        remote_path: RemotePath | None = None,
        app: str | None = None,
        sandbox: bool | None = None,
    ) -> WorkerDeployment:
        """Write ``source`` (a local ``.js`` file as an ``os.PathLike``, or the code as
        ``str``/``bytes``) to ``remote_path`` (default ``~/Workers/<name>.js``), then
        ``create`` the worker from it."""
        worker, path, data = _deploy_target(name, source, remote_path)
        self._fs.write(path, data, create_parents=True, content_type="text/javascript")
        return self._session.run(self._calls.create(worker, path, app, sandbox))

    async def async_deploy(
        self,
        name: str,
        source: WorkerSource,
        *,
        remote_path: RemotePath | None = None,
        app: str | None = None,
        sandbox: bool | None = None,
    ) -> WorkerDeployment:
        """Async ``deploy``."""
        worker, path, data = _deploy_target(name, source, remote_path)
        await self._fs.async_write(path, data, create_parents=True, content_type="text/javascript")
        return await self._session.async_run(self._calls.create(worker, path, app, sandbox))

    def get(self, name: str) -> Worker:
        """The worker ``name`` (case-insensitive; ``PuterNotFoundError`` when none)."""
        return self._session.run(self._calls.get(name))

    async def async_get(self, name: str) -> Worker:
        """Async ``get``."""
        return await self._session.async_run(self._calls.get(name))

    def delete(self, name: str) -> None:
        """Delete the worker (its file stays) and forget its deployment record."""
        return self._session.run(self._calls.delete(name))

    async def async_delete(self, name: str) -> None:
        """Async ``delete``."""
        return await self._session.async_run(self._calls.delete(name))

    def _fetch_page(self) -> FetchPage[Worker]:
        return self._calls.fetch()

    def exec(
        self,
        name_or_url: str,
        path: str = "/",
        *,
        method: str = "GET",
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        timeout: float | None = None,
    ) -> WorkerResponse:
        """One HTTP request to a worker (by name: at the URL its deployment answered),
        whatever status it answers. Your session goes along as ``puter-auth`` (the
        worker's ``user.puter``) unless ``auth=False``, or ``headers`` holds
        ``puter-auth`` (kept) or ``x-puter-no-auth`` (removed, not sent). Only a GET is
        retried."""
        flow = self._calls.exec(name_or_url, path, method, json, content, headers, auth, timeout)
        return self._session.run(flow)

    async def async_exec(
        self,
        name_or_url: str,
        path: str = "/",
        *,
        method: str = "GET",
        json: Any = None,
        content: bytes | str | None = None,
        headers: Mapping[str, str] | None = None,
        auth: bool = True,
        timeout: float | None = None,
    ) -> WorkerResponse:
        """Async ``exec``."""
        flow = self._calls.exec(name_or_url, path, method, json, content, headers, auth, timeout)
        return await self._session.async_run(flow)
