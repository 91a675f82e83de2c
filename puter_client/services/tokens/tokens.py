"""API (access) tokens: ``POST /auth/create-access-token``.

A session (a login, or a session token) mints a token carrying chosen permissions
(``"full-api-access"`` for everything the user may do), optionally expiring; the token
then authenticates like a session token (``PuterAI(token=...)``) and is what the server's
OpenAI-compatible routes want. An access token may not mint another (403). The input is
checked before any request; the token is a secret and never appears in logs or errors.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import httpx

from puter_client._generated import endpoints, models
from puter_client.core.exceptions import PuterInputError, PuterInputTypeError
from puter_client.core.flow import Flow
from puter_client.core.http.jsonbody import check_sendable
from puter_client.core.session import Session

__all__ = ["FULL_API_ACCESS", "AccessTokens", "Permission"]

FULL_API_ACCESS = "full-api-access"
"""The permission of a token that may do everything its user may."""

Permission = str | tuple[str, dict[str, Any]] | list[Any]
"""A permission: its name, or ``(name, extra)``."""


class AccessTokens:
    """The flows minting access tokens over one client's session."""

    def __init__(self, session: Session) -> None:
        self._session = session

    def create(
        self,
        permissions: Iterable[Permission],
        expires_in: float | str | None,
        label: str | None,
    ) -> Flow[str]:
        """The flow minting one token; its input checked now."""
        body = models.CreateAccessTokenRequest(
            permissions=_permissions(permissions),
            label=_label(label),
        )
        if expires_in is not None:
            body.expires_in = _expires_in(expires_in)
        return self._session.send(endpoints.CREATE_ACCESS_TOKEN, _token, body=body)


def _permissions(permissions: object) -> list[Any]:
    if isinstance(permissions, (str, bytes)) or not isinstance(permissions, Iterable):
        raise PuterInputTypeError(
            "permissions must be a list of permissions, e.g. ['full-api-access']",
            code="bad_request",
        )
    result: list[Any] = []
    for index, spec in enumerate(permissions):
        if isinstance(spec, str) and spec:
            result.append(spec)
        elif (
            isinstance(spec, (tuple, list))
            and len(spec) in (1, 2)
            and isinstance(spec[0], str)
            and spec[0]
            and (len(spec) == 1 or isinstance(spec[1], dict))
        ):
            result.append(list(spec))
        else:
            raise PuterInputTypeError(
                f"permissions[{index}] must be a permission name or (name, extra dict), "
                f"not {spec!r}",
                code="bad_request",
            )
    if not result:
        raise PuterInputError("permissions must not be empty", code="bad_request")
    check_sendable(result, "permissions")
    return result


def _expires_in(expires_in: object) -> float | str:
    if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float, str)):
        raise PuterInputTypeError(
            f"expires_in must be seconds or a duration such as '30d', not "
            f"{type(expires_in).__name__}",
            code="invalid_arguments",
        )
    if isinstance(expires_in, str):
        if not expires_in.strip():
            raise PuterInputError("expires_in must not be empty", code="invalid_arguments")
        return expires_in
    if not math.isfinite(expires_in) or expires_in <= 0:
        raise PuterInputError(
            f"expires_in must be a number of seconds > 0, not {expires_in!r}",
            code="invalid_arguments",
        )
    return expires_in


def _label(label: object) -> str | None:
    if label is None:
        return None
    if not isinstance(label, str):
        raise PuterInputTypeError(
            f"label must be a str, not {type(label).__name__}", code="bad_request"
        )
    check_sendable(label, "label")
    return label


def _token(response: httpx.Response) -> str:
    return endpoints.parse_create_access_token(response).token
