"""What every driver interface shares: the call, the interface record, the envelope.

A driver method is an async function of a `DriverCall` that returns the ``result`` of
the success envelope (`ABSENT`: no ``result`` key, as for kv ``expire``) or a whole
`Response` (raw bytes, streams). Failures are `ApiError` with surface ``driver`` (see
`fail`), so that V1 mode writes them as V1 did.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.responses import Response

from puter_client.emulator.core.context import Call
from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.jsvalues import ABSENT
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.core.wire import json_response


def fail(status: int, code: str, message: str, **kw: Any) -> ApiError:
    """An error of a driver call."""
    return ApiError(status, code, message, surface="driver", **kw)


def insufficient_funds() -> ApiError:
    """The 402 of an account out of credits (with ``X-Needs-Upgrade: true``)."""
    return fail(
        402,
        "insufficient_funds",
        "Available funding is insufficient for this request.",
        headers={"X-Needs-Upgrade": "true"},
    )


@dataclass(frozen=True)
class DriverCall:
    """One ``/drivers/call`` request, checked up to the method."""

    call: Call
    user: User
    interface: str
    #: The canonical name of the driver that answers (``service.name``).
    service: str
    #: The ``driver`` field as sent (None when absent or not a string).
    requested_driver: str | None
    method: str
    args: dict[str, Any]
    body: dict[str, Any]

    @property
    def state(self) -> EmulatorState:
        """The server state."""
        return self.call.state

    @property
    def test_mode(self) -> bool:
        """``args.test_mode`` (current servers ignore the top-level field)."""
        return self.args.get("test_mode") is True

    def arg(self, name: str) -> Any:
        """``args[name]``, or `ABSENT` when it was not sent."""
        return self.args.get(name, ABSENT)


#: A driver method: the ``result`` to wrap (or `ABSENT`), or a ready `Response`.
Method = Callable[[DriverCall], Awaitable[Any]]
#: Picks the canonical driver for a request body, or raises the 404.
DriverResolver = Callable[[EmulatorState, dict[str, Any]], str]


@dataclass(frozen=True)
class Interface:
    """A driver interface: its default driver, the aliases it accepts, its methods."""

    name: str
    driver: str
    methods: Mapping[str, Method]
    aliases: frozenset[str] = field(default_factory=frozenset)
    #: Custom driver resolution (chat, whose V1 generation took provider names).
    resolver: DriverResolver | None = None

    def resolve(self, state: EmulatorState, body: dict[str, Any]) -> str:
        """The canonical driver answering ``body`` (404 ``Driver not found`` if none)."""
        if self.resolver is not None:
            return self.resolver(state, body)
        requested = body.get("driver")
        if not isinstance(requested, str) or requested in (self.driver, *self.aliases):
            return self.driver
        raise driver_not_found(self.name, requested)


def driver_not_found(interface: str, driver: str) -> ApiError:
    """The 404 of an unknown driver name."""
    return fail(404, "not_found", f"Driver not found: {interface}:{driver}")


def envelope(service: str, result: Any, metadata: Mapping[str, Any] | None = None) -> Response:
    """The success envelope; ``result`` `ABSENT` leaves the key out."""
    body: dict[str, Any] = {"success": True}
    if result is not ABSENT:
        body["result"] = result
    body["service"] = {"name": service}
    if metadata is not None:
        body["metadata"] = dict(metadata)
    return json_response(body)
