"""Protocol errors and how each server generation writes them on the wire.

The same failure reads differently depending on where it happens (``surface``) and on
the server generation:

============  ===================================  =======================================
surface       V2 (current)                         V1 (``legacy``)
============  ===================================  =======================================
``login``     JSON ``{"error","message","code"}``  ``text/plain`` message
``api``       JSON ``{"error","message","code"}``  JSON ``{"message","code"}``
``driver``    JSON ``{"error","message","code"}``  HTTP 200 ``{"success": false, "error": ...}``
============  ===================================  =======================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

Surface = Literal["login", "api", "driver"]


class ApiError(Exception):
    """A failure the emulator answers with a protocol error body."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        surface: Surface = "api",
        extra: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        plain: bool = False,
        v1_status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.surface: Surface = surface
        self.extra: dict[str, Any] = dict(extra or {})
        self.headers: dict[str, str] = dict(headers or {})
        #: V1 drivers wrote errors that were not APIErrors as a plain string.
        self.plain = plain
        #: The HTTP status V1 used when it differs (V1 logins answered most errors with 400).
        self.v1_status = status if v1_status is None else v1_status


def not_found_body() -> dict[str, Any]:
    """The body of a 404 for an unknown route or the wrong host."""
    return {"error": "Not Found", "message": "Not Found", "code": "not_found"}


def v2_body(err: ApiError) -> dict[str, Any]:
    """The V2 error body: ``{"error": msg, "message": msg, "code": code, ...extra}``."""
    return {"error": err.message, "message": err.message, "code": err.code, **err.extra}


def v1_api_body(err: ApiError) -> dict[str, Any]:
    """The V1 ``APIError.write`` body: ``{"message", "code", ...extra}``."""
    return {"message": err.message, "code": err.code, **err.extra}


def v1_envelope(err: ApiError) -> dict[str, Any]:
    """The V1 driver failure, sent with HTTP 200."""
    if err.plain:
        return {"success": False, "error": err.message}
    return {
        "success": False,
        "error": {
            "$": "heyputer:api/APIError",
            "code": err.code,
            "message": err.message,
            "status": err.status,
            **err.extra,
        },
    }
