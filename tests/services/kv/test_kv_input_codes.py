"""Every refusal ``client.kv`` makes before a request carries puter.js's code in
``.code`` and stays a ``ValueError`` (``PuterInputError``) or a ``TypeError``
(``PuterInputTypeError``); nothing reaches the server. Both faces, both server
generations."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puter.exceptions import PuterInputError, PuterInputTypeError
from puter_client.emulator import PuterEmulator
from puter_client.services.kv.input import MAX_KEY_BYTES, checked_key
from tests.support.emulated import connect
from tests.support.kv import FACES, Kv, kv_calls

Call = Callable[[Kv], Any]

# (what is done, the exception class, puter.js's code)
REFUSALS: list[tuple[str, Call, type[Exception], str]] = [
    ("key None", lambda kv: kv.set(None, 1), TypeError, "key_undefined"),
    ("key empty", lambda kv: kv.set("", 1), ValueError, "key_undefined"),
    ("get key empty", lambda kv: kv.get(""), ValueError, "key_undefined"),
    ("key too large", lambda kv: kv.set("k" * 1025, 1), ValueError, "key_too_large"),
    ("delete key too large", lambda kv: kv.delete("k" * 1025), ValueError, "key_too_large"),
    ("value too large", lambda kv: kv.set("k", "x" * 408_575), ValueError, "value_too_large"),
    ("empty batch", lambda kv: kv.set_many({}), ValueError, "items_required"),
    ("batch not a mapping", lambda kv: kv.set_many([1]), TypeError, "invalid_item"),
    ("batch key empty", lambda kv: kv.set_many({"": 1}), ValueError, "key_undefined"),
    ("forbidden object key", lambda kv: kv.set("k", {"constructor": 1}), ValueError,
     "bad_request"),
    ("key not a str", lambda kv: kv.set(7, 1), TypeError, "invalid_arguments"),
    ("value not JSON", lambda kv: kv.set("k", {1, 2}), TypeError, "invalid_arguments"),
    ("amount not a number", lambda kv: kv.incr("k", "3"), TypeError, "invalid_arguments"),
    ("ttl not a number", lambda kv: kv.expire("k", "soon"), TypeError, "invalid_arguments"),
]  # fmt: skip


@pytest.fixture(params=FACES)
def kv(request: pytest.FixtureRequest, emu: PuterEmulator) -> Iterator[Kv]:
    with connect(emu) as client:
        yield Kv(client, request.param)


@pytest.mark.parametrize(("call", "kind", "code"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_a_refusal_before_sending_carries_puter_js_code(
    kv: Kv, emu: PuterEmulator, call: Call, kind: type[Exception], code: str
) -> None:
    with pytest.raises(PuterInputError) as caught:
        call(kv)

    assert caught.value.code == code
    assert isinstance(caught.value, kind)
    assert isinstance(caught.value, PuterInputTypeError) == (kind is TypeError)
    assert kv_calls(emu) == []


@given(st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40), st.data())
def test_every_key_over_the_limit_is_refused_as_key_too_large(piece: str, data: Any) -> None:
    key = piece * (MAX_KEY_BYTES // len(piece.encode("utf-8")) + 1)
    key += data.draw(st.text(st.characters(exclude_categories=["Cs"]), max_size=5))
    with pytest.raises(PuterInputError) as caught:
        checked_key(key)
    assert caught.value.code == "key_too_large"
