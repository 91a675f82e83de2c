"""What an API (access) token may do, as the server decides it (issue 20, item 4): a token
carries only permissions its user holds; a full-access token acts as its user on the
file system and the key-value store; a scoped token is refused by every route but
``GET /token-read``, which reads a file when the token holds a read permission of the
file or of a folder above it, by uid."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from puter import PuterAI
from puter.exceptions import PuterPermissionError
from puter.types import FSEntry
from puter_client.emulator import PuterEmulator
from puter_client.emulator.core.clock import ManualClock
from tests.support.emulated import alice

MINT = "/auth/create-access-token"


@pytest.fixture
def owner(v2_emu: PuterEmulator) -> Iterator[PuterAI]:
    with alice() as client:
        client.login()
        yield client


@pytest.fixture
def notes(owner: PuterAI) -> FSEntry:
    return owner.fs.write("~/Documents/notes.txt", "hello", create_parents=True)


def mint_raw(emu: PuterEmulator, owner: PuterAI, permissions: list[Any]) -> httpx.Response:
    return httpx.post(
        emu.api_base + MINT,
        json={"permissions": permissions},
        headers={"Authorization": f"Bearer {owner.token}"},
    )


def token_read(emu: PuterEmulator, token: str | None, **query: str) -> httpx.Response:
    params = {**({"token": token} if token is not None else {}), **query}
    return httpx.get(emu.api_base + "/token-read", params=params)


# --- minting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "permission",
    ["kv:read", "fs:read", "app:anything", "user:someone-else:email:read"],
)
def test_a_permission_the_user_does_not_hold_is_refused(
    v2_emu: PuterEmulator, owner: PuterAI, permission: str
) -> None:
    with pytest.raises(PuterPermissionError) as caught:
        owner.create_access_token(["driver:puter-kvstore", permission])

    assert caught.value.code == "forbidden"
    assert caught.value.message == f"Issuer lacks permission(s): {permission}"


def test_the_refusal_lists_every_missing_permission(v2_emu: PuterEmulator, owner: PuterAI) -> None:
    response = mint_raw(v2_emu, owner, ["kv:read", ["fs:/alice/missing.txt:read", {}], "x"])

    assert response.status_code == 403
    assert response.json()["missing_permissions"] == ["kv:read", "fs:/alice/missing.txt:read", "x"]


def test_another_users_file_is_not_the_users_to_grant(
    v2_emu: PuterEmulator, owner: PuterAI
) -> None:
    v2_emu.add_user("bob", "bob-password")
    with PuterAI(username="bob", password="bob-password") as bob:
        secret = bob.fs.write("~/secret.txt", "s")

    assert mint_raw(v2_emu, owner, [f"fs:{secret.uid}:read"]).status_code == 403


def test_the_families_every_user_holds_and_the_users_own_entries_are_granted(
    v2_emu: PuterEmulator, owner: PuterAI, notes: FSEntry
) -> None:
    whoami = owner.whoami()
    granted = [
        "driver:puter-kvstore:get",
        "service:puter-chat-completion:ii:puter-chat-completion",
        f"fs:{notes.uid}:read",
        "fs:/alice/Documents/notes.txt:write",
        f"manage:fs:{notes.uid}",
        f"user:{whoami.uuid}:email:read",
    ]

    assert mint_raw(v2_emu, owner, granted).status_code == 200


# --- the routes a token reaches ---------------------------------------------------------


def test_a_full_access_token_uses_the_key_value_store_and_the_file_system(
    v2_emu: PuterEmulator, owner: PuterAI, notes: FSEntry
) -> None:
    with PuterAI(token=owner.create_access_token()) as api:
        api.kv.set("k", "v")
        assert api.kv.get("k") == "v"
        assert api.fs.read_text("~/Documents/notes.txt") == "hello"


@pytest.mark.parametrize("face", ["sync", "async"])
def test_a_scoped_token_is_refused_by_the_key_value_store(
    v2_emu: PuterEmulator, owner: PuterAI, face: str
) -> None:
    token = owner.create_access_token(["driver:puter-kvstore", "service:puter-kvstore"])
    with PuterAI(token=token) as api, pytest.raises(PuterPermissionError) as caught:
        if face == "sync":
            api.kv.get("k")
        else:
            asyncio.run(api.kv.async_get("k"))

    assert caught.value.code == "forbidden"
    assert caught.value.message == "Access tokens are not allowed to access this resource"


def test_a_scoped_token_is_refused_by_the_file_system_routes(
    v2_emu: PuterEmulator, owner: PuterAI, notes: FSEntry
) -> None:
    token = owner.create_access_token([f"fs:{notes.uid}:read"])
    with PuterAI(token=token) as api:
        for attempt in (
            lambda: api.fs.stat("~/Documents/notes.txt"),
            lambda: api.fs.read_text("~/Documents/notes.txt"),
            lambda: api.whoami(),
        ):
            with pytest.raises(PuterPermissionError) as caught:
                attempt()
            assert caught.value.code == "forbidden"


# --- GET /token-read ------------------------------------------------------------------


def test_a_token_holding_read_of_the_file_reads_it(
    v2_emu: PuterEmulator, owner: PuterAI, notes: FSEntry
) -> None:
    token = owner.create_access_token([f"fs:{notes.uid}:read"])

    response = token_read(v2_emu, token, file="~/Documents/notes.txt")

    assert response.status_code == 200
    assert response.content == b"hello"
    assert response.headers["content-type"].startswith("text/plain")
    assert response.headers["content-disposition"] == 'inline; filename="notes.txt"'


def test_a_permission_on_a_folder_above_reaches_the_files_in_it(
    v2_emu: PuterEmulator, owner: PuterAI, notes: FSEntry
) -> None:
    folder = owner.fs.stat("~/Documents")
    token = owner.create_access_token([f"fs:{folder.uid}:write"])

    assert token_read(v2_emu, token, file=notes.uid).content == b"hello"
    assert token_read(v2_emu, token, path="/alice/Documents/notes.txt").status_code == 200


def test_a_token_that_may_only_see_the_file_is_forbidden_to_read_it(
    v2_emu: PuterEmulator, owner: PuterAI, notes: FSEntry
) -> None:
    token = owner.create_access_token([f"fs:{notes.uid}:see"])

    response = token_read(v2_emu, token, file="/alice/Documents/notes.txt")

    assert (response.status_code, response.json()["code"]) == (403, "access_denied")


@pytest.mark.parametrize(
    "permissions",
    [["driver:puter-kvstore"], ["fs:/alice/Documents/notes.txt:read"]],
    ids=["nothing of the file", "the file by path"],
)
def test_a_token_without_a_read_permission_by_uid_does_not_even_see_the_file(
    v2_emu: PuterEmulator, owner: PuterAI, notes: FSEntry, permissions: list[str]
) -> None:
    token = owner.create_access_token(permissions)

    response = token_read(v2_emu, token, file="/alice/Documents/notes.txt")

    assert (response.status_code, response.json()["code"]) == (404, "subject_does_not_exist")


def test_a_full_access_token_reads_any_file_of_its_user_only(
    v2_emu: PuterEmulator, owner: PuterAI, notes: FSEntry
) -> None:
    v2_emu.add_user("bob", "bob-password")
    with PuterAI(username="bob", password="bob-password") as bob:
        bob.fs.write("~/secret.txt", "s")
    token = owner.create_access_token()

    assert token_read(v2_emu, token, file="~/Documents/notes.txt").content == b"hello"
    assert token_read(v2_emu, token, file="/bob/secret.txt").status_code == 404


def test_a_folder_is_not_read(v2_emu: PuterEmulator, owner: PuterAI) -> None:
    response = token_read(v2_emu, owner.create_access_token(), file="~/Documents")

    assert (response.status_code, response.json()["code"]) == (400, "cannot_read_a_directory")


def test_a_session_token_a_missing_one_and_an_expired_one_are_refused(
    v2_emu: PuterEmulator, owner: PuterAI, notes: FSEntry
) -> None:
    clock = ManualClock(1_800_000_000.0)
    v2_emu.state.clock = clock
    expiring = owner.create_access_token([f"fs:{notes.uid}:read"], expires_in=60)
    clock.advance(61)

    for token in (owner.token, None, expiring, "not-a-token"):
        response = token_read(v2_emu, token, file="~/Documents/notes.txt")
        assert (response.status_code, response.json()["code"]) == (401, "token_auth_failed")


def test_a_missing_file_is_the_servers_404(v2_emu: PuterEmulator, owner: PuterAI) -> None:
    response = token_read(v2_emu, owner.create_access_token(), file="~/nope.txt")

    assert response.status_code == 404
    assert response.json()["message"] == "Entry not found: path=/alice/nope.txt"
