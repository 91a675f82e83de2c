"""Secrets: the password and the session token stay secret.

They never appear in the ``repr``/``str`` of a public object, in log records (DEBUG
included, on the ``puter`` logger and the root logger), in exception messages or in the
``__cause__``/``__context__`` chains behind them. The token goes to the API host only:
never to the login host, never along a redirect. TLS certificates are verified unless
the user passes an httpx client of their own. The command line's token file is created
readable by its owner only, and refused when others can read it.

The sentinels are distinctive strings: the password of an account made for the test,
and the tokens the emulator issues for it.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import logging
import os
import ssl
import stat
import subprocess
import sys
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from puter import PuterAI
from puter.exceptions import PuterAuthError, PuterError, PuterResponseError
from puter_client.cli import main as cli
from puter_client.core.credentials import SavedLogin, save_login
from puter_client.emulator import Drop, PuterEmulator, StreamError

from .support import DRIVER_CALL, Face, closed_port_url, password_client, token_client

USERNAME = "sentinel_user"
PASSWORD = "S3cr3t-PASSWORD-sentinel"


@pytest.fixture
def account(emu: PuterEmulator) -> PuterEmulator:
    """The emulator with an account whose password is the sentinel."""
    emu.add_user(USERNAME, PASSWORD)
    return emu


def sentinel_client(emu: PuterEmulator, **overrides: Any) -> PuterAI:
    """A client of the sentinel account (it logs in with the sentinel password)."""
    return password_client(emu, USERNAME, PASSWORD, **overrides)


def secrets_of(emu: PuterEmulator, *clients: PuterAI) -> list[str]:
    """The password, and every token the emulator issued to the test's clients so far."""
    tokens = [c.token for c in clients if c.token]
    issued = [
        r.headers["authorization"].removeprefix("Bearer ")
        for r in emu.requests
        if "authorization" in r.headers
    ]
    return [PASSWORD, *tokens, *issued]


def assert_hidden(text: str, secrets: Iterable[str]) -> None:
    """None of ``secrets`` occurs in ``text``."""
    for secret in secrets:
        assert secret not in text, f"a secret ({secret[:6]}...) leaked into: {text[:300]!r}"


def chain(error: BaseException) -> Iterator[BaseException]:
    """``error`` and every exception behind it (``__cause__`` and ``__context__``)."""
    seen: set[int] = set()
    pending = [error]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        pending.extend(e for e in (current.__cause__, current.__context__) if e is not None)


def assert_error_hides(error: BaseException, secrets: list[str]) -> None:
    """Neither the error nor anything behind it shows a secret, printed in any way."""
    for link in chain(error):
        assert_hidden(str(link), secrets)
        assert_hidden(repr(link), secrets)
        assert_hidden(repr(link.args), secrets)
        assert_hidden(repr(getattr(link, "body", None)), secrets)
    assert_hidden("".join(traceback.format_exception(error)), secrets)


class Capture(logging.Handler):
    """Keeps every record, formatted with its exception and stack, if any."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(("uvicorn", "puter_client.emulator")):
            return  # the server's own logs: it is allowed to know the password
        self.lines.append(f"{self.format(record)} {record.args!r}")


@pytest.fixture
def debug_log() -> Iterator[Capture]:
    """Every record at DEBUG and above, on the ``puter`` logger and on the root logger."""
    capture = Capture()
    root, sdk = logging.getLogger(), logging.getLogger("puter")
    levels = root.level, sdk.level
    root.setLevel(logging.DEBUG)
    sdk.setLevel(logging.DEBUG)
    root.addHandler(capture)
    sdk.addHandler(capture)
    try:
        yield capture
    finally:
        root.removeHandler(capture)
        sdk.removeHandler(capture)
        root.setLevel(levels[0])
        sdk.setLevel(levels[1])


async def a_day_of_use(face: Face, emu: PuterEmulator, client: PuterAI) -> list[BaseException]:
    """Log in, chat, stream, list models, survive a revoked token, a 503 and a dropped
    connection, and fail in every way a stream can; the errors raised on the way."""
    errors: list[BaseException] = []
    await face.chat(client, "Hello")
    await face.stream(client, "Stream it", [])
    assert await face.models(client)
    emu.revoke_tokens(USERNAME)
    await face.chat(client, "After a revoked token")
    emu.inject(DRIVER_CALL, status=503)
    emu.inject(DRIVER_CALL, Drop())
    await face.chat(client, "After a 503")
    emu.inject(DRIVER_CALL, StreamError("provider broke", after_lines=2))
    emu.inject(DRIVER_CALL, status=401, times=None)
    for attempt in (face.stream(client, "Broken stream", []), face.chat(client, "Refused")):
        try:
            await attempt
        except PuterError as error:
            errors.append(error)
    assert len(errors) == 2
    return errors


# --- repr and str -------------------------------------------------------------------------


async def completion_of(face: Face, client: PuterAI) -> Any:
    """``complete``/``async_complete`` of one message: the typed ``ChatCompletion``."""
    if face.name == "sync":
        return await asyncio.to_thread(client.complete, [{"role": "user", "content": "Hi"}])
    return await client.async_complete([{"role": "user", "content": "Hi"}])


async def test_no_public_object_shows_the_password_or_token_in_its_repr_or_str(
    account: PuterEmulator, face: Face
) -> None:
    async with sentinel_client(account) as client:
        await face.chat(client, "Hello")
        completion = await completion_of(face, client)
        blocking_stream = client.chat_stream("Hello")
        async_stream = client.async_chat_stream("Hello")
        objects: list[object] = [
            client,
            client.config,
            completion,
            completion.result,
            blocking_stream,
            async_stream,
            SavedLogin(token=client.token or "", api_base=account.api_base, username=USERNAME),
            *client.chat_history,
        ]
        secrets = secrets_of(account, client)
        blocking_stream.close()
        await async_stream.aclose()

    for item in objects:
        assert_hidden(repr(item), secrets)
        assert_hidden(str(item), secrets)


# --- logs ---------------------------------------------------------------------------------


async def test_the_sdks_debug_log_shows_neither_the_password_nor_the_token(
    account: PuterEmulator, face: Face, debug_log: Capture
) -> None:
    async with sentinel_client(account) as client:
        await a_day_of_use(face, account, client)
        secrets = secrets_of(account, client)

    lines = [line for line in debug_log.lines if line.startswith("puter ")]
    assert any("logging in again" in line for line in lines)  # DEBUG was on
    for line in lines:
        assert_hidden(line, secrets)


async def test_no_debug_record_of_the_http_stack_shows_the_password_or_the_token(
    account: PuterEmulator, face: Face, debug_log: Capture
) -> None:
    # ``logging.basicConfig(level=logging.DEBUG)`` also shows httpx's and httpcore's
    # records (headers of requests and responses among them).
    async with sentinel_client(account) as client:
        await a_day_of_use(face, account, client)
        secrets = secrets_of(account, client)

    lines = [line for line in debug_log.lines if line.startswith(("httpx", "httpcore"))]
    assert lines
    for line in lines:
        assert_hidden(line, secrets)


# --- exceptions ---------------------------------------------------------------------------


async def test_no_error_of_a_day_of_use_shows_the_password_or_token(
    account: PuterEmulator, face: Face
) -> None:
    async with sentinel_client(account) as client:
        errors = await a_day_of_use(face, account, client)
        secrets = secrets_of(account, client)

    for error in errors:
        assert_error_hides(error, secrets)


@pytest.mark.parametrize(
    "failure",
    ["wrong-password", "unknown-user", "login-host-down", "login-dropped", "login-500"],
)
async def test_no_failed_login_shows_the_password(
    account: PuterEmulator, face: Face, failure: str
) -> None:
    login_url = account.login_url
    username, password = USERNAME, PASSWORD
    if failure == "wrong-password":
        username = "alice"  # the sentinel is alice's wrong password
    elif failure == "unknown-user":
        username = "nobody"
    elif failure == "login-host-down":
        login_url = f"{closed_port_url()}/login"
    elif failure == "login-dropped":
        account.inject("/login", Drop(), times=None)
    else:
        account.inject("/login", status=500, times=None)
    client = PuterAI(
        username=username,
        password=password,
        api_base=account.api_base,
        login_url=login_url,
        max_retries=1,
        retry_delay=0.01,
    )

    async with client:
        with pytest.raises(PuterAuthError) as caught:
            await face.chat(client, "Hello")

    assert_error_hides(caught.value, [PASSWORD])


@pytest.mark.parametrize(
    "token",
    ["S3cr3t-TOKEN-sentinel\n", "S3cr3t-TOKEN\r\nX-Evil: 1"],
    ids=["final-newline", "header-injection"],
)
async def test_a_token_with_a_line_break_never_shows_in_an_error(
    v2_emu: PuterEmulator, face: Face, token: str
) -> None:
    # A token read from a file often keeps its final newline; one that cannot be a header
    # value may be refused as soon as the client is made, never naming it.
    try:
        client = PuterAI(
            token=token, api_base=v2_emu.api_base, login_url=v2_emu.login_url, max_retries=0
        )
        async with client:
            await face.chat(client, "Hello")
    except (PuterError, ValueError) as error:
        assert_error_hides(error, [token.strip(), "S3cr3t-TOKEN"])
    for request in v2_emu.requests:
        assert "x-evil" not in request.headers


# --- where the token goes -----------------------------------------------------------------


async def test_the_token_goes_to_the_api_host_only(account: PuterEmulator, face: Face) -> None:
    async with sentinel_client(account) as client:
        await a_day_of_use(face, account, client)
        secrets = secrets_of(account, client)
    tokens = secrets[1:]

    web = [r for r in account.requests if r.host == "web"]
    api = [r for r in account.requests if r.host == "api"]
    assert web and api
    for request in web:  # the logins: the password, and no token
        assert "authorization" not in request.headers
        assert_hidden(repr(request.headers) + request.body.decode(), tokens)
    for request in api:  # the calls: a token, and no password
        assert_hidden(repr(request.headers) + request.body.decode(), [PASSWORD])
    # ... and the token is always one the server issued to this account at a login.
    account_uuid = account.state.find_user(username=USERNAME).uuid  # type: ignore[union-attr]
    for request in api:
        if request.path == DRIVER_CALL:
            token = request.headers["authorization"].removeprefix("Bearer ")
            assert account.state.signer.decode(token)["user_uid"] == account_uuid


@pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
async def test_a_redirect_from_the_api_host_is_not_followed_with_the_token(
    emu: PuterEmulator, face: Face, status: int
) -> None:
    elsewhere = f"{emu.web_origin}/collect"
    emu.inject(DRIVER_CALL, status=status, headers={"Location": elsewhere}, times=None)

    async with token_client(emu) as client:
        with pytest.raises(PuterResponseError) as caught:
            await face.chat(client, "Hello")

    assert caught.value.status_code == status
    assert [r for r in emu.requests if r.host == "web"] == []


def test_a_saved_cli_token_is_never_sent_to_another_api_base(
    account: PuterEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUTER_CONFIG_DIR", str(tmp_path))
    token = account.token_for(USERNAME)
    save_login(SavedLogin(token=token, api_base=account.api_base, username=USERNAME))

    # The same command, pointed at another origin (here the login host).
    other = ["--api-base", account.web_origin, "--login-url", account.login_url]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        cli.main([*other, "models"])

    assert account.requests, "the command made no request at all"
    for request in account.requests:
        assert_hidden(repr(request.headers) + request.body.decode(), [token])


# --- TLS ----------------------------------------------------------------------------------


@pytest.fixture
def made_clients(
    monkeypatch: pytest.MonkeyPatch,
) -> list[tuple[httpx.Client | httpx.AsyncClient, Any]]:
    """The httpx clients made while the test runs, with the ``verify`` each was given."""
    made: list[tuple[httpx.Client | httpx.AsyncClient, Any]] = []

    class Client(httpx.Client):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append((self, kwargs.get("verify", True)))

    class AsyncClient(httpx.AsyncClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            made.append((self, kwargs.get("verify", True)))

    monkeypatch.setattr(httpx, "Client", Client)
    monkeypatch.setattr(httpx, "AsyncClient", AsyncClient)
    return made


def pool_ssl_context(client: httpx.Client | httpx.AsyncClient) -> ssl.SSLContext:
    """The SSL context the client's connection pool opens connections with (httpx 0.28)."""
    pool = client._transport._pool  # type: ignore[union-attr]
    context = pool._ssl_context
    assert isinstance(context, ssl.SSLContext)
    return context


async def test_the_http_clients_the_sdk_makes_verify_certificates_and_host_names(
    v2_emu: PuterEmulator,
    face: Face,
    made_clients: list[tuple[httpx.Client | httpx.AsyncClient, Any]],
) -> None:
    async with token_client(v2_emu) as client:
        await face.chat(client, "Hello")
        assert len(made_clients) == 1
        made, verify = made_clients[0]
        context = pool_ssl_context(made)

    assert isinstance(verify, ssl.SSLContext)  # never False, never a path left unchecked
    for checked in (verify, context):
        assert checked.verify_mode == ssl.CERT_REQUIRED
        assert checked.check_hostname is True


def test_a_users_own_http_client_is_used_as_given_and_left_open(v2_emu: PuterEmulator) -> None:
    seen: list[httpx.Request] = []
    own = httpx.Client(verify=False, event_hooks={"request": [seen.append]})

    with token_client(v2_emu, http_client=own) as client:
        client.chat("Hello")

    assert len(seen) == 1
    assert not own.is_closed
    own.close()


# --- the command line's token file --------------------------------------------------------


@contextlib.contextmanager
def umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


def run_cli(emu: PuterEmulator, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """``puter --api-base ... --login-url ... <args>`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    endpoints = ["--api-base", emu.api_base, "--login-url", emu.login_url]
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        mock_stdin(stdin),
    ):
        code = cli.main([*endpoints, *args])
    return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def mock_stdin(text: str) -> Iterator[None]:
    previous = sys.stdin
    sys.stdin = io.StringIO(text)
    try:
        yield
    finally:
        sys.stdin = previous


def test_puter_login_saves_the_token_readable_by_its_owner_only(
    account: PuterEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUTER_CONFIG_DIR", str(tmp_path / "puter"))

    with umask(0):  # the most permissive umask must not loosen the file
        code, out, err = run_cli(
            account, "login", "--username", USERNAME, "--password-stdin", stdin=PASSWORD + "\n"
        )

    assert code == 0, err
    token_file = tmp_path / "puter" / "token.json"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(token_file.parent.stat().st_mode) & 0o077 == 0
    assert_hidden(out + err, secrets_of(account))


@pytest.mark.parametrize("mode", [0o640, 0o604, 0o644, 0o666])
def test_a_token_file_others_can_read_is_refused_and_its_token_not_sent(
    account: PuterEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: int
) -> None:
    monkeypatch.setenv("PUTER_CONFIG_DIR", str(tmp_path))
    token = account.token_for(USERNAME)
    path = save_login(SavedLogin(token=token, api_base=account.api_base, username=USERNAME))
    path.chmod(mode)

    code, out, err = run_cli(account, "chat", "Hello", "--no-stream")

    assert code == 1
    assert "readable by others" in err and "chmod 600" in err
    assert account.requests == []
    assert_hidden(out + err, [token])


def test_the_installed_puter_command_refuses_a_world_readable_token_file(
    account: PuterEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUTER_CONFIG_DIR", str(tmp_path))
    token = account.token_for(USERNAME)
    save_login(SavedLogin(token=token, api_base=account.api_base, username=USERNAME)).chmod(0o644)
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PUTER_")},
        "PUTER_CONFIG_DIR": str(tmp_path),
        "PUTER_API_BASE": account.api_base,
        "PUTER_LOGIN_URL": account.login_url,
    }

    finished = subprocess.run(
        [str(Path(sys.executable).parent / "puter"), "chat", "Hello", "--no-stream"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert finished.returncode == 1
    assert "readable by others" in finished.stderr
    assert account.requests == []
    assert_hidden(finished.stdout + finished.stderr, [token])
