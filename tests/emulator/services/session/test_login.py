"""Login on the web host: success, two-factor, every error row, in both generations."""

from __future__ import annotations

import time

import httpx
import pytest

from puter_client.emulator import PuterEmulator
from tests.emulator.emulator_support import Api


def test_login_success_body_token_and_cookie(api: Api) -> None:
    response = api.login("alice")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"
    body = response.json()
    assert body["proceed"] is True and body["next_step"] == "complete"
    assert body["user"] == {
        "username": "alice",
        "uuid": body["user"]["uuid"],
        "email": "alice@example.com",
        "email_confirmed": True,
        "is_temp": False,
    }
    assert body["token"].count(".") == 2
    assert response.cookies["puter_auth_token"] == body["token"]
    whoami = api.client.get(
        f"{api.emulator.api_base}/whoami", headers={"Authorization": f"Bearer {body['token']}"}
    )
    assert whoami.status_code == 200 and whoami.json()["username"] == "alice"


def test_login_with_email_instead_of_username(api: Api) -> None:
    body = {"email": "ALICE@example.com", "password": "alice-password"}
    response = api.client.post(api.emulator.login_url, json=body)
    assert response.status_code == 200
    assert response.json()["user"]["username"] == "alice"


def test_two_factor_login(api: Api) -> None:
    first = api.login("otp_user")
    assert first.status_code == 202
    body = first.json()
    assert body == {"proceed": True, "next_step": "otp", "otp_jwt_token": body["otp_jwt_token"]}
    otp_url = f"{api.emulator.login_url}/otp"
    wrong = api.client.post(otp_url, json={"token": body["otp_jwt_token"], "code": "000000"})
    assert (wrong.status_code, wrong.json()) == (200, {"proceed": False})
    right = api.client.post(otp_url, json={"token": body["otp_jwt_token"], "code": "123456"})
    assert right.status_code == 200
    assert (
        right.json()["next_step"] == "complete" and right.json()["user"]["username"] == "otp_user"
    )


def test_otp_step_rejects_a_bad_token(api: Api) -> None:
    otp_url = f"{api.emulator.login_url}/otp"
    session_token = api.emulator.token_for("otp_user")  # a session token is no OTP token
    for token in ("garbage", session_token):
        response = api.client.post(otp_url, json={"token": token, "code": "123456"})
        assert response.status_code == 400
        assert response.json()["code"] == "bad_request"


V2_ERRORS = [
    ({"username": "alice", "password": "wrong-password"}, 401, "password_mismatch"),
    ({"username": "nobody", "password": "whatever-pw"}, 404, "not_found"),
    ({"username": "alice"}, 400, "password_required"),
    ({"password": "alice-password"}, 400, "bad_request"),
    ({"username": "alice", "password": "short"}, 400, "bad_request"),
    (
        {"username": "suspended_user", "password": "suspended_user-password"},
        401,
        "account_suspended",
    ),
]


@pytest.mark.parametrize(("body", "status", "code"), V2_ERRORS)
def test_v2_login_errors_are_json(api: Api, body: dict[str, str], status: int, code: str) -> None:
    response = api.client.post(api.emulator.login_url, json=body)
    assert response.status_code == status
    error = response.json()
    assert error["code"] == code and error["error"] == error["message"]
    if code == "password_mismatch":
        assert error["message"] == "Incorrect password."
    if code == "not_found":
        assert error["message"] == "Username not found."


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"username": "alice", "password": "wrong-password"}, 400),
        ({"username": "nobody", "password": "whatever-pw"}, 400),
        ({"username": "alice"}, 400),
        ({"username": "suspended_user", "password": "suspended_user-password"}, 401),
    ],
)
def test_legacy_login_errors_are_plain_text(
    legacy_api: Api, body: dict[str, str], status: int
) -> None:
    response = legacy_api.client.post(legacy_api.emulator.login_url, json=body)
    assert response.status_code == status
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    assert response.text and not response.text.startswith("{")


def test_legacy_login_success_is_the_same(legacy_api: Api) -> None:
    response = legacy_api.login("alice")
    assert response.status_code == 200 and response.json()["next_step"] == "complete"


def test_cross_origin_login_is_forbidden(api: Api) -> None:
    body = {"username": "alice", "password": "alice-password"}
    url = api.emulator.login_url
    bad = api.client.post(url, json=body, headers={"Origin": "https://evil.example"})
    assert bad.status_code == 403
    assert bad.json() == {
        "error": "This endpoint cannot be called cross-origin.",
        "message": "This endpoint cannot be called cross-origin.",
        "code": "forbidden",
    }
    same = api.client.post(url, json=body, headers={"Origin": api.emulator.web_origin})
    assert same.status_code == 200


def test_too_many_failed_logins(api: Api) -> None:
    for _ in range(10):
        assert api.login("alice", "wrong-password").status_code == 401
    blocked = api.login("alice")  # even the right password
    assert blocked.status_code == 429 and blocked.json()["code"] == "too_many_requests"


def test_failed_login_window_expires(api: Api) -> None:
    api.emulator.state.options.login_failure_limit = 2
    api.emulator.state.options.login_failure_window = 0.2
    api.login("alice", "wrong-password")
    api.login("nobody", "wrong-password")
    assert api.login("alice").status_code == 429
    time.sleep(0.25)
    assert api.login("alice").status_code == 200


def test_legacy_rate_limit_is_text(legacy_api: Api) -> None:
    legacy_api.emulator.state.options.login_failure_limit = 1
    legacy_api.login("alice", "wrong-password")
    blocked = legacy_api.login("alice")
    assert blocked.status_code == 429 and blocked.headers["content-type"].startswith("text/plain")


def test_captcha_required(api: Api, legacy_api: Api) -> None:
    api.emulator.state.options.captcha_required = True
    v2 = api.login("alice")
    assert (v2.status_code, v2.json()["code"]) == (400, "bad_request")
    legacy_api.emulator.state.options.captcha_required = True
    v1 = legacy_api.login("alice")
    assert (v1.status_code, v1.json()["code"]) == (400, "captcha_required")


def test_malformed_login_json(api: Api) -> None:
    response = api.client.post(
        api.emulator.login_url, content=b"{nope", headers={"Content-Type": "application/json"}
    )
    assert (response.status_code, response.json()["code"]) == (400, "client_bad_json")


def test_login_answers_only_on_the_web_host(api: Api) -> None:
    body = {"username": "alice", "password": "alice-password"}
    response = api.client.post(f"{api.emulator.api_base}/login", json=body)
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "message": "Not Found", "code": "not_found"}


def test_added_users_can_log_in(puter_emulator: PuterEmulator, client: httpx.Client) -> None:
    puter_emulator.add_user("carol", "carol-secret", otp_code="654321")
    response = client.post(
        puter_emulator.login_url, json={"username": "carol", "password": "carol-secret"}
    )
    assert response.status_code == 202


def test_with_the_servers_login_limit_every_login_counts(api: Api) -> None:
    api.emulator.state.options.login_limit = 3
    statuses = [api.login("alice").status_code for _ in range(4)]

    assert statuses == [200, 200, 200, 429]
