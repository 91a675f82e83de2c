"""Access rules between accounts, and the paths another account's entries are shown at.

As on the server (``ACLService``): a user may do anything in their own home; elsewhere
only what a share on the entry or one of its folders allows (``shares.satisfies``); the
root may be seen and listed. A refusal of something the caller cannot even see is 404
``subject_does_not_exist`` ("Subject does not exist", existence is not leaked); of
something they can see, 403 ``access_denied`` ("Forbidden").

Someone else's entry is published at a *masked* path (``sharePathMask``):
``/<owner>/<uid>/<name>`` stands for the owner's real path, whose folders are none of the
caller's business. A masked path is accepted back (and what lies below it stays masked
under the same root for the rest of the request); the real path works too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.services.fs.tree import FileSystem, Node, fs_error

_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
_PUBLIC_MODES = ("see", "list", "read")


def lineage(node: Node) -> Iterator[Node]:
    """The node and its folders up to (not including) the root."""
    current: Node | None = node
    while current is not None and current.parent is not None:
        yield current
        current = current.parent


def can(node: Node, username: str, mode: str) -> bool:
    """Whether ``username`` may access ``node`` in ``mode``."""
    if node.parent is None:
        return mode in _PUBLIC_MODES
    if node.tree_owner.casefold() == username.casefold():
        return True
    tree = node.tree
    if tree is None:
        return False
    return tree.shares.holds(username, (n.uid for n in lineage(node)), mode)


def not_visible() -> ApiError:
    """The refusal of an entry the caller may not even see."""
    return fs_error(404, "subject_does_not_exist", "Subject does not exist")


def forbidden() -> ApiError:
    """The refusal of an entry the caller sees but may not access this way."""
    return fs_error(403, "access_denied", "Forbidden")


def require(node: Node, username: str, mode: str) -> Node:
    """``node`` if ``username`` may access it in ``mode``; else the server's refusal."""
    if can(node, username, mode):
        return node
    raise forbidden() if can(node, username, "see") else not_visible()


class Viewer:
    """One request's caller: which paths of others' entries it is shown and may use."""

    def __init__(self, username: str) -> None:
        self.username = username
        self._roots: dict[str, str] = {}

    def owns(self, path: str) -> bool:
        """Whether an absolute path lies in the caller's own home (or is it)."""
        return path.split("/")[1].casefold() == self.username.casefold() if path != "/" else False

    def resolve(self, fs: FileSystem, path: str) -> str:
        """The real path of a masked one (``/<owner>/<uid>/<name>/...``); others unchanged."""
        parts = path.split("/")
        if len(parts) < 4 or not _UUID.match(parts[2]) or self.owns(path):
            return path
        owner, uid, head, rest = parts[1], parts[2], parts[3], parts[4:]
        root = fs.by_uid(uid)
        if root is None or root.tree_owner != owner or head != root.name:
            return path
        self._roots[root.path] = f"/{owner}/{root.uid}/{root.name}"
        return "/".join([root.path, *rest])

    def publish(self, node: Node) -> str:
        """The path the caller is shown for ``node``."""
        path = node.path
        if node.parent is None or node.tree_owner.casefold() == self.username.casefold():
            return path
        best = max(
            (real for real in self._roots if path == real or path.startswith(real + "/")),
            key=len,
            default=None,
        )
        if best is not None:
            return self._roots[best] + path[len(best) :]
        return f"/{node.tree_owner}/{node.uid}/{node.name}"
