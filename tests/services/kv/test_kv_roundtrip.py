"""Any JSON value survives ``set`` then ``get`` unchanged, and any valid key is stored
under exactly its text (Hypothesis, against the emulator, both faces)."""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter_client.emulator import PuterEmulator
from puter_client.services.kv.input import FORBIDDEN_OBJECT_KEYS, MAX_KEY_BYTES
from tests.support.emulated import connect
from tests.support.hypothesis_profiles import examples
from tests.support.kv import FACES, Kv

SAFE_INTEGER = 2**53 - 1  # the server's numbers are JavaScript's: exact integers below 2**53
text = st.text(st.characters(codec="utf-8"))
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-SAFE_INTEGER, SAFE_INTEGER)
    | st.floats(allow_nan=False, allow_infinity=False)
    | text,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(
            text.filter(lambda k: k not in FORBIDDEN_OBJECT_KEYS), children, max_size=5
        )
    ),
    max_leaves=30,
)
keys = text.filter(lambda key: 0 < len(key.encode("utf-8")) <= MAX_KEY_BYTES)
EMULATOR_SETTINGS = settings(
    max_examples=examples(60),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


@EMULATOR_SETTINGS
@given(value=json_values, face=st.sampled_from(FACES))
def test_any_json_value_survives_set_and_get_unchanged(
    v2_emu: PuterEmulator, value: Any, face: str
) -> None:
    with connect(v2_emu) as client:
        kv = Kv(client, face)
        kv.set("value", value)

        assert kv.get("value") == value
        assert kv.get_many(["value"]) == [value]


@EMULATOR_SETTINGS
@given(key=keys, face=st.sampled_from(FACES))
def test_any_valid_key_is_stored_under_exactly_its_text(
    v2_emu: PuterEmulator, key: str, face: str
) -> None:
    with connect(v2_emu) as client:
        kv = Kv(client, face)
        kv.flush()
        kv.set(key, "here")

        assert kv.get(key) == "here"
        assert kv.keys() == [key]
        assert kv.keys(key) == [key]
