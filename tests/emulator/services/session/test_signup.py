"""``POST /signup`` on the web host: temporary accounts, registered accounts and every
refusal, as the server answers them; and the revocation of access tokens, which wants a
web session and an anti-CSRF token."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from puter_client.emulator import PuterEmulator
from tests.emulator.emulator_support import Api


def signup(api: Api, body: dict[str, Any], **kw: Any) -> httpx.Response:
    return api.client.post(f"{api.emulator.web_origin}/signup", json=body, **kw)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_a_temporary_account_is_made_and_logged_in(api: Api) -> None:
    answer = signup(api, {"is_temp": True})

    body = answer.json()
    assert answer.status_code == 200
    assert (body["proceed"], body["next_step"]) == (True, "complete")
    user = body["user"]
    assert (user["is_temp"], user["email"], user["requires_email_confirmation"]) == (
        True, None, False,
    )  # fmt: skip
    assert user["username"].count("_") == 2 and user["username"].rsplit("_", 1)[1].isdigit()
    whoami = api.client.get(f"{api.emulator.api_base}/whoami", headers=bearer(body["token"]))
    assert whoami.json()["username"] == user["username"]


def test_a_temporary_account_has_a_home_and_may_write_files(api: Api) -> None:
    token = signup(api, {"is_temp": True}).json()["token"]
    body = {"fileMetadata": {"path": "~/Desktop/t.txt", "size": 1}, "fileContent": "t"}

    written = api.client.post(f"{api.emulator.api_base}/fs/write", json=body, headers=bearer(token))

    assert written.status_code == 200
    assert written.json()["fsEntry"]["path"].endswith("/Desktop/t.txt")


def test_two_temporary_accounts_are_two_different_users(api: Api) -> None:
    first, second = (signup(api, {"is_temp": True}).json()["user"] for _ in range(2))

    assert first["username"] != second["username"] and first["uuid"] != second["uuid"]


def test_a_registered_account_must_confirm_its_e_mail_before_using_files(api: Api) -> None:
    answer = signup(api, {"username": "carol", "email": "carol@example.org", "password": "pw1234"})
    token = answer.json()["token"]

    listing = api.client.post(
        f"{api.emulator.api_base}/fs/write",
        json={"fileMetadata": {"path": "~/x.txt", "size": 1}, "fileContent": "x"},
        headers=bearer(token),
    )

    assert answer.status_code == 200
    assert answer.json()["user"]["requires_email_confirmation"] is True
    assert answer.json()["user"]["is_temp"] is False
    assert (listing.status_code, listing.json()["code"]) == (403, "email_confirmation_required")
    assert api.login("carol", "pw1234").status_code == 200


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({}, "bad_request", "Username is required"),
        ({"username": 5}, "bad_request", "username must be a string."),
        (
            {"username": "bad name"},
            "bad_request",
            "Username can only contain letters, numbers and underscore (_).",
        ),
        ({"username": "u" * 46}, "bad_request", "Username cannot be longer than 45 characters."),
        ({"username": "Admin"}, "username_already_in_use", "This username is not available."),
        ({"username": "dave"}, "bad_request", "Email is required"),
        (
            {"username": "dave", "email": "nope"},
            "bad_request",
            "Please enter a valid email address.",
        ),
        ({"username": "dave", "email": "d@example.org"}, "bad_request", "Password is required"),
        (
            {"username": "dave", "email": "d@example.org", "password": "12345"},
            "bad_request",
            "Password must be at least 6 characters long.",
        ),
        (
            {"username": "alice", "email": "a2@example.org", "password": "123456"},
            "bad_request",
            "This username already exists in our database. Please use another one.",
        ),
        (
            {"username": "dave", "email": "alice@example.com", "password": "123456"},
            "bad_request",
            "This email already exists in our database. Please use another one.",
        ),
    ],
)
def test_a_refused_signup_answers_the_servers_error(
    api: Api, body: dict[str, Any], code: str, message: str
) -> None:
    answer = signup(api, body)

    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["message"]) == (code, message)


def test_a_signup_from_another_origin_is_forbidden(api: Api) -> None:
    answer = signup(api, {"is_temp": True}, headers={"Origin": "https://evil.example"})

    assert (answer.status_code, answer.json()["code"]) == (403, "forbidden")


def test_the_bot_honeypot_answers_an_empty_object_and_makes_nothing(
    api: Api, puter_emulator: PuterEmulator
) -> None:
    body = {"username": "bot", "email": "b@example.org", "password": "123456", "p102xyzname": "x"}

    answer = signup(api, body)

    assert (answer.status_code, answer.json()) == (200, {})
    assert puter_emulator.state.find_user(username="bot") is None


def test_signup_is_on_the_web_host_only(api: Api) -> None:
    answer = api.client.post(f"{api.emulator.api_base}/signup", json={"is_temp": True})

    assert answer.status_code == 404


# ---------------------------------------------------------------- access-token revocation


def access_token(api: Api, permissions: list[Any]) -> str:
    answer = api.client.post(
        f"{api.emulator.api_base}/auth/create-access-token",
        json={"permissions": permissions},
        headers=api.auth("alice"),
    )
    return str(answer.json()["token"])


def anti_csrf(api: Api, headers: dict[str, str]) -> httpx.Response:
    return api.client.get(f"{api.emulator.web_origin}/get-anticsrf-token", headers=headers)


def revoke(api: Api, body: dict[str, Any], headers: dict[str, str]) -> httpx.Response:
    return api.client.post(
        f"{api.emulator.api_base}/auth/revoke-access-token", json=body, headers=headers
    )


def test_a_revoked_access_token_no_longer_authenticates(api: Api) -> None:
    token = access_token(api, ["full-api-access"])
    csrf = anti_csrf(api, api.auth("alice")).json()["token"]

    answer = revoke(api, {"tokenOrUuid": token, "anti_csrf": csrf}, api.auth("alice"))
    whoami = api.client.get(f"{api.emulator.api_base}/whoami", headers=bearer(token))

    assert (answer.status_code, answer.json()) == (200, {"ok": True})
    assert (whoami.status_code, whoami.json()["code"]) == (401, "token_auth_failed")


def test_an_anti_csrf_token_serves_once(api: Api) -> None:
    csrf = anti_csrf(api, api.auth("alice")).json()["token"]
    first, second = access_token(api, ["full-api-access"]), access_token(api, ["full-api-access"])

    revoke(api, {"tokenOrUuid": first, "anti_csrf": csrf}, api.auth("alice"))
    again = revoke(api, {"tokenOrUuid": second, "anti_csrf": csrf}, api.auth("alice"))

    assert (again.status_code, again.json()["message"]) == (400, "Incorrect anti-CSRF token.")


def test_an_access_token_may_not_revoke_nor_ask_for_an_anti_csrf_token(api: Api) -> None:
    token = access_token(api, ["full-api-access"])

    asked = anti_csrf(api, bearer(token))
    revoked = revoke(api, {"tokenOrUuid": token, "anti_csrf": "x"}, bearer(token))

    assert (asked.status_code, asked.json()["code"]) == (401, "session_required")
    assert (revoked.status_code, revoked.json()["code"]) == (401, "session_required")


def test_someone_elses_access_token_is_not_found(api: Api) -> None:
    token = access_token(api, ["full-api-access"])
    bob = signup(api, {"is_temp": True}).json()["token"]
    csrf = anti_csrf(api, bearer(bob)).json()["token"]

    answer = revoke(api, {"tokenOrUuid": token, "anti_csrf": csrf}, bearer(bob))

    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


def test_an_access_token_is_revoked_by_its_uid(api: Api, puter_emulator: PuterEmulator) -> None:
    token = access_token(api, ["full-api-access"])
    token_uid = puter_emulator.state.signer.decode(token)["token_uid"]
    csrf = anti_csrf(api, api.auth("alice")).json()["token"]

    revoke(api, {"tokenOrUuid": token_uid, "anti_csrf": csrf}, api.auth("alice"))

    whoami = api.client.get(f"{api.emulator.api_base}/whoami", headers=bearer(token))
    assert whoami.status_code == 401
