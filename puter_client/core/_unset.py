"""The ``UNSET`` sentinel of generated models.

A field that is optional *and* nullable defaults to ``UNSET``: ``UNSET`` means the key
is absent from the JSON, ``None`` means it is present as ``null``. It is an enum member
so that ``x is UNSET`` narrows types for mypy.
"""

from __future__ import annotations

import enum
from typing import Final, Literal

__all__ = ["UNSET", "UnsetType"]


class UnsetType(enum.Enum):
    """The type of ``UNSET``; falsy, and never serialized."""

    UNSET = "UNSET"

    def __bool__(self) -> Literal[False]:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET: Final = UnsetType.UNSET
