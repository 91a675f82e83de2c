"""Shortcuts on the wire, as the server answers them: ``POST /fs/mkshortcut``, the
``is_shortcut``/``shortcut_to`` keys of both entry shapes, ``/stat {"id": n}`` (the
numeric id a shortcut names), and reads of a shortcut refused; listings by uid."""

from __future__ import annotations

from typing import Any

from tests.emulator.emulator_support import Api
from tests.emulator.services.fs.test_fs import V1_KEYS, V2_KEYS, error, get, ok, post, write


def shortcut(api: Api, **body: Any) -> Any:
    return post(api, "/fs/mkshortcut", body)


def test_mkshortcut_answers_a_v2_entry_of_a_shortcut_to_the_target_id(api: Api) -> None:
    target = ok(write(api, "~/Documents/a.txt"))["fsEntry"]

    made = ok(shortcut(api, parent="~/Desktop", name="a", target={"uid": target["uid"]}))

    assert set(made) == V2_KEYS
    assert (made["isShortcut"], made["isDir"], made["size"]) == (True, False, 0)
    assert made["path"] == "/alice/Desktop/a" and isinstance(made["shortcutTo"], int)


def test_the_parent_and_target_may_be_paths_or_objects(api: Api) -> None:
    ok(write(api, "~/Documents/a.txt"))

    by_object = ok(
        shortcut(api, parent={"path": "~/Desktop"}, name="x", target="~/Documents/a.txt")
    )
    by_body = ok(shortcut(api, path="~/Desktop", name="y", target={"path": "~/Documents/a.txt"}))

    assert by_object["shortcutTo"] == by_body["shortcutTo"]
    assert by_body["path"] == "/alice/Desktop/y"  # no parent: the body names the folder


def test_a_taken_name_is_deduplicated_by_default_or_a_conflict(api: Api) -> None:
    ok(write(api, "~/Desktop/a"))

    deduped = ok(shortcut(api, parent="~/Desktop", name="a", target="~/Desktop/a"))
    refused = shortcut(api, parent="~/Desktop", name="a", target="~/Desktop/a", dedupe_name=False)

    assert deduped["name"] == "a (1)"
    assert error(refused) == (409, "conflict", "An entry already exists at /alice/Desktop/a")


def test_a_missing_name_folder_or_target_is_refused(api: Api) -> None:
    ok(write(api, "~/Documents/a.txt"))

    no_name = shortcut(api, parent="~/Desktop", target="~/Documents/a.txt")
    no_parent = shortcut(api, parent="~/Nope", name="x", target="~/Documents/a.txt")
    no_target = shortcut(api, parent="~/Desktop", name="x", target="~/Documents/b.txt")
    other_user = shortcut(api, parent="~/Desktop", name="x", target="/bob/Documents")

    assert error(no_name) == (400, "bad_request", "Missing `name`")
    assert error(no_parent)[:2] == (404, "subject_does_not_exist")
    assert error(no_target)[:2] == (404, "subject_does_not_exist")
    assert error(other_user)[:2] == (404, "subject_does_not_exist")


def test_legacy_entries_send_the_shortcut_as_the_integer_one(api: Api) -> None:
    target = ok(write(api, "~/Documents/a.txt"))["fsEntry"]
    made = ok(shortcut(api, parent="~/Desktop", name="a", target={"uid": target["uid"]}))

    stat = ok(post(api, "/stat", {"path": "~/Desktop/a"}))
    listed = ok(post(api, "/fs/readdir", {"path": "~/Desktop"}))

    assert set(stat) == V1_KEYS
    assert (stat["is_shortcut"], stat["shortcut_to"]) == (1, made["shortcutTo"])
    assert [(e["name"], e["isShortcut"]) for e in listed] == [("a", True)]
    plain = ok(post(api, "/stat", {"path": "~/Documents/a.txt"}))
    assert (plain["is_shortcut"], plain["shortcut_to"]) == (0, None)


def test_stat_by_numeric_id_finds_a_shortcut_target(api: Api) -> None:
    target = ok(write(api, "~/Documents/a.txt"))["fsEntry"]
    made = ok(shortcut(api, parent="~/Desktop", name="a", target={"uid": target["uid"]}))

    found = ok(post(api, "/stat", {"id": made["shortcutTo"]}))
    missing = post(api, "/stat", {"id": 10**9})

    assert found["uid"] == target["uid"]
    assert error(missing) == (404, "subject_does_not_exist", f"Entry not found: id={10**9}")


def test_reading_a_shortcut_is_refused(api: Api) -> None:
    ok(write(api, "~/Documents/a.txt"))
    ok(shortcut(api, parent="~/Desktop", name="a", target="~/Documents/a.txt"))

    legacy = get(api, "/read", params={"file": "~/Desktop/a"})
    v2 = get(api, "/fs/read", params={"path": "~/Desktop/a"})

    for answer in (legacy, v2):
        assert error(answer)[:2] == (400, "shortcut_target_not_found")


def test_a_folder_is_listed_by_uid_paged_or_not(api: Api) -> None:
    folder = ok(post(api, "/stat", {"path": "~/Documents"}))
    ok(write(api, "~/Documents/a.txt"))

    paged = ok(post(api, "/fs/readdir", {"uid": folder["uid"], "cursor": None}))
    bare = ok(get(api, "/fs/readdir", params={"uid": folder["uid"]}))

    assert [e["name"] for e in paged["items"]] == [e["name"] for e in bare] == ["a.txt"]
