"""The ``puter-apps`` driver and the app routes on the wire: listing envelope rules,
name conflicts, validation, not-found answers."""

from __future__ import annotations

from typing import Any

import httpx

from tests.emulator.emulator_support import Api

APPS = "puter-apps"
URL = "https://example.com/"


def call(api: Api, method: str, user: str = "alice", **args: Any) -> httpx.Response:
    return api.driver(APPS, method, args, user=user, driver="es:app")


def result(api: Api, method: str, **args: Any) -> Any:
    response = call(api, method, **args)
    assert response.status_code == 200, response.text
    return response.json()["result"]


def create(api: Api, name: str, **fields: Any) -> Any:
    return result(api, "create", object={"name": name, "title": name, "index_url": URL, **fields})


def test_select_without_paging_arguments_answers_a_bare_array(api: Api) -> None:
    create(api, "a")

    answer = result(api, "select", predicate=["user-can-edit"], limit=5)

    assert [app["name"] for app in answer] == ["a"]


def test_select_with_a_null_cursor_answers_the_page_envelope(api: Api) -> None:
    for name in "abc":
        create(api, name)

    first = result(api, "select", predicate=["user-can-edit"], limit=2, cursor=None)
    rest = result(api, "select", predicate=["user-can-edit"], limit=2, cursor=first["cursor"])

    assert [a["name"] for a in first["items"]] == ["a", "b"]
    assert [a["name"] for a in rest["items"]] == ["c"]
    assert "cursor" not in rest and "total" not in rest


def test_select_with_include_total_answers_the_total(api: Api) -> None:
    for name in "abc":
        create(api, name)

    answer = result(api, "select", predicate=["user-can-edit"], limit=1, includeTotal=True)

    assert answer["total"] == 3 and len(answer["items"]) == 1


def test_select_with_a_cursor_and_an_offset_is_400(api: Api) -> None:
    create(api, "a")
    first = result(api, "select", limit=1, cursor=None)
    create(api, "b")
    cursor = result(api, "select", limit=1, cursor=None)["cursor"]
    assert first["items"]

    response = call(api, "select", cursor=cursor, offset=1)

    assert response.status_code == 400
    assert response.json()["message"] == "cursor and offset cannot be combined"


def test_select_lists_only_the_callers_apps(api: Api) -> None:
    create(api, "mine")
    api.emulator.state.apps.by_name("mine").owner_uuid = "someone"  # type: ignore[union-attr]

    assert result(api, "select", predicate=["user-can-edit"], cursor=None)["items"] == []


def test_create_of_a_taken_name_is_400_app_name_already_in_use(api: Api) -> None:
    create(api, "a")

    response = call(api, "create", object={"name": "a", "title": "a", "index_url": URL})

    assert response.status_code == 400
    assert response.json()["code"] == "app_name_already_in_use"


def test_create_without_a_title_is_400(api: Api) -> None:
    response = call(api, "create", object={"name": "a", "index_url": URL})

    assert (response.status_code, response.json()["message"]) == (400, "Missing `title`")


def test_create_of_a_name_with_a_space_is_400(api: Api) -> None:
    response = call(api, "create", object={"name": "a b", "title": "t", "index_url": URL})

    assert response.json()["message"] == "`name` has an invalid format"


def test_create_of_a_non_http_index_url_is_400(api: Api) -> None:
    response = call(api, "create", object={"name": "a", "title": "t", "index_url": "ftp://x/"})

    assert response.status_code == 400


def test_update_keeps_the_fields_not_sent(api: Api) -> None:
    create(api, "a", feedback_enabled=True, description="d")

    updated = result(api, "update", id={"name": "a"}, object={"title": "T"})

    assert (updated["title"], updated["feedback_enabled"], updated["description"]) == (
        "T", True, "d",
    )  # fmt: skip


def test_update_to_a_taken_name_is_409_conflict(api: Api) -> None:
    create(api, "a")
    create(api, "b")

    response = call(api, "update", id={"name": "a"}, object={"name": "b"})

    assert (response.status_code, response.json()["code"]) == (409, "conflict")


def test_read_of_an_unknown_app_is_404_not_found(api: Api) -> None:
    response = call(api, "read", id={"name": "nope"})

    assert (response.status_code, response.json()["code"]) == (404, "not_found")


def test_delete_answers_success_and_the_uid(api: Api) -> None:
    uid = create(api, "a")["uid"]

    assert result(api, "delete", id={"name": "a"}) == {"success": True, "uid": uid}


def test_name_available_without_a_name_is_400(api: Api) -> None:
    response = api.get("/apps/nameAvailable", user="alice")

    assert response.status_code == 400


def test_name_available_answers_the_name_and_whether_it_is_free(api: Api) -> None:
    create(api, "a")

    taken = api.get("/apps/nameAvailable?name=a", user="alice").json()

    assert taken == {"name": "a", "available": False}


def test_the_developer_profile_has_the_servers_keys(api: Api) -> None:
    profile = api.get("/get-dev-profile", user="alice").json()

    assert set(profile) == {
        "first_name", "last_name", "approved_for_incentive_program",
        "joined_incentive_program", "paypal",
    }  # fmt: skip
