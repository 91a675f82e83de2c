"""``client.apps`` against the emulator, blocking and async: every method, what goes on
the wire, the three listing forms (lazy), and duplicates and unknown names typed."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from puter import PuterAI
from puter.exceptions import (
    PuterConflictError,
    PuterInputError,
    PuterNotFoundError,
    PuterPermissionError,
)
from puter.types import App, AppUser, Page
from puter_client.emulator import LoggedRequest, PuterEmulator
from puter_client.services.apps import apps as apps_module
from tests.support.emulated import connect
from tests.support.faces import FACES, Face

URL = "https://example.com/"


@pytest.fixture
def client(v2_emu: PuterEmulator) -> Iterator[PuterAI]:
    with connect(v2_emu) as c:
        yield c


@pytest.fixture(params=FACES)
def apps(request: pytest.FixtureRequest, client: PuterAI) -> Face:
    """``alice``'s apps, through each face in turn."""
    return Face(client.apps, request.param)


def app_calls(emu: PuterEmulator, method: str | None = None) -> list[LoggedRequest]:
    return [
        r
        for r in emu.requests_to("/drivers/call")
        if isinstance(r.json, dict)
        and r.json.get("interface") == "puter-apps"
        and (method is None or r.json.get("method") == method)
    ]


def make(apps: Face, count: int, prefix: str = "app") -> list[str]:
    names = [f"{prefix}-{i}" for i in range(count)]
    for name in names:
        apps.create(name, URL)
    return names


# ------------------------------------------------------------------ create


def test_create_answers_the_app_with_its_title_defaulting_to_the_name(apps: Face) -> None:
    app = apps.create("notes", URL)

    assert isinstance(app, App)
    assert (app.name, app.title, app.index_url) == ("notes", "notes", URL)
    assert app.uid.startswith("app-")
    assert app.owner is not None and app.owner.username == "alice"
    assert app.created_at is not None and app.created_at.tzinfo is not None


def test_create_sends_only_the_fields_given(apps: Face, v2_emu: PuterEmulator) -> None:
    apps.create("notes", URL, "Notes", description="Take notes", background=True)

    sent = app_calls(v2_emu, "create")[-1].json["args"]
    assert sent == {
        "object": {
            "name": "notes",
            "index_url": URL,
            "title": "Notes",
            "description": "Take notes",
            "background": True,
        },
        "options": {"dedupe_name": False},
    }


def test_create_answers_extensions_canonical_and_mime_types_unchanged(apps: Face) -> None:
    app = apps.create("viewer", URL, filetype_associations=[".txt", "text/markdown"])

    assert app.filetype_associations == ["txt", "text/markdown"]


def test_a_taken_name_is_a_conflict_keeping_the_servers_400_and_code(apps: Face) -> None:
    apps.create("notes", URL)

    with pytest.raises(PuterConflictError) as caught:
        apps.create("notes", URL)

    assert caught.value.status_code == 400
    assert caught.value.code == "app_name_already_in_use"


def test_dedupe_name_lets_the_server_pick_a_free_name(apps: Face) -> None:
    apps.create("notes", URL)

    app = apps.create("notes", URL, dedupe_name=True)

    assert app.name.startswith("notes-") and len(app.name) == len("notes-") + 4


@pytest.mark.parametrize(
    ("name", "index_url", "message"),
    [("", URL, "Name is required"), ("notes", "", "Index URL is required")],
)
def test_an_empty_name_or_url_is_refused_before_any_request(
    apps: Face, v2_emu: PuterEmulator, name: str, index_url: str, message: str
) -> None:
    with pytest.raises(PuterInputError, match=message) as caught:
        apps.create(name, index_url)

    assert caught.value.code == "invalid_request"
    assert app_calls(v2_emu) == []


@settings(max_examples=25, deadline=None)
@given(value=st.one_of(st.integers(), st.text(), st.none(), st.lists(st.booleans())))
def test_a_flag_that_is_not_a_bool_is_a_type_error_before_any_request(value: Any) -> None:
    calls = apps_module.AppCalls(session=None)  # type: ignore[arg-type]  # never reached
    if value is None:
        return  # None means "not given"
    with pytest.raises(TypeError):
        calls.create("notes", URL, None, {"background": value}, False)


# ------------------------------------------------------------------ get, update, delete


def test_get_answers_the_app_and_echoes_the_icon_size(apps: Face) -> None:
    created = apps.create("notes", URL)

    app = apps.get("notes", icon_size=64)

    assert app.uid == created.uid
    assert app.extra["icon_size"] == 64


def test_get_with_a_stats_period_answers_stats(apps: Face) -> None:
    apps.create("notes", URL)

    assert apps.get("notes", stats_period="7d").stats is not None
    assert apps.get("notes").stats is None


def test_get_of_an_unknown_app_is_not_found(apps: Face) -> None:
    with pytest.raises(PuterNotFoundError) as caught:
        apps.get("nothing-here")

    assert caught.value.code == "not_found"


def test_update_changes_only_the_fields_given(apps: Face, v2_emu: PuterEmulator) -> None:
    apps.create("notes", URL, "Notes", feedback_enabled=True)

    app = apps.update("notes", title="Better notes", new_name="notes2")

    assert (app.name, app.title, app.feedback_enabled) == ("notes2", "Better notes", True)
    assert app_calls(v2_emu, "update")[-1].json["args"] == {
        "id": {"name": "notes"},
        "object": {"title": "Better notes", "name": "notes2"},
    }


def test_update_to_a_taken_name_is_a_conflict(apps: Face) -> None:
    make(apps, 2)

    with pytest.raises(PuterConflictError) as caught:
        apps.update("app-0", new_name="app-1")

    assert (caught.value.status_code, caught.value.code) == (409, "conflict")


def test_update_of_an_unknown_app_is_not_found(apps: Face) -> None:
    with pytest.raises(PuterNotFoundError):
        apps.update("nothing-here", title="x")


def test_delete_removes_the_app(apps: Face) -> None:
    apps.create("notes", URL)

    assert apps.delete("notes") is None

    with pytest.raises(PuterNotFoundError):
        apps.get("notes")


def test_delete_of_an_unknown_app_is_not_found(apps: Face) -> None:
    with pytest.raises(PuterNotFoundError):
        apps.delete("nothing-here")


# ------------------------------------------------------------------ listings


def test_list_walks_every_page(
    apps: Face, v2_emu: PuterEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = make(apps, 5)
    monkeypatch.setattr(apps_module, "PAGE_SIZE", 2)

    assert [app.name for app in apps.list()] == names
    assert len(app_calls(v2_emu, "select")) == 3


def test_list_with_a_limit_that_fits_one_page_sends_one_request(
    apps: Face, v2_emu: PuterEmulator
) -> None:
    make(apps, 5)

    assert [app.name for app in apps.list(limit=3)] == ["app-0", "app-1", "app-2"]
    assert [r.json["args"]["limit"] for r in app_calls(v2_emu, "select")] == [3]


def test_list_sends_nothing_until_iterated(client: PuterAI, v2_emu: PuterEmulator) -> None:
    make(Face(client.apps, "sync"), 3)

    listing = client.apps.list()
    assert app_calls(v2_emu, "select") == []
    assert next(listing).name == "app-0"
    assert len(app_calls(v2_emu, "select")) == 1


def test_async_list_sends_nothing_until_iterated(client: PuterAI, v2_emu: PuterEmulator) -> None:
    make(Face(client.apps, "sync"), 3)

    async def first() -> tuple[int, str]:
        listing = client.apps.async_list()
        before = len(app_calls(v2_emu, "select"))
        app = await anext(listing)
        return before, app.name

    assert asyncio.run(first()) == (0, "app-0")


def test_pages_answer_pages_with_cursors_and_the_total_once(
    apps: Face, v2_emu: PuterEmulator
) -> None:
    make(apps, 5)

    pages = apps.pages(page_size=2, include_total=True)

    assert all(isinstance(p, Page) for p in pages)
    assert [[a.name for a in p.items] for p in pages] == [
        ["app-0", "app-1"], ["app-2", "app-3"], ["app-4"],
    ]  # fmt: skip
    assert [p.total for p in pages] == [5, None, None]
    assert [p.cursor is None for p in pages] == [False, False, True]
    sent = [r.json["args"] for r in app_calls(v2_emu, "select")]
    assert [a.get("includeTotal") for a in sent] == [True, None, None]
    assert sent[0]["cursor"] is None


def test_pages_resume_from_a_cursor(apps: Face) -> None:
    make(apps, 5)
    first = apps.page(limit=2)

    rest = apps.pages(cursor=first.cursor)

    assert [a.name for p in rest for a in p.items] == ["app-2", "app-3", "app-4"]


def test_page_by_offset_answers_one_page(apps: Face, v2_emu: PuterEmulator) -> None:
    make(apps, 5)

    page = apps.page(limit=2, offset=3, include_total=True)

    assert ([a.name for a in page.items], page.total) == (["app-3", "app-4"], 5)
    assert "cursor" not in app_calls(v2_emu, "select")[-1].json["args"]


def test_page_with_a_cursor_and_an_offset_is_refused_before_any_request(
    apps: Face, v2_emu: PuterEmulator
) -> None:
    with pytest.raises(PuterInputError) as caught:
        apps.page(cursor="abc", offset=1)

    assert caught.value.code == "invalid_request"
    assert app_calls(v2_emu) == []


# ------------------------------------------------------------------ names, profile, users


def test_check_name_tells_a_free_name_from_a_taken_one(apps: Face) -> None:
    apps.create("notes", URL)

    assert apps.check_name("notes").available is False
    assert apps.check_name("other").available is True


def test_check_name_of_an_empty_name_is_refused_before_any_request(
    apps: Face, v2_emu: PuterEmulator
) -> None:
    with pytest.raises(PuterInputError, match="Name is required"):
        apps.check_name("")

    assert v2_emu.requests_to("/apps/nameAvailable") == []


def test_developer_profile_answers_the_profile(apps: Face, v2_emu: PuterEmulator) -> None:
    v2_emu.state.apps.profiles[v2_emu.state.find_user(username="alice").uuid] = {  # type: ignore[union-attr]
        "first_name": "Alice",
        "joined_incentive_program": True,
    }

    profile = apps.developer_profile()

    assert (profile.first_name, profile.joined_incentive_program) == ("Alice", True)
    assert profile.paypal is None


def _add_users(emu: PuterEmulator, name: str, count: int) -> None:
    row = emu.state.apps.by_name(name)
    assert row is not None
    row.users.extend(
        {"user": f"user{i}", "user_uuid": f"uuid-{i}", "user_email": None} for i in range(count)
    )


def test_users_walks_every_page_of_an_apps_users(apps: Face, v2_emu: PuterEmulator) -> None:
    apps.create("notes", URL)
    _add_users(v2_emu, "notes", 5)

    users = apps.users("notes", page_size=2)

    assert [u.username for u in users] == [f"user{i}" for i in range(5)]
    assert all(isinstance(u, AppUser) for u in users)


def test_get_users_answers_one_page_by_offset(apps: Face, v2_emu: PuterEmulator) -> None:
    app = apps.create("notes", URL)
    _add_users(v2_emu, "notes", 5)

    assert [u.uuid for u in apps.get_users(app, limit=2, offset=1)] == ["uuid-1", "uuid-2"]


def test_users_of_someone_elses_app_are_forbidden(apps: Face, v2_emu: PuterEmulator) -> None:
    apps.create("notes", URL)
    row = v2_emu.state.apps.by_name("notes")
    assert row is not None
    row.owner_uuid = "someone-else"

    with pytest.raises(PuterPermissionError):
        apps.get_users("notes")
