"""The route table of both hosts, and the small read-only API routes."""

from __future__ import annotations

from starlette.responses import Response

from .auth import authenticate
from .context import Call, Handler
from .drivers import call_driver, list_interfaces
from .fs import FS_ROUTES
from .login import login, login_otp
from .requestlog import HostKind
from .wire import json_response


async def whoami(call: Call) -> Response:
    """``GET /whoami``: the token's account (many keys, like the real server)."""
    user = authenticate(call.state, call.header("authorization"))
    return json_response(
        {
            "username": user.username,
            "uuid": user.uuid,
            "email": user.email,
            "unconfirmed_email": None if user.email_confirmed else user.email,
            "email_confirmed": user.email_confirmed,
            "requires_email_confirmation": not user.email_confirmed,
            "is_temp": user.is_temp,
            "otp": user.otp_code is not None,
            "feature_flags": {},
            "desktop_bg_url": "/images/wallpaper.webp",
            "desktop_bg_color": None,
            "desktop_bg_fit": "cover",
            "taskbar_items": [],
            "referral_code": None,
            "human_readable_age": "1 day",
            "hasDevAccountAccess": False,
        }
    )


async def models(call: Call) -> Response:
    """``GET /puterai/chat/models``: public model ids (no auth)."""
    return json_response({"models": call.state.catalog.ids()})


async def model_details(call: Call) -> Response:
    """``GET /puterai/chat/models/details``: public model entries (no auth)."""
    return json_response({"models": call.state.catalog.details()})


ROUTES: dict[tuple[HostKind, str, str], Handler] = {
    ("web", "POST", "/login"): login,
    ("web", "POST", "/login/otp"): login_otp,
    ("api", "GET", "/whoami"): whoami,
    ("api", "GET", "/puterai/chat/models"): models,
    ("api", "GET", "/puterai/chat/models/details"): model_details,
    ("api", "POST", "/drivers/call"): call_driver,
    ("api", "GET", "/drivers/list-interfaces"): list_interfaces,
}
ROUTES.update({("api", method, path): handler for (method, path), handler in FS_ROUTES.items()})
