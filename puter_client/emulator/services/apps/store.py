"""The apps of every user: names unique on the server, rows in creation order."""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field
from typing import Any


@dataclass
class AppRow:
    """One registered app, as the app store keeps it."""

    id: int
    uid: str
    name: str
    title: str
    index_url: str
    owner_uuid: str
    owner_username: str
    created_at: str
    description: str | None = None
    icon: str | None = None
    background: bool = False
    maximize_on_start: bool = False
    feedback_enabled: bool = False
    metadata: Any = None
    filetypes: list[str] = field(default_factory=list)
    protected: bool = False
    #: Usernames, uuids and e-mails of the users who opened the app (``get_users``).
    users: list[dict[str, Any]] = field(default_factory=list)


class AppStore:
    """Every app of the server, by name (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._rows: dict[str, AppRow] = {}
        self._ids = itertools.count(1)
        #: Developer profiles by user uuid (``/get-dev-profile``).
        self.profiles: dict[str, dict[str, Any]] = {}

    def clear(self) -> None:
        """Forget every app and profile."""
        with self._lock:
            self._rows.clear()
            self._ids = itertools.count(1)
            self.profiles.clear()

    def next_id(self) -> int:
        """The row id of the next app (increasing)."""
        with self._lock:
            return next(self._ids)

    def by_name(self, name: str) -> AppRow | None:
        """The app named ``name``."""
        with self._lock:
            return self._rows.get(name)

    def by_uid(self, uid: str) -> AppRow | None:
        """The app whose uid is ``uid``."""
        with self._lock:
            return next((row for row in self._rows.values() if row.uid == uid), None)

    def add(self, row: AppRow) -> None:
        """Store a new app."""
        with self._lock:
            self._rows[row.name] = row

    def rename(self, row: AppRow, new_name: str) -> None:
        """Give ``row`` a new name."""
        with self._lock:
            del self._rows[row.name]
            row.name = new_name
            self._rows[new_name] = row

    def remove(self, row: AppRow) -> None:
        """Delete an app."""
        with self._lock:
            self._rows.pop(row.name, None)

    def owned_by(self, owner_uuid: str) -> list[AppRow]:
        """The apps of one user, by row id."""
        with self._lock:
            rows = [row for row in self._rows.values() if row.owner_uuid == owner_uuid]
        return sorted(rows, key=lambda row: row.id)

    def all(self) -> list[AppRow]:
        """Every app, by row id."""
        with self._lock:
            return sorted(self._rows.values(), key=lambda row: row.id)
