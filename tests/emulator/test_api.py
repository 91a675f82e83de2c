"""The API host's read routes and token checks, in both generations."""

from __future__ import annotations

import pytest

from tests.emulator.emulator_support import Api, chat_body


def test_whoami(api: Api) -> None:
    response = api.get("/whoami", user="otp_user")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "otp_user" and body["otp"] is True
    assert body["email_confirmed"] is True and body["is_temp"] is False
    assert {"uuid", "email", "feature_flags"} <= body.keys()
    assert len(body) > 8


def test_tokens_are_revocable(api: Api) -> None:
    token = api.emulator.token_for("alice")
    headers = {"Authorization": f"Bearer {token}"}
    url = f"{api.emulator.api_base}/whoami"
    assert api.client.get(url, headers=headers).status_code == 200
    assert api.emulator.revoke_tokens("alice") == 1
    response = api.client.get(url, headers=headers)
    assert (response.status_code, response.json()["code"]) == (401, "token_auth_failed")


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    return f"{header}.{payload}.{signature[::-1]}"


@pytest.mark.parametrize("legacy", [False, True])
@pytest.mark.parametrize(
    ("authorization", "status", "code"),
    [
        (None, 401, "token_missing"),
        ("Basic abc", 401, "token_missing"),
        ("Bearer not-a-token", 401, "reauth_required"),
        ("Bearer tampered", 401, "token_auth_failed"),
        ("Bearer otp", 401, "token_auth_failed"),
    ],
)
def test_token_failures(
    api: Api, legacy: bool, authorization: str | None, status: int, code: str
) -> None:
    api.emulator.legacy = legacy
    emulator = api.emulator
    if authorization == "Bearer tampered":
        authorization = f"Bearer {_tampered(emulator.token_for('alice'))}"
    if authorization == "Bearer otp":
        authorization = f"Bearer {api.login('otp_user').json()['otp_jwt_token']}"
    headers = {} if authorization is None else {"Authorization": authorization}
    for response in (
        api.client.get(f"{emulator.api_base}/whoami", headers=headers),
        api.client.post(f"{emulator.api_base}/drivers/call", json=chat_body("Hi"), headers=headers),
    ):
        assert response.status_code == status
        body = response.json()
        assert body["code"] == code and body["message"]
        assert ("error" in body) is not legacy  # V1 wrote {"message", "code"}
        if code == "reauth_required":
            assert body["reason"]


def test_public_model_list_hides_test_models(api: Api) -> None:
    response = api.get("/puterai/chat/models")
    assert response.status_code == 200
    models = response.json()["models"]
    assert {"gpt-4o-mini", "gpt-5-nano", "claude-opus-4-20250514", "gemini-pro"} <= set(models)
    assert not {"fake", "costly", "abuse"} & set(models)


def test_model_details(api: Api) -> None:
    details = {m["id"]: m for m in api.get("/puterai/chat/models/details").json()["models"]}
    opus = details["claude-opus-4-20250514"]
    assert opus["aliases"] == ["claude-opus-4"] and opus["provider"] == "claude"
    assert opus["puterId"] == "anthropic:anthropic/claude-opus-4"
    assert {"name", "context", "max_tokens", "cost"} <= opus.keys()
    assert details["claude-3-5-sonnet-20241022"]["aliases"] == ["claude-3.5-sonnet"]
    assert "costs" in details["gpt-5-nano"]  # some servers name it so
    for model_id in ("gpt-4", "gpt-4o", "gpt-4o-mini", "gpt-5-nano"):
        assert details[model_id]["provider"] == "openai-completion"
    assert details["gemini-pro"]["provider"] == "gemini"
    assert "fake" not in details


def test_models_need_no_auth_and_only_answer_on_the_api_host(api: Api) -> None:
    web = api.client.get(f"{api.emulator.web_origin}/puterai/chat/models")
    assert web.status_code == 404 and web.json()["code"] == "not_found"
    whoami_on_web = api.client.get(f"{api.emulator.web_origin}/whoami", headers=api.auth())
    assert whoami_on_web.status_code == 404


def test_a_trailing_slash_is_ignored(api: Api) -> None:
    assert api.get("/puterai/chat/models/").status_code == 200


def test_unknown_route(api: Api) -> None:
    response = api.get("/nope")
    assert response.status_code == 404
    assert response.json() == {"error": "Not Found", "message": "Not Found", "code": "not_found"}


def test_responses_advertise_keep_alive(api: Api) -> None:
    response = api.get("/puterai/chat/models")
    assert response.headers["keep-alive"] == "timeout=5"
    assert response.headers["connection"] == "keep-alive"
    assert "date" in response.headers
    closing = api.client.get(
        f"{api.emulator.api_base}/puterai/chat/models", headers={"Connection": "close"}
    )
    assert closing.headers["connection"] == "close" and "keep-alive" not in closing.headers
