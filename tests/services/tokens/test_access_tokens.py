"""``create_access_token``: an API token minted from a session, blocking and async,
against the emulator: what is sent, that ``PuterAI(token=...)`` then works with it, the
server's refusals (an access token minting another, an expired token) and bad input
refused before any request."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterAuthError,
    PuterBadRequestError,
    PuterInputError,
    PuterInputTypeError,
    PuterPermissionError,
)
from puter_client._generated import endpoints, models
from puter_client.emulator import PuterEmulator
from puter_client.emulator.core.clock import ManualClock
from tests.support.emulated import ALICE, alice

PATH = "/auth/create-access-token"


def mint(client: PuterAI, face: str, *args: Any, **kwargs: Any) -> Any:
    if face == "sync":
        return client.create_access_token(*args, **kwargs)
    return asyncio.run(client.async_create_access_token(*args, **kwargs))


@pytest.fixture(params=["sync", "async"])
def face(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_session_mints_a_full_access_token_that_a_new_client_uses(
    emu: PuterEmulator, face: str
) -> None:
    with alice() as client:
        token = mint(client, face)
        client.kv.set("k", "v")

    (request,) = emu.requests_to(PATH)
    assert request.json == {"permissions": ["full-api-access"]}
    assert isinstance(token, str) and token
    with PuterAI(token=token) as api:
        assert api.whoami().username == ALICE
        assert api.kv.get("k") == "v"


def test_permissions_expiry_and_label_are_sent_as_given(emu: PuterEmulator, face: str) -> None:
    with alice() as client:
        mint(client, face, ["driver:puter-kvstore", ("service:puter-kvstore", {"x": 1})],
             expires_in="30d", label="ci")  # fmt: skip

    (request,) = emu.requests_to(PATH)
    assert request.json == {
        "permissions": ["driver:puter-kvstore", ["service:puter-kvstore", {"x": 1}]],
        "expiresIn": "30d",
        "label": "ci",
    }


def test_an_access_token_may_not_mint_another(emu: PuterEmulator, face: str) -> None:
    with alice() as client:
        token = client.create_access_token()
    with PuterAI(token=token) as api, pytest.raises(PuterPermissionError) as caught:
        mint(api, face)

    assert caught.value.code == "forbidden"
    assert token not in str(caught.value)


def test_an_expired_access_token_is_refused(emu: PuterEmulator, face: str) -> None:
    clock = ManualClock(1_800_000_000.0)
    emu.state.clock = clock
    with alice() as client:
        token = mint(client, face, expires_in=60)
    clock.advance(61)

    with PuterAI(token=token) as api, pytest.raises(PuterAuthError):
        api.whoami()


def test_the_server_refuses_empty_permissions_with_bad_request(v2_emu: PuterEmulator) -> None:
    with alice() as client:
        client.login()
        response = httpx.post(
            v2_emu.api_base + PATH,
            json={"permissions": []},
            headers={"Authorization": f"Bearer {client.token}"},
        )

    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"


REFUSALS: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("no permissions", {"permissions": []}, ValueError, "bad_request"),
    ("permissions a str", {"permissions": "full-api-access"}, TypeError, "bad_request"),
    ("a permission not a str", {"permissions": [5]}, TypeError, "bad_request"),
    ("label not a str", {"label": 5}, TypeError, "bad_request"),
    ("expires_in zero", {"expires_in": 0}, ValueError, "invalid_arguments"),
    ("expires_in a list", {"expires_in": [1]}, TypeError, "invalid_arguments"),
]


@pytest.mark.parametrize(("kwargs", "kind", "code"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_bad_input_is_refused_before_any_request(
    emu: PuterEmulator, face: str, kwargs: dict[str, Any], kind: type[Exception], code: str
) -> None:
    with alice() as client, pytest.raises(PuterInputError) as caught:
        mint(client, face, **kwargs)

    assert caught.value.code == code
    assert isinstance(caught.value, PuterInputTypeError) == (kind is TypeError)
    assert emu.requests_to(PATH) == []


def test_the_server_refusal_of_a_bad_request_is_typed(emu: PuterEmulator) -> None:
    with alice() as client:
        client.login()
        session = client._session
        body = models.CreateAccessTokenRequest(permissions=[{"not": "a permission"}])
        with pytest.raises(PuterBadRequestError):
            session.run(
                session.send(
                    endpoints.CREATE_ACCESS_TOKEN, endpoints.parse_create_access_token, body=body
                )
            )
