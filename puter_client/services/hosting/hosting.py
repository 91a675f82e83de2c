"""``client.hosting``: create, read, repoint, delete and list sites, and ``publish`` a
local folder as a site in one call.

``SiteCalls`` holds the pure flows; ``Hosting`` (``client.hosting``) runs them blocking or
async. A site's ``url`` is ``<scheme>://<subdomain>.<hosting domain>[:port]/`` from the
``hosting_domain`` option (``PUTER_HOSTING_DOMAIN``); by default ``puter.site`` for
``api.puter.com``, else ``site.<domain of api_base>`` with its scheme and port, as a
self-hosted server's ``static_hosting_domain``. ``publish`` uploads through the public
``client.fs`` writes (streamed from disk, ``concurrency`` at a time), then creates the
site, or repoints it when the subdomain is already yours.
"""

from __future__ import annotations

import asyncio
import os
import re
from concurrent.futures import FIRST_EXCEPTION, ThreadPoolExecutor, wait
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

import httpx

from puter_client._generated import endpoints, models
from puter_client.core.configuration import PuterConfig
from puter_client.core.exceptions import (
    PuterInputError,
    PuterInputTypeError,
    PuterNotFoundError,
    PuterPermissionError,
)
from puter_client.core.flow import Flow
from puter_client.core.paging import (
    FetchPage,
    Listing,
    Page,
    PageArgs,
    checked_count,
)
from puter_client.core.serialization import unstructure
from puter_client.core.session import Session
from puter_client.services.fs.fs import FileSystem
from puter_client.services.fs.path import RemotePath, remote_path
from puter_client.services.hosting.results import Site

__all__ = ["HOSTING_DRIVER", "PAGE_SIZE", "Hosting", "SiteCalls", "hosting_origin", "site_url"]

HOSTING_DRIVER = "es:subdomain"
"""The driver of the ``puter-subdomains`` interface (its default)."""
PAGE_SIZE = 100
"""Sites asked for per page by ``list``."""
PUBLISH_CONCURRENCY = 8
"""Uploads ``publish`` keeps in flight by default."""
WORKER_PREFIX = "workers.puter."
"""Subdomain rows of workers, which the site listings leave out (as puter.js does)."""

_FULL_HOST = re.compile(r"^([a-z0-9]+)\.puter\.(site|com)$")


def hosting_origin(config: PuterConfig) -> tuple[str, str]:
    """``(scheme, host[:port])`` where sites are served, from ``hosting_domain`` or
    ``api_base``."""
    api = urlsplit(config.api_base)
    given = config.hosting_domain
    if given is not None:
        given = given.rstrip("/")
        if "://" in given:
            parts = urlsplit(given)
            return parts.scheme, parts.netloc
        return api.scheme or "https", given
    host = api.hostname or ""
    if host == "api.puter.com":
        return "https", "puter.site"
    domain = host[4:] if host.startswith("api.") else host
    port = f":{api.port}" if api.port else ""
    return api.scheme, f"site.{domain}{port}"


def site_url(config: PuterConfig, subdomain: str) -> str:
    """The URL a site is served at."""
    scheme, host = hosting_origin(config)
    return f"{scheme}://{subdomain}.{host}/"


def checked_subdomain(value: object) -> str:
    """A subdomain as sent: a full ``<label>.puter.site``/``.puter.com`` host is cut to
    its label (as puter.js does); empty or not a ``str`` is refused."""
    if not isinstance(value, str):
        raise PuterInputTypeError(
            f"subdomain must be a str, not {type(value).__name__}", code="invalid_request"
        )
    if not value:
        raise PuterInputError("Subdomain is required", code="invalid_request")
    full = _FULL_HOST.fullmatch(value)
    return full.group(1) if full else value


class SiteCalls:
    """The flows of ``client.hosting`` over one session (pure: no I/O of their own)."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def _site(self, response: httpx.Response) -> Site:
        record = endpoints.parse_hosting_read(response).result
        data = unstructure(record)
        return Site.from_wire(data, site_url(self._session.config, str(data["subdomain"])))

    def create(self, subdomain: str, root_dir: RemotePath) -> Flow[Site]:
        fields = models.SiteFields(
            subdomain=checked_subdomain(subdomain), root_dir=remote_path(root_dir, "root_dir")
        )
        call = models.SitesCreateCall(
            driver=HOSTING_DRIVER, args=models.SitesCreateArgs(object=fields)
        )
        return self._session.send(endpoints.HOSTING_CREATE, self._site, body=call)

    def get(self, subdomain: str) -> Flow[Site]:
        args = models.SitesReadArgs(id=models.SiteId(subdomain=checked_subdomain(subdomain)))
        call = models.SitesReadCall(driver=HOSTING_DRIVER, args=args)
        return self._session.send(endpoints.HOSTING_READ, self._site, body=call)

    def update(self, subdomain: str, root_dir: RemotePath | None) -> Flow[Site]:
        folder = None if root_dir is None else remote_path(root_dir, "root_dir")
        args = models.SitesUpdateArgs(
            id=models.SiteId(subdomain=checked_subdomain(subdomain)),
            object=models.SiteFields(root_dir=folder),
        )
        call = models.SitesUpdateCall(driver=HOSTING_DRIVER, args=args)
        return self._session.send(endpoints.HOSTING_UPDATE, self._site, body=call)

    def delete(self, subdomain: str) -> Flow[None]:
        args = models.SitesReadArgs(id=models.SiteId(subdomain=checked_subdomain(subdomain)))
        call = models.SitesDeleteCall(driver=HOSTING_DRIVER, args=args)
        return self._session.send(endpoints.HOSTING_DELETE, _nothing, body=call)

    def point(self, subdomain: str, root_dir: str) -> Flow[Site]:
        """Create the site on ``root_dir``, or repoint it when it is already yours."""
        try:
            yield from self.get(subdomain)
        except (PuterNotFoundError, PuterPermissionError):  # not yours: taken answers 409
            return (yield from self.create(subdomain, root_dir))
        return (yield from self.update(subdomain, root_dir))

    def fetch(self) -> FetchPage[Site]:
        """The page fetcher of the listings (worker rows dropped)."""

        def fetch(page: PageArgs) -> Flow[Page[Site]]:
            total = page.include_total or None
            if page.offset is None:  # a cursor (null at first) asks for the page envelope
                args = models.SitesSelectArgs(
                    limit=page.limit, cursor=page.cursor, include_total=total
                )
            else:
                args = models.SitesSelectArgs(
                    limit=page.limit, offset=page.offset, include_total=total
                )
            call = models.SitesSelectCall(driver=HOSTING_DRIVER, args=args)
            return self._session.send(endpoints.HOSTING_SELECT, self._page, body=call)

        return fetch

    def _page(self, response: httpx.Response) -> Page[Site]:
        page = endpoints.parse_hosting_select(response).result
        sites = []
        for record in page.items:
            data = unstructure(record)
            name = str(data["subdomain"])
            if not name.startswith(WORKER_PREFIX):
                sites.append(Site.from_wire(data, site_url(self._session.config, name)))
        return Page(sites, page.cursor or None, page.total)


def _nothing(response: httpx.Response) -> None:
    endpoints.parse_hosting_delete(response)


def local_files(local_dir: str | os.PathLike[str]) -> tuple[Path, list[PurePosixPath]]:
    """The folder and its files (relative, sorted), or the builtin ``OSError``."""
    if not isinstance(local_dir, (str, os.PathLike)):
        raise PuterInputTypeError(
            f"local_dir must be a str or os.PathLike, not {type(local_dir).__name__}",
            code="invalid_request",
        )
    root = Path(local_dir)
    if not root.is_dir():
        raise NotADirectoryError(f"no local folder to publish: {str(root)!r}")
    files = sorted(
        PurePosixPath(path.relative_to(root).as_posix())
        for path in root.rglob("*")
        if path.is_file()
    )
    return root, files


class _Plan:
    """What ``publish`` does, decided before any request: the folders to make (parents
    first) and the files to write."""

    def __init__(
        self,
        local_dir: str | os.PathLike[str],
        subdomain: str,
        remote_dir: RemotePath | None,
        concurrency: int,
    ) -> None:
        self.subdomain = checked_subdomain(subdomain)
        target = f"~/Sites/{self.subdomain}" if remote_dir is None else remote_dir
        self.remote_dir = remote_path(target, "remote_dir")
        self.concurrency = checked_count("concurrency", concurrency)
        self.root, files = local_files(local_dir)
        folders = {PurePosixPath(".")}
        for file in files:
            folders.update(file.parents)
        self.folders = [self._remote(f) for f in sorted(folders, key=lambda p: len(p.parts))]
        self.files = [(self.root / Path(*f.parts), self._remote(f)) for f in files]

    def _remote(self, relative: PurePosixPath) -> str:
        return self.remote_dir if str(relative) == "." else f"{self.remote_dir}/{relative}"


class Hosting(Listing[Site]):
    """Your websites on Puter (``client.hosting``); every method has an ``async_`` twin.

    ``client.hosting.publish("site/", "my-site").url`` uploads a folder and serves it;
    ``create``/``get``/``update``/``delete`` and the listings (``list``, ``pages``,
    ``page``) manage sites. A taken subdomain is ``PuterConflictError`` (409); an
    unknown one ``PuterNotFoundError``; a missing folder ``PuterBadRequestError``.
    """

    _page_size = PAGE_SIZE

    def __init__(self, session: Session) -> None:
        self._session = session
        self._calls = SiteCalls(session)
        self._fs = FileSystem(session)

    def __repr__(self) -> str:
        return f"Hosting({self._session!r})"

    def create(self, subdomain: str, root_dir: RemotePath) -> Site:
        """Serve the folder ``root_dir`` (relative paths are under ``~/``) at
        ``subdomain`` (a full ``x.puter.site`` host is cut to ``x``)."""
        return self._session.run(self._calls.create(subdomain, root_dir))

    async def async_create(self, subdomain: str, root_dir: RemotePath) -> Site:
        """Async ``create``."""
        return await self._session.async_run(self._calls.create(subdomain, root_dir))

    def get(self, subdomain: str) -> Site:
        """The site ``subdomain`` (``PuterNotFoundError`` when there is none)."""
        return self._session.run(self._calls.get(subdomain))

    async def async_get(self, subdomain: str) -> Site:
        """Async ``get``."""
        return await self._session.async_run(self._calls.get(subdomain))

    def update(self, subdomain: str, root_dir: RemotePath | None = None) -> Site:
        """Serve another folder at ``subdomain``, or none (``root_dir=None``
        disconnects it); serving follows at once."""
        return self._session.run(self._calls.update(subdomain, root_dir))

    async def async_update(self, subdomain: str, root_dir: RemotePath | None = None) -> Site:
        """Async ``update``."""
        return await self._session.async_run(self._calls.update(subdomain, root_dir))

    def delete(self, subdomain: str) -> None:
        """Delete the site (its folder stays)."""
        return self._session.run(self._calls.delete(subdomain))

    async def async_delete(self, subdomain: str) -> None:
        """Async ``delete``."""
        return await self._session.async_run(self._calls.delete(subdomain))

    def _fetch_page(self) -> FetchPage[Site]:
        return self._calls.fetch()

    def publish(
        self,
        local_dir: str | os.PathLike[str],
        subdomain: str,
        *,
        remote_dir: RemotePath | None = None,
        concurrency: int = PUBLISH_CONCURRENCY,
    ) -> Site:
        """Upload the local folder (recursively, each file streamed from disk, replacing
        what is there) to ``remote_dir`` (default ``~/Sites/<subdomain>``), then serve
        it at ``subdomain``: created, or repointed when it is already yours. The site,
        whose ``url`` serves ``index.html``. ``concurrency`` uploads run at a time."""
        plan = _Plan(local_dir, subdomain, remote_dir, concurrency)
        for folder in plan.folders:
            self._fs.mkdir(folder, parents=True, exist_ok=True)
        with ThreadPoolExecutor(max_workers=plan.concurrency) as pool:
            futures = [pool.submit(self._fs.write, remote, local) for local, remote in plan.files]
            done, pending = wait(futures, return_when=FIRST_EXCEPTION)
            for future in pending:
                future.cancel()
            for future in done:
                future.result()  # the first failure, raised
        return self._session.run(self._calls.point(plan.subdomain, plan.remote_dir))

    async def async_publish(
        self,
        local_dir: str | os.PathLike[str],
        subdomain: str,
        *,
        remote_dir: RemotePath | None = None,
        concurrency: int = PUBLISH_CONCURRENCY,
    ) -> Site:
        """Async ``publish``."""
        plan = _Plan(local_dir, subdomain, remote_dir, concurrency)
        for folder in plan.folders:
            await self._fs.async_mkdir(folder, parents=True, exist_ok=True)
        files = iter(plan.files)

        async def worker() -> None:
            for local, remote in files:  # shared: each file is taken once
                await self._fs.async_write(remote, local)

        tasks = [asyncio.ensure_future(worker()) for _ in range(plan.concurrency)]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
        return await self._session.async_run(self._calls.point(plan.subdomain, plan.remote_dir))
