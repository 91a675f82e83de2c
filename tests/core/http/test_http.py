"""_http: building requests and reading responses, without any I/O.

Responses are built directly as ``httpx.Response(status, content=..., request=...)``; no
server is involved. The generated stubs that call these helpers are tested in
test_endpoints.py.
"""

from __future__ import annotations

import json
from typing import Any

import attrs
import httpx
import pytest

from puter_client._generated import models
from puter_client.core.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterBadRequestError,
    PuterError,
    PuterNotFoundError,
    PuterPaymentRequiredError,
    PuterPermissionError,
    PuterRateLimitError,
    PuterResponseError,
    PuterServerError,
)
from puter_client.core.http import errors as http_errors
from puter_client.core.http.operation import Operation
from puter_client.core.http.requests import build_request
from puter_client.core.http.responses import parse_response, parse_stream_line

API = "https://api.puter.com"
GET_THING = Operation(name="get_thing", method="GET", path="/thing", host="api", auth=True)
POST_THING = Operation(name="post_thing", method="POST", path="/things/new", host="web", auth=False)


def answer(
    status: int,
    body: Any = None,
    *,
    content: bytes | None = None,
    content_type: str = "application/json",
    request: httpx.Request | None = None,
) -> httpx.Response:
    """A read response to ``GET /thing`` with a JSON ``body`` (or raw ``content``)."""
    raw = content if content is not None else json.dumps(body).encode()
    return httpx.Response(
        status,
        content=raw,
        headers={"Content-Type": content_type},
        request=request or httpx.Request("GET", f"{API}/thing?verbose=1"),
    )


def error_of(response: httpx.Response) -> PuterError:
    return http_errors.error_from_response(response)


# -------------------------------------------------------------------- build_request


def test_url_is_base_url_joined_with_the_path() -> None:
    request = build_request(GET_THING, API)
    assert request.method == "GET"
    assert str(request.url) == "https://api.puter.com/thing"


def test_a_trailing_slash_on_the_base_url_is_not_doubled() -> None:
    assert str(build_request(GET_THING, API + "/").url) == "https://api.puter.com/thing"


def test_a_base_url_with_a_path_prefix_keeps_it() -> None:
    request = build_request(GET_THING, "http://127.0.0.1:8080/puter/")
    assert str(request.url) == "http://127.0.0.1:8080/puter/thing"


def test_a_query_of_one_request_never_reaches_the_next_to_the_same_endpoint() -> None:
    with_query = build_request(GET_THING, API, params={"path": "/a b"})
    plain = build_request(GET_THING, API)

    assert str(with_query.url) == "https://api.puter.com/thing?path=%2Fa+b"
    assert str(plain.url) == "https://api.puter.com/thing"


def test_each_base_url_keeps_its_own_endpoint_urls() -> None:
    first = build_request(GET_THING, "http://127.0.0.1:1/")
    second = build_request(GET_THING, "http://127.0.0.1:2/")

    assert (str(first.url), str(second.url)) == (
        "http://127.0.0.1:1/thing",
        "http://127.0.0.1:2/thing",
    )


def test_a_body_is_sent_as_compact_utf8_json_of_the_model() -> None:
    body = models.LoginRequest(username="zoë", password="pw")
    request = build_request(POST_THING, "https://puter.com", body=body)
    assert request.content == '{"password":"pw","username":"zoë"}'.encode()
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Content-Length"] == str(len(request.content))


def test_without_a_body_there_is_no_content_type_and_no_content() -> None:
    request = build_request(GET_THING, API)
    assert "Content-Type" not in request.headers
    assert request.content == b""


def test_json_is_always_accepted() -> None:
    assert build_request(GET_THING, API).headers["Accept"] == "application/json"


def test_a_token_becomes_a_bearer_authorization_header() -> None:
    request = build_request(GET_THING, API, token="tok-123")
    assert request.headers["Authorization"] == "Bearer tok-123"


def test_without_a_token_there_is_no_authorization_header() -> None:
    assert "Authorization" not in build_request(GET_THING, API).headers


def test_extra_headers_are_sent() -> None:
    request = build_request(GET_THING, API, headers={"User-Agent": "puter-python-sdk/0.3"})
    assert request.headers["User-Agent"] == "puter-python-sdk/0.3"


def test_the_token_replaces_an_authorization_header_of_any_case() -> None:
    request = build_request(GET_THING, API, token="new", headers={"authorization": "Bearer stale"})
    assert request.headers.get_list("Authorization") == ["Bearer new"]


def test_building_a_request_does_not_change_the_model() -> None:
    body = models.LoginRequest(username="alice", password="pw")
    before = attrs.evolve(body)
    build_request(POST_THING, "https://puter.com", body=body)
    assert body == before


# ------------------------------------------------------------------- parse_response


def test_a_success_is_structured_into_the_model() -> None:
    response = answer(200, {"models": ["gpt-5", "claude-sonnet-4"]})
    parsed = parse_response(GET_THING, response, models.ModelList)
    assert parsed == models.ModelList(models=["gpt-5", "claude-sonnet-4"])


def test_every_listed_success_status_is_accepted() -> None:
    response = answer(202, {"proceed": True, "next_step": "otp"})
    parsed = parse_response(GET_THING, response, models.LoginResponse, statuses=(200, 202))
    assert parsed.next_step == "otp"


def test_an_unlisted_2xx_status_is_not_a_success() -> None:
    with pytest.raises(PuterResponseError):
        parse_response(GET_THING, answer(204, {"models": []}), models.ModelList)


def test_a_body_of_the_wrong_shape_names_the_json_path() -> None:
    with pytest.raises(PuterResponseError) as caught:
        parse_response(GET_THING, answer(200, {"models": ["a", 7]}), models.ModelList)
    assert "$.models[1]" in caught.value.message
    assert "get_thing" in caught.value.message
    assert caught.value.status_code == 200


def test_an_envelope_success_is_structured() -> None:
    body = {"success": True, "result": {"message": {"role": "assistant", "content": "Hi"}}}
    parsed = parse_response(
        GET_THING, answer(200, body), models.ChatCompleteResponse, envelope=True
    )
    assert parsed.result.message.content == "Hi"


def test_an_envelope_that_is_not_an_object_is_a_response_error() -> None:
    with pytest.raises(PuterResponseError, match="JSON object"):
        parse_response(GET_THING, answer(200, ["ok"]), models.ChatCompleteResponse, envelope=True)


def test_an_envelope_without_success_true_is_not_a_success() -> None:
    body = {"result": {"message": {"role": "assistant"}}}
    with pytest.raises(PuterResponseError, match="not a success"):
        parse_response(GET_THING, answer(200, body), models.ChatCompleteResponse, envelope=True)


# --------------------------------------------------------- errors with real statuses

STATUS_CLASSES: list[tuple[int, type[PuterError]]] = [
    (400, PuterBadRequestError),
    (401, PuterAuthError),
    (402, PuterPaymentRequiredError),
    (403, PuterPermissionError),
    (404, PuterNotFoundError),
    (422, PuterBadRequestError),
    (429, PuterRateLimitError),
    (500, PuterServerError),
    (502, PuterServerError),
    (503, PuterServerError),
]


@pytest.mark.parametrize(("status", "error_class"), STATUS_CLASSES)
def test_a_status_maps_to_its_error_class(status: int, error_class: type[PuterError]) -> None:
    error = error_of(answer(status, {"message": "nope", "code": "some_code"}))
    assert type(error) is error_class


@pytest.mark.parametrize(("status", "error_class"), [sc for sc in STATUS_CLASSES if sc[0] != 401])
def test_an_api_error_carries_status_code_message_body_and_request(
    status: int, error_class: type[PuterError]
) -> None:
    body = {"message": "no credits left", "code": "insufficient_funds"}
    error = error_of(answer(status, body))
    assert isinstance(error, PuterAPIError)
    assert error.status_code == status
    assert error.code == "insufficient_funds"
    assert error.message == "no credits left"
    assert error.body == body
    assert error.method == "GET"
    assert error.url == "https://api.puter.com/thing"  # the query string is left out


def test_a_401_error_carries_status_code_code_and_message() -> None:
    error = error_of(answer(401, {"message": "token refused", "code": "token_auth_failed"}))
    assert isinstance(error, PuterAuthError)
    assert (error.status_code, error.code, error.message) == (
        401,
        "token_auth_failed",
        "token refused",
    )


def test_a_401_error_also_carries_the_body_and_the_request() -> None:
    body = {"message": "token refused", "code": "token_auth_failed"}
    error: Any = error_of(answer(401, body))
    assert getattr(error, "body", None) == body
    assert getattr(error, "method", None) == "GET"
    assert getattr(error, "url", None) == "https://api.puter.com/thing"


def test_the_message_may_come_from_an_error_string() -> None:
    error = error_of(answer(404, {"error": "no such driver"}))
    assert isinstance(error, PuterNotFoundError)
    assert error.message == "no such driver"


def test_message_and_code_may_come_from_an_error_object() -> None:
    error = error_of(answer(403, {"error": {"code": "forbidden", "message": "not yours"}}))
    assert isinstance(error, PuterPermissionError)
    assert (error.code, error.message) == ("forbidden", "not yours")


def test_an_error_body_without_a_message_gets_one_from_the_status() -> None:
    error = error_of(answer(500, {}))
    assert isinstance(error, PuterServerError)
    assert error.message == "HTTP 500"


def test_the_error_text_names_status_code_and_request() -> None:
    error = error_of(answer(402, {"message": "no credits left", "code": "insufficient_funds"}))
    assert str(error) == "402 insufficient_funds: no credits left (GET https://api.puter.com/thing)"


def test_an_error_of_a_response_without_a_request_has_no_method_or_url() -> None:
    response = httpx.Response(429, json={"message": "slow down"})
    error = http_errors.error_from_response(response)
    assert isinstance(error, PuterRateLimitError)
    assert (error.method, error.url) == (None, None)


# ------------------------------------------------- legacy errors with HTTP 200 (older servers)


def test_a_legacy_failure_with_a_status_raises_the_error_of_that_status() -> None:
    body = {
        "success": False,
        "error": {"code": "rate_limited", "message": "slow down", "status": 429},
    }
    error = error_of(answer(200, body))
    assert isinstance(error, PuterRateLimitError)
    assert (error.status_code, error.code, error.message) == (429, "rate_limited", "slow down")
    assert error.body == body


def test_a_legacy_failure_with_status_401_is_an_auth_error() -> None:
    body = {
        "success": False,
        "error": {"code": "token_auth_failed", "message": "bad", "status": 401},
    }
    error = error_of(answer(200, body))
    assert isinstance(error, PuterAuthError)
    assert error.status_code == 401


def test_a_legacy_failure_without_a_status_is_a_bad_request() -> None:
    error = error_of(answer(200, {"success": False, "error": {"message": "bad args"}}))
    assert isinstance(error, PuterBadRequestError)
    assert (error.status_code, error.message) == (400, "bad args")


def test_a_legacy_failure_with_a_text_error_uses_the_text_as_message() -> None:
    error = error_of(answer(200, {"success": False, "error": "model not found"}))
    assert isinstance(error, PuterBadRequestError)
    assert error.message == "model not found"


@pytest.mark.parametrize("named", [200, True, "429", None])
def test_a_legacy_status_that_is_not_an_error_status_is_ignored(named: Any) -> None:
    error = error_of(answer(200, {"success": False, "error": {"message": "m", "status": named}}))
    assert isinstance(error, PuterBadRequestError)
    assert error.status_code == 400


# --------------------------------------------------------------- bodies that are not JSON


def test_an_html_page_with_502_is_a_server_error_keeping_the_text() -> None:
    page = b"<html><body><h1>502 Bad Gateway</h1></body></html>"
    error = error_of(answer(502, content=page, content_type="text/html"))
    assert isinstance(error, PuterServerError)
    assert error.status_code == 502
    assert "502" in error.message and "not JSON" in error.message
    assert error.body == page.decode()


def test_an_html_page_with_200_is_a_response_error() -> None:
    page = b"<!doctype html><title>Puter</title>"
    with pytest.raises(PuterResponseError, match="not valid JSON") as caught:
        parse_response(
            GET_THING, answer(200, content=page, content_type="text/html"), models.ModelList
        )
    assert caught.value.status_code == 200
    assert caught.value.body == page.decode()


def test_truncated_json_with_200_is_a_response_error() -> None:
    truncated = b'{"models": ["gpt-5", "clau'
    with pytest.raises(PuterResponseError, match="not valid JSON"):
        parse_response(GET_THING, answer(200, content=truncated), models.ModelList)


def test_truncated_json_with_an_error_status_is_still_that_status_error() -> None:
    error = error_of(answer(503, content=b'{"message": "overlo'))
    assert isinstance(error, PuterServerError)
    assert error.status_code == 503


def test_a_plain_text_error_body_becomes_the_message() -> None:
    error = error_of(
        answer(429, content=b"Too many requests, retry later\n", content_type="text/plain")
    )
    assert isinstance(error, PuterRateLimitError)
    assert error.message == "Too many requests, retry later"


def test_a_long_non_json_body_is_kept_only_in_part() -> None:
    error = error_of(answer(500, content=b"x" * 10_000, content_type="text/html"))
    assert isinstance(error, PuterServerError)
    assert isinstance(error.body, str) and len(error.body) == 500


# ------------------------------------------------------------------------ stream lines


def test_a_stream_line_is_structured_into_its_member() -> None:
    line = parse_stream_line(b'{"type":"text","text":"Hel"}\n', models.StreamLine)
    assert line == models.StreamText(text="Hel")


def test_an_unknown_stream_line_is_kept_as_stream_unknown() -> None:
    line = parse_stream_line('{"type":"ping","at":1}', models.StreamLine)
    assert line == models.StreamUnknown(type="ping", additional_properties={"at": 1})


def test_an_invalid_json_stream_line_is_a_response_error() -> None:
    with pytest.raises(PuterResponseError, match="not valid JSON"):
        parse_stream_line(b'{"type":"text","te', models.StreamLine)


def test_a_stream_line_of_the_wrong_shape_names_the_path() -> None:
    with pytest.raises(PuterResponseError, match=r"\$\.text"):
        parse_stream_line(b'{"type":"text","text":null}', models.StreamLine)


def test_a_byte_answer_streamed_into_a_sink_is_not_taken_for_a_legacy_failure() -> None:
    response = httpx.Response(
        200,
        headers={"content-type": "application/octet-stream"},
        stream=httpx.ByteStream(b'{"success": false}'),
    )
    for _ in response.iter_raw():  # what the transport does for a sink
        pass

    assert http_errors.legacy_failure_status(response) is None


def test_a_seekable_in_memory_file_part_is_sized_from_its_position_and_sent_twice() -> None:
    import io

    from puter_client.core.http.multipart import FilePart, MultipartBody

    source = io.BytesIO(b"skip-payload")
    source.seek(5)
    part = FilePart(name="file-0", filename="a.bin", source=source)
    body = MultipartBody([], [part])

    assert part.size == len(b"payload")
    first, second = b"".join(body), b"".join(body)
    assert first == second and b"payload" in first and b"skip" not in first
    assert len(first) == body.length
