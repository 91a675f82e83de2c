"""Who may reach whose entries: the share index and its grants (no HTTP here).

A share is a grant of a *mode* on one entry (and everything below it) from its owner, or
from someone allowed to manage it, to another user; an invite to an e-mail address with
no confirmed account is recorded as a *pending* share that grants nothing yet. Modes,
weakest first: ``see``, ``list``, ``read``, ``write``; a stronger one implies the weaker,
and ``manage`` implies every one plus re-sharing (the server's ``ACLService``).
"""

from __future__ import annotations

import itertools
import threading
import uuid as uuidlib
from collections.abc import Iterable
from dataclasses import dataclass

MODES = ("see", "list", "read", "write", "manage")
"""The modes a share may grant."""

_SATISFIED_BY: dict[str, frozenset[str]] = {
    "see": frozenset({"see", "list", "read", "write", "manage"}),
    "list": frozenset({"list", "read", "write", "manage"}),
    "read": frozenset({"read", "write", "manage"}),
    "write": frozenset({"write", "manage"}),
    "manage": frozenset({"manage"}),
}

DAILY_SHARE_LIMIT = 200
"""Shares one user may create per UTC day (the server's default)."""


def satisfies(granted: str, wanted: str) -> bool:
    """Whether a grant of mode ``granted`` allows access of mode ``wanted``."""
    return granted in _SATISFIED_BY.get(wanted, frozenset())


@dataclass
class ShareRow:
    """One share: active (``holder`` set) or a pending invite (``recipient_email`` set)."""

    uid: str
    entry_uid: str
    issuer: str
    holder: str | None
    mode: str
    created_at: str
    #: Insertion order: pages of a holder's shares go by it.
    seq: int
    recipient_email: str | None = None

    @property
    def pending(self) -> bool:
        """An invite nobody holds yet."""
        return self.holder is None


def _key(username: str) -> str:
    return username.casefold()


class ShareStore:
    """Every share, by entry and by holder (thread-safe; usernames compared caselessly)."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._rows: list[ShareRow] = []
        self._seq = itertools.count(1)
        self._spent: dict[tuple[str, str], int] = {}

    def clear(self) -> None:
        """Forget every share."""
        with self._lock:
            self._rows.clear()
            self._spent.clear()
            self._seq = itertools.count(1)

    def rows(self) -> list[ShareRow]:
        """Every row, oldest first."""
        with self._lock:
            return list(self._rows)

    def on_entries(self, entry_uids: Iterable[str]) -> list[ShareRow]:
        """The rows (active and pending) of these entries, oldest first."""
        wanted = set(entry_uids)
        with self._lock:
            return [r for r in self._rows if r.entry_uid in wanted]

    def held_by(self, holder: str) -> list[ShareRow]:
        """The active rows ``holder`` holds, oldest first."""
        with self._lock:
            return [
                r for r in self._rows if r.holder is not None and _key(r.holder) == _key(holder)
            ]

    def holds(self, holder: str, entry_uids: Iterable[str], mode: str) -> bool:
        """Whether ``holder`` holds a grant on one of these entries that allows ``mode``."""
        wanted = set(entry_uids)
        with self._lock:
            return any(
                r.holder is not None
                and _key(r.holder) == _key(holder)
                and r.entry_uid in wanted
                and satisfies(r.mode, mode)
                for r in self._rows
            )

    def grant(
        self, issuer: str, holder: str, entry_uid: str, mode: str, now: str
    ) -> tuple[ShareRow, bool]:
        """Grant (or change the mode of) ``holder``'s share from ``issuer``; the row, and
        whether ``issuer`` had granted ``holder`` anything on the entry before."""
        with self._lock:
            for row in self._rows:
                if (
                    row.holder is not None
                    and _key(row.holder) == _key(holder)
                    and _key(row.issuer) == _key(issuer)
                    and row.entry_uid == entry_uid
                ):
                    row.mode = mode
                    return row, True
            row = ShareRow(
                str(uuidlib.uuid4()), entry_uid, issuer, holder, mode, now, next(self._seq)
            )
            self._rows.append(row)
            return row, False

    def invite(self, issuer: str, email: str, entry_uid: str, mode: str, now: str) -> ShareRow:
        """Record (or update) a pending share for an address."""
        with self._lock:
            for row in self._rows:
                if (
                    row.pending
                    and (row.recipient_email or "").casefold() == email.casefold()
                    and _key(row.issuer) == _key(issuer)
                    and row.entry_uid == entry_uid
                ):
                    row.mode = mode
                    return row
            row = ShareRow(
                str(uuidlib.uuid4()), entry_uid, issuer, None, mode, now, next(self._seq), email
            )
            self._rows.append(row)
            return row

    def remove(self, doomed: Iterable[ShareRow]) -> int:
        """Delete these rows; how many there were."""
        ids = {id(r) for r in doomed}
        with self._lock:
            before = len(self._rows)
            self._rows = [r for r in self._rows if id(r) not in ids]
            return before - len(self._rows)

    def spend(self, issuer: str, day: str, limit: int = DAILY_SHARE_LIMIT) -> bool:
        """Take one of ``issuer``'s shares of ``day``; False when none is left."""
        with self._lock:
            key = (_key(issuer), day)
            used = self._spent.get(key, 0)
            if used >= limit:
                return False
            self._spent[key] = used + 1
            return True
