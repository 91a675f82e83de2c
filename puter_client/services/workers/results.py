"""The typed results of ``client.workers``: ``Worker``, ``WorkerDeployment`` and
``WorkerResponse``."""

from __future__ import annotations

import json as jsonlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from puter_client.core.timestamps import parse_when

__all__ = ["Worker", "WorkerDeployment", "WorkerResponse"]

_KEYS = ("name", "url", "file_path", "file_uid", "app_uid", "created_at")


@attrs.frozen(kw_only=True)
class Worker:
    """A deployed worker.

    ``url`` is what the listing says, always ``https://<name>.puter.work`` (a server
    quirk: a self-hosted server serves workers elsewhere; ``exec`` uses the URL the
    deployment answered). ``app_uid`` is the app the worker runs as (None: unsandboxed).
    """

    name: str
    url: str | None = None
    file_path: str | None = None
    file_uid: str | None = None
    app_uid: str | None = None
    created_at: datetime | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> Worker:
        """The worker of a ``getFilePaths`` row."""

        def text(key: str) -> str | None:
            value = data.get(key)
            return value if isinstance(value, str) else None

        return cls(
            name=str(data["name"]),
            url=text("url"),
            file_path=text("file_path"),
            file_uid=text("file_uid"),
            app_uid=text("app_uid"),
            created_at=parse_when(data.get("created_at")),
            extra={k: v for k, v in data.items() if k not in _KEYS},
        )


@attrs.frozen(kw_only=True)
class WorkerDeployment:
    """What a deployment answered: ``url`` serves the worker."""

    success: bool
    url: str | None = None
    errors: list[Any] = attrs.field(factory=list)


@attrs.frozen(kw_only=True)
class WorkerResponse:
    """A worker's answer to ``exec``: any status (a 418 is an answer, not an error)."""

    status: int
    headers: Mapping[str, str]
    content: bytes
    url: str

    @property
    def text(self) -> str:
        """The body decoded as UTF-8 (undecodable bytes replaced)."""
        return self.content.decode("utf-8", "replace")

    @property
    def ok(self) -> bool:
        """Whether the status is 2xx."""
        return 200 <= self.status < 300

    def json(self) -> Any:
        """The body parsed as JSON (``ValueError`` when it is not JSON)."""
        return jsonlib.loads(self.content)
