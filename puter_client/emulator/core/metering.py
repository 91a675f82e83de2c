"""Usage metering: what each user's calls cost (micro-cents), for ``/metering/usage``."""

from __future__ import annotations

import threading
from dataclasses import dataclass

#: Micro-cents per unit of the usage types the emulator records (1 USD = 100,000,000).
COSTS = {
    "kv:read": 17,
    "kv:write": 90,
    "storage:write:ops": 500,
    "storage:read:ops": 40,
    "storage:delete:ops": 0,
    "egress:bytes": 0.011,
}


@dataclass
class UsageRow:
    """One usage type's totals."""

    units: float = 0
    cost: float = 0
    count: int = 0


class Metering:
    """Per-user usage rows; thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, dict[str, UsageRow]] = {}

    def record(
        self, user_uuid: str, usage_type: str, units: float = 1, cost: float | None = None
    ) -> None:
        """Add ``units`` of ``usage_type`` (cost: given, or units times the listed price)."""
        price = COSTS.get(usage_type, 0) * units if cost is None else cost
        with self._lock:
            row = self._rows.setdefault(user_uuid, {}).setdefault(usage_type, UsageRow())
            row.units += units
            row.cost += price
            row.count += 1

    def rows(self, user_uuid: str) -> dict[str, UsageRow]:
        """A snapshot of one user's rows."""
        with self._lock:
            return {
                k: UsageRow(v.units, v.cost, v.count)
                for k, v in self._rows.get(user_uuid, {}).items()
            }

    def clear(self) -> None:
        """Forget all usage."""
        with self._lock:
            self._rows.clear()
