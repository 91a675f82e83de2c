"""Remote paths of the file system, as the SDK sends them (pure; no I/O).

Puter resolves a path without a leading ``/`` or ``~`` from the root (``notes.txt`` is
``/notes.txt``, which nobody may write), so, as puter.js does, a relative path is taken
relative to the home folder: ``notes.txt`` is sent as ``~/notes.txt``. Paths the server
would refuse (``..``, ``.`` or an empty segment) or silently change (surrounding spaces,
which it strips) are refused here, before any request.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Union

import attrs

from puter_client.core.exceptions import PuterInputError, PuterInputTypeError

if TYPE_CHECKING:
    from puter_client.services.fs.entry import FSEntry

__all__ = [
    "RemotePath",
    "Target",
    "Uid",
    "check_name",
    "remote_path",
    "remote_target",
    "split_remote",
]

RemotePath = str | PurePosixPath
"""A path of the cloud file system: ``/alice/Documents/a.txt``, ``~/a.txt``, or ``a.txt``
(relative to ``~``)."""


@attrs.frozen
class Uid:
    """An entry named by its uid instead of its path (puter.js's ``{uid}``):
    ``fs.stat(Uid(entry_uid))``. It keeps naming the entry after a move or rename."""

    value: str = attrs.field()

    @value.validator
    def _check(self, _: object, value: object) -> None:
        if not isinstance(value, str):
            raise PuterInputTypeError(
                f"a uid must be a str, not {type(value).__name__}", code="field_invalid"
            )
        if not value or value != value.strip() or value.startswith(("/", "~")):
            raise PuterInputError(f"not a uid: {value!r}", code="NO_PATH_OR_UID")

    def __str__(self) -> str:
        return self.value


Target = Union[RemotePath, Uid, "FSEntry"]
"""What names an existing entry: a path, a ``Uid``, or an ``FSEntry`` (its uid)."""


def remote_target(
    target: Target, argument: str = "path", *, missing: str = "NO_PATH_OR_UID"
) -> str | Uid:
    """A checked path (as ``remote_path``) or a ``Uid``; an ``FSEntry`` by its uid."""
    from puter_client.services.fs.entry import FSEntry

    if isinstance(target, Uid):
        return target
    if isinstance(target, FSEntry):
        return Uid(target.uid)
    return remote_path(target, argument, missing=missing)


def remote_path(
    path: RemotePath, argument: str = "path", *, missing: str = "NO_PATH_OR_UID"
) -> str:
    """``path`` as sent: absolute and ``~`` paths as given, relative ones under ``~/``; a
    trailing ``/`` dropped. Otherwise ``PuterInputTypeError``/``PuterInputError`` (naming
    ``argument``), with puter.js's code: ``missing`` for an empty path (``NO_PATH_OR_UID``,
    or ``NO_TARGET_PATH`` for a write), ``field_invalid`` for a wrong type or white space
    the server would strip, and the server's ``bad_request`` for what it refuses."""
    if isinstance(path, PurePosixPath):
        path = str(path)
    if not isinstance(path, str):
        raise PuterInputTypeError(
            f"{argument} must be a str or PurePosixPath, not {type(path).__name__}",
            code="field_invalid",
        )
    if not path:
        raise PuterInputError(f"{argument} must not be empty", code=missing)
    if path != path.strip():
        raise PuterInputError(
            f"{argument} must not start or end with white space (the server strips it): {path!r}",
            code="field_invalid",
        )
    if "//" in path:
        raise PuterInputError(
            f"{argument} must not contain '//' (the server refuses it): {path!r}",
            code="bad_request",
        )
    if any(segment in (".", "..") for segment in path.split("/")):
        raise PuterInputError(
            f"{argument} must not contain '.' or '..' segments (the server refuses them): {path!r}",
            code="bad_request",
        )
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    if path.startswith("/") or path == "~" or path.startswith("~/"):
        return path
    return f"~/{path}"


def split_remote(path: str, code: str = "field_invalid") -> tuple[str, str]:
    """``(parent, name)`` of a path ``remote_path`` returned: ``("~/a", "b")`` for ``~/a/b``.

    ``PuterInputError`` (``code``) for ``/`` and ``~``, which have no name in a parent.
    """
    parent, slash, name = path.rpartition("/")
    if not slash or not name:
        raise PuterInputError(f"{path!r} names no entry inside a folder", code=code)
    return parent or "/", name


def check_name(name: str, argument: str = "new_name") -> str:
    """``name`` if it is a valid entry name (no ``/``, not ``.``/``..``, not empty)."""
    if not isinstance(name, str):
        raise PuterInputTypeError(
            f"{argument} must be a str, not {type(name).__name__}", code="field_invalid"
        )
    if not name or name in (".", "..") or "/" in name:
        raise PuterInputError(
            f"{argument} must be a name without '/' (not '', '.' or '..'): {name!r}",
            code="bad_request",  # the server's code for these names
        )
    if name != name.strip():
        raise PuterInputError(
            f"{argument} must not start or end with white space (the server strips it): {name!r}",
            code="field_invalid",
        )
    return name
