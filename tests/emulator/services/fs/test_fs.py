"""The file system: legacy and v2 routes, path rules, entry shapes, uploads, reads, quotas."""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter_client.emulator import Drop, running_emulator
from puter_client.emulator.core.blobs import TempDirBlobStore
from puter_client.emulator.core.clock import ManualClock
from puter_client.emulator.core.ratelimit import RateLimit
from tests.emulator.emulator_support import Api
from tests.support.hypothesis_profiles import examples

FIXTURE_SETTINGS = settings(
    max_examples=examples(30),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
V1_KEYS = {
    "id", "uid", "uuid", "parent_id", "parent_uid", "path", "dirname", "dirpath", "name",
    "is_dir", "is_shortcut", "shortcut_to", "is_symlink", "symlink_path", "type", "writable",
    "is_public", "thumbnail", "immutable", "metadata", "modified", "created", "accessed",
    "size", "layout", "subdomains", "workers", "has_website", "suggested_apps",
    "associated_app", "is_empty", "owner",
}  # fmt: skip
V2_KEYS = {
    "uuid", "uid", "parentUid", "path", "name", "isDir", "isShortcut", "shortcutTo",
    "isSymlink", "symlinkPath", "isPublic", "immutable", "metadata", "modified", "created",
    "accessed", "size", "layout", "subdomains", "workers", "hasWebsite", "suggestedApps",
}  # fmt: skip


def post(api: Api, path: str, body: Any, user: str = "alice", **kw: Any) -> httpx.Response:
    headers = {**api.auth(user), **kw.pop("headers", {})}
    return api.client.post(f"{api.emulator.api_base}{path}", json=body, headers=headers, **kw)


def get(api: Api, path: str, user: str = "alice", **kw: Any) -> httpx.Response:
    headers = {**api.auth(user), **kw.pop("headers", {})}
    return api.client.get(f"{api.emulator.api_base}{path}", headers=headers, **kw)


def write(
    api: Api, path: str, content: Any = "hello", user: str = "alice", **meta: Any
) -> httpx.Response:
    size = len(content) if isinstance(content, str) else 0
    body = {"fileMetadata": {"path": path, "size": size, **meta}, "fileContent": content}
    return post(api, "/fs/write", body, user)


def ok(response: httpx.Response) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    assert body["error"] == body["message"]
    return response.status_code, body["code"], body["message"]


def read(api: Api, path: str, **kw: Any) -> httpx.Response:
    return get(api, "/read", params={"file": path}, **kw)


@pytest.fixture
def clock(api: Api) -> ManualClock:
    manual = ManualClock(1_796_161_580.0)
    api.emulator.state.clock = manual
    return manual


def test_each_user_has_the_standard_home_folders(api: Api) -> None:
    names = [e["name"] for e in ok(post(api, "/fs/readdir", {"path": "~"}))]
    assert names == ["AppData", "Desktop", "Documents", "Pictures", "Public", "Trash", "Videos"]


def test_write_answers_the_v2_entry_and_the_content_hash(api: Api) -> None:
    body = ok(write(api, "~/Documents/hello.txt", contentType="text/plain"))
    assert set(body) == {"fsEntry", "wasOverwrite", "requestedThumbnail", "contentHashSha256"}
    assert body["wasOverwrite"] is False and body["requestedThumbnail"] is None
    assert body["contentHashSha256"] == hashlib.sha256(b"hello").hexdigest()
    entry = body["fsEntry"]
    assert set(entry) == V2_KEYS
    assert entry["path"] == "/alice/Documents/hello.txt" and entry["size"] == 5
    assert entry["isDir"] is False and entry["isShortcut"] is False


def test_write_does_not_overwrite_by_default(api: Api) -> None:
    write(api, "~/Documents/hello.txt")
    response = write(api, "~/Documents/hello.txt")
    assert response.status_code == 409
    assert response.json() == {
        "error": "A file already exists at this path and overwrite was not requested",
        "message": "A file already exists at this path and overwrite was not requested",
        "code": "item_with_same_name_exists",
        "entry_name": "hello.txt",
    }


def test_overwrite_replaces_the_file_and_keeps_its_uid(api: Api) -> None:
    first = ok(write(api, "~/Documents/a.txt"))["fsEntry"]
    second = ok(write(api, "~/Documents/a.txt", "bye!!!", overwrite=True))
    assert second["wasOverwrite"] is True and second["fsEntry"]["uid"] == first["uid"]
    assert read(api, "~/Documents/a.txt").content == b"bye!!!"


def test_dedupe_name_picks_a_free_name(api: Api) -> None:
    write(api, "~/Documents/hello.txt")
    entry = ok(write(api, "~/Documents/hello.txt", dedupeName=True))["fsEntry"]
    assert entry["path"] == "/alice/Documents/hello (1).txt"


@pytest.mark.parametrize(
    "content",
    [{"fileContent": {"base64": "AAECAw=="}}, {"fileContent": "AAECAw==", "encoding": "base64"}],
)
def test_binary_content_in_both_base64_forms(api: Api, content: dict[str, Any]) -> None:
    body = {"fileMetadata": {"path": "~/Desktop/b.bin", "size": 4}, **content}
    entry = ok(post(api, "/fs/write", body))["fsEntry"]
    assert json.loads(entry["metadata"]) == {"contentType": "application/octet-stream"}
    assert read(api, "~/Desktop/b.bin").content == b"\x00\x01\x02\x03"


def test_stored_size_is_the_real_byte_count(api: Api) -> None:
    body = {"fileMetadata": {"path": "~/Desktop/s.txt", "size": 999}, "fileContent": "abc"}
    assert ok(post(api, "/fs/write", body))["fsEntry"]["size"] == 3


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"fileMetadata": {"path": "~/Desktop/x", "size": 1}}, "Unsupported file content payload"),
        ({"fileMetadata": {"path": "~/Desktop/x"}, "fileContent": "x"}, "Invalid file size"),
        ({"fileMetadata": {"path": "~/Desktop/x", "size": -1}, "fileContent": "x"},
         "Invalid file size"),
    ],
)  # fmt: skip
def test_write_payload_errors(api: Api, body: dict[str, Any], message: str) -> None:
    assert error(post(api, "/fs/write", body)) == (400, "bad_request", message)


def test_a_missing_parent_is_404_unless_created(api: Api) -> None:
    response = write(api, "~/nope/dir/x.txt")
    assert error(response) == (404, "not_found", "Parent path does not exist: /alice/nope/dir")
    entry = ok(write(api, "~/nope/dir/x.txt", createMissingParents=True))["fsEntry"]
    assert entry["path"] == "/alice/nope/dir/x.txt"


@pytest.mark.parametrize("path", ["rel.txt", "/", "/top.txt"])
def test_writing_to_the_root_is_refused(api: Api, path: str) -> None:
    assert error(write(api, path)) == (400, "cannot_write_to_root", "Cannot write to root path")


def test_writing_onto_a_directory_is_refused(api: Api) -> None:
    response = write(api, "~/Documents", overwrite=True)
    assert error(response) == (
        409,
        "cannot_overwrite_a_directory",
        "Cannot overwrite an existing directory",
    )


def test_another_users_tree_does_not_exist_for_the_caller(api: Api) -> None:
    write(api, "~/Desktop/x.txt", user="broke_user")
    response = write(api, "/broke_user/Desktop/y.txt")
    assert error(response) == (404, "subject_does_not_exist", "Subject does not exist")
    assert read(api, "/broke_user/Desktop/x.txt").status_code == 404


segments = st.text(alphabet="abcXYZ019 _-é", min_size=1, max_size=6).filter(
    lambda s: s.strip() == s and s not in (".", "..")
)


@FIXTURE_SETTINGS
@given(before=st.lists(segments, max_size=3), after=st.lists(segments, max_size=3),
       bad=st.sampled_from(["..", ".", ""]))  # fmt: skip
def test_dot_segments_and_double_slashes_are_invalid_paths(
    api: Api, before: list[str], after: list[str], bad: str
) -> None:
    path = "/" + "/".join(["alice", *before, bad, *after, "f.txt"])
    response = post(api, "/stat", {"path": path})
    assert error(response) == (400, "bad_request", "Invalid path")


@FIXTURE_SETTINGS
@given(names=st.lists(segments, min_size=1, max_size=3))
def test_home_relative_and_absolute_paths_name_the_same_entry(api: Api, names: list[str]) -> None:
    relative = "/".join(["Desktop", *names])
    ok(post(api, "/mkdir", {"path": f"~/{relative}", "create_missing_parents": True}))
    by_home = ok(post(api, "/stat", {"path": f"~/{relative}"}))
    by_root = ok(post(api, "/stat", {"path": f"alice/{relative}/"}))
    assert by_home["uid"] == by_root["uid"] and by_home["path"] == f"/alice/{relative}"


def test_read_sends_octet_stream_with_disposition_length_and_etag(api: Api) -> None:
    write(api, "~/Documents/hello.txt", contentType="text/plain")
    response = read(api, "~/Documents/hello.txt")
    assert response.content == b"hello"
    assert response.headers["content-type"] == "application/octet-stream"
    assert response.headers["content-disposition"] == 'inline; filename="hello.txt"'
    assert response.headers["content-length"] == "5"
    assert response.headers["etag"]


def test_a_name_with_spaces_and_non_ascii_letters_is_stored_and_read(api: Api) -> None:
    name = "Ünïcødé 日本語 notes (1).txt"
    ok(write(api, f"~/Documents/{name}", "hello"))

    response = read(api, f"~/Documents/{name}")

    assert response.content == b"hello"  # the server stores and serves it (was a 500)
    assert response.headers["content-disposition"] == (
        'inline; filename="%C3%9Cn%C3%AFc%C3%B8d%C3%A9%20%E6%97%A5%E6%9C%AC%E8%AA%9E'
        '%20notes%20(1).txt"'
    )  # encodeURIComponent, as the server writes it


@FIXTURE_SETTINGS
@given(name=st.text(min_size=1, max_size=30).filter(
    lambda n: n.strip() == n and "/" not in n and n not in (".", "..") and "\x00" not in n
))  # fmt: skip
def test_the_disposition_carries_any_name_uri_encoded(api: Api, name: str) -> None:
    ok(write(api, f"~/Documents/{name}", "x", overwrite=True))

    response = get(api, "/fs/read", params={"path": f"~/Documents/{name}"})

    assert response.status_code == 200
    disposition = response.headers["content-disposition"]
    assert disposition.isascii()
    assert unquote(disposition.removeprefix('inline; filename="').removesuffix('"')) == name


def test_read_ignores_offset_and_byte_count(api: Api) -> None:
    write(api, "~/Desktop/abc.txt", "abcdef")
    params = {"file": "~/Desktop/abc.txt", "offset": "2", "byte_count": "2"}
    assert get(api, "/read", params=params).content == b"abcdef"


def test_read_with_a_range_header_is_206(api: Api) -> None:
    write(api, "~/Desktop/abc.txt", "abcdef")
    response = read(api, "~/Desktop/abc.txt", headers={"Range": "bytes=2-4"})
    assert response.status_code == 206 and response.content == b"cde"
    assert response.headers["content-range"] == "bytes 2-4/6"


def test_an_unsatisfiable_range_is_416(api: Api) -> None:
    write(api, "~/Desktop/abc.txt", "abc")
    response = read(api, "~/Desktop/abc.txt", headers={"Range": "bytes=10-"})
    assert response.status_code == 416 and response.headers["content-range"] == "bytes */3"


def test_read_by_uid_and_with_a_query_token(api: Api) -> None:
    uid = ok(write(api, "~/Desktop/t.txt"))["fsEntry"]["uid"]
    token = api.emulator.token_for("alice")
    response = api.client.get(
        f"{api.emulator.api_base}/read", params={"uid": uid, "auth_token": token}
    )
    assert response.content == b"hello"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"file": "~/Documents/nope.txt"}, (404, "subject_does_not_exist",
                                             "Entry not found: path=/alice/Documents/nope.txt")),
        ({"file": "~/Documents"}, (400, "cannot_read_a_directory", "Cannot read a directory")),
        ({}, (400, "bad_request", "Missing entry reference (expected one of: path, uid, id)")),
    ],
)  # fmt: skip
def test_read_errors(api: Api, params: dict[str, str], expected: tuple[int, str, str]) -> None:
    assert error(get(api, "/read", params=params)) == expected


def test_v2_read_sends_the_real_mime_type(api: Api) -> None:
    write(api, "~/Desktop/t.txt", contentType="text/plain")
    response = get(api, "/fs/read", params={"path": "~/Desktop/t.txt"})
    assert response.headers["content-type"].startswith("text/plain")


def test_stat_answers_the_v1_entry(api: Api, clock: ManualClock) -> None:
    write(api, "~/Documents/hello.txt", contentType="text/plain")
    entry = ok(post(api, "/stat", {"path": "~/Documents/hello.txt"}))
    assert set(entry) == V1_KEYS
    assert entry["is_shortcut"] == 0 and entry["is_symlink"] == 0
    assert entry["type"] == "text/plain; charset=utf-8"
    assert entry["metadata"] == '{"contentType":"text/plain"}'
    assert entry["dirname"] == entry["dirpath"] == "/alice/Documents"
    assert entry["created"] == entry["modified"] == 1_796_161_580
    assert entry["owner"] == {"username": "alice"} and entry["is_empty"] is False


@pytest.mark.parametrize(("path", "kind"), [("~/Documents", "folder"), ("~/Desktop/x.zzzq", None)])
def test_v1_type_is_folder_or_null_for_unknown_files(api: Api, path: str, kind: str | None) -> None:
    write(api, "~/Desktop/x.zzzq")
    assert ok(post(api, "/stat", {"path": path}))["type"] == kind


def test_stat_by_uid_and_its_not_found_message(api: Api) -> None:
    uid = ok(write(api, "~/Desktop/t.txt"))["fsEntry"]["uid"]
    assert ok(post(api, "/stat", {"uid": uid}))["path"] == "/alice/Desktop/t.txt"
    response = post(api, "/stat", {"uid": "no-such-uid"})
    assert error(response) == (404, "subject_does_not_exist", "Entry not found: uuid=no-such-uid")


def test_stat_return_versions_and_shares_are_empty_lists(api: Api) -> None:
    write(api, "~/Desktop/v.txt")

    entry = ok(post(api, "/stat", {"path": "~/Desktop/v.txt", "return_versions": True,
                                   "return_shares": True}))  # fmt: skip

    assert (entry["versions"], entry["shares"]) == ([], [])
    assert "versions" not in ok(post(api, "/stat", {"path": "~/Desktop/v.txt"}))


def test_stat_of_an_empty_body_is_400(api: Api) -> None:
    assert error(post(api, "/stat", {}))[:2] == (400, "bad_request")


def test_v2_stat_answers_the_v2_entry(api: Api) -> None:
    assert set(ok(post(api, "/fs/stat", {"path": "~/Documents"}))) == V2_KEYS


def test_readdir_v1_lists_v1_entries_by_name(api: Api) -> None:
    entries = ok(post(api, "/readdir", {"path": "~"}))
    assert [e["name"] for e in entries] == sorted(e["name"] for e in entries)
    assert all(e["type"] == "folder" and e["is_dir"] is True for e in entries)


def test_readdir_of_the_root_lists_the_home(api: Api) -> None:
    assert [e["path"] for e in ok(post(api, "/fs/readdir", {"path": "/"}))] == ["/alice"]


def test_v2_readdir_items_carry_type_thumbnail_and_app(api: Api) -> None:
    (item, *_) = ok(post(api, "/fs/readdir", {"path": "~"}))
    assert set(item) == V2_KEYS | {"type", "thumbnail", "associatedApp"}


def test_readdir_of_a_file_is_400(api: Api) -> None:
    write(api, "~/Desktop/t.txt")
    response = post(api, "/fs/readdir", {"path": "~/Desktop/t.txt"})
    assert error(response) == (400, "dest_is_not_a_directory", "Target is not a directory")


def test_readdir_pages_with_a_cursor(api: Api) -> None:
    first = ok(
        post(api, "/fs/readdir", {"path": "~", "cursor": None, "limit": 3, "includeTotal": True})
    )
    assert [e["name"] for e in first["items"]] == ["AppData", "Desktop", "Documents"]
    assert first["total"] == 7
    rest = ok(post(api, "/fs/readdir", {"path": "~", "cursor": first["cursor"], "limit": 10}))
    assert len(rest["items"]) == 4 and "cursor" not in rest


def _names(body: Any) -> list[str]:
    return [e["name"] for e in (body["items"] if isinstance(body, dict) else body)]


@pytest.fixture
def sortable(api: Api) -> str:
    for name, content in (("b.txt", "xxx"), ("a.txt", "x"), ("c.txt", "xx")):
        ok(write(api, f"~/s/{name}", content, createMissingParents=True))
    ok(post(api, "/mkdir", {"path": "~/s/sub"}))
    ok(write(api, "~/s/sub/deep.txt", "y"))
    return "~/s"


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ({}, ["a.txt", "b.txt", "c.txt", "sub"]),
        ({"sortBy": "size"}, ["sub", "a.txt", "c.txt", "b.txt"]),
        ({"sortBy": "type"}, ["b.txt", "a.txt", "c.txt", "sub"]),
        ({"sortBy": "type", "sortOrder": "desc"}, ["sub", "c.txt", "a.txt", "b.txt"]),
        ({"sortBy": "NAME", "sortOrder": "DESC"}, ["sub", "c.txt", "b.txt", "a.txt"]),
        ({"sortBy": "bogus"}, ["a.txt", "b.txt", "c.txt", "sub"]),
    ],
)
def test_readdir_sorts_as_the_server_does_ties_in_creation_order(
    api: Api, sortable: str, sort: dict[str, str], expected: list[str]
) -> None:
    assert _names(ok(post(api, "/fs/readdir", {"path": sortable, **sort}))) == expected
    paged = ok(post(api, "/fs/readdir", {"path": sortable, "cursor": None, **sort}))
    assert _names(paged) == expected


def test_a_cursor_pins_its_sort(api: Api, sortable: str) -> None:
    first = ok(post(api, "/fs/readdir", {"path": sortable, "cursor": None, "limit": 2,
                                          "sortBy": "size"}))  # fmt: skip
    rest = ok(post(api, "/fs/readdir", {"path": sortable, "cursor": first["cursor"]}))
    other = post(
        api, "/fs/readdir", {"path": sortable, "cursor": first["cursor"], "sortBy": "name"}
    )

    assert (_names(first), _names(rest)) == (["sub", "a.txt"], ["c.txt", "b.txt"])
    assert error(other) == (400, "bad_request", "cursor does not match requested sort")


def test_readdir_offset_only_without_a_cursor(api: Api, sortable: str) -> None:
    bare = ok(post(api, "/fs/readdir", {"path": sortable, "offset": 1, "limit": 2}))
    paged = ok(post(api, "/fs/readdir", {"path": sortable, "offset": 1, "cursor": None}))

    assert _names(bare) == ["b.txt", "c.txt"]
    assert _names(paged) == ["a.txt", "b.txt", "c.txt", "sub"]  # offset is ignored


def test_recursive_readdir_pages_every_descendant_by_path(api: Api, sortable: str) -> None:
    first = ok(post(api, "/fs/readdir", {"path": sortable, "recursive": True, "limit": 3,
                                          "includeTotal": True}))  # fmt: skip
    rest = ok(post(api, "/fs/readdir", {"path": sortable, "recursive": True,
                                         "cursor": first["cursor"]}))  # fmt: skip
    shallow = ok(post(api, "/fs/readdir", {"path": sortable, "recursive": True, "depth": 1}))

    assert [e["path"] for e in first["items"] + rest["items"]] == [
        "/alice/s/a.txt", "/alice/s/b.txt", "/alice/s/c.txt", "/alice/s/sub",
        "/alice/s/sub/deep.txt",
    ]  # fmt: skip
    assert first["total"] == 5 and "cursor" not in rest
    assert "deep.txt" not in _names(shallow)


def test_recursive_readdir_of_the_root_is_refused(api: Api) -> None:
    response = post(api, "/fs/readdir", {"path": "/", "recursive": True})

    assert error(response) == (400, "bad_request", "recursive listing is not supported at the root")


def test_readdir_by_get_with_query_parameters(api: Api) -> None:
    names = [e["name"] for e in ok(get(api, "/fs/readdir", params={"path": "~"}))]
    assert "Desktop" in names


def test_mkdir_in_the_puter_js_shape(api: Api) -> None:
    flags = {"overwrite": False, "dedupe_name": False, "create_missing_parents": False}
    entry = ok(post(api, "/mkdir", {"parent": "~", "path": "proj", **flags}))
    assert entry["path"] == "/alice/proj" and entry["type"] == "folder"
    assert set(entry) == V1_KEYS


def test_mkdir_of_an_existing_directory_answers_it(api: Api) -> None:
    first = ok(post(api, "/mkdir", {"path": "/alice/proj2"}))
    assert ok(post(api, "/mkdir", {"path": "/alice/proj2"}))["uid"] == first["uid"]


def test_mkdir_over_a_file_is_a_conflict(api: Api) -> None:
    write(api, "~/Documents/hello.txt")
    response = post(api, "/mkdir", {"path": "~/Documents/hello.txt"})
    assert error(response) == (
        409,
        "conflict",
        "An entry already exists at /alice/Documents/hello.txt",
    )


def test_mkdir_dedupe_name(api: Api) -> None:
    post(api, "/mkdir", {"path": "~/proj"})
    assert ok(post(api, "/mkdir", {"path": "~/proj", "dedupe_name": True}))["name"] == "proj (1)"


def test_mkdir_missing_parent_and_create_missing_parents(api: Api) -> None:
    response = post(api, "/mkdir", {"path": "~/a/b"})
    assert error(response) == (404, "not_found", "Parent path does not exist: /alice/a")
    assert (
        ok(post(api, "/mkdir", {"path": "~/a/b", "create_missing_parents": True}))["path"]
        == "/alice/a/b"
    )


def test_mkdir_under_the_root_is_refused(api: Api) -> None:
    response = post(api, "/mkdir", {"parent": "/", "path": "x"})
    assert error(response) == (404, "subject_does_not_exist", "Subject does not exist")


def test_v2_mkdir_answers_a_v2_entry(api: Api) -> None:
    assert ok(post(api, "/fs/mkdir", {"path": "~/v2dir"}))["isDir"] is True


def test_rename(api: Api) -> None:
    write(api, "~/Desktop/a.txt")
    write(api, "~/Desktop/b.txt")
    entry = ok(post(api, "/rename", {"path": "~/Desktop/a.txt", "new_name": "c.txt"}))
    assert entry["path"] == "/alice/Desktop/c.txt"
    taken = post(api, "/rename", {"path": "~/Desktop/c.txt", "new_name": "b.txt"})
    assert error(taken) == (409, "conflict", "An entry already exists at /alice/Desktop/b.txt")
    slash = post(api, "/rename", {"path": "~/Desktop/c.txt", "new_name": "x/y"})
    assert error(slash) == (400, "bad_request", "Name cannot contain a slash")


def test_move_answers_moved_and_old_path(api: Api) -> None:
    write(api, "~/Desktop/a.txt")
    body = ok(post(api, "/move", {"source": "~/Desktop/a.txt", "destination": "~/Documents"}))
    assert body["old_path"] == "/alice/Desktop/a.txt"
    assert body["moved"]["path"] == "/alice/Documents/a.txt"


def test_move_onto_an_existing_name(api: Api) -> None:
    write(api, "~/Desktop/a.txt", "new")
    write(api, "~/Documents/a.txt", "old")
    move = {"source": "~/Desktop/a.txt", "destination": "~/Documents"}
    response = post(api, "/move", move)
    assert response.status_code == 409 and response.json()["code"] == "item_with_same_name_exists"
    assert response.json()["entry_name"] == "a.txt"
    body = ok(post(api, "/move", {**move, "overwrite": True}))
    assert body["overwritten"]["path"] == "/alice/Documents/a.txt"
    assert read(api, "~/Documents/a.txt").content == b"new"


def test_move_to_a_file_or_nowhere(api: Api) -> None:
    write(api, "~/Desktop/a.txt")
    write(api, "~/Desktop/f.txt")
    to_file = post(api, "/move", {"source": "~/Desktop/a.txt", "destination": "~/Desktop/f.txt"})
    assert error(to_file)[:2] == (400, "dest_is_not_a_directory")
    missing = post(api, "/move", {"source": "~/Desktop/zz.txt", "destination": "~/Documents"})
    assert error(missing)[:2] == (404, "subject_does_not_exist")


def test_move_and_copy_take_bare_uids_as_the_server_does(api: Api) -> None:
    source = ok(write(api, "~/Desktop/u.txt", "u"))["fsEntry"]["uid"]
    folder = ok(post(api, "/mkdir", {"path": "~/udest"}))["uid"]

    copied = ok(post(api, "/copy", {"source": source, "destination": folder}))
    moved = ok(post(api, "/move", {"source": source, "destination": folder, "new_name": "m.txt"}))

    assert copied[0]["copied"]["path"] == "/alice/udest/u.txt"
    assert moved["moved"]["path"] == "/alice/udest/m.txt"


def test_copy_is_an_array_and_recursive(api: Api) -> None:
    write(api, "~/proj/sub/a.txt", "A", createMissingParents=True)
    body = ok(post(api, "/copy", {"source": "~/proj", "destination": "~/Documents"}))
    assert [set(item) for item in body] == [{"copied"}]
    assert read(api, "~/Documents/proj/sub/a.txt").content == b"A"


def test_v2_copy_dedupes_by_default(api: Api) -> None:
    write(api, "~/Desktop/note.txt")
    entry = ok(post(api, "/fs/copy", {"source": "~/Desktop/note.txt", "destination": "~/Desktop"}))
    assert entry["path"] == "/alice/Desktop/note (1).txt" and set(entry) == V2_KEYS


def test_delete_is_permanent_and_answers_the_deleted_entries(api: Api) -> None:
    write(api, "~/Desktop/a.txt")
    deleted = ok(post(api, "/delete", {"paths": ["~/Desktop/a.txt"], "recursive": True}))
    assert [e["path"] for e in deleted] == ["/alice/Desktop/a.txt"]
    assert ok(post(api, "/readdir", {"path": "~/Trash"})) == []
    assert read(api, "~/Desktop/a.txt").status_code == 404


def test_delete_removes_immutable_home_folders(api: Api) -> None:
    ok(post(api, "/delete", {"paths": ["/alice/Documents"], "recursive": True}))
    assert post(api, "/stat", {"path": "/alice/Documents"}).status_code == 404


def test_multi_path_delete_is_not_atomic(api: Api) -> None:
    post(api, "/mkdir", {"path": "~/proj2"})
    response = post(api, "/delete", {"paths": ["~/proj2", "~/nosuch"], "recursive": True})
    assert response.status_code == 404
    assert post(api, "/stat", {"path": "~/proj2"}).status_code == 404


def test_delete_of_a_non_empty_directory_needs_recursive(api: Api) -> None:
    write(api, "~/proj/a.txt", createMissingParents=True)
    response = post(api, "/delete", {"paths": ["~/proj"], "recursive": False})
    assert error(response) == (409, "conflict", "Directory is not empty")


def test_delete_descendants_only_keeps_the_directory(api: Api) -> None:
    write(api, "~/proj/a.txt", createMissingParents=True)
    ok(post(api, "/delete", {"paths": ["~/proj"], "descendants_only": True}))
    assert ok(post(api, "/readdir", {"path": "~/proj"})) == []


def test_delete_paths_must_be_an_array(api: Api) -> None:
    response = post(api, "/delete", {"paths": "~/proj"})
    assert error(response)[2].startswith("Missing entry reference")


def test_v2_delete_answers_ok_and_is_not_recursive_by_default(api: Api) -> None:
    write(api, "~/proj/a.txt", createMissingParents=True)
    assert error(post(api, "/fs/delete", {"path": "~/proj"}))[:2] == (409, "conflict")
    assert ok(post(api, "/fs/delete", {"path": "~/proj", "recursive": True})) == {"ok": True}


def test_touch_answers_an_empty_html_body_and_creates_the_file(api: Api) -> None:
    response = post(api, "/touch", {"path": "~/Desktop/touched.txt"})
    assert response.status_code == 200 and response.content == b""
    assert response.headers["content-type"].startswith("text/html")
    assert ok(post(api, "/stat", {"path": "~/Desktop/touched.txt"}))["size"] == 0


def test_df_counts_the_users_bytes(api: Api) -> None:
    assert ok(get(api, "/df")) == {"used": 0, "capacity": 83_049_754_624}
    write(api, "~/Desktop/a.txt", "12345")
    assert ok(post(api, "/df", {}))["used"] == 5


def test_storage_quota_is_413(api: Api) -> None:
    api.emulator.state.options.storage_capacity = 8
    write(api, "~/Desktop/a.txt", "12345")
    response = write(api, "~/Desktop/b.txt", "12345")
    assert error(response) == (413, "storage_limit_reached", "Storage limit reached")


def multipart(*parts: tuple[str, bytes, str | None]) -> tuple[bytes, str]:
    boundary = "----emulator-test-boundary"
    body = b""
    for name, data, filename in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        body += (
            f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + data + b"\r\n"
        )
    body += f"--{boundary}--\r\n".encode()
    return body, f"multipart/form-data; boundary={boundary}"


def manifest(*paths: str, sizes: list[int]) -> bytes:
    items = [
        {"index": i, "fileMetadata": {"path": p, "size": s}}
        for i, (p, s) in enumerate(zip(paths, sizes, strict=True))
    ]
    return json.dumps({"items": items}).encode()


def upload(api: Api, body: bytes | Iterator[bytes], content_type: str) -> httpx.Response:
    headers = {**api.auth(), "Content-Type": content_type}
    return api.client.post(
        f"{api.emulator.api_base}/fs/batchWrite", content=body, headers=headers, timeout=60
    )


def test_batch_write_multipart_with_every_part_name(api: Api) -> None:
    data = [bytes(range(256)) * 12, b"second", b"third"]
    paths = ["~/proj/rand.bin", "~/Desktop/two.txt", "~/Desktop/three.txt"]
    body, content_type = multipart(
        ("manifest", manifest(*paths, sizes=[len(d) for d in data]), None),
        ("file-0", data[0], "rand.bin"),
        ("1", data[1], "two.txt"),
        ("files[2]", data[2], "three.txt"),
    )
    post(api, "/mkdir", {"path": "~/proj"})
    results = ok(upload(api, body, content_type))
    assert [r["contentHashSha256"] for r in results] == [
        hashlib.sha256(d).hexdigest() for d in data
    ]
    assert read(api, "~/proj/rand.bin").content == data[0]


def test_a_refused_batch_item_leaves_none_of_the_batch(api: Api) -> None:
    write(api, "~/Desktop/taken.txt", "old")
    body, content_type = multipart(
        ("manifest", manifest("~/Desktop/new.txt", "~/Desktop/taken.txt", sizes=[3, 3]), None),
        ("file-0", b"new", "new.txt"),
        ("file-1", b"new", "taken.txt"),
    )

    response = upload(api, body, content_type)

    assert error(response)[:2] == (409, "item_with_same_name_exists")
    assert error(read(api, "~/Desktop/new.txt"))[:2] == (404, "subject_does_not_exist")
    assert read(api, "~/Desktop/taken.txt").content == b"old"


def test_a_batch_cut_off_mid_body_stores_nothing(api: Api) -> None:
    body, content_type = multipart(
        ("manifest", manifest("~/Desktop/a.txt", "~/Desktop/b.txt", sizes=[1, 9]), None),
        ("file-0", b"a", "a.txt"),
        ("file-1", b"b" * 9, "b.txt"),
    )

    response = upload(api, body[: body.index(b"bbbb")], content_type)

    assert response.status_code == 400
    assert [e["name"] for e in ok(post(api, "/fs/readdir", {"path": "~/Desktop"}))] == []


def test_a_batch_skips_ds_store_as_the_server_does(api: Api) -> None:
    body, content_type = multipart(
        ("manifest", manifest("~/Desktop/.DS_Store", "~/Desktop/a.txt", sizes=[4, 1]), None),
        ("file-0", b"junk", ".DS_Store"),
        ("file-1", b"a", "a.txt"),
    )

    results = ok(upload(api, body, content_type))

    assert [r["fsEntry"]["name"] for r in results] == ["a.txt"]
    assert [e["name"] for e in ok(post(api, "/fs/readdir", {"path": "~/Desktop"}))] == ["a.txt"]


def test_batch_write_needs_the_manifest_first(api: Api) -> None:
    body, content_type = multipart(
        ("file-0", b"x", "x.txt"), ("manifest", manifest("~/Desktop/x.txt", sizes=[1]), None)
    )
    response = upload(api, body, content_type)
    assert error(response) == (
        400,
        "bad_request",
        "Batch write manifest must come before file content",
    )


def test_batch_write_refuses_other_content_types(api: Api) -> None:
    response = upload(api, b"x", "text/plain")
    assert response.status_code == 415
    assert response.json()["message"].startswith("Unsupported content type for batchWrite")


def test_batch_write_accepts_a_json_array_of_writes(api: Api) -> None:
    items = [
        {"fileMetadata": {"path": f"~/Desktop/{n}.txt", "size": 1}, "fileContent": n} for n in "ab"
    ]
    results = ok(post(api, "/fs/batchWrite", items))
    assert [r["fsEntry"]["name"] for r in results] == ["a.txt", "b.txt"]


def test_uploads_stream_past_the_json_body_limit(api: Api) -> None:
    api.emulator.state.options.max_body_bytes = 1024 * 1024
    data = bytes(range(256)) * (32 * 1024)  # 8 MiB
    body, content_type = multipart(
        ("manifest", manifest("~/Desktop/big.bin", sizes=[len(data)]), None),
        ("file-0", data, "big.bin"),
    )
    chunks = (body[i : i + 65536] for i in range(0, len(body), 65536))
    result = ok(upload(api, chunks, content_type))
    assert result[0]["fsEntry"]["size"] == len(data)
    logged = api.emulator.requests_to("/fs/batchWrite")[-1]
    assert logged.body_streamed and logged.body == b""
    tail = read(api, "~/Desktop/big.bin", headers={"Range": f"bytes={len(data) - 4}-"})
    assert tail.content == data[-4:]


def test_a_drop_mid_body_on_read(api: Api) -> None:
    write(api, "~/Desktop/big.txt", "x" * 200_000)
    api.emulator.inject("/read", Drop(after_bytes=1000))
    with pytest.raises(httpx.TransportError):
        read(api, "~/Desktop/big.txt")
    assert api.emulator.requests_to("/read")[-1].fault == "Drop"


def test_faults_and_the_log_cover_fs_routes(api: Api) -> None:
    api.emulator.inject("/fs/write", status=503)
    assert write(api, "~/Desktop/a.txt").status_code == 503
    assert write(api, "~/Desktop/a.txt").status_code == 200
    assert [r.status for r in api.emulator.requests_to("/fs/write")] == [503, 200]


def test_fs_rate_limits_are_settings(api: Api, clock: ManualClock) -> None:
    api.emulator.state.options.rate_limits["fs.stat"] = RateLimit(2, 60.0)
    codes = [post(api, "/stat", {"path": "~"}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    clock.advance(60)
    assert post(api, "/stat", {"path": "~"}).status_code == 200


def test_unconfirmed_accounts_cannot_write(api: Api) -> None:
    response = write(api, "~/Desktop/a.txt", user="unconfirmed_user")
    assert error(response)[:2] == (403, "email_confirmation_required")


def test_fs_routes_need_a_token(api: Api) -> None:
    response = api.client.post(f"{api.emulator.api_base}/stat", json={"path": "~"})
    assert error(response)[:2] == (401, "token_missing")


def test_auth_token_in_a_text_plain_json_body(api: Api) -> None:
    body = json.dumps({"path": "~", "auth_token": api.emulator.token_for("alice")})
    response = api.client.post(
        f"{api.emulator.api_base}/stat",
        content=body,
        headers={"Content-Type": "text/plain;actually=json"},
    )
    assert ok(response)["path"] == "/alice"


def test_contents_can_live_in_a_temporary_directory() -> None:
    store = TempDirBlobStore()
    with running_emulator(file_store=store) as emu, httpx.Client() as client:
        headers = {"Authorization": f"Bearer {emu.token_for('alice')}"}
        body = {"fileMetadata": {"path": "~/Desktop/d.txt", "size": 4}, "fileContent": "disk"}
        assert (
            client.post(f"{emu.api_base}/fs/write", json=body, headers=headers).status_code == 200
        )
        url = f"{emu.api_base}/read"
        assert (
            client.get(url, params={"file": "~/Desktop/d.txt"}, headers=headers).content == b"disk"
        )
    store.clear()


def test_base64_payload_is_decoded_exactly(api: Api) -> None:
    data = bytes(range(256))
    body = {"fileMetadata": {"path": "~/Desktop/all.bin", "size": 256},
            "fileContent": {"base64": base64.b64encode(data).decode()}}  # fmt: skip
    ok(post(api, "/fs/write", body))
    assert read(api, "~/Desktop/all.bin").content == data
