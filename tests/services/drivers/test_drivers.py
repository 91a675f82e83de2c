"""``client.drivers.call``: any driver method through the client's session, against the
emulator (both server generations), blocking and async: the exact driver call sent, the
decoded result, the server's typed errors, retries, re-login and rate limiting as for
every other call, and bad arguments refused before any request."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterAPIError,
    PuterBadRequestError,
    PuterInputError,
    PuterInputTypeError,
)
from puter_client.emulator import PuterEmulator
from tests.support.emulated import alice, connect, driver_calls
from tests.support.timing import SlotLog, most_in_a_window


def call(client: PuterAI, face: str, *args: Any, **kwargs: Any) -> Any:
    if face == "sync":
        return client.drivers.call(*args, **kwargs)
    return asyncio.run(client.drivers.async_call(*args, **kwargs))


@pytest.fixture(params=["sync", "async"])
def face(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_a_call_sends_the_interface_method_and_args_as_given_and_answers_the_result(
    emu: PuterEmulator, face: str
) -> None:
    with connect(emu) as client:
        client.kv.set("k", {"a": [1]})

        assert call(client, face, "puter-kvstore", "get", {"key": "k"}) == {"a": [1]}

    sent = driver_calls(emu)[-1].json
    assert sent == {"interface": "puter-kvstore", "method": "get", "args": {"key": "k"}}


def test_a_named_driver_is_sent(emu: PuterEmulator, face: str) -> None:
    with connect(emu) as client:
        assert call(client, face, "puter-kvstore", "set", {"key": "k", "value": 2},
                    driver="puter-kvstore") is True  # fmt: skip

    assert driver_calls(emu)[-1].json["driver"] == "puter-kvstore"


def test_a_method_the_sdk_does_not_wrap_is_reachable(emu: PuterEmulator, face: str) -> None:
    with connect(emu) as client:
        models = call(client, face, "puter-chat-completion", "models", driver="ai-chat")

    assert isinstance(models, list) and models
    assert all("id" in model for model in models)


def test_no_args_sends_an_empty_object(emu: PuterEmulator, face: str) -> None:
    with connect(emu) as client:
        assert call(client, face, "puter-kvstore", "flush") is True

    assert driver_calls(emu)[-1].json["args"] == {}


def test_a_method_without_a_result_answers_none(emu: PuterEmulator, face: str) -> None:
    with connect(emu) as client:
        assert call(client, face, "puter-kvstore", "expire", {"key": "k", "ttl": 5}) is None


def test_the_servers_refusal_is_its_typed_error_with_its_code(
    emu: PuterEmulator, face: str
) -> None:
    with connect(emu) as client, pytest.raises(PuterBadRequestError) as caught:
        call(client, face, "puter-kvstore", "set", {"key": "k"})

    assert caught.value.code == "bad_request"
    assert "Missing `value`" in caught.value.message


def test_an_unknown_interface_is_a_typed_api_error(emu: PuterEmulator, face: str) -> None:
    with connect(emu) as client, pytest.raises(PuterAPIError) as caught:
        call(client, face, "no-such-interface", "go", {})

    assert caught.value.status_code is not None and caught.value.status_code >= 400


def test_a_503_is_retried_as_the_server_did_nothing(emu: PuterEmulator, face: str) -> None:
    with connect(emu) as client:
        emu.inject("/drivers/call", status=503, retry_after="0")

        assert (
            call(client, face, "puter-kvstore", "incr", {"key": "n", "pathAndAmountMap": {"": 1}})
            == 1
        )

    assert [r.status for r in driver_calls(emu)] == [503, 200]


def test_a_500_is_not_retried_since_the_method_may_not_be_safe_to_repeat(
    emu: PuterEmulator, face: str
) -> None:
    with connect(emu) as client:
        emu.inject("/drivers/call", status=500)

        with pytest.raises(PuterAPIError):
            call(client, face, "puter-kvstore", "incr", {"key": "n", "pathAndAmountMap": {"": 1}})

    assert [r.status for r in driver_calls(emu)] == [500]


def test_a_refused_token_logs_in_again_once_and_replays(emu: PuterEmulator, face: str) -> None:
    with alice() as client:
        client.kv.set("k", 1)
        client._session.token = "revoked-token"

        assert call(client, face, "puter-kvstore", "get", {"key": "k"}) == 1

    assert [r.status for r in driver_calls(emu)][-2:] == [401, 200]


def test_a_kvstore_call_is_paced_by_the_storage_limiter(
    emu: PuterEmulator, limiter_slots: SlotLog
) -> None:
    with PuterAI(token=emu.token_for("alice"), rate_limits={"kv": (2, 0.3)}) as client:
        for i in range(4):
            client.drivers.call("puter-kvstore", "get", {"key": f"k{i}"})

    assert most_in_a_window(limiter_slots.slots, 0.3) == 2


REFUSALS: list[tuple[str, tuple[Any, ...], type[Exception]]] = [
    ("interface not a str", (5, "get", {}), TypeError),
    ("interface empty", ("", "get", {}), ValueError),
    ("method blank", ("puter-kvstore", " ", {}), ValueError),
    ("args not a mapping", ("puter-kvstore", "get", ["k"]), TypeError),
    ("args not JSON", ("puter-kvstore", "get", {"key": {1, 2}}), TypeError),
    ("args with NaN", ("puter-kvstore", "get", {"key": float("nan")}), ValueError),
    ("driver empty", ("puter-kvstore", "get", {}, ""), ValueError),
]


@pytest.mark.parametrize(("args", "kind"), [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_bad_arguments_are_refused_before_any_request(
    emu: PuterEmulator, face: str, args: tuple[Any, ...], kind: type[Exception]
) -> None:
    with connect(emu) as client, pytest.raises(PuterInputError) as caught:
        call(client, face, *args)

    assert caught.value.code == "invalid_arguments"
    assert isinstance(caught.value, kind)
    assert isinstance(caught.value, PuterInputTypeError) == (kind is TypeError)
    assert driver_calls(emu) == []
