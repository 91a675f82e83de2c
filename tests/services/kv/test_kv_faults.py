"""``client.kv`` when the network or the server fails: what is retried, what is not.

Reads, ``set``, ``delete``, ``expire`` and ``flush`` are harmless to repeat, so every
retryable failure is retried: 503, 429 (after its ``Retry-After``), a connection dropped
before the answer or in the middle of its body. ``incr`` and ``decr`` are not: they are
repeated only when the server surely did nothing (429, 503); after an ambiguous failure
(a dropped connection, a 500) the typed error is raised and the count is left as the
server left it. Both faces, both server generations.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from puter.exceptions import PuterConnectionError, PuterServerError
from puter_client.emulator import Drop, PuterEmulator
from tests.support.emulated import connect
from tests.support.kv import FACES, Kv, kv_calls
from tests.support.timing import WaitLog


@pytest.fixture(params=FACES)
def kv(request: pytest.FixtureRequest, emu: PuterEmulator) -> Iterator[Kv]:
    """``alice``'s store on the emulator (both server generations), each face in turn."""
    with connect(emu) as client:
        yield Kv(client, request.param)


def statuses(emu: PuterEmulator) -> list[int | None]:
    return [r.status for r in kv_calls(emu)]


# ------------------------------------------------------------- safe to repeat


@pytest.mark.parametrize("status", [503, 500, 502])
def test_get_is_retried_after_a_server_error(kv: Kv, emu: PuterEmulator, status: int) -> None:
    kv.set("k", "v")
    emu.inject("/drivers/call", status=status, retry_after="0", times=2)

    assert kv.get("k") == "v"
    assert statuses(emu) == [200, status, status, 200]


def test_set_is_retried_after_a_429_once_its_retry_after_has_passed(
    kv: Kv, emu: PuterEmulator, planned_waits: WaitLog
) -> None:
    emu.inject("/drivers/call", status=429, retry_after="0.05")

    assert kv.set("k", "v") is True
    assert kv.get("k") == "v"
    assert planned_waits.waits == [0.05]


def test_set_is_retried_when_the_connection_drops_before_the_answer(
    kv: Kv, emu: PuterEmulator
) -> None:
    emu.inject("/drivers/call", Drop())

    assert kv.set("k", [1, 2]) is True
    assert kv.get("k") == [1, 2]


def test_get_is_retried_when_the_answer_breaks_off_mid_body(kv: Kv, emu: PuterEmulator) -> None:
    kv.set("k", "x" * 10_000)
    emu.inject("/drivers/call", Drop(after_bytes=100))

    assert kv.get("k") == "x" * 10_000
    assert len(kv_calls(emu, "get")) == 2


@pytest.mark.parametrize("method", ["delete", "flush"])
def test_deleting_is_retried_after_a_dropped_connection(
    kv: Kv, emu: PuterEmulator, method: str
) -> None:
    kv.set("k", 1)
    emu.inject("/drivers/call", Drop(after_bytes=5))
    getattr(kv, method)(*(["k"] if method == "delete" else []))

    assert kv.get("k") is None


def test_a_listing_retries_a_failed_page_and_goes_on(kv: Kv, emu: PuterEmulator) -> None:
    keys = [f"k{i:04}" for i in range(2100)]
    kv.set_many(dict.fromkeys(keys, 0))
    emu.inject("/drivers/call", status=503, retry_after="0", at=[3])  # the second page

    assert kv.keys() == keys
    assert [r.status for r in kv_calls(emu, "list")] == [200, 503, 200, 200]


def test_a_failure_that_outlasts_the_retries_is_raised_typed(kv: Kv, emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", status=503, retry_after="0", times=None)

    with pytest.raises(PuterServerError) as caught:
        kv.get("k")

    assert caught.value.status_code == 503
    assert len(kv_calls(emu)) == 4  # max_retries=3: four attempts


# ------------------------------------------------------------ not safe to repeat


@pytest.mark.parametrize("method", ["incr", "decr"])
@pytest.mark.parametrize("status", [503, 429])
def test_a_counter_is_retried_when_the_server_surely_did_nothing(
    kv: Kv, emu: PuterEmulator, method: str, status: int
) -> None:
    emu.inject("/drivers/call", status=status, retry_after="0")

    assert abs(getattr(kv, method)("n")) == 1
    assert statuses(emu) == [status, 200]


@pytest.mark.parametrize("method", ["incr", "decr"])
def test_a_counter_is_not_repeated_when_its_answer_broke_off(
    kv: Kv, emu: PuterEmulator, method: str
) -> None:
    emu.inject("/drivers/call", Drop(after_bytes=5))

    with pytest.raises(PuterConnectionError):
        getattr(kv, method)("n")

    assert len(kv_calls(emu, method)) == 1
    assert abs(kv.get("n")) == 1  # the server counted once; the SDK did not count again


def test_a_counter_is_not_repeated_when_the_connection_dropped_before_the_answer(
    kv: Kv, emu: PuterEmulator
) -> None:
    emu.inject("/drivers/call", Drop())

    with pytest.raises(PuterConnectionError):
        kv.incr("n")

    assert len(kv_calls(emu, "incr")) == 1


def test_a_counter_is_not_repeated_after_a_500(kv: Kv, emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", status=500)

    with pytest.raises(PuterServerError):
        kv.incr("n")

    assert statuses(emu) == [500]
