"""The typed results of ``client.apps``: ``App``, ``AppOwner``, ``AppUser``,
``NameCheck`` and ``DeveloperProfile`` (frozen; unknown wire keys kept in ``extra``)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

import attrs

from puter_client.core.timestamps import parse_when

__all__ = ["App", "AppOwner", "AppUser", "DeveloperProfile", "NameCheck"]


@attrs.frozen(kw_only=True)
class AppOwner:
    """Who owns an app (the server tells only the owner)."""

    username: str
    uuid: str | None = None


_APP_KEYS = (
    "uid",
    "name",
    "title",
    "index_url",
    "description",
    "icon",
    "maximize_on_start",
    "background",
    "feedback_enabled",
    "filetype_associations",
    "metadata",
    "created_at",
    "owner",
    "stats",
)


@attrs.frozen(kw_only=True)
class App:
    """An app registered on Puter.

    ``filetype_associations`` are canonical (``txt``, not ``.txt``; MIME types as
    given); ``created_at`` is an aware UTC datetime when the server sent a time;
    ``owner`` is None unless you own the app; ``stats`` is present only when asked
    for (``stats_period``). ``extra`` keeps every other key as it came (``godmode``,
    ``is_private``, ``protected``, ``approved_for_*``, ``created_from_origin``,
    ``icon_size``...).
    """

    uid: str
    name: str
    title: str = ""
    index_url: str | None = None
    description: str | None = None
    icon: str | None = None
    maximize_on_start: bool = False
    background: bool = False
    feedback_enabled: bool = False
    filetype_associations: list[str] = attrs.field(factory=list)
    metadata: Mapping[str, Any] | None = None
    created_at: datetime | None = None
    owner: AppOwner | None = None
    stats: Any = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> App:
        """The app of the JSON object the driver answers."""
        owner = data.get("owner")
        metadata = data.get("metadata")
        if isinstance(metadata, str):  # some stores answer the JSON text they keep
            try:
                metadata = json.loads(metadata)
            except ValueError:
                metadata = None
        types = data.get("filetype_associations")
        return cls(
            uid=str(data["uid"]),
            name=str(data["name"]),
            title=_text(data.get("title")) or "",
            index_url=_text(data.get("index_url")),
            description=_text(data.get("description")),
            icon=_text(data.get("icon")),
            maximize_on_start=data.get("maximize_on_start") is True,
            background=data.get("background") is True,
            feedback_enabled=data.get("feedback_enabled") is True,
            filetype_associations=[t for t in types if isinstance(t, str)]
            if isinstance(types, list)
            else [],
            metadata=metadata if isinstance(metadata, Mapping) else None,
            created_at=parse_when(data.get("created_at")),
            owner=AppOwner(username=owner["username"], uuid=_text(owner.get("uuid")))
            if isinstance(owner, Mapping) and isinstance(owner.get("username"), str)
            else None,
            stats=data.get("stats"),
            extra={k: v for k, v in data.items() if k not in _APP_KEYS},
        )


@attrs.frozen(kw_only=True)
class AppUser:
    """A user of one of your apps."""

    username: str
    uuid: str | None = None
    email: str | None = None

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> AppUser:
        """The user of a ``get_users`` row (``{user, user_uuid, user_email?}``)."""
        return cls(
            username=str(data.get("user", "")),
            uuid=_text(data.get("user_uuid")),
            email=_text(data.get("user_email")),
        )


@attrs.frozen
class NameCheck:
    """Whether an app name is still free."""

    name: str
    available: bool


@attrs.frozen(kw_only=True)
class DeveloperProfile:
    """Your developer profile (the incentive program and its payouts)."""

    first_name: str | None = None
    last_name: str | None = None
    paypal: str | None = None
    approved_for_incentive_program: bool = False
    joined_incentive_program: bool = False


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None
