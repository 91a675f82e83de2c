"""Remote paths of the file system, as the SDK sends them (pure; no I/O).

Puter resolves a path without a leading ``/`` or ``~`` from the root (``notes.txt`` is
``/notes.txt``, which nobody may write), so, as puter.js does, a relative path is taken
relative to the home folder: ``notes.txt`` is sent as ``~/notes.txt``. Paths the server
would refuse (``..``, ``.`` or an empty segment) or silently change (surrounding spaces,
which it strips) are refused here, before any request.
"""

from __future__ import annotations

from pathlib import PurePosixPath

__all__ = ["RemotePath", "check_name", "remote_path", "split_remote"]

RemotePath = str | PurePosixPath
"""A path of the cloud file system: ``/alice/Documents/a.txt``, ``~/a.txt``, or ``a.txt``
(relative to ``~``)."""


def remote_path(path: RemotePath, argument: str = "path") -> str:
    """``path`` as sent: absolute and ``~`` paths as given, relative ones under ``~/``; a
    trailing ``/`` dropped. ``TypeError``/``ValueError`` (naming ``argument``) otherwise."""
    if isinstance(path, PurePosixPath):
        path = str(path)
    if not isinstance(path, str):
        raise TypeError(f"{argument} must be a str or PurePosixPath, not {type(path).__name__}")
    if not path:
        raise ValueError(f"{argument} must not be empty")
    if path != path.strip():
        raise ValueError(
            f"{argument} must not start or end with white space (the server strips it): {path!r}"
        )
    if "//" in path:
        raise ValueError(f"{argument} must not contain '//' (the server refuses it): {path!r}")
    if any(segment in (".", "..") for segment in path.split("/")):
        raise ValueError(
            f"{argument} must not contain '.' or '..' segments (the server refuses them): {path!r}"
        )
    if len(path) > 1 and path.endswith("/"):
        path = path[:-1]
    if path.startswith("/") or path == "~" or path.startswith("~/"):
        return path
    return f"~/{path}"


def split_remote(path: str) -> tuple[str, str]:
    """``(parent, name)`` of a path ``remote_path`` returned: ``("~/a", "b")`` for ``~/a/b``.

    ``ValueError`` for ``/`` and ``~``, which have no name in a parent.
    """
    parent, slash, name = path.rpartition("/")
    if not slash or not name:
        raise ValueError(f"{path!r} names no entry inside a folder")
    return parent or "/", name


def check_name(name: str, argument: str = "new_name") -> str:
    """``name`` if it is a valid entry name (no ``/``, not ``.``/``..``, not empty)."""
    if not isinstance(name, str):
        raise TypeError(f"{argument} must be a str, not {type(name).__name__}")
    if not name or name in (".", "..") or "/" in name:
        raise ValueError(f"{argument} must be a name without '/' (not '', '.' or '..'): {name!r}")
    if name != name.strip():
        raise ValueError(
            f"{argument} must not start or end with white space (the server strips it): {name!r}"
        )
    return name
