"""Properties of the file system's pure parts: path normalisation and ``FSEntry``."""

from __future__ import annotations

from datetime import timezone
from pathlib import PurePosixPath
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from puter.types import FSEntry
from puter_client._generated.models import FsEntryV1, FsEntryV2
from puter_client.core.serialization import structure, unstructure
from puter_client.services.fs.path import remote_path, split_remote

names = st.text(
    st.characters(exclude_characters="/", exclude_categories=["Cs"]), min_size=1, max_size=12
).filter(lambda n: n not in (".", "..", "~") and n == n.strip())
relative_paths = st.lists(names, min_size=1, max_size=4).map("/".join)


@given(relative_paths)
def test_a_relative_path_is_sent_relative_to_home(path: str) -> None:
    assert remote_path(path) == f"~/{path}"


@given(relative_paths)
def test_absolute_and_home_paths_are_sent_as_given(path: str) -> None:
    assert remote_path(f"/{path}") == f"/{path}"
    assert remote_path(f"~/{path}") == f"~/{path}"


@given(relative_paths)
def test_one_trailing_slash_is_dropped_and_normalising_twice_changes_nothing(path: str) -> None:
    once = remote_path(f"{path}/")

    assert once == f"~/{path}"
    assert remote_path(once) == once
    assert remote_path(PurePosixPath(path)) == once


@given(relative_paths, relative_paths, st.sampled_from(["..", ".", ""]))
def test_dot_segments_and_empty_segments_are_refused(head: str, tail: str, bad: str) -> None:
    with pytest.raises(ValueError):
        remote_path(f"{head}/{bad}/{tail}")


@given(relative_paths)
def test_a_sent_path_is_split_into_its_folder_and_name(path: str) -> None:
    parent, name = split_remote(remote_path(path))

    assert f"{parent}/{name}" == remote_path(path)
    assert "/" not in name


# ------------------------------------------------------------------------- FSEntry

json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=8)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)
seconds = st.none() | st.integers(min_value=0, max_value=4_000_000_000)
texts = st.text(max_size=20)
optional_texts = st.none() | texts


@st.composite
def v1_entries(draw: st.DrawFn) -> dict[str, Any]:
    is_dir = draw(st.booleans())
    uid = draw(texts)
    entry: dict[str, Any] = {
        "id": uid, "uid": uid, "uuid": uid, "parent_id": draw(optional_texts),
        "parent_uid": draw(optional_texts), "path": "/" + draw(texts), "dirname": draw(texts),
        "dirpath": draw(texts), "name": draw(texts), "is_dir": is_dir,
        "is_shortcut": draw(st.sampled_from([0, 1])), "shortcut_to": None,
        "is_symlink": draw(st.sampled_from([0, 1])), "symlink_path": draw(optional_texts),
        "type": "folder" if is_dir else draw(optional_texts), "writable": draw(st.booleans()),
        "is_public": draw(st.none() | st.booleans()), "thumbnail": draw(optional_texts),
        "immutable": draw(st.booleans()), "metadata": draw(optional_texts),
        "modified": draw(seconds), "created": draw(seconds), "accessed": draw(seconds),
        "size": draw(st.none() | st.integers(min_value=0)), "layout": None, "subdomains": [],
        "workers": [], "has_website": False, "suggested_apps": [], "associated_app": None,
        "is_empty": draw(st.booleans()), "owner": {"username": draw(texts)},
    }  # fmt: skip
    entry.update(draw(unknown_keys(entry)))
    return entry


@st.composite
def v2_entries(draw: st.DrawFn) -> dict[str, Any]:
    is_dir = draw(st.booleans())
    uid = draw(texts)
    entry: dict[str, Any] = {
        "uuid": uid, "uid": uid, "parentUid": draw(optional_texts), "path": "/" + draw(texts),
        "name": draw(texts), "isDir": is_dir, "isShortcut": draw(st.booleans()),
        "shortcutTo": None, "isSymlink": draw(st.booleans()), "symlinkPath": draw(optional_texts),
        "isPublic": draw(st.none() | st.booleans()), "immutable": draw(st.booleans()),
        "metadata": draw(optional_texts), "modified": draw(seconds), "created": draw(seconds),
        "accessed": draw(seconds), "size": draw(st.none() | st.integers(min_value=0)),
        "layout": None, "subdomains": [], "workers": [], "hasWebsite": False, "suggestedApps": [],
    }  # fmt: skip
    if draw(st.booleans()):  # /fs/readdir items
        entry.update(type="folder" if is_dir else draw(optional_texts), thumbnail=None,
                     associatedApp=None)  # fmt: skip
    entry.update(draw(unknown_keys(entry)))
    return entry


def unknown_keys(entry: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    return st.dictionaries(
        st.text(min_size=1, max_size=8).filter(lambda k: k not in entry), json_values, max_size=3
    )


@settings(deadline=None)  # the first example pays for imports on a busy machine
@given(v1_entries())
def test_a_v1_entry_survives_the_model_and_fs_entry_unchanged(wire: dict[str, Any]) -> None:
    entry = FSEntry.from_model(structure(wire, FsEntryV1))

    assert entry.shape == "v1"
    assert entry.to_wire() == wire
    assert unstructure(structure(entry.to_wire(), FsEntryV1)) == wire


@settings(deadline=None)  # the first example pays for imports on a busy machine
@given(v2_entries())
def test_a_v2_entry_survives_the_model_and_fs_entry_unchanged(wire: dict[str, Any]) -> None:
    entry = FSEntry.from_model(structure(wire, FsEntryV2))

    assert entry.shape == "v2"
    assert entry.to_wire() == wire
    assert unstructure(structure(entry.to_wire(), FsEntryV2)) == wire


@settings(deadline=None)  # the first example pays for imports on a busy machine
@given(st.one_of(v1_entries(), v2_entries()))
def test_the_typed_fields_read_either_shape(wire: dict[str, Any]) -> None:
    entry = FSEntry.from_wire(wire)
    v2 = "isDir" in wire

    assert entry.is_dir is wire["isDir" if v2 else "is_dir"]
    assert entry.parent_uid == wire["parentUid" if v2 else "parent_uid"]
    assert entry.is_public == wire["isPublic" if v2 else "is_public"]
    for moment in ("created", "modified", "accessed"):
        value = getattr(entry, moment)
        if wire[moment] is None:
            assert value is None
        else:
            assert value.tzinfo is timezone.utc and value.timestamp() == wire[moment]
    if entry.is_dir:
        assert entry.content_type is None


def test_a_typed_key_of_an_odd_type_is_kept_as_it_came() -> None:
    wire = {"uid": "u", "path": "/a", "name": "a", "is_dir": False, "size": "5"}

    entry = FSEntry.from_wire(wire)

    assert entry.size is None and entry.extra["size"] == "5"
    assert entry.to_wire()["size"] == "5"


def test_the_content_type_of_a_v2_entry_comes_from_its_metadata() -> None:
    wire = {"uid": "u", "path": "/a", "name": "a", "isDir": False,
            "metadata": '{"contentType": "image/png"}'}  # fmt: skip

    assert FSEntry.from_wire(wire).content_type == "image/png"
