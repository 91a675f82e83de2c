"""The emulated file system: a tree of entries, path rules, quotas (no HTTP here).

Paths follow the server: ``~`` expands to ``/<username>``; a path without a leading
``/`` is resolved from the root; ``.``/``..`` segments or ``//`` are 400 ``Invalid
path``; one trailing ``/`` is ignored. Every user's home holds the standard folders.
Changes happen on the server's event loop; file contents live in a `BlobStore`.
"""

from __future__ import annotations

import itertools
import mimetypes
import secrets
import uuid as uuidlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from puter_client.emulator.core.blobs import Blob, BlobStore
from puter_client.emulator.core.clock import Clock
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.services.fs.shares import ShareStore

HOME_FOLDERS = ("AppData", "Desktop", "Documents", "Pictures", "Public", "Trash", "Videos")

Hosted = Callable[[str], "tuple[list[dict[str, Any]], list[dict[str, Any]]]"]
"""``hosted(uid)``: the ``subdomains`` and ``workers`` an entry carries (the subdomain rows
whose root is this entry, as ``{uuid, subdomain, address}``)."""
_UTF8_TYPES = ("application/json", "application/javascript")


def fs_error(status: int, code: str, message: str, **extra: object) -> ApiError:
    """An error of a file-system route."""
    return ApiError(status, code, message, extra=extra or None)


def invalid_path() -> ApiError:
    """The 400 of a path with ``.``, ``..`` or ``//`` in it."""
    return fs_error(400, "bad_request", "Invalid path")


def subject_missing() -> ApiError:
    """The 404 of a place the caller may not write to (root, another user's tree)."""
    return fs_error(404, "subject_does_not_exist", "Subject does not exist")


def normalize(path: str, username: str) -> str:
    """An absolute path from what a client sent (see the module docstring)."""
    text = path.strip()
    if not text:
        raise fs_error(400, "bad_request", "Path cannot be empty")
    if text == "~" or text.startswith("~/"):
        text = f"/{username}{text[1:]}"
    segments = text.split("/")
    inner = segments[1:-1] if text.startswith("/") else segments[:-1]
    if any(s in (".", "..") for s in segments) or any(s == "" for s in inner):
        raise invalid_path()
    text = text if text.startswith("/") else f"/{text}"
    return text[:-1] if len(text) > 1 and text.endswith("/") else text


def split(path: str) -> tuple[str, str]:
    """``("/a/b", "c")`` for ``"/a/b/c"``."""
    parent, _, name = path.rpartition("/")
    return parent or "/", name


def mime_type(name: str) -> str | None:
    """The type a file's name suggests (with ``charset=utf-8`` for text), or None."""
    guessed, _ = mimetypes.guess_type(name, strict=False)
    if guessed and (guessed.startswith("text/") or guessed in _UTF8_TYPES):
        return f"{guessed}; charset=utf-8"
    return guessed


def deduped_names(name: str, is_dir: bool) -> Iterator[str]:
    """``name (1).ext``, ``name (2).ext``... (directories keep no extension apart)."""
    stem, dot, ext = name.rpartition(".")
    if is_dir or not dot or not stem:
        stem, dot, ext = name, "", ""
    for n in itertools.count(1):
        yield f"{stem} ({n}){dot}{ext}"


@dataclass(eq=False)
class Node:
    """A file or directory."""

    uid: str
    name: str
    parent: Node | None
    is_dir: bool
    owner: str
    created: int
    modified: int
    accessed: int
    children: dict[str, Node] = field(default_factory=dict)
    blob: Blob | None = None
    content_type: str | None = None
    #: The JSON text the server keeps as ``metadata`` (None for directories).
    metadata: str | None = None
    immutable: bool = False
    #: Creation order (the server's row id): ties of a sorted listing go by it, and a
    #: shortcut names its target by it.
    seq: int = 0
    #: The tree the node belongs to (for what an entry shows beyond the node itself).
    tree: FileSystem | None = field(default=None, repr=False, compare=False)

    @property
    def tree_owner(self) -> str:
        """The username whose home holds the node (``""`` for the root)."""
        return self.path.split("/")[1] if self.parent is not None else ""

    #: A shortcut: not a folder, no contents, ``shortcut_to`` the target's ``seq`` (kept
    #: when the target is gone, as the server keeps its id).
    is_shortcut: bool = False
    shortcut_to: int | None = None

    @property
    def path(self) -> str:
        """The absolute path."""
        if self.parent is None:
            return "/"
        parent = self.parent.path
        return f"/{self.name}" if parent == "/" else f"{parent}/{self.name}"

    @property
    def size(self) -> int:
        """Bytes of a file; 0 for a directory."""
        return self.blob.size if self.blob else 0

    def walk(self) -> Iterator[Node]:
        """This node and everything below it."""
        yield self
        for child in list(self.children.values()):
            yield from child.walk()

    def sorted_children(self) -> list[Node]:
        """The children by name."""
        return sorted(self.children.values(), key=lambda n: n.name)


class FileSystem:
    """Every user's tree, the uid index and the contents' reference counts."""

    def __init__(self, blobs: BlobStore, clock: Clock) -> None:
        self.blobs = blobs
        self.clock = clock
        self._refs: Counter[int] = Counter()
        self._seq = itertools.count(1)
        self.root = self._node("", None, is_dir=True, owner="")
        self._by_uid: dict[str, Node] = {}
        #: Who may reach whose entries beyond their own home (``/share``).
        self.shares = ShareStore()
        #: The secret of signed file URLs (``/sign``), the server's ``url_signature_secret``.
        self.signing_secret = secrets.token_hex(32)
        #: The sites and workers rooted at an entry (set by the state, which knows them).
        self.hosted: Hosted = lambda uid: ([], [])
        self._by_seq: dict[int, Node] = {}

    def now(self) -> int:
        """Unix seconds."""
        return int(self.clock())

    def _node(self, name: str, parent: Node | None, *, is_dir: bool, owner: str) -> Node:
        now = self.now()
        node = Node(str(uuidlib.uuid4()), name, parent, is_dir, owner, now, now, now)
        node.seq = next(self._seq)
        node.tree = self
        return node

    def _attach(self, node: Node) -> Node:
        assert node.parent is not None
        node.parent.children[node.name] = node
        self._by_uid[node.uid] = node
        self._by_seq[node.seq] = node
        if node.blob is not None:
            self._refs[node.blob.id] += 1
        return node

    def clear(self) -> None:
        """Forget everything."""
        self.root.children.clear()
        self._by_uid.clear()
        self._by_seq.clear()
        self._refs.clear()
        self.blobs.clear()
        self.shares.clear()

    # lookups ---------------------------------------------------------------------------

    def home(self, username: str) -> Node:
        """``/<username>``, created with the standard folders on first use."""
        home = self.root.children.get(username)
        if home is None:
            home = self._attach(self._node(username, self.root, is_dir=True, owner=username))
            home.immutable = True
            for name in HOME_FOLDERS:
                folder = self._attach(self._node(name, home, is_dir=True, owner=username))
                folder.immutable = True
        return home

    def find(self, path: str) -> Node | None:
        """The node at an absolute normalized path."""
        node: Node | None = self.root
        for name in path.strip("/").split("/") if path != "/" else []:
            node = node.children.get(name) if node is not None else None
        return node

    def by_uid(self, uid: str) -> Node | None:
        """The node with this uid."""
        return self._by_uid.get(uid)

    def by_seq(self, seq: int) -> Node | None:
        """The node with this numeric id (the server's row id)."""
        return self._by_seq.get(seq)

    def used(self, username: str) -> int:
        """Bytes stored in ``username``'s files."""
        home = self.root.children.get(username)
        return sum(n.size for n in home.walk()) if home else 0

    # changes ---------------------------------------------------------------------------

    def mkdir(self, parent: Node, name: str, owner: str) -> Node:
        """A new directory in ``parent``."""
        return self._attach(self._node(name, parent, is_dir=True, owner=owner))

    def mkdirs(self, path: str, owner: str) -> Node:
        """The directory at ``path``, created with its missing ancestors."""
        node = self.root
        for name in path.strip("/").split("/") if path != "/" else []:
            child = node.children.get(name)
            if child is None:
                child = self.mkdir(node, name, owner)
            elif not child.is_dir:
                raise fs_error(400, "dest_is_not_a_directory", "Target is not a directory")
            node = child
        return node

    def put_file(
        self,
        parent: Node,
        name: str,
        blob: Blob,
        owner: str,
        *,
        content_type: str | None,
        metadata: str | None,
        immutable: bool = False,
    ) -> Node:
        """Store a file, replacing a file of that name (keeping its uid and creation)."""
        old = parent.children.get(name)
        node = self._node(name, parent, is_dir=False, owner=owner)
        if old is not None:
            node.uid, node.created = old.uid, old.created
            self.delete(old)
        node.blob, node.content_type, node.metadata = blob, content_type, metadata
        node.immutable = immutable
        return self._attach(node)

    def shortcut(self, parent: Node, name: str, target: Node, owner: str) -> Node:
        """A new shortcut to ``target`` in ``parent``."""
        node = self._node(name, parent, is_dir=False, owner=owner)
        node.is_shortcut, node.shortcut_to = True, target.seq
        return self._attach(node)

    def touch(self, node: Node) -> None:
        """Update the modification and access times."""
        node.modified = node.accessed = self.now()

    def delete(self, node: Node) -> None:
        """Remove ``node`` and everything below it (permanently)."""
        for gone in list(node.walk()):
            self._by_uid.pop(gone.uid, None)
            if self._by_seq.get(gone.seq) is gone:
                del self._by_seq[gone.seq]
            if gone.blob is not None:
                self._refs[gone.blob.id] -= 1
                if self._refs[gone.blob.id] <= 0:
                    del self._refs[gone.blob.id]
                    self.blobs.delete(gone.blob)
        if node.parent is not None and node.parent.children.get(node.name) is node:
            del node.parent.children[node.name]

    def move(self, node: Node, parent: Node, name: str) -> None:
        """Move (and/or rename) ``node`` into ``parent`` as ``name``."""
        assert node.parent is not None
        del node.parent.children[node.name]
        node.parent, node.name = parent, name
        parent.children[name] = node
        self.touch(node)

    def copy(self, node: Node, parent: Node, name: str, owner: str) -> Node:
        """A recursive copy of ``node`` into ``parent`` as ``name`` (contents shared)."""
        clone = self._node(name, parent, is_dir=node.is_dir, owner=owner)
        clone.blob, clone.content_type, clone.metadata = node.blob, node.content_type, node.metadata
        clone.is_shortcut, clone.shortcut_to = node.is_shortcut, node.shortcut_to
        self._attach(clone)
        for child in node.sorted_children():
            self.copy(child, clone, child.name, owner)
        return clone

    def free_name(self, parent: Node, name: str, is_dir: bool) -> str:
        """``name``, or the first deduplicated variant of it that is free in ``parent``."""
        if name not in parent.children:
            return name
        return next(n for n in deduped_names(name, is_dir) if n not in parent.children)
