"""The web host's ``POST /signup``: new accounts, temporary or registered.

As on the server: an ``Origin`` other than the web origin is 403 ``forbidden``; with the
captcha on, 400. ``{"is_temp": true}`` alone makes a temporary account (a generated
username ``adjective_noun_123456``, no e-mail, no password to log in with) and logs it in;
a registered account needs ``username`` (letters, digits, ``_``; at most 45; not a
reserved name), a valid ``email`` and a ``password`` of 6 characters or more, and must
confirm its e-mail before the file system and the drivers serve it (403
``email_confirmation_required``). A taken username, or an e-mail a confirmed account
holds, is 400. The answer is a completed login: ``{proceed, next_step: "complete",
token, user}``.

The emulator lets a temporary account through the verification gates as the server
does, by counting it as confirmed (its ``whoami`` says ``email_confirmed: true``, where
the server's says false and does not require confirmation).
"""

from __future__ import annotations

import random
import re
import secrets
import uuid
from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.context import Call
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.core.wire import json_response
from puter_client.emulator.services.session.login import check_origin

USERNAME = re.compile(r"^\w+$", re.ASCII)
USERNAME_MAX = 45
MIN_PASSWORD = 6
RESERVED = frozenset(
    {"admin", "administrator", "root", "system", "puter", "www", "api", "support", "help",
     "info", "contact", "mail", "email", "null", "undefined", "test", "guest", "anonymous",
     "user", "users"}
)  # fmt: skip
_EMAIL = re.compile(r"^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$")
_ADJECTIVES = ("brave", "calm", "clever", "eager", "gentle", "happy", "jolly", "lively",
               "proud", "quiet", "swift", "witty")  # fmt: skip
_NOUNS = ("apple", "breeze", "cloud", "daisy", "ember", "forest", "harbor", "idea", "meadow",
          "river", "stone", "willow")  # fmt: skip


def _bad(message: str, code: str = "bad_request") -> ApiError:
    return ApiError(400, code, message, surface="login")


def _generated_username(state: EmulatorState) -> str:
    """A free ``adjective_noun_number`` username, as the server generates them."""
    rng = random.SystemRandom()
    while True:
        name = f"{rng.choice(_ADJECTIVES)}_{rng.choice(_NOUNS)}_{rng.randrange(1_000_000)}"
        if state.find_user(username=name) is None:
            return name


def _checked(body: dict[str, Any], is_temp: bool) -> tuple[str, str, str]:
    """``(username, email, password)`` as the server validates them, in its order."""
    username = body.get("username")
    if not username:
        raise _bad("Username is required")
    if not isinstance(username, str):
        raise _bad("username must be a string.")
    if not USERNAME.match(username):
        raise _bad("Username can only contain letters, numbers and underscore (_).")
    if len(username) > USERNAME_MAX:
        raise _bad(f"Username cannot be longer than {USERNAME_MAX} characters.")
    if username.lower() in RESERVED:
        raise _bad("This username is not available.", "username_already_in_use")
    email, password = body.get("email"), body.get("password")
    if not is_temp:
        if not email:
            raise _bad("Email is required")
        if not isinstance(email, str):
            raise _bad("email must be a string.")
        if not _EMAIL.match(email):
            raise _bad("Please enter a valid email address.")
        if not password:
            raise _bad("Password is required")
        if not isinstance(password, str):
            raise _bad("password must be a string.")
        if len(password) < MIN_PASSWORD:
            raise _bad(f"Password must be at least {MIN_PASSWORD} characters long.")
    return username, str(email or ""), str(password or "")


async def signup(call: Call) -> Response:
    """``POST /signup``: a new account, logged in."""
    state = call.state
    check_origin(call)
    body = call.json_object("login")
    if state.options.captcha_required:
        raise _bad(
            "Captcha verification required", "captcha_required" if state.legacy else "bad_request"
        )
    is_temp = bool(body.get("is_temp"))
    if not is_temp and body.get("p102xyzname") not in ("", None):
        return json_response({})  # the bot honeypot: answered, nothing made
    fingerprint = body.get("fingerprint")
    if fingerprint is not None and not isinstance(fingerprint, str):
        raise _bad("fingerprint must be a string.")
    if is_temp:
        body = {
            "username": body.get("username") or _generated_username(state),
            "password": body.get("password") or secrets.token_hex(16),
            **{k: v for k, v in body.items() if k not in ("username", "password")},
        }
    username, email, password = _checked(body, is_temp)
    if state.find_user(username=username) is not None:
        raise _bad("This username already exists in our database. Please use another one.")
    if not is_temp:
        holder = state.find_user(email=email)
        if holder is not None and holder.email_confirmed:
            raise _bad("This email already exists in our database. Please use another one.")
    user = User(
        username,
        password,
        email=email or f"{username}@example.com",
        uuid=str(uuid.uuid4()),
        email_confirmed=is_temp,
        is_temp=is_temp,
    )
    if is_temp:
        user.email = ""  # a temporary account has none
    state.add_user(user)
    state.fs.home(username)
    token = state.issue_session_token(user)
    answer = {
        "proceed": True,
        "next_step": "complete",
        "token": token,
        "user": {
            "username": user.username,
            "uuid": user.uuid,
            "email": None if is_temp else user.email,
            "email_confirmed": False,
            "requires_email_confirmation": not is_temp,
            "phone": None,
            "requires_phone_verification": False,
            "requires_card_verification": False,
            "is_temp": is_temp,
            "taskbar_items": [],
        },
    }
    response = json_response(answer)
    response.set_cookie("puter_auth_token", token, httponly=True, samesite="lax")
    return response
