"""Which HTTP 200 answers are scanned for an older server's ``success: false``: small
ones only (an envelope is a few hundred bytes), so that large JSON answers such as a
listing page of thousands of entries are not searched twice per answer."""

from __future__ import annotations

import json
import re

import httpx
from hypothesis import given
from hypothesis import strategies as st

from puter_client.core.http import errors as http_errors

#: The older server's failure, as a pattern: what the scan must find, and only that.
PATTERN = re.compile(rb'"success"\s*:\s*false')
#: Pieces that come near it: the key, spaces, a colon, false/true, other text.
SNIPPETS = [b'"success"', b" ", b"\n", b":", b"false", b"true", b",", b'"', b"x", b"{"]


def answer(body: object) -> httpx.Response:
    response = httpx.Response(200, content=json.dumps(body).encode())
    response.read()
    return response


def test_a_small_legacy_failure_envelope_names_its_status() -> None:
    failure = {"success": False, "error": {"code": "not_found", "status": 404}}

    assert http_errors.legacy_failure_status(answer(failure)) == 404


def test_an_answer_larger_than_any_envelope_is_not_scanned() -> None:
    items = [{"name": f"file-{i:05d}"} for i in range(5000)]  # ~100 KB
    large = {"success": False, "error": {"status": 404}, "items": items}

    assert http_errors.legacy_failure_status(answer(large)) is None


def test_a_success_false_after_other_success_keys_is_found() -> None:
    # The scan finds the key, then the pattern there; a first "success" that is not
    # followed by false must not end the search.
    body = {"result": {"success": True, "note": '"success": maybe'}, "success": False}

    assert http_errors.legacy_failure_status(answer(body)) == 400


@given(st.lists(st.sampled_from(SNIPPETS), max_size=8).map(b"".join))
def test_the_scan_finds_exactly_what_the_pattern_matches(content: bytes) -> None:
    assert http_errors._says_success_false(content) == bool(PATTERN.search(content))
