"""``Operation``: one HTTP operation of the schema, as the generator describes it."""

from __future__ import annotations

from typing import Literal

import attrs

from puter_client.retry import RetryClass

__all__ = ["Operation"]


@attrs.frozen
class Operation:
    """One HTTP operation of the schema (or one driver method of ``/drivers/call``).

    ``host`` says which base URL it lives under (``web``: the login origin, ``api``:
    ``api_base``), ``auth`` whether it needs the bearer token, ``retry`` which failures
    may be retried for it.
    """

    name: str
    method: str
    path: str
    host: Literal["web", "api"]
    auth: bool
    driver_method: str | None = None
    retry: RetryClass = RetryClass.IDEMPOTENT
