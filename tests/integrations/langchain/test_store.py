"""``PuterByteStore`` beyond LangChain's suite (``test_standard_store.py``): how bytes are
kept, namespaces, bad input refused before any request, values it did not write."""

from __future__ import annotations

import base64

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter.langchain import PuterByteStore
from puter_client.emulator import PuterEmulator
from tests.support.emulated import ALICE, ALICE_PASSWORD, connect


def kv_calls(emu: PuterEmulator) -> list[object]:
    return [
        r
        for r in emu.requests_to("/drivers/call")
        if isinstance(r.json, dict) and r.json.get("interface") == "puter-kvstore"
    ]


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(values=st.lists(st.binary(max_size=300), min_size=1, max_size=4))
def test_any_bytes_round_trip(v2_emu: PuterEmulator, values: list[bytes]) -> None:
    keys = [f"k{i}" for i in range(len(values))]
    with connect(v2_emu) as client:
        store = PuterByteStore(client, namespace="rt/")
        store.mset(list(zip(keys, values, strict=True)))

        assert store.mget(keys) == values


def test_bytes_are_kept_as_base64_text_under_the_namespaced_key(v2_emu: PuterEmulator) -> None:
    with connect(v2_emu) as client:
        PuterByteStore(client, namespace="cache/").mset([("doc", b"\x00\xff")])

        assert client.kv.get("cache/doc") == base64.b64encode(b"\x00\xff").decode()


def test_a_namespace_sees_only_its_own_keys(v2_emu: PuterEmulator) -> None:
    with connect(v2_emu) as client:
        one = PuterByteStore(client, namespace="one/")
        two = PuterByteStore(client, namespace="two/")
        one.mset([("a", b"1"), ("ab", b"2")])
        two.mset([("a", b"3")])

        assert sorted(one.yield_keys()) == ["a", "ab"]
        assert list(one.yield_keys(prefix="ab")) == ["ab"]
        assert two.mget(["a", "ab"]) == [b"3", None]


async def test_async_a_namespace_sees_only_its_own_keys(v2_emu: PuterEmulator) -> None:
    async with connect(v2_emu) as client:
        one = PuterByteStore(client, namespace="one/")
        await one.amset([("a", b"1")])
        await PuterByteStore(client, namespace="two/").amset([("b", b"2")])

        assert [k async for k in one.ayield_keys()] == ["a"]


def test_a_value_that_is_not_bytes_is_refused_before_any_request(v2_emu: PuterEmulator) -> None:
    with connect(v2_emu) as client:
        store = PuterByteStore(client)

        with pytest.raises(TypeError, match="must be bytes"):
            store.mset([("a", b"fine"), ("b", "text")])  # type: ignore[list-item]
        with pytest.raises(TypeError):
            store.mget("abc")

        assert kv_calls(v2_emu) == []
        assert store.mget(["a"]) == [None]  # nothing of the refused batch was stored


async def test_async_a_value_too_large_is_refused_before_any_request(
    v2_emu: PuterEmulator,
) -> None:
    async with connect(v2_emu) as client:
        with pytest.raises(ValueError, match="limit"):
            await PuterByteStore(client).amset([("big", bytes(400_000))])

        assert kv_calls(v2_emu) == []


def test_a_value_the_store_did_not_write_is_an_error_naming_the_key(
    v2_emu: PuterEmulator,
) -> None:
    with connect(v2_emu) as client:
        client.kv.set("foreign", {"not": "bytes"})

        with pytest.raises(ValueError, match="'foreign'"):
            PuterByteStore(client).mget(["foreign"])


def test_credentials_make_a_client_of_their_own(v2_emu: PuterEmulator) -> None:
    store = PuterByteStore(
        username=ALICE,
        password=ALICE_PASSWORD,
        api_base=v2_emu.api_base,
        login_url=v2_emu.login_url,
    )
    store.mset([("a", b"1")])

    assert store.mget(["a"]) == [b"1"]
    assert "alice-password" not in repr(store)
    store.client.close()


def test_a_client_that_is_not_a_puter_client_is_refused() -> None:
    with pytest.raises(TypeError, match="PuterAI"):
        PuterByteStore("alice")  # type: ignore[arg-type]
