"""A faithful local Puter server, with fault injection, for tests and offline demos.

It speaks Puter's wire protocol: login on a *web* origin, the API (``/whoami``,
``/drivers/call``, ``/puterai/chat/models[/details]``) on an *API* origin, each on its
own loopback port (a request to the wrong one gets the real 404). Both
server generations are available: V2 (current; real HTTP error statuses) and V1
(``legacy=True``; provider names as drivers, errors as HTTP 200 ``success: false``).

Run it::

    python -m puter_client.emulator [--host 127.0.0.1] [--port 8765] [--web-port 8766]
                                    [--user NAME:PASSWORD]... [--legacy]

It prints ``PUTER_API_BASE=...`` and ``PUTER_LOGIN_URL=...`` lines to point the SDK at it.

Use it in tests::

    from puter_client.emulator import running_emulator, Respond

    with running_emulator() as emu:           # free ports, background thread
        emu.api_base, emu.login_url            # -> config api_base / login_url
        token = emu.token_for("alice")         # or log in as alice / alice-password
        emu.inject("/drivers/call", status=503, retry_after="2", times=2)
        ...
        assert [r.status for r in emu.requests_to("/drivers/call")] == [503, 503, 200]

or, with pytest, ``pytest_plugins = ["puter_client.emulator.pytest_plugin"]`` and the
``puter_emulator`` fixture (a shared server, reset before each test).

Default accounts (password ``<username>-password``): ``alice`` (plain),
``otp_user`` (two-factor, code ``123456``), ``suspended_user``, ``broke_user`` (no
credits: paid models answer 402), ``unconfirmed_user`` (driver calls answer 403).

Replies are deterministic (see `chat`)::

    You said: {text} (model={requested_model}, turns={n}, images={n}, audio={n})

built by `expected_reply`; with tools, the first tool is called; after a tool result
the reply is ``"Tool result: ..."``. Models: the test models ``fake``, ``costly``,
``abuse`` (hidden from the public lists) and realistic ones (``gpt-4o-mini``,
``claude-opus-4-20250514`` alias ``claude-opus-4``, ``gemini-pro``...), see `catalog`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from puter_client.emulator._extra import public_names_need_extra
from puter_client.emulator.core.faults import (
    Delay,
    Drop,
    Fault,
    FaultRule,
    HtmlPage,
    Respond,
    StreamError,
    StreamWithoutUsage,
    TruncatedJson,
    WrongShape,
)
from puter_client.emulator.core.requestlog import LoggedRequest
from puter_client.emulator.core.state import EmulatorState, Options, User, default_users
from puter_client.emulator.services.chat.arguments import tool_arguments
from puter_client.emulator.services.chat.catalog import Catalog, ModelInfo, default_models
from puter_client.emulator.services.chat.chat import (
    expected_reply,
    expected_tool_reply,
    reply_text_for,
)

try:  # the only import that needs the 'emulator' extra (starlette, uvicorn)
    from puter_client.emulator.server import PuterEmulator, async_running_emulator, running_emulator
except ModuleNotFoundError as missing:
    if not TYPE_CHECKING:  # without the extra, those names raise its install hint
        __getattr__ = public_names_need_extra(missing, globals())

__all__ = [
    "Catalog",
    "Delay",
    "Drop",
    "EmulatorState",
    "Fault",
    "FaultRule",
    "HtmlPage",
    "LoggedRequest",
    "ModelInfo",
    "Options",
    "PuterEmulator",
    "Respond",
    "StreamError",
    "StreamWithoutUsage",
    "TruncatedJson",
    "User",
    "WrongShape",
    "async_running_emulator",
    "default_models",
    "default_users",
    "expected_reply",
    "expected_tool_reply",
    "reply_text_for",
    "running_emulator",
    "tool_arguments",
]
