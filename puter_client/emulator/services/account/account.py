"""Account routes: ``/whoami`` and the usage report ``/metering/usage[/<app>]``."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.auth import authenticate
from puter_client.emulator.core.context import Call
from puter_client.emulator.core.state import User
from puter_client.emulator.core.wire import json_response
from puter_client.emulator.services.fs.tree import HOME_FOLDERS

#: The home folders ``whoami`` lists under ``directories``.
_LISTED_FOLDERS = ("Desktop", "AppData", "Documents", "Pictures", "Videos", "Trash")


async def whoami(call: Call) -> Response:
    """``GET /whoami``: the token's account, with the keys a real server sends."""
    state = call.state
    user = authenticate(state, call.header("authorization"))
    home = state.fs.home(user.username)
    assert set(_LISTED_FOLDERS) <= set(HOME_FOLDERS)
    return json_response(
        {
            "username": user.username,
            "uuid": user.uuid,
            "email": user.email,
            "unconfirmed_email": None if user.email_confirmed else user.email,
            "email_confirmed": user.email_confirmed,
            "requires_email_confirmation": not user.email_confirmed,
            "requires_phone_verification": False,
            "requires_card_verification": False,
            "desktop_bg_url": "/images/wallpaper.webp",
            "desktop_bg_color": None,
            "desktop_bg_fit": "cover",
            "is_temp": user.is_temp,
            "is_user_token": True,
            "referral_code": None,
            "oidc_only": False,
            "taskbar_items": [],
            "otp": user.otp_code is not None,
            "feature_flags": {},
            "created_ts": home.created,
            "human_readable_age": "1 day",
            "metadata": {},
            "hasDevAccountAccess": False,
            "directories": {
                f"/{user.username}/{name}": home.children[name].uid
                for name in _LISTED_FOLDERS
                if name in home.children
            },
        }
    )


def _allowance(call: Call, user: User) -> int:
    options = call.state.options
    if not user.has_credits:
        return 0
    return {
        "unlimited": options.unlimited_month_usage_allowance,
        "paid": options.paid_month_usage_allowance,
        "free": options.month_usage_allowance,
        "temp": options.temp_month_usage_allowance,
    }[user.tier]


async def usage(call: Call) -> Response:
    """``GET /metering/usage``: this month's usage by type, per app, and the allowance."""
    user = authenticate(call.state, call.header("authorization"))
    rows = call.state.metering.rows(user.uuid)
    total = sum(row.cost for row in rows.values())
    report: dict[str, Any] = {
        name: {"units": row.units, "cost": row.cost, "count": row.count}
        for name, row in rows.items()
    }
    report["total"] = total
    app_totals: dict[str, Any] = {}
    if rows:
        report["allowanceUsed"] = total
        app_totals["os-global"] = {"total": total, "count": sum(r.count for r in rows.values())}
    allowance = _allowance(call, user)
    return json_response(
        {
            "usage": report,
            "appTotals": app_totals,
            "allowanceInfo": {
                "remaining": max(0, allowance - total),
                "monthUsageAllowance": allowance,
                "addons": {},
            },
        }
    )


async def app_usage(call: Call) -> Response:
    """``GET /metering/usage/<app>``: the emulator has no apps, so every app is unknown."""
    authenticate(call.state, call.header("authorization"))
    return json_response({"error": "App not found", "message": "App not found"}, 404)
