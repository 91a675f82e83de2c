"""``Operation``: one HTTP operation of the schema, as the generator describes it."""

from __future__ import annotations

from typing import Literal

import attrs

from puter_client.core.retry import RetryClass

__all__ = ["Operation", "RetryClass"]


@attrs.frozen
class Operation:
    """One HTTP operation of the schema (or one driver method of ``/drivers/call``).

    ``host`` says which base URL it lives under (``web``: the login origin, ``api``:
    ``api_base``), ``auth`` whether it needs the bearer token, ``retry`` which failures
    may be retried for it, ``rate_limit`` which of the client's rate limiters paces it
    (``ai``: the reference's ``rate_limit_requests`` per ``rate_limit_period``; the
    storage groups have their own, see ``ratelimit.SERVER_LIMITS``).
    """

    name: str
    method: str
    path: str
    host: Literal["web", "api"]
    auth: bool
    driver_method: str | None = None
    retry: RetryClass = RetryClass.IDEMPOTENT
    rate_limit: str = "ai"
