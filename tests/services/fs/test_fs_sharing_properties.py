"""The pure rules of signed and shared access: lifetimes as the server takes them, the
token inside a read URL, and the results read from the server's records (no I/O)."""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from puter.exceptions import PuterInputError, PuterInputTypeError
from puter_client._generated import models
from puter_client.services.fs.sharing import (
    Share,
    SignedURL,
    expires_in_value,
    token_of_read_url,
)
from tests.support.hypothesis_profiles import examples

UNITS = ["ms", "s", "m", "h", "d", "w", "y", " days", " hours", "min", "secs", "years"]


@settings(max_examples=examples(40))
@given(st.integers(min_value=1, max_value=10**9))
def test_whole_seconds_are_sent_as_an_int_whatever_form_they_come_in(seconds: int) -> None:
    assert expires_in_value(seconds) == seconds
    assert expires_in_value(float(seconds)) == seconds
    assert expires_in_value(timedelta(seconds=seconds)) == seconds
    assert isinstance(expires_in_value(timedelta(seconds=seconds)), int)


@settings(max_examples=examples(40))
@given(st.integers(min_value=1, max_value=10**6), st.sampled_from(UNITS))
def test_a_duration_with_its_unit_is_sent_as_written(amount: int, unit: str) -> None:
    assert expires_in_value(f" {amount}{unit} ") == f"{amount}{unit}"


@settings(max_examples=examples(30))
@given(st.integers(min_value=0, max_value=10**9).map(str))
def test_a_bare_number_in_a_string_is_refused_as_jsonwebtoken_would_read_milliseconds(
    text: str,
) -> None:
    with pytest.raises(PuterInputError) as caught:
        expires_in_value(text)
    assert caught.value.code == "invalid_arguments"


@pytest.mark.parametrize("bad", [0, -1, float("inf"), float("nan"), timedelta(0)])
def test_a_lifetime_of_no_time_is_refused(bad: object) -> None:
    with pytest.raises(PuterInputError):
        expires_in_value(bad)


@pytest.mark.parametrize("bad", [True, None, b"1h", [60]])
def test_a_lifetime_of_another_type_is_a_type_error(bad: object) -> None:
    with pytest.raises(PuterInputTypeError):
        expires_in_value(bad)


TOKENS = st.text(
    alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FF, blacklist_characters="&#/"),
    min_size=1,
    max_size=80,
).filter(lambda t: t.strip() == t)


@settings(max_examples=examples(50))
@given(TOKENS, st.uuids())
def test_the_token_of_a_read_url_is_the_one_it_was_made_with(token: str, uid: object) -> None:
    url = f"https://api.example.com/token-read?uid={uid}&token={quote(token, safe='')}"

    assert token_of_read_url(url) == token
    assert token_of_read_url(token) == token  # a bare token (or uid) is taken as given


def test_an_empty_signature_record_is_nothing_signed() -> None:
    assert SignedURL.from_model(models.SignedFile()) is None


def test_a_share_record_keeps_the_keys_it_does_not_know() -> None:
    record = models.ShareRecord(uid="s1", mode="read", path="/a/x", uid_entry="e1", is_dir=False)
    record.additional_properties["new_key"] = 1

    share = Share.from_model(record)

    assert (share.uid, share.mode, share.entry_uid) == ("s1", "read", "e1")
    assert share.extra == {"new_key": 1}
