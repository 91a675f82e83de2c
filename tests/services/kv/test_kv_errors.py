"""Every key-value error row of the protocol notes, as the SDK raises it.

The rows the SDK's own checks prevent (a missing key, a key or value over its limit, a
forbidden object key, bad list options...) are sent here on purpose, as raw driver calls
through the client's session, so that the server's answer still goes through the SDK's
one error mapping: each becomes the typed error of its status, with the server's code and
message. The rows the SDK can meet in normal use are met through ``client.kv`` itself, on
both faces. Every test runs against a current and an older server.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterBadRequestError,
    PuterPayloadTooLargeError,
    PuterPaymentRequiredError,
    PuterRateLimitError,
)
from puter_client._generated import endpoints
from puter_client.emulator import PuterEmulator
from puter_client.emulator.core.ratelimit import RateLimit
from tests.support.emulated import connect
from tests.support.kv import FACES, Kv, kv_calls

BIG_KEY = "k" * 1025

# (driver method, args, the server's message); every one is a 400 `bad_request`.
BAD_REQUEST_ROWS: list[tuple[str, dict[str, Any], str]] = [
    ("set", {"key": "k"}, "Missing `value`"),
    ("batchPut", {"items": []}, "Missing or empty `items`"),
    ("batchPut", {}, "Missing or empty `items`"),
    ("incr", {"key": "k", "amount": 3}, "Missing or invalid `pathAndAmountMap`"),
    ("incr", {"key": "k", "pathAndAmountMap": {"": "x"}},
     "kv: all values in pathAndAmountMap must be numbers"),
    ("expire", {"key": "k", "ttl": "soon"}, "`ttl` must be a number (seconds)"),
    ("expireAt", {"key": "k", "timestamp": "soon"}, "`timestamp` must be a number"),
    ("set", {"key": BIG_KEY, "value": 1}, "kv: key exceeds 1024 byte limit"),
    ("get", {"key": BIG_KEY}, "kv: key exceeds 1024 byte limit"),
    ("set", {"key": "k", "value": "x" * 408_575}, "kv: value exceeds 408576 byte limit"),
    ("set", {"key": "k", "value": {"a": {"constructor": 1}}},
     "kv: value key `constructor` is not allowed"),
    ("set", {"key": None, "value": 1}, "Missing `key`"),
    ("set", {"key": "", "value": 1}, "Missing `key`"),
    ("del", {}, "Missing `key`"),
    ("list", {"as": "pairs"}, 'kv: list "as" must be keys, values, or entries'),
    ("list", {"pattern": 7}, "kv: pattern must be a string"),
    ("list", {"limit": 0}, "kv: limit must be a positive number"),
    ("list", {"offset": 5001}, "kv: offset may not exceed 5000"),
    ("list", {"cursor": "eyJrZXkiOiJhIn0=", "offset": 1},
     "kv: cursor and offset cannot be combined"),
    ("list", {"fetchUntilFull": True}, "kv: fetchUntilFull requires limit"),
    ("list", {"limit": 5, "cursor": "not a cursor"}, "invalid kv: cursor"),
]  # fmt: skip


@pytest.fixture(params=FACES)
def kv(request: pytest.FixtureRequest, emu: PuterEmulator) -> Iterator[Kv]:
    """``alice``'s store on the emulator (both server generations), each face in turn."""
    with connect(emu) as client:
        yield Kv(client, request.param)


def raw_driver_call(client: PuterAI, method: str, args: dict[str, Any]) -> Any:
    """Send ``{"interface": "puter-kvstore", "method", "args"}`` as given, through the
    client's session and its error mapping (no input checks of ``client.kv``)."""
    session = client._session
    body = {"interface": "puter-kvstore", "method": method, "args": args}
    return session.run(session.send(endpoints.KV_GET, _envelope, body=body))


def _envelope(response: httpx.Response) -> Any:
    return endpoints.parse_kv_get(response)


@pytest.mark.parametrize(
    ("method", "args", "message"),
    BAD_REQUEST_ROWS,
    ids=[f"{method}:{message}" for method, _, message in BAD_REQUEST_ROWS],
)
def test_a_refused_argument_is_a_bad_request_error_with_the_servers_code_and_message(
    emu: PuterEmulator, method: str, args: dict[str, Any], message: str
) -> None:
    with connect(emu) as client, pytest.raises(PuterBadRequestError) as caught:
        raw_driver_call(client, method, args)

    assert (caught.value.status_code, caught.value.code) == (400, "bad_request")
    assert caught.value.message == message


def test_incr_of_a_string_is_the_stores_upstream_bad_request(kv: Kv, emu: PuterEmulator) -> None:
    kv.set("name", "alice")

    with pytest.raises(PuterBadRequestError) as caught:
        kv.incr("name")

    error = caught.value
    assert (error.status_code, error.code) == (400, "upstream_bad_request")
    assert error.message == "An operand in the update expression has an incorrect data type"
    if not emu.legacy:
        assert isinstance(error.body, dict) and error.body["upstreamStatus"] == 400


@pytest.mark.parametrize("face", FACES)
def test_an_account_without_credits_gets_a_payment_required_error(
    emu: PuterEmulator, face: str
) -> None:
    with PuterAI(token=emu.token_for("broke_user")) as client:
        with pytest.raises(PuterPaymentRequiredError) as caught:
            Kv(client, face).set("k", 1)
        assert caught.value.code == "insufficient_funds"

        assert Kv(client, face).delete("k") is True  # del stays allowed without credits


@pytest.mark.parametrize("face", FACES)
def test_too_many_calls_are_a_rate_limit_error_once_retries_are_spent(
    emu: PuterEmulator, face: str
) -> None:
    emu.state.options.rate_limits["puter-kvstore"] = RateLimit(1, 60.0)
    with PuterAI(token=emu.token_for("alice"), max_retries=0) as client:
        kv = Kv(client, face)
        kv.get("a")

        with pytest.raises(PuterRateLimitError) as caught:
            kv.get("b")

    assert (caught.value.status_code, caught.value.code) == (429, "too_many_requests")
    assert len(kv_calls(emu)) == 2


def test_a_body_over_the_servers_limit_is_a_payload_too_large_error_never_retried(
    kv: Kv, emu: PuterEmulator
) -> None:
    body = {
        "error": "request entity too large",
        "message": "request entity too large",
        "code": "client_bad_request",
    }
    emu.inject("/drivers/call", status=413, body=body, headers={"X-Needs-Upgrade": "true"})

    with pytest.raises(PuterPayloadTooLargeError) as caught:
        kv.set("k", "v")

    assert (caught.value.status_code, caught.value.code) == (413, "client_bad_request")
    assert len(kv_calls(emu)) == 1


def test_a_refused_token_without_credentials_is_an_auth_error(emu: PuterEmulator) -> None:
    with PuterAI(token="not-a-valid-token") as client, pytest.raises(PuterAuthError) as caught:
        client.kv.get("k")

    assert caught.value.status_code == 401


def test_every_kv_error_is_a_puter_api_error(kv: Kv) -> None:
    kv.set("s", "text")

    with pytest.raises(PuterAPIError):
        kv.decr("s")
