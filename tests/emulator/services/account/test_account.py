"""``/whoami`` fields and the ``/metering/usage`` report."""

from __future__ import annotations

from tests.emulator.emulator_support import Api

WHOAMI_KEYS = {
    "username", "uuid", "email", "unconfirmed_email", "email_confirmed",
    "requires_email_confirmation", "requires_phone_verification", "requires_card_verification",
    "desktop_bg_url", "desktop_bg_color", "desktop_bg_fit", "is_temp", "is_user_token",
    "referral_code", "oidc_only", "taskbar_items", "otp", "feature_flags", "created_ts",
    "human_readable_age", "metadata", "hasDevAccountAccess", "directories",
}  # fmt: skip


def test_whoami_has_every_documented_key(api: Api) -> None:
    assert set(api.get("/whoami", user="alice").json()) == WHOAMI_KEYS


def test_whoami_directories_are_the_home_folders_uids(api: Api) -> None:
    directories = api.get("/whoami", user="alice").json()["directories"]
    assert set(directories) == {
        f"/alice/{name}"
        for name in ("Desktop", "AppData", "Documents", "Pictures", "Videos", "Trash")
    }
    headers = api.auth("alice")
    stat = api.client.post(
        f"{api.emulator.api_base}/stat", json={"path": "~/Desktop"}, headers=headers
    ).json()
    assert directories["/alice/Desktop"] == stat["uid"]


def test_a_fresh_temp_user_has_no_usage(api: Api) -> None:
    api.emulator.add_user("guest", "guest-password", is_temp=True)
    assert api.get("/metering/usage", user="guest").json() == {
        "usage": {"total": 0},
        "appTotals": {},
        "allowanceInfo": {"remaining": 25_000_000, "monthUsageAllowance": 25_000_000, "addons": {}},
    }


def test_kv_calls_are_metered(api: Api) -> None:
    api.driver("puter-kvstore", "set", {"key": "k", "value": 1})
    api.driver("puter-kvstore", "get", {"key": "k"})
    body = api.get("/metering/usage", user="alice").json()
    usage = body["usage"]
    assert usage["kv:write"] == {"units": 1, "cost": 90, "count": 1}
    assert usage["kv:read"] == {"units": 1, "cost": 17, "count": 1}
    assert usage["total"] == usage["allowanceUsed"] == 107
    assert body["appTotals"] == {"os-global": {"total": 107, "count": 2}}
    assert body["allowanceInfo"]["remaining"] == 50_000_000 - 107


def test_usage_needs_a_token(api: Api) -> None:
    response = api.get("/metering/usage")
    assert (response.status_code, response.json()["code"]) == (401, "token_missing")


def test_usage_of_an_unknown_app_is_404_without_a_code(api: Api) -> None:
    response = api.get("/metering/usage/app-nope", user="alice")
    assert response.status_code == 404
    assert response.json() == {"error": "App not found", "message": "App not found"}


def test_legacy_usage_routes_do_not_exist(api: Api) -> None:
    assert api.get("/drivers/usage", user="alice").status_code == 404
