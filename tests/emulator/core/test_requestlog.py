"""The request log: what tests can read about every request."""

from __future__ import annotations

import time

from tests.emulator.emulator_support import Api, chat_body


def test_log_entry_fields(api: Api) -> None:
    before = time.monotonic()
    api.chat("Hi", model="gpt-4o")
    (entry,) = api.emulator.requests
    assert before <= entry.time <= time.monotonic()
    assert abs(entry.wall_time - time.time()) < 5
    assert (entry.seq, entry.route_number) == (1, 1)
    assert (entry.host, entry.method, entry.path, entry.query) == (
        "api",
        "POST",
        "/drivers/call",
        "",
    )
    assert entry.headers["authorization"].startswith("Bearer ")
    assert entry.headers["content-type"] == "application/json"
    assert entry.json == chat_body("Hi", model="gpt-4o")
    assert entry.body.startswith(b"{")
    assert entry.args["model"] == "gpt-4o" and entry.is_stream is False
    assert entry.status == 200 and entry.fault is None
    assert entry.done.wait(1.0)  # set just after the last byte left
    assert entry.client is not None and entry.client[0] == "127.0.0.1"


def test_authorization_never_reaches_the_web_host(api: Api) -> None:
    token = api.login().json()["token"]
    api.client.get(f"{api.emulator.api_base}/whoami", headers={"Authorization": f"Bearer {token}"})
    web = [e for e in api.emulator.requests if e.host == "web"]
    assert [e.path for e in web] == ["/login"]
    assert all("authorization" not in e.headers for e in web)
    assert api.emulator.requests[-1].host == "api"


def test_numbering_per_route_and_overall(api: Api) -> None:
    api.chat("a")
    api.get("/puterai/chat/models")
    api.chat("b")
    log = api.emulator.requests
    assert [(e.seq, e.path, e.route_number) for e in log] == [
        (1, "/drivers/call", 1),
        (2, "/puterai/chat/models", 1),
        (3, "/drivers/call", 2),
    ]
    assert api.emulator.requests_to("/puterai/chat/models") == [log[1]]


def test_non_json_and_query_strings_are_kept_raw(api: Api) -> None:
    api.client.post(f"{api.emulator.api_base}/drivers/call?x=1", content=b"not json")
    (entry,) = api.emulator.requests
    assert (entry.body, entry.json, entry.query) == (b"not json", None, "x=1")
    assert entry.status == 401  # body is not JSON-typed: parsed as {}; then no token


def test_rate_limits_are_visible_from_the_server_side(api: Api) -> None:
    for _ in range(3):
        api.chat("Hi")
    times = [e.time for e in api.emulator.requests_to("/drivers/call")]
    assert times == sorted(times) and len(times) == 3


def test_reset_clears_the_log(api: Api) -> None:
    api.chat("Hi")
    api.emulator.reset()
    assert api.emulator.requests == []
    api.chat("Hi")
    assert api.emulator.requests[0].seq == 1
