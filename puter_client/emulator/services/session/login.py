"""The web host's login routes: ``POST /login`` and ``POST /login/otp``."""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.context import Call
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.core.tokens import BadSignature, MalformedToken
from puter_client.emulator.core.wire import json_response


def _fail(status: int, code: str, message: str, *, v1_status: int | None = None) -> ApiError:
    return ApiError(status, code, message, surface="login", v1_status=v1_status)


def check_origin(call: Call) -> None:
    """The 403 of a request from another ``Origin`` than the web origin (none is fine)."""
    origin = call.header("origin")
    if origin is not None and origin != call.state.web_origin:
        raise _fail(403, "forbidden", "This endpoint cannot be called cross-origin.")


def _string(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise _fail(400, "bad_request", f"{key} must be a string.")
    return value


def _complete(state: EmulatorState, user: User) -> Response:
    token = state.issue_session_token(user)
    body = {"proceed": True, "next_step": "complete", "token": token, "user": user.summary()}
    response = json_response(body)
    response.set_cookie("puter_auth_token", token, httponly=True, samesite="lax")
    return response


async def login(call: Call) -> Response:
    """Username (or e-mail) and password; the complete body, or the OTP step (202)."""
    state = call.state
    check_origin(call)
    if state.login_blocked(call.client_host):
        raise _fail(429, "too_many_requests", "Too many requests.")
    body = call.json_object("login")
    if state.options.captcha_required:
        code = "captcha_required" if state.legacy else "bad_request"
        raise _fail(400, code, "Captcha verification required")
    username, email = _string(body, "username"), _string(body, "email")
    if username is None and email is None:
        raise _fail(400, "bad_request", "Username or email is required.")
    password = _string(body, "password")
    if password is None:
        raise _fail(400, "password_required", "Password is required.")
    if len(password) < 6:
        raise _fail(400, "bad_request", "Invalid password.")
    user = state.find_user(username=username) if username else state.find_user(email=email)
    if user is None:
        state.record_login_failure(call.client_host)
        what = "Username" if username else "Email"
        raise _fail(404, "not_found", f"{what} not found.", v1_status=400)
    if user.suspended:
        raise _fail(401, "account_suspended", "This account is suspended.")
    if password != user.password:
        state.record_login_failure(call.client_host)
        raise _fail(401, "password_mismatch", "Incorrect password.", v1_status=400)
    if user.otp_code is not None:
        otp = {"proceed": True, "next_step": "otp", "otp_jwt_token": state.issue_otp_token(user)}
        return json_response(otp, 202)
    return _complete(state, user)


async def login_otp(call: Call) -> Response:
    """Second step of a two-factor login; ``{"proceed": false}`` for a wrong code."""
    state = call.state
    check_origin(call)
    body = call.json_object("login")
    token = _string(body, "token")
    code = body.get("code")
    if token is None:
        raise _fail(400, "bad_request", "token is required.")
    if code is None or code == "":
        raise _fail(400, "bad_request", "code is required.")
    try:
        claims = state.signer.decode(token)
    except (MalformedToken, BadSignature):
        claims = {}
    user_uid = claims.get("user_uid")
    user = None
    if claims.get("type") == "otp" and isinstance(user_uid, str):
        user = state.user_by_uuid(user_uid)
    if user is None:
        raise _fail(400, "bad_request", "Invalid token.")
    if str(code) != user.otp_code:
        return json_response({"proceed": False})
    return _complete(state, user)
