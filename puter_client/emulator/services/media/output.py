"""``puter_output_path``: a generated image or video also saved into the caller's file system.

As the server's image and video drivers do: the path is read and checked before anything
is generated (``~`` expands to the home; a path that is not normalized is 400 ``Invalid
path``; the root or a top-level entry 400 ``cannot_write_to_root``; a folder the caller
may not write 403 ``access_denied``), and once the file exists it is written as
``fs.write`` writes with ``overwrite`` and ``createMissingParents``: missing folders are
made, a file there is replaced (a folder there is 409 ``cannot_overwrite_a_directory``),
the storage quota holds. The driver's answer stays the URL it would be without it.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from typing import Any

from puter_client.emulator.core.driverapi import DriverCall, fail
from puter_client.emulator.core.errors import ApiError


def _write_access_denied() -> ApiError:
    return fail(403, "access_denied", "Write access denied for destination")


def _root() -> ApiError:
    return fail(400, "cannot_write_to_root", "Cannot write to root path")


@dataclass(frozen=True)
class OutputPath:
    """A checked destination (absolute, normalized) of a generated file."""

    path: str

    @classmethod
    def of(cls, dc: DriverCall) -> OutputPath | None:
        """The destination ``args.puter_output_path`` names, None when absent or empty
        (the server then deletes it from the arguments: no provider reads it)."""
        raw = dc.args.get("puter_output_path")
        if not raw:  # JavaScript's falsy values name no destination
            return None
        if not isinstance(raw, str):
            raise fail(500, "internal_error", "Internal Server Error")  # `.trim()` of a non-string
        path = raw.strip()
        if path == "~" or path.startswith("~/"):
            path = f"/{dc.user.username}{path[1:]}"
        if _normalized(path) != path:
            raise fail(400, "bad_request", "Invalid path")
        if not path.startswith("/"):
            path = f"/{path}"
        if len(path) > 1 and path.endswith("/"):
            path = path[:-1]
        if path == "/" or posixpath.dirname(path) == "/":
            raise _root()
        parent = posixpath.dirname(path)
        home = f"/{dc.user.username}"
        if parent != home and not parent.startswith(home + "/"):
            raise _write_access_denied()
        return cls(path)

    def save(self, dc: DriverCall, data: bytes, content_type: str) -> None:
        """Write ``data`` at the destination (``fs.write`` with ``overwrite`` and
        ``createMissingParents``)."""
        state = dc.state
        fs = state.fs
        owner = dc.user.username
        fs.home(owner)
        parent_path, name = posixpath.split(self.path)
        parent = fs.mkdirs(parent_path, owner)
        existing = parent.children.get(name)
        if existing is not None and existing.is_dir:
            raise fail(
                409, "cannot_overwrite_a_directory", "Cannot overwrite an existing directory"
            )
        replaced = existing.size if existing is not None else 0
        if fs.used(owner) - replaced + len(data) > state.options.storage_capacity:
            raise fail(413, "storage_limit_reached", "Storage limit reached")
        writer = fs.blobs.writer()
        writer.write(data)
        blob = writer.finish()
        metadata: dict[str, Any] = {"contentType": content_type}
        state.metering.record(dc.user.uuid, "storage:write:ops")
        fs.put_file(
            parent,
            name,
            blob,
            owner,
            content_type=content_type,
            metadata=json.dumps(metadata, separators=(",", ":")),
        )


def _normalized(path: str) -> str:
    """Node's ``path.posix.normalize``: ``.``/``..`` and repeated slashes resolved, a
    trailing slash kept, ``""`` as ``"."``."""
    if not path:
        return "."
    normalized = posixpath.normpath(path)
    if normalized.startswith("//"):  # POSIX keeps a leading "//"; Node does not
        normalized = "/" + normalized.lstrip("/")
    if path.endswith("/") and normalized != "/":
        normalized += "/"
    return normalized
