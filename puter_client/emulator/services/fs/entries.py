"""The two shapes of a file-system entry: v1 (legacy routes, snake_case) and v2 (``/fs/*``)."""

from __future__ import annotations

from typing import Any

from puter_client.emulator.services.fs.tree import Node, mime_type


def entry_type(node: Node) -> str | None:
    """``"folder"``, the type the file's name suggests, or None."""
    return "folder" if node.is_dir else mime_type(node.name)


def v1_entry(node: Node) -> dict[str, Any]:
    """The legacy entry; ``is_shortcut``/``is_symlink`` are the integers 0/1."""
    parent = node.parent
    dirname = parent.path if parent is not None else "/"
    entry: dict[str, Any] = {
        "id": node.uid,
        "uid": node.uid,
        "uuid": node.uid,
        "parent_id": parent.uid if parent is not None else None,
        "parent_uid": parent.uid if parent is not None else None,
        "path": node.path,
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
        "subdomains": [],
        "workers": [],
        "has_website": False,
        "suggested_apps": [],
        "associated_app": None,
    }
    parts = node.path.split("/")
    if len(parts) > 3 and parts[2] == "AppData":
        entry["appdata_app"] = parts[3]
    entry["is_empty"] = node.is_dir and not node.children
    entry["owner"] = {"username": node.owner}
    return entry


def v2_entry(node: Node, *, listing: bool = False) -> dict[str, Any]:
    """The ``/fs/*`` entry; ``/fs/readdir`` items also carry type, thumbnail, app."""
    entry: dict[str, Any] = {
        "uuid": node.uid,
        "uid": node.uid,
        "parentUid": node.parent.uid if node.parent is not None else None,
        "path": node.path,
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
        "subdomains": [],
        "workers": [],
        "hasWebsite": False,
        "suggestedApps": [],
    }
    if listing:
        entry.update(type=entry_type(node), thumbnail=None, associatedApp=None)
    return entry
