"""``FSEntry`` as data: every key of both of the server's entry shapes as a typed
attribute, puter.js's spellings, unknown keys kept, equality, hashing, pickling, copies
and a repr without anything secret (pure: no server)."""

from __future__ import annotations

import copy
import pickle
from datetime import datetime, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from puter.exceptions import PuterInputError, PuterInputTypeError
from puter.types import FSEntry
from tests.services.fs.test_fs_properties import v1_entries, v2_entries
from tests.support.hypothesis_profiles import examples

# the server's own examples (protocol notes; backend toLegacyEntry / #toClientEntry)
V1: dict[str, Any] = {
    "id": "0dc7", "uid": "0dc7", "uuid": "0dc7", "parent_id": "bce9", "parent_uid": "bce9",
    "path": "/admin/AppData/app-7/notes/hello.txt", "dirname": "/admin/AppData/app-7/notes",
    "dirpath": "/admin/AppData/app-7/notes", "name": "hello.txt", "is_dir": False,
    "is_shortcut": 1, "shortcut_to": 42, "is_symlink": 0, "symlink_path": None,
    "type": "text/plain; charset=utf-8", "writable": True, "is_public": None,
    "thumbnail": "https://thumbs.example/t.png?signature=s3cr3t", "immutable": False,
    "metadata": '{"contentType":"text/plain"}', "modified": 1796161580,
    "created": 1796161579, "accessed": 1796161581, "size": 5, "layout": "icons",
    "subdomains": [{"subdomain": "blog"}], "workers": [], "has_website": True,
    "suggested_apps": [{"name": "editor"}], "associated_app": {"name": "editor", "uid": "app-1"},
    "appdata_app": "app-7", "is_empty": False, "owner": {"username": "admin"},
}  # fmt: skip
V2: dict[str, Any] = {
    "uuid": "0dc7", "uid": "0dc7", "parentUid": "bce9", "path": "/admin/Documents/hello.txt",
    "name": "hello.txt", "isDir": False, "isShortcut": True, "shortcutTo": 42,
    "isSymlink": False, "symlinkPath": None, "isPublic": True, "immutable": False,
    "metadata": None, "modified": 1796161580, "created": 1796161579, "accessed": 1796161581,
    "size": 5, "layout": None, "subdomains": [], "workers": [{"name": "w"}], "hasWebsite": False,
    "suggestedApps": [], "type": "text/plain; charset=utf-8", "thumbnail": None,
    "associatedApp": None,
}  # fmt: skip


def at(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, tz=timezone.utc)


def test_every_v1_key_is_a_typed_attribute() -> None:
    entry = FSEntry.from_wire(V1)

    assert (entry.uid, entry.id, entry.uuid) == ("0dc7", "0dc7", "0dc7")
    assert (entry.parent_uid, entry.parent_id) == ("bce9", "bce9")
    assert entry.path == "/admin/AppData/app-7/notes/hello.txt" and entry.name == "hello.txt"
    assert entry.dirname == entry.dirpath == "/admin/AppData/app-7/notes"
    assert entry.is_dir is False and entry.is_shortcut is True and entry.shortcut_to == 42
    assert entry.is_symlink is False and entry.symlink_path is None
    assert entry.content_type == "text/plain; charset=utf-8"
    assert entry.writable is True and entry.is_public is None and entry.immutable is False
    assert entry.thumbnail == V1["thumbnail"] and entry.metadata == V1["metadata"]
    assert (entry.created, entry.modified, entry.accessed) == (
        at(1796161579), at(1796161580), at(1796161581),
    )  # fmt: skip
    assert entry.size == 5 and entry.layout == "icons"
    assert entry.subdomains == ({"subdomain": "blog"},) and entry.workers == ()
    assert entry.has_website is True and entry.suggested_apps == ({"name": "editor"},)
    assert entry.associated_app == {"name": "editor", "uid": "app-1"}
    assert entry.appdata_app == "app-7" and entry.is_empty is False and entry.owner == "admin"
    assert entry.shape == "v1"
    assert entry.extra == {"type": "text/plain; charset=utf-8"}  # read by content_type


def test_every_v2_key_is_a_typed_attribute() -> None:
    entry = FSEntry.from_wire(V2)

    assert (entry.uid, entry.uuid, entry.parent_uid) == ("0dc7", "0dc7", "bce9")
    assert entry.is_dir is False and entry.is_shortcut is True and entry.shortcut_to == 42
    assert entry.is_public is True and entry.workers == ({"name": "w"},)
    assert entry.size == 5 and entry.modified == at(1796161580)
    assert entry.shape == "v2" and entry.extra == {"type": "text/plain; charset=utf-8"}


def test_keys_only_v1_sends_are_derived_or_none_for_a_v2_entry() -> None:
    entry = FSEntry.from_wire({**V2, "path": "/admin/AppData/app-9/x.txt"})

    assert entry.dirname == entry.dirpath == entry.parent == "/admin/AppData/app-9"
    assert entry.appdata_app == "app-9"  # as the server derives it
    assert (entry.writable, entry.is_empty, entry.owner) == (None, None, None)


def test_an_entry_outside_app_data_has_no_appdata_app() -> None:
    assert FSEntry.from_wire(V2).appdata_app is None


def test_puter_js_spellings_read_the_same_values() -> None:
    folder = FSEntry.from_wire({**V2, "isDir": True})

    assert folder.isDir is folder.isDirectory is folder.is_dir is True
    assert folder.id == folder.uid


def test_unknown_keys_are_kept_in_extra_and_sent_back() -> None:
    wire = {**V2, "versions": [], "newKey": {"a": 1}}

    entry = FSEntry.from_wire(wire)

    assert entry.extra == {"type": wire["type"], "versions": [], "newKey": {"a": 1}}
    assert entry.to_wire() == wire


@pytest.mark.parametrize(
    ("key", "value", "attribute", "typed"),
    [
        ("is_shortcut", 2, "is_shortcut", False),
        ("shortcut_to", "42", "shortcut_to", None),
        ("writable", "yes", "writable", None),
        ("owner", "admin", "owner", None),
        ("subdomains", None, "subdomains", ()),
        ("modified", "yesterday", "modified", None),
        ("id", "other", "uid", "0dc7"),
    ],
)
def test_a_known_key_of_an_odd_type_is_kept_as_it_came(
    key: str, value: Any, attribute: str, typed: Any
) -> None:
    entry = FSEntry.from_wire({**V1, key: value})

    assert getattr(entry, attribute) == typed
    assert entry.extra[key] == value
    assert entry.to_wire()[key] == value


def test_the_zero_one_integers_of_v1_and_the_booleans_of_v2_read_alike() -> None:
    assert FSEntry.from_wire({**V1, "is_symlink": 1}).is_symlink is True
    assert FSEntry.from_wire({**V2, "isSymlink": True}).is_symlink is True
    assert FSEntry.from_wire({**V1, "is_shortcut": 0}).is_shortcut is False


def test_a_v1_entry_with_an_odd_isdir_key_is_still_v1() -> None:
    entry = FSEntry.from_wire({**V1, "isDir": None})

    assert entry.shape == "v1" and entry.extra["isDir"] is None


@pytest.mark.parametrize(
    "wire",
    [
        {"uid": "u", "path": "/a", "name": "a"},
        {"uid": 1, "path": "/a", "name": "a", "isDir": False},
        {"uid": "u", "path": "/a", "name": "a", "is_dir": "no"},
        ["not", "an", "object"],
    ],
)
def test_something_that_is_no_entry_is_refused(wire: Any) -> None:
    with pytest.raises(ValueError):
        FSEntry.from_wire(wire)


def test_from_wire_copies_the_object_it_reads() -> None:
    wire = dict(V2)
    entry = FSEntry.from_wire(wire)

    wire["name"] = "changed"

    assert entry.name == "hello.txt"


def test_to_wire_is_a_copy_changing_it_changes_nothing() -> None:
    entry = FSEntry.from_wire(V1)

    entry.to_wire()["subdomains"].append("x")

    assert entry.subdomains == ({"subdomain": "blog"},)


def test_attributes_cannot_be_assigned() -> None:
    entry = FSEntry.from_wire(V2)

    with pytest.raises(AttributeError):
        entry.size = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        entry.anything = 3  # type: ignore[attr-defined]


def test_entries_with_the_same_data_are_equal_and_hash_alike() -> None:
    a, b = FSEntry.from_wire(V2), FSEntry.from_wire(dict(V2))

    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != FSEntry.from_wire({**V2, "size": 6})
    assert a != FSEntry.from_wire(V1)
    assert a != "0dc7"


def test_an_entry_pickles_and_copies_to_an_equal_one() -> None:
    entry = FSEntry.from_wire(V1)

    assert pickle.loads(pickle.dumps(entry)) == entry
    assert copy.copy(entry) == entry and copy.deepcopy(entry) == entry
    assert copy.deepcopy(entry).to_wire() == V1


def test_the_repr_shows_the_path_and_uid_and_no_signed_url() -> None:
    text = repr(FSEntry.from_wire(V1))

    assert "hello.txt" in text and "0dc7" in text
    assert "s3cr3t" not in text and "thumbs.example" not in text


def test_an_entry_built_by_hand_reads_back_its_values() -> None:
    moment = at(1796161580)

    entry = FSEntry(
        path="/alice/a.txt", name="a.txt", uid="u1", is_dir=False, size=3,
        content_type="text/plain", modified=moment, extra={"isShortcut": True},
    )  # fmt: skip

    assert (entry.size, entry.content_type, entry.modified) == (3, "text/plain", moment)
    assert entry.is_shortcut is True and entry.shape == "v2"
    assert FSEntry.from_wire(entry.to_wire()) == entry


def test_a_v1_entry_built_by_hand_is_in_the_v1_shape() -> None:
    entry = FSEntry(path="/alice/d", name="d", uid="u2", is_dir=True, shape="v1")

    assert entry.to_wire()["is_dir"] is True and entry.to_wire()["type"] == "folder"
    assert entry.content_type is None


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"shape": "v3"}, PuterInputError),
        ({"uid": 3}, PuterInputTypeError),
        ({"modified": 1796161580}, PuterInputTypeError),
    ],
)
def test_an_entry_built_by_hand_with_bad_fields_is_refused(
    fields: dict[str, Any], error: type[Exception]
) -> None:
    base: dict[str, Any] = {"path": "/alice/a", "name": "a", "uid": "u", "is_dir": False}

    with pytest.raises(error) as caught:
        FSEntry(**{**base, **fields})

    assert getattr(caught.value, "code", None) == "field_invalid"


@settings(max_examples=examples(25))
@given(st.one_of(v1_entries(), v2_entries()))
def test_every_key_is_either_typed_or_in_extra_and_the_entry_round_trips(
    wire: dict[str, Any],
) -> None:
    entry = FSEntry.from_wire(wire)
    v2 = entry.shape == "v2"

    assert entry.to_wire() == wire
    assert pickle.loads(pickle.dumps(entry)) == entry
    assert entry.is_shortcut is bool(wire["isShortcut" if v2 else "is_shortcut"])
    assert entry.is_symlink is bool(wire["isSymlink" if v2 else "is_symlink"])
    assert entry.symlink_path == wire["symlinkPath" if v2 else "symlink_path"]
    assert entry.metadata == wire["metadata"] and entry.size == wire["size"]
    if not v2:
        assert (entry.dirname, entry.writable) == (wire["dirname"], wire["writable"])
        assert (entry.is_empty, entry.owner) == (wire["is_empty"], wire["owner"]["username"])
    assert set(entry.extra) <= set(wire)
    assert not set(entry.extra) & {"uid", "path", "name", "size", "metadata", "owner"}
