"""Point 3: authentication. Credentials from arguments or ``PUTER_USERNAME`` and
``PUTER_PASSWORD``, tokens, ``login()``/``async_login()``, two-factor login, re-login
on a refused token, and secrets kept out of every text the SDK produces."""

from __future__ import annotations

import traceback

import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterConnectionError,
    PuterError,
    PuterLoginConnectionError,
    PuterLoginTimeoutError,
    PuterTimeoutError,
)
from puter_client.emulator import Delay, PuterEmulator
from tests.support.emulated import (
    ALICE,
    ALICE_PASSWORD,
    alice,
    closed_port_url,
    driver_calls,
    reply,
)

OTP_USER, OTP_PASSWORD, OTP_CODE = "otp_user", "otp_user-password", "123456"


def login_requests(emu: PuterEmulator) -> list[tuple[str, int | None]]:
    return [(r.path, r.status) for r in emu.requests if r.host == "web"]


def exception_text(exc: BaseException) -> str:
    """Everything a user could see of an exception: str, repr and the full traceback."""
    return "\n".join([str(exc), repr(exc), *traceback.format_exception(exc)])


# --- logging in ---------------------------------------------------------------------------


def test_login_with_username_and_password_returns_true(emu: PuterEmulator) -> None:
    with PuterAI(username=ALICE, password=ALICE_PASSWORD) as client:
        assert client.login() is True

    [request] = emu.requests_to("/login")
    assert request.json == {"username": ALICE, "password": ALICE_PASSWORD}


async def test_async_login_returns_true(emu: PuterEmulator) -> None:
    async with PuterAI(username=ALICE, password=ALICE_PASSWORD) as client:
        assert await client.async_login() is True

    assert login_requests(emu) == [("/login", 200)]


def test_an_email_address_logs_in_as_its_account(emu: PuterEmulator) -> None:
    with PuterAI(username="alice@example.com", password=ALICE_PASSWORD) as client:
        assert client.login() is True
        assert client.chat("Hello") == reply("Hello")

    [request] = emu.requests_to("/login")
    assert request.json == {"email": "alice@example.com", "password": ALICE_PASSWORD}


def test_credentials_come_from_the_environment_when_not_given(
    emu: PuterEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUTER_USERNAME", ALICE)
    monkeypatch.setenv("PUTER_PASSWORD", ALICE_PASSWORD)

    with PuterAI() as client:
        assert client.login() is True

    [request] = emu.requests_to("/login")
    assert request.json == {"username": ALICE, "password": ALICE_PASSWORD}


def test_credential_arguments_win_over_the_environment(
    emu: PuterEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUTER_USERNAME", "someone_else")
    monkeypatch.setenv("PUTER_PASSWORD", "not-alices-password")

    with PuterAI(username=ALICE, password=ALICE_PASSWORD) as client:
        assert client.login() is True


def test_a_token_needs_no_login(emu: PuterEmulator) -> None:
    with PuterAI(token=emu.token_for(ALICE)) as client:
        assert client.chat("Hello") == reply("Hello")

    assert login_requests(emu) == []


def test_login_with_only_a_token_returns_true_without_a_request(emu: PuterEmulator) -> None:
    with PuterAI(token=emu.token_for(ALICE)) as client:
        assert client.login() is True

    assert emu.requests == []


def test_chat_logs_in_first_when_only_credentials_are_known(emu: PuterEmulator) -> None:
    with alice() as client:
        assert client.chat("Hello") == reply("Hello")

    assert login_requests(emu) == [("/login", 200)]


def test_the_token_of_one_login_serves_every_later_call(emu: PuterEmulator) -> None:
    with alice() as client:
        client.login()
        client.chat("One")
        client.chat("Two")

    assert login_requests(emu) == [("/login", 200)]


# --- refused logins -----------------------------------------------------------------------


@pytest.mark.parametrize("env", [{}, {"PUTER_USERNAME": ALICE}, {"PUTER_PASSWORD": "x" * 8}])
def test_login_without_credentials_raises_auth_error_naming_the_variables(
    emu: PuterEmulator, monkeypatch: pytest.MonkeyPatch, env: dict[str, str]
) -> None:
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    with PuterAI() as client, pytest.raises(PuterAuthError) as caught:
        client.login()

    assert "PUTER_USERNAME" in str(caught.value)
    assert "PUTER_PASSWORD" in str(caught.value)
    assert emu.requests == []


async def test_async_login_without_credentials_raises_auth_error(emu: PuterEmulator) -> None:
    async with PuterAI() as client:
        with pytest.raises(PuterAuthError):
            await client.async_login()

    assert emu.requests == []


def test_chat_without_credentials_or_token_raises_auth_error_before_any_request(
    emu: PuterEmulator,
) -> None:
    with PuterAI() as client, pytest.raises(PuterAuthError):
        client.chat("Hello")

    assert emu.requests == []


@pytest.mark.parametrize(
    ("username", "password", "says"),
    [
        (ALICE, "wrong-password", "Incorrect password"),
        ("nobody_here", "whatever-password", "Username not found"),
        ("suspended_user", "suspended_user-password", "suspended"),
        (ALICE, "short", "Invalid password"),
    ],
    ids=["wrong-password", "unknown-user", "suspended", "password-too-short"],
)
def test_a_refused_login_raises_auth_error_with_the_servers_reason(
    emu: PuterEmulator, username: str, password: str, says: str
) -> None:
    with PuterAI(username=username, password=password) as client:
        with pytest.raises(PuterAuthError, match=says):
            client.login()
        assert client.token is None


@pytest.mark.parametrize(
    ("username", "password"),
    [
        (ALICE, "wrong-password"),
        ("nobody_here", "whatever-password"),
        ("suspended_user", "suspended_user-password"),
        (ALICE, "short"),
    ],
    ids=["wrong-password", "unknown-user", "suspended", "password-too-short"],
)
def test_a_refused_login_is_never_retried(emu: PuterEmulator, username: str, password: str) -> None:
    client = PuterAI(username=username, password=password, retry_delay=0.01)
    with client, pytest.raises(PuterAuthError):
        client.login()

    assert len(emu.requests_to("/login")) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 422, 429])
def test_no_client_error_at_login_is_retried(emu: PuterEmulator, status: int) -> None:
    emu.inject("/login", status=status, times=None)

    with alice() as client, pytest.raises(PuterAuthError) as caught:
        client.login()

    assert caught.value.status_code == status
    assert len(emu.requests_to("/login")) == 1


def test_a_server_error_at_login_is_retried(emu: PuterEmulator) -> None:
    emu.inject("/login", status=503)

    with alice() as client:
        assert client.login() is True

    assert login_requests(emu) == [("/login", 503), ("/login", 200)]


def test_a_login_that_cannot_reach_the_server_raises_auth_error() -> None:
    nowhere = f"{closed_port_url()}/login"
    client = PuterAI(username=ALICE, password=ALICE_PASSWORD, login_url=nowhere, max_retries=0)

    with client, pytest.raises(PuterAuthError, match="could not reach the server"):
        client.login()


def test_a_login_that_cannot_connect_is_also_a_connection_error_caused_by_it() -> None:
    nowhere = f"{closed_port_url()}/login"
    client = PuterAI(username=ALICE, password=ALICE_PASSWORD, login_url=nowhere, max_retries=0)

    with client, pytest.raises(PuterLoginConnectionError) as caught:
        client.login()

    assert isinstance(caught.value, PuterAuthError)
    assert isinstance(caught.value, PuterConnectionError)
    assert isinstance(caught.value.__cause__, PuterConnectionError)
    assert not isinstance(caught.value, PuterTimeoutError)


async def test_an_async_login_that_cannot_connect_is_also_a_connection_error() -> None:
    nowhere = f"{closed_port_url()}/login"
    client = PuterAI(username=ALICE, password=ALICE_PASSWORD, login_url=nowhere, max_retries=0)

    async with client:
        with pytest.raises(PuterLoginConnectionError) as caught:
            await client.async_login()

    assert isinstance(caught.value, PuterAuthError)
    assert isinstance(caught.value.__cause__, PuterConnectionError)


def test_a_login_that_cannot_connect_names_the_url_host_and_port() -> None:
    base = closed_port_url()
    nowhere = f"{base}/login"
    client = PuterAI(username=ALICE, password=ALICE_PASSWORD, login_url=nowhere, max_retries=0)

    with client, pytest.raises(PuterLoginConnectionError) as caught:
        client.login()

    text = str(caught.value)
    assert f"at {base.removeprefix('http://')}" in text
    assert f"POST {nowhere}" in text


def test_a_login_that_times_out_is_an_auth_and_a_timeout_error(emu: PuterEmulator) -> None:
    emu.inject("/login", Delay(2))
    client = PuterAI(username=ALICE, password=ALICE_PASSWORD, timeout=0.05, max_retries=0)

    with client, pytest.raises(PuterLoginTimeoutError) as caught:
        client.login()

    assert isinstance(caught.value, PuterAuthError)
    assert isinstance(caught.value, PuterTimeoutError)
    assert isinstance(caught.value.__cause__, PuterTimeoutError)


def test_a_refused_login_is_not_a_connection_error(emu: PuterEmulator) -> None:
    client = PuterAI(username=ALICE, password="wrong-password")

    with client, pytest.raises(PuterAuthError) as caught:
        client.login()

    assert not isinstance(caught.value, PuterConnectionError)


def test_ten_failed_logins_lock_the_client_out_with_429_which_is_not_retried(
    emu: PuterEmulator,
) -> None:
    for _ in range(10):
        failing = PuterAI(username=ALICE, password="wrong-password")
        with failing, pytest.raises(PuterAuthError):
            failing.login()

    with alice() as client, pytest.raises(PuterAuthError) as caught:
        client.login()

    assert caught.value.status_code == 429
    assert len(emu.requests_to("/login")) == 11
    assert login_requests(emu)[-1] == ("/login", 429)


# --- two-factor accounts ------------------------------------------------------------------


def test_a_two_factor_account_is_told_how_to_pass_the_code(emu: PuterEmulator) -> None:
    with PuterAI(username=OTP_USER, password=OTP_PASSWORD) as client:
        with pytest.raises(PuterAuthError, match=r"login\(otp_code="):
            client.login()
        assert client.token is None

    assert login_requests(emu) == [("/login", 202)]


def test_login_with_the_one_time_code_completes_a_two_factor_login(emu: PuterEmulator) -> None:
    with PuterAI(username=OTP_USER, password=OTP_PASSWORD) as client:
        assert client.login(otp_code=OTP_CODE) is True
        assert client.chat("Hello") == reply("Hello")

    [otp] = emu.requests_to("/login/otp")
    assert otp.json is not None and otp.json["code"] == OTP_CODE
    assert login_requests(emu) == [("/login", 202), ("/login/otp", 200)]


async def test_async_login_with_the_one_time_code_completes_a_two_factor_login(
    emu: PuterEmulator,
) -> None:
    async with PuterAI(username=OTP_USER, password=OTP_PASSWORD) as client:
        assert await client.async_login(otp_code=OTP_CODE) is True
        assert await client.async_chat("Hello") == reply("Hello")


def test_a_wrong_one_time_code_is_refused(emu: PuterEmulator) -> None:
    with PuterAI(username=OTP_USER, password=OTP_PASSWORD) as client:
        with pytest.raises(PuterAuthError, match="one-time code"):
            client.login(otp_code="000000")
        assert client.token is None


# --- refused tokens -----------------------------------------------------------------------


def test_a_refused_token_raises_auth_error_when_no_credentials_are_known(
    emu: PuterEmulator,
) -> None:
    token = emu.token_for(ALICE)
    emu.revoke_tokens(ALICE)

    with PuterAI(token=token) as client, pytest.raises(PuterAuthError) as caught:
        client.chat("Hello")

    assert caught.value.status_code == 401
    assert [r.status for r in driver_calls(emu)] == [401]
    assert login_requests(emu) == []


def test_a_refused_token_is_renewed_by_one_login_and_the_call_replayed(
    emu: PuterEmulator,
) -> None:
    with alice() as client:
        client.chat("Before")
        before = len(emu.requests)
        emu.revoke_tokens(ALICE)

        assert client.chat("After") == reply("After", turns=2)

    after = [(r.path, r.status) for r in emu.requests[before:]]
    assert after == [("/drivers/call", 401), ("/login", 200), ("/drivers/call", 200)]


async def test_async_chat_renews_a_refused_token_the_same_way(emu: PuterEmulator) -> None:
    async with alice() as client:
        await client.async_chat("Before")
        before = len(emu.requests)
        emu.revoke_tokens(ALICE)

        assert await client.async_chat("After") == reply("After", turns=2)

    after = [(r.path, r.status) for r in emu.requests[before:]]
    assert after == [("/drivers/call", 401), ("/login", 200), ("/drivers/call", 200)]


def test_a_401_that_a_new_login_does_not_cure_is_raised_without_looping(
    emu: PuterEmulator,
) -> None:
    with alice() as client:
        client.login()
        emu.inject("/drivers/call", status=401, times=None)

        with pytest.raises(PuterAuthError) as caught:
            client.chat("Hello")

    assert caught.value.status_code == 401
    assert [(r.path, r.status) for r in emu.requests] == [
        ("/login", 200),
        ("/drivers/call", 401),
        ("/login", 200),
        ("/drivers/call", 401),
    ]


def test_a_refused_token_whose_new_login_fails_raises_that_login_error(
    emu: PuterEmulator,
) -> None:
    with alice() as client:
        client.login()
        emu.revoke_tokens(ALICE)
        emu.add_user(ALICE, "a-new-password")

        with pytest.raises(PuterAuthError, match="Incorrect password"):
            client.chat("Hello")

    assert [r.path for r in emu.requests] == ["/login", "/drivers/call", "/login"]


def test_the_call_replayed_after_a_new_login_reports_its_own_failure(
    emu: PuterEmulator,
) -> None:
    with alice() as client:
        client.login()
        emu.inject("/drivers/call", status=401)
        emu.inject("/drivers/call", status=404)

        with pytest.raises(PuterAPIError) as caught:
            client.chat("Hello")

    assert caught.value.status_code == 404


# --- secrets ------------------------------------------------------------------------------

SECRET_USER = "sentinel_user"
SECRET_PASSWORD = "Sentinel-Password-7f3a91"
WRONG_SECRET_PASSWORD = "Wrong-Sentinel-Password-c2e84d"
SECRET_TOKEN = "Sentinel-Token-5b0d77e1"


def test_repr_and_str_of_a_client_show_no_password_or_token(emu: PuterEmulator) -> None:
    emu.add_user(SECRET_USER, SECRET_PASSWORD)
    with PuterAI(username=SECRET_USER, password=SECRET_PASSWORD) as client:
        client.login()
        token = client.token
        assert token is not None

        for text in (repr(client), str(client), repr(client.config)):
            assert SECRET_PASSWORD not in text
            assert token not in text

    with PuterAI(token=SECRET_TOKEN) as token_client:
        assert SECRET_TOKEN not in repr(token_client)
        assert SECRET_TOKEN not in str(token_client)


def test_a_refused_password_is_not_repeated_in_the_error(emu: PuterEmulator) -> None:
    emu.add_user(SECRET_USER, SECRET_PASSWORD)

    client = PuterAI(username=SECRET_USER, password=WRONG_SECRET_PASSWORD)
    with client, pytest.raises(PuterAuthError) as caught:
        client.login()

    assert WRONG_SECRET_PASSWORD not in exception_text(caught.value)


def test_a_refused_token_is_not_repeated_in_the_error(emu: PuterEmulator) -> None:
    with PuterAI(token=SECRET_TOKEN) as client, pytest.raises(PuterAuthError) as caught:
        client.chat("Hello")

    assert SECRET_TOKEN not in exception_text(caught.value)


def test_a_failed_api_call_shows_neither_password_nor_token(emu: PuterEmulator) -> None:
    emu.add_user(SECRET_USER, SECRET_PASSWORD)
    with PuterAI(username=SECRET_USER, password=SECRET_PASSWORD, max_retries=0) as client:
        client.login()
        token = client.token
        assert token is not None
        emu.inject("/drivers/call", status=500)

        with pytest.raises(PuterError) as caught:
            client.chat("Hello")

    assert isinstance(caught.value, PuterAPIError)
    text = exception_text(caught.value) + repr(caught.value.body)
    assert SECRET_PASSWORD not in text
    assert token not in text
