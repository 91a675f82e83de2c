"""``FSEntry``: a file or folder as the server described it, with methods bound to the
client that fetched it (puter.js's ``FSItem``).

The legacy routes (``/stat``, ``/mkdir``, ``/move``...) describe an entry with snake_case
keys (v1), the ``/fs/*`` routes with camelCase keys (v2); timestamps are unix seconds.
An ``FSEntry`` keeps the server's JSON object as it came and reads every key of either
shape as a typed attribute (aware UTC ``datetime``s, ``bool`` for the 0/1 integers of v1)
when asked; keys it does not know, and known keys whose value is of an unexpected type,
are in ``extra``. ``FSEntry.from_wire(d).to_wire() == d`` for any entry.

Reading lazily is what lets a listing of thousands of entries cost little more than
decoding its JSON: making an entry is one small object around the decoded dict.

An entry made by ``client.fs`` is *bound* to it: ``entry.read()``, ``entry.rename(...)``
and the rest call that client (blocking), their ``async_`` twins await it, as
``GeneratedImage.read``/``async_read`` do. The methods name the entry by its uid, so they
keep working after it was moved or renamed. An entry is a snapshot: a method that changes
the entry returns the new one and leaves this one as it was.
"""

from __future__ import annotations

import copy
import errno
import json
import math
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime, timezone
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

from puter_client.core.exceptions import (
    PuterInputError,
    PuterInputTypeError,
    PuterIsADirectoryError,
    PuterNotADirectoryError,
)

if TYPE_CHECKING:
    from puter_client._generated.models import FsEntryV1, FsEntryV2
    from puter_client.services.fs.fs import FileSystem
    from puter_client.services.fs.listing import SortBy, SortOrder
    from puter_client.services.fs.path import Target
    from puter_client.services.fs.sharing import SignedURL
    from puter_client.services.fs.upload import UploadData

__all__ = ["FSEntry", "Shape"]

Shape = Literal["v1", "v2"]
"""Which form the server sent: ``v1`` (legacy routes) or ``v2`` (``/fs/*``)."""

_UNFIT: Any = object()  # a value of a known key that is not of the key's type


def _text(value: object) -> Any:
    return value if value is None or type(value) is str else _UNFIT


def _flag(value: object) -> Any:
    """A boolean, or the 0/1 integer v1 sends for ``is_shortcut``/``is_symlink``."""
    if type(value) is bool:
        return value
    if type(value) is int and value in (0, 1):
        return bool(value)
    return _UNFIT


def _optional_flag(value: object) -> Any:
    return value if value is None or type(value) is bool else _UNFIT


def _count(value: object) -> Any:
    return value if value is None or type(value) is int else _UNFIT


def _moment(value: object) -> Any:
    if value is None:
        return None
    if type(value) in (int, float):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc)  # type: ignore[arg-type]
        except (OverflowError, OSError, ValueError):
            return _UNFIT
    return _UNFIT


def _items(value: object) -> Any:
    return tuple(value) if type(value) is list else _UNFIT


def _object(value: object) -> Any:
    if value is None:
        return None
    return MappingProxyType(value) if type(value) is dict else _UNFIT


def _owner(value: object) -> Any:
    """``{"username": name}`` -> ``name``."""
    if value is None:
        return None
    if type(value) is dict and len(value) == 1 and type(value.get("username")) is str:
        return value["username"]
    return _UNFIT


# attribute -> (v1 key, v2 key, reader, value when absent or unfit); None: not in that shape
_FIELDS: dict[str, tuple[str | None, str | None, Callable[[object], Any], Any]] = {
    "parent_uid": ("parent_uid", "parentUid", _text, None),
    "size": ("size", "size", _count, None),
    "created": ("created", "created", _moment, None),
    "modified": ("modified", "modified", _moment, None),
    "accessed": ("accessed", "accessed", _moment, None),
    "immutable": ("immutable", "immutable", _flag, False),
    "is_public": ("is_public", "isPublic", _optional_flag, None),
    "is_shortcut": ("is_shortcut", "isShortcut", _flag, False),
    "shortcut_to": ("shortcut_to", "shortcutTo", _count, None),
    "is_symlink": ("is_symlink", "isSymlink", _flag, False),
    "symlink_path": ("symlink_path", "symlinkPath", _text, None),
    "metadata": ("metadata", "metadata", _text, None),
    "thumbnail": ("thumbnail", "thumbnail", _text, None),
    "layout": ("layout", "layout", _text, None),
    "subdomains": ("subdomains", "subdomains", _items, ()),
    "workers": ("workers", "workers", _items, ()),
    "has_website": ("has_website", "hasWebsite", _flag, False),
    "suggested_apps": ("suggested_apps", "suggestedApps", _items, ()),
    "associated_app": ("associated_app", "associatedApp", _object, None),
    "writable": ("writable", None, _optional_flag, None),
    "is_empty": ("is_empty", None, _optional_flag, None),
    "owner": ("owner", None, _owner, None),
    "dirname": ("dirname", None, _text, None),
    "dirpath": ("dirpath", None, _text, None),
    "appdata_app": ("appdata_app", None, _text, None),
}
# keys that repeat another one (puter.js: ``id = uuid = uid``): typed when equal to it
_ALIASES: dict[str, dict[str, str]] = {
    "v1": {"id": "uid", "uuid": "uid", "parent_id": "parent_uid"},
    "v2": {"uuid": "uid"},
}
_REQUIRED = {"v1": ("uid", "path", "name", "is_dir"), "v2": ("uid", "path", "name", "isDir")}
_TYPED: dict[str, dict[str, str]] = {  # wire key -> attribute, per shape
    shape: {
        **{keys[index]: name for name, keys in _FIELDS.items() if keys[index] is not None},  # type: ignore[misc]
        **dict(zip(_REQUIRED[shape], ("uid", "path", "name", "is_dir"), strict=True)),
    }
    for shape, index in (("v1", 0), ("v2", 1))
}


def _raise_if_bad(data: object) -> bool:
    """Whether ``data`` is a v2 entry (a boolean ``isDir``; v1 has ``is_dir``);
    ``ValueError`` unless it is an entry at all."""
    if type(data) is not dict:
        raise ValueError(f"an entry is a JSON object, not {type(data).__name__}")
    v2 = type(data.get("isDir")) is bool
    if v2 == (type(data.get("is_dir")) is bool):  # both (an odd extra key) or neither
        if not v2:
            raise ValueError("an entry needs a boolean is_dir (v1) or isDir (v2)")
        v2 = "parentUid" in data
    if not (
        type(data.get("uid")) is str
        and type(data.get("path")) is str
        and type(data.get("name")) is str
    ):
        raise ValueError("an entry needs string uid, path and name")
    return v2


class FSEntry:
    """A file or directory of the cloud file system (puter.js's ``FSItem``).

    Every key the server sends is an attribute, in either shape: ``uid`` (also ``id`` and
    ``uuid``, as in puter.js), ``path``, ``name``, ``is_dir`` (also ``isDir`` and
    ``isDirectory``), ``parent_uid``, ``dirname``, ``size``, ``created``/``modified``/
    ``accessed`` (aware UTC datetimes), ``content_type``, ``is_shortcut`` and
    ``shortcut_to``, ``writable``, ``appdata_app``... ``shape`` says which form the server
    sent (``v1`` legacy, ``v2`` ``/fs/*``); ``extra`` holds every other key as it came.

    Methods (``read``, ``write``, ``rename``, ``move``, ``copy``, ``delete``,
    ``listdir``, ``mkdir``, ``stat``, ...; each with an ``async_`` twin) call the client
    whose ``fs`` made the entry, naming the entry by its uid. Entries compare equal when
    the server said the same thing about them; pickling keeps the data, not the client
    (``bind`` re-attaches one).
    """

    __slots__ = ("_data", "_fs", "_v2")

    _data: dict[str, Any]
    _v2: bool
    _fs: FileSystem | None

    def __init__(
        self,
        *,
        path: str,
        name: str,
        uid: str,
        is_dir: bool,
        size: int | None = None,
        content_type: str | None = None,
        created: datetime | None = None,
        modified: datetime | None = None,
        accessed: datetime | None = None,
        immutable: bool = False,
        is_public: bool | None = None,
        parent_uid: str | None = None,
        shape: Shape = "v2",
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        """An unbound entry built by hand, in ``shape`` (``from_wire`` reads the server's)."""
        if shape not in ("v1", "v2"):
            raise PuterInputError(
                f"shape must be 'v1' or 'v2', got {shape!r}", code="field_invalid"
            )
        v2 = shape == "v2"
        data: dict[str, Any] = {
            "uid": uid,
            "path": path,
            "name": name,
            "isDir" if v2 else "is_dir": is_dir,
            "parentUid" if v2 else "parent_uid": parent_uid,
            "size": size,
            "created": _seconds(created),
            "modified": _seconds(modified),
            "accessed": _seconds(accessed),
            "immutable": immutable,
            "isPublic" if v2 else "is_public": is_public,
        }
        if content_type is not None or not v2:
            data["type"] = "folder" if is_dir and not v2 else content_type
        data.update(extra or {})
        try:
            _raise_if_bad(data)
        except ValueError as exc:
            raise PuterInputTypeError(str(exc), code="field_invalid") from None
        self._data, self._v2, self._fs = data, v2, None

    # ------------------------------------------------------------------ making

    @classmethod
    def from_wire(cls, data: Mapping[str, Any]) -> FSEntry:
        """The (unbound) entry of a JSON object of either shape (v2 when it has ``isDir``);
        ``ValueError`` unless it has string ``uid``, ``path``, ``name`` and a boolean
        ``is_dir``/``isDir``."""
        return _made(dict(data), None)

    @classmethod
    def from_model(cls, model: FsEntryV1 | FsEntryV2) -> FSEntry:
        """The (unbound) entry of a generated v1 or v2 model."""
        from puter_client.core.serialization import unstructure

        return _made(unstructure(model), None)

    def to_wire(self) -> dict[str, Any]:
        """The JSON object the server sent (a copy)."""
        return copy.deepcopy(self._data)

    def bind(self, fs: FileSystem) -> FSEntry:
        """The same entry bound to ``fs`` (``client.fs``): for an entry built by hand,
        read with ``from_wire`` or unpickled, whose methods have no client to call."""
        from puter_client.services.fs.fs import FileSystem

        if not isinstance(fs, FileSystem):
            raise PuterInputTypeError(
                f"fs must be a client's FileSystem (client.fs), not {type(fs).__name__}",
                code="field_invalid",
            )
        return _made(self._data, fs, self._v2)

    # ---------------------------------------------------- identity and the shape

    @property
    def uid(self) -> str:
        """The entry's unique id; it keeps naming the entry after a move or rename."""
        return str(self._data["uid"])

    @property
    def id(self) -> str:
        """The uid (puter.js's ``FSItem.id``)."""
        return self.uid

    @property
    def uuid(self) -> str:
        """The uid (puter.js's ``FSItem.uuid``)."""
        return self.uid

    @property
    def path(self) -> str:
        """The absolute path (another user's entry shared with you: as published to you)."""
        return str(self._data["path"])

    @property
    def name(self) -> str:
        """The entry's name."""
        return str(self._data["name"])

    @property
    def is_dir(self) -> bool:
        """Whether the entry is a folder."""
        return bool(self._data["isDir" if self._v2 else "is_dir"])

    @property
    def isDir(self) -> bool:  # puter.js's spelling
        """``is_dir``, as puter.js spells it."""
        return self.is_dir

    @property
    def isDirectory(self) -> bool:  # puter.js's older spelling
        """``is_dir``, as puter.js's ``FSItem.isDirectory`` spells it."""
        return self.is_dir

    @property
    def shape(self) -> Shape:
        """``v1`` (legacy routes, snake_case) or ``v2`` (``/fs/*``, camelCase)."""
        return "v2" if self._v2 else "v1"

    @property
    def parent(self) -> str:
        """The path of the folder holding the entry (from ``path``)."""
        return self.path.rpartition("/")[0] or "/"

    @property
    def extra(self) -> dict[str, Any]:
        """The keys of the server's object that are not typed attributes, and typed keys
        whose value was of an unexpected type, as they came (a new dict)."""
        typed = _TYPED[self.shape]
        aliases = _ALIASES[self.shape]
        data = self._data
        extra: dict[str, Any] = {}
        for key, value in data.items():
            attribute = typed.get(key)
            if attribute is not None:
                if attribute in _FIELDS and _FIELDS[attribute][2](value) is _UNFIT:
                    extra[key] = value
            elif key in aliases:
                if value != data.get(_wire_key(aliases[key], self._v2)):
                    extra[key] = value
            else:
                extra[key] = value
        return extra

    # ------------------------------------------------------------- typed keys

    def _field(self, attribute: str) -> Any:
        v1, v2, read, default = _FIELDS[attribute]
        key = v2 if self._v2 else v1
        if key is None or key not in self._data:
            return default
        value = read(self._data[key])
        return default if value is _UNFIT else value

    @property
    def parent_uid(self) -> str | None:
        """The uid of the folder holding the entry."""
        return self._field("parent_uid")  # type: ignore[no-any-return]

    @property
    def parent_id(self) -> str | None:
        """``parent_uid`` (v1's ``parent_id``)."""
        return self.parent_uid

    @property
    def dirname(self) -> str:
        """The path of the folder holding the entry (v1's ``dirname``; from ``path``
        when the server did not send it)."""
        sent = self._field("dirname")
        return self.parent if sent is None else sent

    @property
    def dirpath(self) -> str:
        """``dirname`` (v1 sends both)."""
        sent = self._field("dirpath")
        return self.dirname if sent is None else sent

    @property
    def size(self) -> int | None:
        """Bytes of a file; a folder's is 0 or None, or its total with
        ``stat(return_size=True)``."""
        return self._field("size")  # type: ignore[no-any-return]

    @property
    def content_type(self) -> str | None:
        """The file's MIME type when the server says it (``type``, else the
        ``contentType`` of its metadata); None for folders and unknown types."""
        if self.is_dir:
            return None
        kind = self._data.get("type")
        if type(kind) is str and kind and kind != "folder":
            return kind
        metadata: Any = self._data.get("metadata")
        if type(metadata) is str:
            try:
                metadata = json.loads(metadata)
            except ValueError:
                return None
        if type(metadata) is dict and type(metadata.get("contentType")) is str:
            return str(metadata["contentType"])
        return None

    @property
    def created(self) -> datetime | None:
        """When the entry was created (UTC)."""
        return self._field("created")  # type: ignore[no-any-return]

    @property
    def modified(self) -> datetime | None:
        """When the entry was last changed (UTC)."""
        return self._field("modified")  # type: ignore[no-any-return]

    @property
    def accessed(self) -> datetime | None:
        """When the entry was last read (UTC)."""
        return self._field("accessed")  # type: ignore[no-any-return]

    @property
    def immutable(self) -> bool:
        """Whether the entry may not be changed (the home folders)."""
        return self._field("immutable")  # type: ignore[no-any-return]

    @property
    def is_public(self) -> bool | None:
        """Whether the entry is shared publicly (None: the server did not say)."""
        return self._field("is_public")  # type: ignore[no-any-return]

    @property
    def is_shortcut(self) -> bool:
        """Whether the entry is a shortcut to another one (``shortcut_to``)."""
        return self._field("is_shortcut")  # type: ignore[no-any-return]

    @property
    def shortcut_to(self) -> int | None:
        """The server's numeric id of a shortcut's target (None for other entries);
        ``shortcut_target()`` fetches that entry."""
        return self._field("shortcut_to")  # type: ignore[no-any-return]

    @property
    def is_symlink(self) -> bool:
        """Whether the entry is a symbolic link (``symlink_path``)."""
        return self._field("is_symlink")  # type: ignore[no-any-return]

    @property
    def symlink_path(self) -> str | None:
        """Where a symbolic link points."""
        return self._field("symlink_path")  # type: ignore[no-any-return]

    @property
    def writable(self) -> bool | None:
        """Whether the caller may change the entry (v1 only; None when not sent)."""
        return self._field("writable")  # type: ignore[no-any-return]

    @property
    def is_empty(self) -> bool | None:
        """Whether a folder has nothing in it (v1 ``stat`` only; None when not sent)."""
        return self._field("is_empty")  # type: ignore[no-any-return]

    @property
    def owner(self) -> str | None:
        """The owner's username (v1 ``stat`` only; None when not sent)."""
        return self._field("owner")  # type: ignore[no-any-return]

    @property
    def appdata_app(self) -> str | None:
        """The app whose ``AppData`` folder holds the entry (``/<user>/AppData/<app>/...``),
        else None."""
        sent = self._field("appdata_app")
        if sent is not None:
            return sent  # type: ignore[no-any-return]
        parts = self.path.split("/")
        return parts[3] if len(parts) > 3 and parts[2] == "AppData" and parts[3] else None

    @property
    def metadata(self) -> str | None:
        """Metadata the server keeps for the entry, as JSON text (its ``contentType``...)."""
        return self._field("metadata")  # type: ignore[no-any-return]

    @property
    def thumbnail(self) -> str | None:
        """A thumbnail URL (listings and v1 entries), if any."""
        return self._field("thumbnail")  # type: ignore[no-any-return]

    @property
    def layout(self) -> str | None:
        """A folder's desktop layout, if any."""
        return self._field("layout")  # type: ignore[no-any-return]

    @property
    def subdomains(self) -> tuple[Any, ...]:
        """The websites served from the entry (the server's objects)."""
        return self._field("subdomains")  # type: ignore[no-any-return]

    @property
    def workers(self) -> tuple[Any, ...]:
        """The workers attached to the entry (the server's objects)."""
        return self._field("workers")  # type: ignore[no-any-return]

    @property
    def has_website(self) -> bool:
        """Whether a website is served from the entry."""
        return self._field("has_website")  # type: ignore[no-any-return]

    @property
    def suggested_apps(self) -> tuple[Any, ...]:
        """The apps the server suggests to open the entry (its objects)."""
        return self._field("suggested_apps")  # type: ignore[no-any-return]

    @property
    def associated_app(self) -> Mapping[str, Any] | None:
        """The app the entry belongs to (the server's object, read-only), if any."""
        return self._field("associated_app")  # type: ignore[no-any-return]

    # ----------------------------------------------------------- the protocol

    def __repr__(self) -> str:
        size = "" if self.is_dir else f", size={self.size!r}"
        return (
            f"FSEntry(path={self.path!r}, uid={self.uid!r}, is_dir={self.is_dir!r}{size}, "
            f"modified={self.modified!r}, shape={self.shape!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FSEntry):
            return NotImplemented
        return self._v2 == other._v2 and self._data == other._data

    def __hash__(self) -> int:
        return hash((self._v2, self._data["uid"], self._data["path"]))

    def __reduce__(self) -> tuple[Callable[[dict[str, Any], bool], FSEntry], tuple[Any, ...]]:
        return _unpickled, (self._data, self._v2)

    def __copy__(self) -> FSEntry:
        return self  # immutable

    def __deepcopy__(self, memo: dict[int, Any]) -> FSEntry:
        return _made(copy.deepcopy(self._data, memo), self._fs, self._v2)

    # ---------------------------------------------------------------- methods

    def _client(self) -> FileSystem:
        if self._fs is None:
            raise PuterInputError(
                f"this entry ({self.path}) is not bound to a client: it was built by hand, "
                "read with from_wire or unpickled; use entry.bind(client.fs), or pass the "
                "entry to client.fs (client.fs.read(entry))",
                code="unbound_entry",
            )
        return self._fs

    def _file(self) -> FileSystem:
        if self.is_dir:
            raise _os_error(
                PuterIsADirectoryError, "cannot_read_a_directory", self.path,
                f"{self.path} is a folder, not a file",
            )  # fmt: skip
        return self._client()

    def _folder(self) -> FileSystem:
        if not self.is_dir:
            raise _os_error(
                PuterNotADirectoryError, "dest_is_not_a_directory", self.path,
                f"{self.path} is a file, not a folder",
            )  # fmt: skip
        return self._client()

    def read(self, *, offset: int = 0, length: int | None = None) -> bytes:
        """The file's bytes (``fs.read``); a folder is ``IsADirectoryError`` at once."""
        return self._file().read(self, offset=offset, length=length)

    async def async_read(self, *, offset: int = 0, length: int | None = None) -> bytes:
        """Async ``read``."""
        return await self._file().async_read(self, offset=offset, length=length)

    def read_text(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """The file's text (``fs.read_text``)."""
        return self._file().read_text(self, encoding, errors)

    async def async_read_text(self, encoding: str = "utf-8", errors: str = "strict") -> str:
        """Async ``read_text``."""
        return await self._file().async_read_text(self, encoding, errors)

    def write(self, data: UploadData, *, content_type: str | None = None) -> FSEntry:
        """Replace the file's contents with ``data`` (what ``fs.write`` takes), as
        puter.js's ``FSItem.write`` does; the new entry."""
        return self._file().write(self, data, content_type=content_type)

    async def async_write(self, data: UploadData, *, content_type: str | None = None) -> FSEntry:
        """Async ``write``."""
        return await self._file().async_write(self, data, content_type=content_type)

    def download(self, dest: str | os.PathLike[str]) -> Path:
        """Stream the file to the local ``dest`` (``fs.download``); the local path."""
        return self._file().download(self, dest)

    async def async_download(self, dest: str | os.PathLike[str]) -> Path:
        """Async ``download``."""
        return await self._file().async_download(self, dest)

    def stat(
        self,
        *,
        return_size: bool = False,
        return_permissions: bool = False,
        return_versions: bool = False,
        return_subdomains: bool = False,
    ) -> FSEntry:
        """The entry as the server describes it now (``fs.stat`` by uid, same options)."""
        return self._client().stat(
            self, return_size=return_size, return_permissions=return_permissions,
            return_versions=return_versions, return_subdomains=return_subdomains,
        )  # fmt: skip

    async def async_stat(
        self,
        *,
        return_size: bool = False,
        return_permissions: bool = False,
        return_versions: bool = False,
        return_subdomains: bool = False,
    ) -> FSEntry:
        """Async ``stat``."""
        return await self._client().async_stat(
            self, return_size=return_size, return_permissions=return_permissions,
            return_versions=return_versions, return_subdomains=return_subdomains,
        )  # fmt: skip

    def rename(self, new_name: str) -> FSEntry:
        """Give the entry a new name in its folder; the renamed entry."""
        return self._client().rename(self, new_name)

    async def async_rename(self, new_name: str) -> FSEntry:
        """Async ``rename``."""
        return await self._client().async_rename(self, new_name)

    def move(
        self,
        dest: Target,
        *,
        overwrite: bool = False,
        new_name: str | None = None,
        create_parents: bool = False,
        dedupe_name: bool = False,
    ) -> FSEntry:
        """Move the entry into the folder ``dest`` or to the new path ``dest``
        (``fs.move``, same options); the moved entry."""
        return self._client().move(
            self, dest, overwrite=overwrite, new_name=new_name,
            create_parents=create_parents, dedupe_name=dedupe_name,
        )  # fmt: skip

    async def async_move(
        self,
        dest: Target,
        *,
        overwrite: bool = False,
        new_name: str | None = None,
        create_parents: bool = False,
        dedupe_name: bool = False,
    ) -> FSEntry:
        """Async ``move``."""
        return await self._client().async_move(
            self, dest, overwrite=overwrite, new_name=new_name,
            create_parents=create_parents, dedupe_name=dedupe_name,
        )  # fmt: skip

    def copy(
        self,
        dest: Target,
        *,
        overwrite: bool = False,
        new_name: str | None = None,
        dedupe_name: bool = False,
    ) -> FSEntry:
        """Copy the entry (a folder with everything in it) into the folder ``dest`` or to
        the new path ``dest`` (``fs.copy``, same options); the copy."""
        return self._client().copy(
            self, dest, overwrite=overwrite, new_name=new_name, dedupe_name=dedupe_name
        )

    async def async_copy(
        self,
        dest: Target,
        *,
        overwrite: bool = False,
        new_name: str | None = None,
        dedupe_name: bool = False,
    ) -> FSEntry:
        """Async ``copy``."""
        return await self._client().async_copy(
            self, dest, overwrite=overwrite, new_name=new_name, dedupe_name=dedupe_name
        )

    def delete(self, *, recursive: bool = False, descendants_only: bool = False) -> None:
        """Delete the entry for good (``fs.delete``: a folder with something in it only
        with ``recursive``)."""
        return self._client().delete(self, recursive=recursive, descendants_only=descendants_only)

    async def async_delete(
        self, *, recursive: bool = False, descendants_only: bool = False
    ) -> None:
        """Async ``delete``."""
        return await self._client().async_delete(
            self, recursive=recursive, descendants_only=descendants_only
        )

    def listdir(
        self,
        *,
        limit: int | None = None,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> list[FSEntry]:
        """The folder's entries (``fs.listdir`` by uid, same options); a file is
        ``NotADirectoryError`` at once, as puter.js's ``readdir`` refuses it."""
        return self._folder().listdir(
            self, limit=limit, sort_by=sort_by, sort_order=sort_order, recursive=recursive
        )

    async def async_listdir(
        self,
        *,
        limit: int | None = None,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> list[FSEntry]:
        """Async ``listdir``."""
        return await self._folder().async_listdir(
            self, limit=limit, sort_by=sort_by, sort_order=sort_order, recursive=recursive
        )

    def readdir(
        self,
        *,
        limit: int | None = None,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> list[FSEntry]:
        """``listdir``, as puter.js's ``FSItem.readdir`` spells it."""
        return self.listdir(
            limit=limit, sort_by=sort_by, sort_order=sort_order, recursive=recursive
        )

    async def async_readdir(
        self,
        *,
        limit: int | None = None,
        sort_by: SortBy | None = None,
        sort_order: SortOrder | None = None,
        recursive: bool = False,
    ) -> list[FSEntry]:
        """Async ``readdir``."""
        return await self.async_listdir(
            limit=limit, sort_by=sort_by, sort_order=sort_order, recursive=recursive
        )

    def mkdir(self, name: str, *, exist_ok: bool = False, dedupe_name: bool = False) -> FSEntry:
        """Create the folder ``name`` inside this folder (``fs.mkdir`` of
        ``<path>/<name>``: the path this entry had when it was fetched); the new folder."""
        return self._folder().mkdir(self._child(name), exist_ok=exist_ok, dedupe_name=dedupe_name)

    async def async_mkdir(
        self, name: str, *, exist_ok: bool = False, dedupe_name: bool = False
    ) -> FSEntry:
        """Async ``mkdir``."""
        return await self._folder().async_mkdir(
            self._child(name), exist_ok=exist_ok, dedupe_name=dedupe_name
        )

    def _child(self, name: str) -> str:
        from puter_client.services.fs.path import check_name

        return f"{self.path.rstrip('/')}/{check_name(name, 'name')}"

    def sign(self, *, write: bool = False) -> SignedURL:
        """Signed URLs of this entry (``fs.sign``, as puter.js's ``FSItem.sign``): ``url``
        reads it with no token; with ``write=True``, where you may write it, ``write_url``
        replaces its bytes."""
        return self._client().sign(self, write=write)

    async def async_sign(self, *, write: bool = False) -> SignedURL:
        """Async ``sign``."""
        return await self._client().async_sign(self, write=write)

    def shortcut_target(self) -> FSEntry:
        """The entry a shortcut points to (``FileNotFoundError`` when it is gone)."""
        fs, target = self._client(), self._target_id()
        return fs._session.run(fs._flows.stat_by_id(target))

    async def async_shortcut_target(self) -> FSEntry:
        """Async ``shortcut_target``."""
        fs, target = self._client(), self._target_id()
        return await fs._session.async_run(fs._flows.stat_by_id(target))

    def _target_id(self) -> int:
        target = self.shortcut_to
        if not self.is_shortcut or target is None:
            raise PuterInputError(
                f"{self.path} is not a shortcut", code="shortcut_target_not_found"
            )
        return target


def _made(data: dict[str, Any], fs: FileSystem | None, v2: bool | None = None) -> FSEntry:
    """An entry around ``data`` (not copied), bound to ``fs``."""
    if v2 is None:
        v2 = _raise_if_bad(data)
    entry = object.__new__(FSEntry)
    entry._data, entry._v2, entry._fs = data, v2, fs
    return entry


def entry_of(data: Any, fs: FileSystem | None) -> FSEntry:
    """The entry of a decoded JSON object, bound to ``fs`` (the dict is kept, not copied);
    ``ValueError`` unless it is an entry."""
    return _made(data, fs)


def entries_of(items: Sequence[Any], fs: FileSystem | None) -> list[FSEntry]:
    """``entry_of`` for each of a listing's decoded items (the fast path of listings:
    a v2 item is checked inline, anything else as ``from_wire`` checks it)."""
    made: list[FSEntry] = []
    append = made.append
    new = object.__new__
    text = str
    for data in items:
        if (
            type(data) is dict
            and type(data.get("isDir")) is bool
            and type(data.get("uid")) is text
            and type(data.get("path")) is text
            and type(data.get("name")) is text
            and "is_dir" not in data
        ):
            v2 = True
        else:
            v2 = _raise_if_bad(data)
        entry = new(FSEntry)
        entry._data = data
        entry._v2 = v2
        entry._fs = fs
        append(entry)
    return made


def _unpickled(data: dict[str, Any], v2: bool) -> FSEntry:
    return _made(data, None, v2)


def _wire_key(attribute: str, v2: bool) -> str:
    if attribute in _FIELDS:
        v1_key, v2_key, _, _ = _FIELDS[attribute]
        key = v2_key if v2 else v1_key
        return key if key is not None else attribute
    return attribute


def _os_error(
    cls: type[PuterIsADirectoryError] | type[PuterNotADirectoryError],
    code: str,
    path: str,
    message: str,
) -> OSError:
    """The error the server would answer, raised before asking it (``errno`` and
    ``filename`` set, as for the server's)."""
    error = cls(message, status_code=400, code=code)
    number = errno.EISDIR if issubclass(cls, IsADirectoryError) else errno.ENOTDIR
    error.errno, error.strerror, error.filename = number, os.strerror(number), path
    return error


def _seconds(moment: datetime | None) -> int | float | None:
    """Unix seconds: an int when whole, as the server sends them."""
    if moment is None:
        return None
    if not isinstance(moment, datetime):
        raise PuterInputTypeError(
            f"a time must be a datetime, not {type(moment).__name__}", code="field_invalid"
        )
    seconds = moment.timestamp()
    whole = math.floor(seconds)
    return int(whole) if seconds == whole else seconds
