"""Fault injection: every fault kind, the rule selection (``at``/``times``), sync and async."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx
import pytest

from puter_client.emulator import (
    Delay,
    Drop,
    HtmlPage,
    Respond,
    StreamError,
    StreamWithoutUsage,
    TruncatedJson,
    WrongShape,
    expected_reply,
)
from tests.emulator.emulator_support import Api, chat_body, ndjson, reply_text

CALL = "/drivers/call"


def test_status_with_retry_after_seconds_for_the_next_requests(api: Api) -> None:
    rule = api.emulator.inject(CALL, status=503, retry_after="2", times=2)
    statuses = []
    for _ in range(3):
        response = api.chat("Hi")
        statuses.append(response.status_code)
        if response.status_code == 503:
            assert response.headers["retry-after"] == "2"
            assert response.json()["code"] == "service_unavailable"
    assert statuses == [503, 503, 200]
    assert rule.applied == 2
    log = api.emulator.requests_to(CALL)
    assert [(e.route_number, e.status, e.fault) for e in log] == [
        (1, 503, "Respond"),
        (2, 503, "Respond"),
        (3, 200, None),
    ]


def test_retry_after_as_http_date(api: Api) -> None:
    when = datetime(2030, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
    api.emulator.inject(CALL, Respond(429, retry_after=when))
    response = api.chat("Hi")
    assert response.status_code == 429 and response.json()["code"] == "too_many_requests"
    assert response.headers["retry-after"] == "Wed, 02 Jan 2030 03:04:05 GMT"
    assert parsedate_to_datetime(response.headers["retry-after"]) == when


def test_status_without_retry_after_and_custom_body_and_headers(api: Api) -> None:
    api.emulator.inject(CALL, status=500, body={"custom": True}, headers={"X-Request-Id": "abc"})
    response = api.chat("Hi")
    assert response.status_code == 500 and "retry-after" not in response.headers
    assert response.json() == {"custom": True}
    assert response.headers["x-request-id"] == "abc"


def test_text_and_bytes_bodies(api: Api) -> None:
    api.emulator.inject(CALL, Respond(502, body="upstream down"))
    api.emulator.inject(CALL, Respond(200, body=b"\x00\x01", content_type="image/png"), at=2)
    first = api.chat("Hi")
    assert (first.status_code, first.text) == (502, "upstream down")
    assert first.headers["content-type"] == "text/plain; charset=utf-8"
    second = api.chat("Hi")
    assert (second.content, second.headers["content-type"]) == (b"\x00\x01", "image/png")


def test_at_picks_request_numbers(api: Api) -> None:
    api.emulator.inject(CALL, status=500, at=[1, 3])
    statuses = [api.chat("Hi").status_code for _ in range(4)]
    assert statuses == [500, 200, 500, 200]


def test_times_none_means_every_request_and_clear_faults(api: Api) -> None:
    api.emulator.inject("*", status=418, times=None)
    assert api.get("/puterai/chat/models").status_code == 418
    assert api.login().status_code == 418
    assert api.chat("Hi").status_code == 418
    api.emulator.clear_faults()
    assert api.chat("Hi").status_code == 200
    assert api.emulator.faults == []


def test_faults_are_per_route(api: Api) -> None:
    api.emulator.inject("/whoami", status=500)
    assert api.chat("Hi").status_code == 200
    assert api.get("/whoami", user="alice").status_code == 500


def test_delay_then_normal_answer(api: Api) -> None:
    api.emulator.inject(CALL, delay=0.2)
    started = time.monotonic()
    response = api.chat("Hi")
    assert time.monotonic() - started >= 0.2
    assert reply_text(response.json()) == expected_reply("Hi", "fake")
    assert api.emulator.requests_to(CALL)[0].fault == "Delay"


def test_delay_before_an_error(api: Api) -> None:
    api.emulator.inject(CALL, Respond(503, delay=0.1))
    started = time.monotonic()
    assert api.chat("Hi").status_code == 503
    assert time.monotonic() - started >= 0.1


def test_client_timeout_during_a_delay(api: Api) -> None:
    api.emulator.inject(CALL, Delay(5.0))
    with pytest.raises(httpx.ReadTimeout):
        api.chat("Hi", timeout=0.2)
    entry = api.emulator.requests_to(CALL)[0]
    assert entry.done.wait(1.0), "the server noticed the disconnect and gave up"
    assert entry.status is None


def test_drop_before_any_byte(api: Api) -> None:
    api.emulator.inject(CALL, Drop())
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        api.chat("Hi")
    assert api.emulator.requests_to(CALL)[0].status is None
    assert api.chat("Hi").status_code == 200  # the client reconnects


def test_drop_in_the_middle_of_the_body(api: Api) -> None:
    api.emulator.inject(CALL, Drop(after_bytes=20))
    url = f"{api.emulator.api_base}{CALL}"
    with api.client.stream("POST", url, json=chat_body("Hi"), headers=api.auth()) as response:
        assert response.status_code == 200  # the headers arrived
        with pytest.raises(httpx.RemoteProtocolError, match=r"incomplete|complete message"):
            response.read()
    assert api.emulator.requests_to(CALL)[0].status == 200


def test_drop_in_the_middle_of_a_stream(api: Api) -> None:
    first_line = '{"type":"text","text":"You said: Hi"}\n'
    api.emulator.inject(CALL, Drop(after_bytes=len(first_line) + 10))
    url = f"{api.emulator.api_base}{CALL}"
    body = chat_body("Hi", stream=True)
    received: list[str] = []
    with (
        api.client.stream("POST", url, json=body, headers=api.auth()) as response,
        pytest.raises(httpx.RemoteProtocolError),
    ):
        for line in response.iter_lines():
            received.append(line)
    assert received == [first_line.strip()]


def test_drop_right_after_a_whole_response(api: Api) -> None:
    api.emulator.inject(CALL, Drop(after_bytes=10**6))
    assert api.chat("Hi").status_code == 200
    assert api.emulator.wait_for_connections(0)  # the kept-alive connection was closed
    assert api.chat("Hi").status_code == 200  # httpx reconnects


async def test_drops_with_an_async_client(api: Api) -> None:
    api.emulator.inject(CALL, Drop(), at=1)
    api.emulator.inject(CALL, Drop(after_bytes=5), at=2)
    headers = api.auth()
    async with httpx.AsyncClient(base_url=api.emulator.api_base) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(CALL, json=chat_body("Hi"), headers=headers)
        with pytest.raises(httpx.RemoteProtocolError):
            await client.post(CALL, json=chat_body("Hi"), headers=headers)
        ok = await client.post(CALL, json=chat_body("Hi"), headers=headers)
    assert ok.status_code == 200


def test_truncated_json(api: Api) -> None:
    api.emulator.inject(CALL, TruncatedJson())
    response = api.chat("Hi")
    assert response.status_code == 200
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.text.startswith('{"success":true')
    with pytest.raises(json.JSONDecodeError):
        response.json()


@pytest.mark.parametrize("status", [200, 502])
def test_html_error_page(api: Api, status: int) -> None:
    api.emulator.inject(CALL, HtmlPage(status))
    response = api.chat("Hi")
    assert response.status_code == status
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    assert response.text.lstrip().lower().startswith("<!doctype html>")


def test_custom_html_page(api: Api) -> None:
    api.emulator.inject("/login", HtmlPage(503, html="<html>maintenance</html>"))
    response = api.login()
    assert (response.status_code, response.text) == (503, "<html>maintenance</html>")


def test_wrong_shape(api: Api) -> None:
    api.emulator.inject(CALL, WrongShape())
    api.emulator.inject("/puterai/chat/models", WrongShape(body={"models": "nope"}))
    assert api.chat("Hi").json() == ["unexpected", "shape"]
    assert api.get("/puterai/chat/models").json() == {"models": "nope"}


def test_error_line_in_the_middle_of_a_stream(api: Api) -> None:
    api.emulator.inject(CALL, StreamError("provider exploded", after_lines=2))
    lines = ndjson(api.chat("Hello streaming world", stream=True))
    assert [line["type"] for line in lines] == ["text", "text", "error"]
    assert lines[-1] == {"type": "error", "message": "provider exploded"}


def test_stream_without_usage(api: Api) -> None:
    api.emulator.inject(CALL, StreamWithoutUsage())
    lines = ndjson(api.chat("Hi", stream=True))
    assert lines and all(line["type"] == "text" for line in lines)
    assert "".join(line["text"] for line in lines) == expected_reply("Hi", "fake")


def test_stream_faults_wait_for_a_streamed_call(api: Api) -> None:
    rule = api.emulator.inject(CALL, StreamError())
    assert api.chat("Hi").json()["success"] is True  # not streamed: passes the rule by
    assert rule.applied == 0
    assert ndjson(api.chat("Hi", stream=True))[-1]["type"] == "error"
    assert rule.applied == 1


def test_inject_argument_errors(api: Api) -> None:
    with pytest.raises(TypeError):
        api.emulator.inject(CALL)
    with pytest.raises(TypeError):
        api.emulator.inject(CALL, Drop(), status=500)
    with pytest.raises(ValueError, match="route"):
        api.emulator.inject("drivers/call", status=500)
    with pytest.raises(ValueError, match="1-based"):
        api.emulator.inject(CALL, status=500, at=0)
    with pytest.raises(ValueError, match="times"):
        api.emulator.inject(CALL, status=500, times=0)


def test_reset_clears_faults(api: Api) -> None:
    api.emulator.inject(CALL, status=500, times=None)
    api.emulator.reset()
    assert api.chat("Hi").status_code == 200
