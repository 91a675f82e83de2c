"""Which HTTP 200 answers are scanned for an older server's ``success: false``: small
ones only (an envelope is a few hundred bytes), so that large JSON answers such as a
listing page of thousands of entries are not searched twice per answer."""

from __future__ import annotations

import json

import httpx

from puter_client.core.http import errors as http_errors


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
