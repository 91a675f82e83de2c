"""The route table of both hosts, and the small read-only API routes."""

from __future__ import annotations

from starlette.responses import Response

from puter_client.emulator.core.context import Call, Handler
from puter_client.emulator.core.requestlog import HostKind
from puter_client.emulator.core.state import EmulatorState
from puter_client.emulator.core.wire import json_response
from puter_client.emulator.drivers import call_driver, list_interfaces
from puter_client.emulator.services.account import account
from puter_client.emulator.services.apps.apps import APP_ROUTES
from puter_client.emulator.services.chat.openai import OPENAI_CHAT_PATH, chat_completions
from puter_client.emulator.services.fs.fs import FS_ROUTES
from puter_client.emulator.services.hosting import hosting
from puter_client.emulator.services.media import media
from puter_client.emulator.services.session.access import create_access_token, token_read
from puter_client.emulator.services.session.login import login, login_otp
from puter_client.emulator.services.workers import workers


async def models(call: Call) -> Response:
    """``GET /puterai/chat/models``: public model ids (no auth)."""
    return json_response({"models": call.state.catalog.ids()})


async def model_details(call: Call) -> Response:
    """``GET /puterai/chat/models/details``: public model entries (no auth)."""
    return json_response({"models": call.state.catalog.details()})


ROUTES: dict[tuple[HostKind, str, str], Handler] = {
    ("web", "POST", "/login"): login,
    ("web", "POST", "/login/otp"): login_otp,
    ("api", "GET", "/whoami"): account.whoami,
    ("api", "POST", "/auth/create-access-token"): create_access_token,
    ("api", "GET", "/token-read"): token_read,
    ("api", "GET", "/metering/usage"): account.usage,
    ("api", "GET", "/puterai/chat/models"): models,
    ("api", "GET", "/puterai/chat/models/details"): model_details,
    ("api", "POST", "/drivers/call"): call_driver,
    ("api", "POST", OPENAI_CHAT_PATH): chat_completions,
    ("api", "GET", "/drivers/list-interfaces"): list_interfaces,
}
ROUTES.update({("api", method, path): handler for (method, path), handler in FS_ROUTES.items()})
ROUTES.update({("api", method, path): handler for (method, path), handler in APP_ROUTES.items()})

#: Routes matched by path prefix (a path parameter follows), when no exact route matches.
PREFIX_ROUTES: dict[tuple[HostKind, str, str], Handler] = {
    ("api", "GET", "/metering/usage/"): account.app_usage,
    ("api", "GET", media.LOCAL_MEDIA_PREFIX + "/"): media.media_file,
}


def find_hosted(state: EmulatorState, host_header: str | None) -> Handler | None:
    """The handler of a request to a hosted site (by its ``Host``), if it is one."""
    if workers.serves(state, host_header):
        return workers.serve
    return hosting.serve if hosting.serves(state, host_header) else None


def find_route(host: HostKind, method: str, path: str) -> Handler | None:
    """The handler of a request, exact routes first."""
    handler = ROUTES.get((host, method, path))
    if handler is not None:
        return handler
    return next(
        (
            h
            for (h_host, h_method, prefix), h in PREFIX_ROUTES.items()
            if (h_host, h_method) == (host, method) and path.startswith(prefix) and path != prefix
        ),
        None,
    )
