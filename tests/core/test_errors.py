"""Point 9: errors. ``PuterAPIError`` carries ``status_code``, ``code``, ``message``,
``body``, ``method`` and ``url``; each kind of failure raises its subclass, whichever
server generation reports it; ``except PuterAPIError`` catches every failed API call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterBadRequestError,
    PuterConnectionError,
    PuterNotFoundError,
    PuterPaymentRequiredError,
    PuterPermissionError,
    PuterRateLimitError,
    PuterResponseError,
    PuterServerError,
    PuterTimeoutError,
)
from puter_client.emulator import HtmlPage, PuterEmulator, TruncatedJson, WrongShape
from tests.support.emulated import ALICE, alice, closed_port_url, inject_driver_error

MESSAGE = "Model not found: gpt-99"


def token_client(emu: PuterEmulator, **overrides: Any) -> PuterAI:
    """A client holding alice's token that gives up at once (``max_retries=0``)."""
    options: dict[str, Any] = {"max_retries": 0, **overrides}
    return PuterAI(token=emu.token_for(ALICE), **options)


def chat_error(client: PuterAI, prompt: str = "Hello", **kwargs: Any) -> PuterAPIError:
    """The ``PuterAPIError`` that ``client.chat(prompt, **kwargs)`` raises."""
    with client, pytest.raises(PuterAPIError) as caught:
        client.chat(prompt, **kwargs)
    return caught.value


def test_an_api_error_carries_the_servers_answer_and_the_request(emu: PuterEmulator) -> None:
    body = inject_driver_error(emu, 400, code="bad_request", message=MESSAGE)

    error = chat_error(token_client(emu))

    assert (error.status_code, error.code, error.message) == (400, "bad_request", MESSAGE)
    assert error.body == body
    assert (error.method, error.url) == ("POST", f"{emu.api_base}/drivers/call")
    assert "400" in str(error)
    assert MESSAGE in str(error)


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, PuterBadRequestError),
        (402, PuterPaymentRequiredError),
        (403, PuterPermissionError),
        (404, PuterNotFoundError),
        (422, PuterBadRequestError),
        (429, PuterRateLimitError),
        (500, PuterServerError),
        (502, PuterServerError),
        (503, PuterServerError),
    ],
)
def test_each_status_raises_its_subclass_of_puter_api_error(
    emu: PuterEmulator, status: int, error_class: type[PuterAPIError]
) -> None:
    inject_driver_error(emu, status, code="some_code", message="Some failure")

    error = chat_error(token_client(emu))

    assert type(error) is error_class
    assert (error.status_code, error.code, error.message) == (status, "some_code", "Some failure")


def test_an_account_without_credits_gets_payment_required(emu: PuterEmulator) -> None:
    client = PuterAI(username="broke_user", password="broke_user-password")

    error = chat_error(client, model="gpt-4o")

    assert isinstance(error, PuterPaymentRequiredError)
    assert (error.status_code, error.code) == (402, "insufficient_funds")


def test_an_unconfirmed_account_gets_permission_denied(emu: PuterEmulator) -> None:
    client = PuterAI(username="unconfirmed_user", password="unconfirmed_user-password")

    error = chat_error(client)

    assert isinstance(error, PuterPermissionError)
    assert (error.status_code, error.code) == (403, "email_confirmation_required")


def test_an_unknown_model_is_a_bad_request_on_both_server_generations(
    emu: PuterEmulator,
) -> None:
    error = chat_error(alice(), model="gpt-99")

    assert isinstance(error, PuterBadRequestError)
    assert error.status_code == 400
    assert "gpt-99" in error.message


def test_a_refused_connection_raises_connection_error() -> None:
    url = closed_port_url()
    client = PuterAI(token="any-token", api_base=url, max_retries=0)

    error = chat_error(client)

    assert type(error) is PuterConnectionError
    assert error.status_code is None
    assert (error.method, error.url) == ("POST", f"{url}/drivers/call")


def test_a_connection_that_stays_refused_after_retries_raises_connection_error() -> None:
    client = PuterAI(token="any-token", api_base=closed_port_url(), retry_delay=0.01)

    assert type(chat_error(client)) is PuterConnectionError


def test_a_request_slower_than_the_timeout_raises_timeout_error(emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", delay=2.0, times=None)

    error = chat_error(token_client(emu, timeout=0.2))

    assert isinstance(error, PuterTimeoutError)
    assert isinstance(error, PuterConnectionError)
    assert (error.method, error.url) == ("POST", f"{emu.api_base}/drivers/call")


@pytest.mark.parametrize(
    ("error", "error_class", "status"),
    [
        (
            {"code": "insufficient_funds", "message": "No credits", "status": 402},
            PuterPaymentRequiredError,
            402,
        ),
        ({"code": "forbidden", "message": "Not yours", "status": 403}, PuterPermissionError, 403),
        (
            {"code": "not_found", "message": "No such driver", "status": 404},
            PuterNotFoundError,
            404,
        ),
        ({"code": "internal_error", "message": "Boom", "status": 500}, PuterServerError, 500),
        ("Calling an unknown service", PuterBadRequestError, 400),
    ],
    ids=["402", "403", "404", "500", "plain-string"],
)
def test_a_success_false_body_with_http_200_raises_like_its_intended_status(
    emu: PuterEmulator, error: Any, error_class: type[PuterAPIError], status: int
) -> None:
    emu.inject("/drivers/call", status=200, body={"success": False, "error": error})

    raised = chat_error(token_client(emu))

    assert type(raised) is error_class
    assert raised.status_code == status
    assert raised.message == (error if isinstance(error, str) else error["message"])


def test_an_html_error_page_raises_server_error(emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", HtmlPage(status=502))

    error = chat_error(token_client(emu))

    assert isinstance(error, PuterServerError)
    assert error.status_code == 502


@pytest.mark.parametrize("fault", [WrongShape(), TruncatedJson()], ids=["wrong-shape", "truncated"])
def test_an_answer_that_breaks_the_protocol_raises_response_error(
    emu: PuterEmulator, fault: WrongShape | TruncatedJson
) -> None:
    emu.inject("/drivers/call", fault)

    error = chat_error(token_client(emu))

    assert isinstance(error, PuterResponseError)


# --- one except clause for every failed API call -----------------------------------------

Arrange = Callable[[PuterEmulator], PuterAI]


def _status(status: int) -> Arrange:
    def arrange(emu: PuterEmulator) -> PuterAI:
        inject_driver_error(emu, status)
        return token_client(emu)

    return arrange


def _refused(emu: PuterEmulator) -> PuterAI:
    return PuterAI(token="any-token", api_base=closed_port_url(), max_retries=0)


def _timeout(emu: PuterEmulator) -> PuterAI:
    emu.inject("/drivers/call", delay=2.0)
    return token_client(emu, timeout=0.2)


FAILURES: dict[str, Arrange] = {
    "400": _status(400),
    "402": _status(402),
    "404": _status(404),
    "429": _status(429),
    "500": _status(500),
    "503": _status(503),
    "connection-refused": _refused,
    "timeout": _timeout,
}


@pytest.mark.parametrize("failure", FAILURES)
def test_except_puter_api_error_catches_every_failed_api_call(
    emu: PuterEmulator, failure: str
) -> None:
    client = FAILURES[failure](emu)
    caught: PuterAPIError | None = None

    with client:
        try:
            client.chat("Hello")
        except PuterAPIError as error:
            caught = error

    assert caught is not None


def test_a_refused_token_is_an_auth_error_not_an_api_error(emu: PuterEmulator) -> None:
    with PuterAI(token="not-a-valid-token") as client, pytest.raises(PuterAuthError) as caught:
        client.chat("Hello")

    assert not isinstance(caught.value, PuterAPIError)
    assert caught.value.status_code == 401
