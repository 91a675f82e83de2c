"""``client.drivers``: call any method of any driver interface of ``/drivers/call``.

The SDK wraps the driver methods it knows (chat, the key-value store, the AI media
calls); ``Drivers.call`` reaches every other one, so that nothing the server offers is
out of reach from Python. The call goes through the client's session like every other:
the same login and token (and one re-login after a 401), the same retries (only when the
server surely did nothing: an unknown method may not be safe to repeat), the same rate
limiters (the key-value store's for ``puter-kvstore``, else the AI one) and the same
typed errors. The arguments are checked before any request (``PuterInputError``/
``PuterInputTypeError`` with code ``invalid_arguments``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from puter_client._generated import endpoints, models
from puter_client.core._unset import UNSET
from puter_client.core.exceptions import PuterInputError, PuterInputTypeError
from puter_client.core.flow import Flow
from puter_client.core.http.content import BodyKind, body_kind
from puter_client.core.http.jsonbody import check_sendable
from puter_client.core.http.operation import Operation
from puter_client.core.session import Session

__all__ = ["Drivers"]

_INVALID = "invalid_arguments"
_KV_INTERFACE = "puter-kvstore"
_OPERATIONS: dict[str, Operation] = {
    # The key-value store is paced by the storage limiters, as client.kv is.
    _KV_INTERFACE: attrs.evolve(endpoints.DRIVERS_CALL, rate_limit="kv"),
}
_KV_LIST = attrs.evolve(endpoints.DRIVERS_CALL, rate_limit="kv-list")


class Drivers:
    """Any driver method of the server, reached as ``client.drivers``.

    ``client.drivers.call("puter-kvstore", "get", {"key": "k"})`` sends
    ``{"interface": "puter-kvstore", "method": "get", "args": {"key": "k"}}`` to
    ``/drivers/call`` and answers the decoded ``result`` (any JSON value; ``None`` when
    the answer has none; the raw ``bytes`` when the server answers with a file, e.g.
    speech audio).
    """

    def __init__(self, session: Session) -> None:
        self._session = session

    def __repr__(self) -> str:
        return f"Drivers({self._session!r})"

    def call(
        self,
        interface: str,
        method: str,
        args: Mapping[str, Any] | None = None,
        driver: str | None = None,
    ) -> Any:
        """Call ``method`` of ``interface`` with ``args`` (sent as given) and answer its
        decoded result. ``driver`` names the implementation; the interface's default
        when ``None``. The server's refusals raise the typed ``PuterAPIError``s."""
        return self._session.run(self._call_flow(interface, method, args, driver))

    async def async_call(
        self,
        interface: str,
        method: str,
        args: Mapping[str, Any] | None = None,
        driver: str | None = None,
    ) -> Any:
        """Async ``call``."""
        return await self._session.async_run(self._call_flow(interface, method, args, driver))

    def _call_flow(
        self,
        interface: str,
        method: str,
        args: Mapping[str, Any] | None,
        driver: str | None,
    ) -> Flow[Any]:
        """The flow of one driver call, its input checked now."""
        body = models.DriverCallRequest(
            interface=_name(interface, "interface"),
            method=_name(method, "method"),
            args=_args(args),
            driver=None if driver is None else _name(driver, "driver"),
        )
        operation = _OPERATIONS.get(body.interface, endpoints.DRIVERS_CALL)
        if body.interface == _KV_INTERFACE and body.method == "list":
            operation = _KV_LIST
        return self._session.send(operation, _result, body=body)


def _name(value: object, what: str) -> str:
    if not isinstance(value, str):
        raise PuterInputTypeError(
            f"{what} must be a str, not {type(value).__name__}", code=_INVALID
        )
    if not value.strip():
        raise PuterInputError(f"{what} must not be empty", code=_INVALID)
    check_sendable(value, what)
    return value


def _args(args: object) -> dict[str, Any]:
    if args is None:
        return {}
    if not isinstance(args, Mapping):
        raise PuterInputTypeError(
            f"args must be a mapping of argument names to JSON values, not {type(args).__name__}",
            code=_INVALID,
        )
    given = dict(args)
    try:
        json.dumps(given, allow_nan=False, default=_refuse)
    except TypeError as exc:
        raise PuterInputTypeError(f"args: {exc}", code=_INVALID) from None
    except ValueError as exc:
        raise PuterInputError(f"args: {exc}", code=_INVALID) from None
    except RecursionError:
        raise PuterInputError("args are nested too deeply to send", code=_INVALID) from None
    check_sendable(given, "args")
    return given


def _refuse(value: object) -> Any:
    raise TypeError(
        f"a {type(value).__name__} is not JSON (give str, int, float, bool, None, lists and dicts)"
    )


def _result(response: httpx.Response) -> Any:
    if response.status_code == 200 and body_kind(response) is BodyKind.BYTES:
        return response.content  # a file answer (speech audio...), not an envelope
    result = endpoints.parse_drivers_call(response).result
    return None if result is UNSET else result
