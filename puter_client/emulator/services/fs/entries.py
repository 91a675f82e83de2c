"""The two shapes of a file-system entry: v1 (legacy routes, snake_case) and v2 (``/fs/*``).

An entry carries the sites (``subdomains``) and workers rooted at it, each
``{uuid, subdomain, address}``, and ``has_website`` when it has a site. ``path`` is the
path the caller is shown (another account's entries are masked, see ``access``).
"""

from __future__ import annotations

import posixpath
from typing import Any

from puter_client.emulator.services.fs.tree import Node, mime_type


def entry_type(node: Node) -> str | None:
    """``"folder"``, the type the file's name suggests, or None."""
    return "folder" if node.is_dir else mime_type(node.name)


def hosted(node: Node) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The sites and the workers rooted at ``node``."""
    return node.tree.hosted(node.uid) if node.tree is not None else ([], [])


def v1_entry(node: Node, *, path: str | None = None) -> dict[str, Any]:
    """The legacy entry; ``is_shortcut``/``is_symlink`` are the integers 0/1."""
    parent = node.parent
    shown = node.path if path is None else path
    dirname = posixpath.dirname(shown) if parent is not None else "/"
    sites, workers = hosted(node)
    entry: dict[str, Any] = {
        "id": node.uid,
        "uid": node.uid,
        "uuid": node.uid,
        "parent_id": parent.uid if parent is not None else None,
        "parent_uid": parent.uid if parent is not None else None,
        "path": shown,
        "dirname": dirname,
        "dirpath": dirname,
        "name": node.name,
        "is_dir": node.is_dir,
        "is_shortcut": int(node.is_shortcut),
        "shortcut_to": node.shortcut_to,
        "is_symlink": 0,
        "symlink_path": None,
        "type": entry_type(node),
        "writable": True,
        "is_public": None,
        "thumbnail": None,
        "immutable": node.immutable,
        "metadata": node.metadata,
        "modified": node.modified,
        "created": node.created,
        "accessed": node.accessed,
        "size": node.size,
        "layout": None,
        "subdomains": sites,
        "workers": workers,
        "has_website": bool(sites),
        "suggested_apps": [],
        "associated_app": None,
    }
    parts = node.path.split("/")
    if len(parts) > 3 and parts[2] == "AppData":
        entry["appdata_app"] = parts[3]
    entry["is_empty"] = node.is_dir and not node.children
    entry["owner"] = {"username": node.owner}
    return entry


def v2_entry(node: Node, *, listing: bool = False, path: str | None = None) -> dict[str, Any]:
    """The ``/fs/*`` entry; ``/fs/readdir`` items also carry type, thumbnail, app."""
    sites, workers = hosted(node)
    entry: dict[str, Any] = {
        "uuid": node.uid,
        "uid": node.uid,
        "parentUid": node.parent.uid if node.parent is not None else None,
        "path": node.path if path is None else path,
        "name": node.name,
        "isDir": node.is_dir,
        "isShortcut": node.is_shortcut,
        "shortcutTo": node.shortcut_to,
        "isSymlink": False,
        "symlinkPath": None,
        "isPublic": None,
        "immutable": node.immutable,
        "metadata": node.metadata,
        "modified": node.modified,
        "created": node.created,
        "accessed": node.accessed,
        "size": node.size,
        "layout": None,
        "subdomains": sites,
        "workers": workers,
        "hasWebsite": bool(sites),
        "suggestedApps": [],
    }
    if listing:
        entry.update(type=entry_type(node), thumbnail=None, associatedApp=None)
    return entry
