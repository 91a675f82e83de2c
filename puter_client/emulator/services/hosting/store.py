"""The sites (subdomain rows) of every user; worker rows share the table."""

from __future__ import annotations

import threading
from dataclasses import dataclass

#: The subdomain of a worker's row (``workers.puter.<name>``), which sites never show.
WORKER_PREFIX = "workers.puter."


@dataclass
class SiteRow:
    """One subdomain row."""

    id: int
    uid: str
    subdomain: str
    owner_uuid: str
    owner_username: str
    created_at: str
    #: The uid of the folder served (None: none).
    root_dir_uid: str | None = None
    domain: str = ""
    protected: bool = False
    #: The uid of the app that created the row (a worker's sandbox app), if any.
    app_owner: str | None = None


class SiteStore:
    """Every subdomain row, by subdomain (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._rows: dict[str, SiteRow] = {}
        self._next = 1

    def clear(self) -> None:
        """Forget every row."""
        with self._lock:
            self._rows.clear()
            self._next = 1

    def next_id(self) -> int:
        """The row id of the next row (increasing)."""
        with self._lock:
            self._next += 1
            return self._next - 1

    def get(self, subdomain: str) -> SiteRow | None:
        """The row of ``subdomain``."""
        with self._lock:
            return self._rows.get(subdomain)

    def add(self, row: SiteRow) -> None:
        """Store a row."""
        with self._lock:
            self._rows[row.subdomain] = row

    def remove(self, row: SiteRow) -> None:
        """Delete a row."""
        with self._lock:
            self._rows.pop(row.subdomain, None)

    def rooted_at(self, root_dir_uid: str) -> list[SiteRow]:
        """The rows serving the entry ``root_dir_uid``, by id."""
        with self._lock:
            rows = [r for r in self._rows.values() if r.root_dir_uid == root_dir_uid]
        return sorted(rows, key=lambda r: r.id)

    def owned_by(self, owner_uuid: str) -> list[SiteRow]:
        """The rows of one user, by id."""
        with self._lock:
            rows = [r for r in self._rows.values() if r.owner_uuid == owner_uuid]
        return sorted(rows, key=lambda r: r.id)
