"""``FSEntry``: one typed class for both of the server's entry shapes.

The legacy routes (``/stat``, ``/mkdir``, ``/move``...) describe an entry with snake_case
keys (v1), the ``/fs/*`` routes with camelCase keys (v2); timestamps are unix seconds.
``FSEntry`` reads either, with aware UTC ``datetime``s, and keeps every other key in
``extra``, so ``FSEntry.from_wire(d).to_wire() == d`` for the entries the server sends.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any, Literal

import attrs

from puter_client._generated.models import FsEntryV1, FsEntryV2

__all__ = ["FSEntry"]

Shape = Literal["v1", "v2"]

# attribute -> wire key, per shape (``type`` stays in ``extra``: see ``content_type``)
_KEYS: dict[Shape, dict[str, str]] = {
    "v1": {
        "uid": "uid",
        "path": "path",
        "name": "name",
        "is_dir": "is_dir",
        "parent_uid": "parent_uid",
        "size": "size",
        "created": "created",
        "modified": "modified",
        "accessed": "accessed",
        "immutable": "immutable",
        "is_public": "is_public",
    },
    "v2": {
        "uid": "uid",
        "path": "path",
        "name": "name",
        "is_dir": "isDir",
        "parent_uid": "parentUid",
        "size": "size",
        "created": "created",
        "modified": "modified",
        "accessed": "accessed",
        "immutable": "immutable",
        "is_public": "isPublic",
    },
}
_TIMES = ("created", "modified", "accessed")


@attrs.frozen(kw_only=True)
class FSEntry:
    """A file or directory of the cloud file system.

    ``content_type`` is the file's MIME type when the server says it (``None`` for
    directories and unknown types); ``created``/``modified``/``accessed`` are aware UTC
    datetimes; ``shape`` says which form the server sent (``v1`` legacy, ``v2`` ``/fs/*``)
    and ``extra`` holds its other keys as they came (``uuid``, ``metadata``, ``type``...).
    """

    path: str
    name: str
    uid: str
    is_dir: bool
    size: int | None = None
    content_type: str | None = None
    created: datetime | None = None
    modified: datetime | None = None
    accessed: datetime | None = None
    immutable: bool = False
    is_public: bool | None = None
    parent_uid: str | None = None
    shape: Shape = "v2"
    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    @property
    def parent(self) -> str:
        """The path of the folder holding the entry."""
        return self.path.rpartition("/")[0] or "/"

    @classmethod
    def from_model(cls, model: FsEntryV1 | FsEntryV2) -> FSEntry:
        """The entry of a generated v1 or v2 model."""
        from puter_client.core.serialization import unstructure

        return cls.from_wire(unstructure(model))

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> FSEntry:
        """The entry of a JSON object of either shape (v2 when it has ``isDir``)."""
        shape: Shape = "v2" if "isDir" in data else "v1"
        keys = _KEYS[shape]
        if not all(isinstance(data.get(keys[k]), str) for k in ("uid", "path", "name")):
            raise ValueError("an entry needs string uid, path and name")
        if not isinstance(data.get(keys["is_dir"]), bool):
            raise ValueError(f"an entry needs a boolean {keys['is_dir']}")
        fields: dict[str, Any] = {}
        extra = {k: v for k, v in data.items() if k not in keys.values()}
        for attribute, key in keys.items():
            if key not in data:
                continue
            value = _typed(attribute, data[key])
            if value is _UNFIT:
                extra[key] = data[key]  # kept as it came, so that it goes back unchanged
            else:
                fields[attribute] = value
        if not fields["is_dir"]:
            fields["content_type"] = _content_type(data)
        return cls(shape=shape, extra=extra, **fields)

    def to_wire(self) -> dict[str, Any]:
        """The JSON object of the entry in its own shape."""
        wire = dict(self.extra)
        for attribute, key in _KEYS[self.shape].items():
            if key not in wire:
                value = getattr(self, attribute)
                wire[key] = _seconds(value) if attribute in _TIMES else value
        return wire


_UNFIT = object()


def _typed(attribute: str, value: Any) -> Any:
    """The attribute's value from a wire value, or ``_UNFIT``."""
    if attribute in _TIMES:
        if value is None:
            return None
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            try:
                return datetime.fromtimestamp(value, tz=timezone.utc)
            except (OverflowError, OSError, ValueError):
                return _UNFIT
        return _UNFIT
    if attribute in ("is_dir", "immutable"):
        return value if isinstance(value, bool) else _UNFIT
    if attribute == "is_public":
        return value if value is None or isinstance(value, bool) else _UNFIT
    if attribute == "size":
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        return _UNFIT
    if attribute == "parent_uid":
        return value if value is None or isinstance(value, str) else _UNFIT
    return value if isinstance(value, str) else _UNFIT


def _content_type(data: Mapping[str, Any]) -> str | None:
    """A file's MIME type: ``type``, else the ``contentType`` of its metadata JSON."""
    kind = data.get("type")
    if isinstance(kind, str) and kind and kind != "folder":
        return kind
    metadata = data.get("metadata")
    if isinstance(metadata, str):
        try:
            metadata = json.loads(metadata)
        except ValueError:
            return None
    if isinstance(metadata, dict) and isinstance(metadata.get("contentType"), str):
        return str(metadata["contentType"])
    return None


def _seconds(moment: datetime | None) -> int | float | None:
    """Unix seconds: an int when whole, as the server sends them."""
    if moment is None:
        return None
    seconds = moment.timestamp()
    whole = math.floor(seconds)
    return int(whole) if seconds == whole else seconds
