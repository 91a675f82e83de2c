"""Server timestamps into aware UTC ``datetime``s (pure).

Puter answers times as ISO 8601 strings (``2026-08-01T12:00:00.000Z``), unix seconds or
unix milliseconds depending on the table; ``parse_when`` reads all three.
"""

from __future__ import annotations

from datetime import datetime, timezone

__all__ = ["parse_when"]

_MILLISECONDS_FROM = 100_000_000_000  # a number this large is in ms (after 1973 in ms)


def parse_when(value: object) -> datetime | None:
    """``value`` as an aware UTC datetime; None for None or what is not a time."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if abs(value) >= _MILLISECONDS_FROM else value
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value:
        text = value[:-1] + "+00:00" if value.endswith("Z") else value
        try:
            moment = datetime.fromisoformat(text.replace(" ", "T", 1))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return None
