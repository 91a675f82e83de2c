"""Helpers of the facade's integration tests: accounts, clients, wire inspection.

Nothing here talks to puter.com: every client points at the local emulator (see
``conftest.py``), whose request log is the tests' window on the wire.
"""

from __future__ import annotations

import base64
import socket
from typing import Any

from puter import PuterAI, config
from puter_client.core.configuration import ConfigOptions
from puter_client.emulator import LoggedRequest, PuterEmulator, default_models, expected_reply

__all__ = [
    "ALICE",
    "ALICE_PASSWORD",
    "DEFAULT_MODEL",
    "PNG_1X1",
    "alice",
    "catalog_names",
    "chat_calls",
    "closed_port_url",
    "driver_calls",
    "inject_driver_error",
    "last_user_content",
    "reply",
    "use_emulator",
]

ALICE = "alice"
ALICE_PASSWORD = "alice-password"
DEFAULT_MODEL = "claude-opus-4"

#: A valid 1x1 PNG image.
PNG_1X1 = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)

#: Retries wait 10 ms instead of the documented 1 s, so that failing calls stay quick.
QUICK_RETRIES: ConfigOptions = {"retry_delay": 0.01}


def alice(**overrides: Any) -> PuterAI:
    """A client of the emulator's plain account ``alice``, with quick retries.

    ``overrides`` are ``PuterAI``'s configuration overrides; ``retry_delay`` is 0.01 s
    unless given.
    """
    options: dict[str, Any] = {**QUICK_RETRIES, **overrides}
    return PuterAI(username=ALICE, password=ALICE_PASSWORD, **options)


def use_emulator(emu: PuterEmulator) -> None:
    """Point the global ``puter.config`` at ``emu`` (clients made afterwards use it)."""
    config.update(api_base=emu.api_base, login_url=emu.login_url)


def reply(
    text: str,
    model: str = DEFAULT_MODEL,
    *,
    turns: int = 1,
    images: int = 0,
    audio: int = 0,
    videos: int = 0,
    files: int = 0,
) -> str:
    """The emulator's deterministic reply to ``text`` (see ``expected_reply``)."""
    return expected_reply(
        text, model, turns=turns, images=images, audio=audio, videos=videos, files=files
    )


def catalog_names(*, include_test_models: bool) -> dict[str, str]:
    """What ``available_models`` holds for the emulator's catalog: every id, alias and
    puterId -> provider, in catalog order (test models only for authenticated clients)."""
    names: dict[str, str] = {}
    for model in default_models():
        if model.hidden and not include_test_models:
            continue
        for name in model.names():
            names.setdefault(name, model.provider)
    return names


def connect(emu: PuterEmulator) -> PuterAI:
    """A client of ``alice`` on ``emu`` holding a token (so no login requests)."""
    return PuterAI(
        token=emu.token_for("alice"),
        api_base=emu.api_base,
        login_url=emu.login_url,
        retry_delay=0.01,
    )


def driver_calls(emu: PuterEmulator) -> list[LoggedRequest]:
    """Every ``POST /drivers/call`` the emulator received (chat and model listings)."""
    return emu.requests_to("/drivers/call")


def chat_calls(emu: PuterEmulator) -> list[LoggedRequest]:
    """The driver calls of method ``complete`` (the chat requests)."""
    return [
        r
        for r in driver_calls(emu)
        if isinstance(r.json, dict) and r.json.get("method") == "complete"
    ]


def last_user_content(request: LoggedRequest) -> Any:
    """The ``content`` of the last message a chat request sent."""
    messages = request.args["messages"]
    assert isinstance(messages, list)
    return messages[-1]["content"]


def inject_driver_error(
    emu: PuterEmulator,
    status: int,
    *,
    code: str = "test_error",
    message: str = "Injected failure",
    times: int | None = 1,
) -> dict[str, Any]:
    """Make the next driver calls fail with ``status``, as the server generation in use
    reports it: a real HTTP status (V2), or HTTP 200 ``{"success": false, "error": {...,
    "status": status}}`` (V1, ``emu.legacy``). Returns the body the server will send."""
    body: dict[str, Any]
    if emu.legacy:
        body = {"success": False, "error": {"code": code, "message": message, "status": status}}
        emu.inject("/drivers/call", status=200, body=body, times=times)
    else:
        body = {"error": message, "message": message, "code": code}
        emu.inject("/drivers/call", status=status, body=body, times=times)
    return body


def closed_port_url() -> str:
    """``http://127.0.0.1:<port>`` where nothing listens (connections are refused)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"
