"""``POST /drivers/call`` and ``GET /drivers/list-interfaces``: the driver RPC of every interface.

The checks run in the server's order: body, token, ``interface`` and ``method`` present
(400), driver known (404), method known (404), e-mail confirmed (403), rate limit (429);
then the method answers, wrapped in the success envelope.
"""

from __future__ import annotations

from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.auth import authenticate
from puter_client.emulator.core.context import Call
from puter_client.emulator.core.driverapi import DriverCall, Interface, envelope, fail
from puter_client.emulator.core.wire import json_response
from puter_client.emulator.services.apps import apps
from puter_client.emulator.services.chat.driver import CHAT
from puter_client.emulator.services.hosting.hosting import SUBDOMAINS
from puter_client.emulator.services.kv import kv
from puter_client.emulator.services.media import media
from puter_client.emulator.services.workers.workers import WORKERS

INTERFACES: dict[str, Interface] = {
    iface.name: iface
    for iface in (CHAT, kv.KV, *media.INTERFACES, *apps.INTERFACES, SUBDOMAINS, WORKERS)
}


def _required_name(body: dict[str, Any], field: str) -> str:
    """``body[field]`` as a non-empty string, else the server's 400."""
    value = body.get(field)
    if not isinstance(value, str) or not value:
        raise fail(400, "bad_request", f"Missing or invalid `{field}`")
    return value


async def call_driver(call: Call) -> Response:
    """Dispatch a driver call; errors are ``ApiError`` with surface ``driver``."""
    state = call.state
    body = call.json_object("api")
    user = authenticate(state, call.header("authorization"))
    name = _required_name(body, "interface")
    method_name = _required_name(body, "method")
    interface = INTERFACES.get(name)
    if interface is None:
        raise fail(404, "not_found", f"Driver not found: {name}:(no default)")
    service = interface.resolve(state, body)
    method = interface.methods.get(method_name)
    if method is None:
        raise fail(404, "not_found", f"Method '{method_name}' not found on driver '{name}'")
    if not user.email_confirmed:
        raise fail(403, "email_confirmation_required", "Email confirmation required.")
    state.enforce_rate_limit(user, f"{name}.{method_name}", name, surface="driver")
    raw_args = body.get("args")
    requested = body.get("driver")
    driver_call = DriverCall(
        call=call,
        user=user,
        interface=name,
        service=service,
        requested_driver=requested if isinstance(requested, str) else None,
        method=method_name,
        args=raw_args if isinstance(raw_args, dict) else {},
        body=body,
    )
    result = await method(driver_call)
    return result if isinstance(result, Response) else envelope(service, result)


async def list_interfaces(call: Call) -> Response:
    """``GET /drivers/list-interfaces``: every interface, its drivers and its default."""
    authenticate(call.state, call.header("authorization"))
    return json_response(
        {
            iface.name: {"drivers": [iface.driver, *sorted(iface.aliases)], "default": iface.driver}
            for iface in INTERFACES.values()
        }
    )
