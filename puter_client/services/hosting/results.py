"""``Site``: a website served from a folder of the cloud file system."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from puter_client.core.timestamps import parse_when
from puter_client.services.fs.entry import FSEntry

__all__ = ["Site"]

_KEYS = (
    "uid", "subdomain", "domain", "root_dir", "created_at", "owner", "associated_app",
    "app_owner", "protected",
)  # fmt: skip


@attrs.frozen(kw_only=True)
class Site:
    """A site: ``subdomain`` served at ``url`` from the folder ``root_dir`` (None when
    disconnected).

    ``owner`` is the owner's username; ``associated_app`` and ``app_owner`` are the
    server's objects (or None); ``extra`` keeps every other key as it came.
    """

    uid: str
    subdomain: str
    url: str
    domain: str | None = None
    root_dir: FSEntry | None = None
    created_at: datetime | None = None
    owner: str | None = None
    associated_app: Any = None
    app_owner: Any = None
    protected: bool = False
    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_wire(cls, data: Mapping[str, Any], url: str) -> Site:
        """The site of the JSON object the driver answers, served at ``url``."""
        root = data.get("root_dir")
        owner = data.get("owner")
        entry: FSEntry | None = None
        if isinstance(root, Mapping):
            try:
                entry = FSEntry.from_wire(root)
            except ValueError:
                entry = None
        return cls(
            uid=str(data["uid"]),
            subdomain=str(data["subdomain"]),
            url=url,
            domain=data.get("domain") or None,
            root_dir=entry,
            created_at=parse_when(data.get("created_at")),
            owner=owner.get("username") if isinstance(owner, Mapping) else None,
            associated_app=data.get("associated_app"),
            app_owner=data.get("app_owner"),
            protected=data.get("protected") is True,
            extra={k: v for k, v in data.items() if k not in _KEYS},
        )
