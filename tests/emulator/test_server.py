"""Serving: two hosts, fast start and clean stop, connections, the CLI and the plugin."""

from __future__ import annotations

import gc
import os
import signal
import socket
import subprocess
import sys
import textwrap
import threading
import time
import warnings
from pathlib import Path

import httpx
import pytest
import uvicorn

from puter_client.emulator import (
    Options,
    PuterEmulator,
    User,
    async_running_emulator,
    default_users,
    running_emulator,
)
from tests.emulator.emulator_support import Api, chat_body


def _emulator_threads(emulator: PuterEmulator | None = None) -> list[threading.Thread]:
    prefix = "puter-emulator" if emulator is None else f"puter-emulator:{emulator.api_port}"
    return [t for t in threading.enumerate() if t.name.startswith(prefix)]


def _open_fds() -> int | None:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None


def _refused(url: str) -> bool:
    try:
        httpx.get(url, timeout=1.0)
    except httpx.ConnectError:
        return True
    return False


def test_start_and_stop_leak_nothing() -> None:
    baseline_threads = len(_emulator_threads())
    with running_emulator() as warm:  # first start pays the imports
        assert warm.api_port
    fds = _open_fds()
    with warnings.catch_warnings():
        warnings.simplefilter("error", ResourceWarning)
        for _ in range(5):
            with running_emulator() as emulator, httpx.Client() as client:
                assert client.get(f"{emulator.api_base}/puterai/chat/models").status_code == 200
                api_base = emulator.api_base
        gc.collect()
    assert len(_emulator_threads()) == baseline_threads
    assert _open_fds() == fds
    assert _refused(f"{api_base}/puterai/chat/models")


def test_stop_closes_idle_and_busy_connections() -> None:
    emulator = PuterEmulator(shutdown_timeout=0.3, options=Options(stream_line_delay=0.5)).start()
    idle = httpx.Client()
    idle.get(f"{emulator.api_base}/puterai/chat/models")
    errors: list[BaseException] = []

    def stream() -> None:
        headers = {"Authorization": f"Bearer {emulator.token_for('alice')}"}
        url = f"{emulator.api_base}/drivers/call"
        try:
            with httpx.Client() as client:
                client.post(url, json=chat_body("a long reply", stream=True), headers=headers)
        except httpx.HTTPError as exc:
            errors.append(exc)

    streamer = threading.Thread(target=stream)
    streamer.start()
    assert _wait(lambda: emulator.open_connections() == 2)
    started = time.perf_counter()
    emulator.stop()
    assert time.perf_counter() - started < 1.5
    streamer.join(5)
    idle.close()
    assert errors and isinstance(errors[0], httpx.RemoteProtocolError)
    assert emulator.open_connections() == 0 and not _emulator_threads(emulator)
    emulator.stop()  # idempotent


def _wait(condition: object, timeout: float = 2.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return True
        time.sleep(0.005)
    return False


def test_open_connections(fresh_puter_emulator: PuterEmulator) -> None:
    emulator = fresh_puter_emulator
    assert emulator.open_connections() == 0
    with httpx.Client() as client:
        client.get(f"{emulator.api_base}/puterai/chat/models")
        client.post(emulator.login_url, json={"username": "alice", "password": "alice-password"})
        assert emulator.open_connections() == 2  # one per host, kept alive
    assert emulator.wait_for_connections(0)


def test_keep_alive_timeout_closes_idle_connections() -> None:
    with running_emulator(keep_alive_timeout=1) as emulator, httpx.Client() as client:
        response = client.get(f"{emulator.api_base}/puterai/chat/models")
        assert response.headers["keep-alive"] == "timeout=1"
        assert emulator.open_connections() == 1
        assert emulator.wait_for_connections(0, timeout=3.0)


def test_two_hosts_on_two_ports(fresh_puter_emulator: PuterEmulator) -> None:
    emulator = fresh_puter_emulator
    assert emulator.api_port != emulator.web_port
    assert emulator.api_base == f"http://127.0.0.1:{emulator.api_port}"
    assert emulator.login_url == f"http://127.0.0.1:{emulator.web_port}/login"
    assert emulator.env() == {
        "PUTER_API_BASE": emulator.api_base,
        "PUTER_LOGIN_URL": emulator.login_url,
        "PUTER_HOSTING_DOMAIN": f"http://site.puter.localhost:{emulator.api_port}",
    }


def test_options_users_and_legacy_at_start() -> None:
    with running_emulator(users=[User("zed", "zed-password")], legacy=True) as emulator:
        assert list(emulator.state.users) == ["zed"]
        assert emulator.legacy is True
        with httpx.Client() as client:
            bad = client.post(emulator.login_url, json={"username": "alice", "password": "xxxxxx"})
            assert (bad.status_code, bad.text) == (400, "Username not found.")


def test_starting_twice_and_port_in_use() -> None:
    with running_emulator() as emulator:
        with pytest.raises(RuntimeError, match="already started"):
            emulator.start()
        with pytest.raises(OSError):
            PuterEmulator(port=emulator.api_port).start()


def test_a_failed_startup_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    async def failing_startup(self: object, sockets: object = None) -> None:
        raise OSError("boom")

    monkeypatch.setattr(uvicorn.Server, "startup", failing_startup)
    emulator = PuterEmulator()
    with pytest.raises(RuntimeError, match="failed to start") as caught:
        emulator.start()
    assert isinstance(caught.value.__cause__, OSError)
    assert _refused(emulator.api_base)


def test_token_for_unknown_user(api: Api) -> None:
    with pytest.raises(KeyError):
        api.emulator.token_for("nobody")


async def test_async_running_emulator() -> None:
    async with async_running_emulator() as emulator, httpx.AsyncClient() as client:
        response = await client.get(f"{emulator.api_base}/puterai/chat/models")
        assert response.status_code == 200
    assert not _emulator_threads(emulator)


def test_cli_prints_the_configuration_and_stops_on_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "puter_client.emulator", "--port", "0", "--user", "zoe:zoe-pass1"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        api_line = process.stdout.readline().strip()
        login_line = process.stdout.readline().strip()
        assert api_line.startswith("PUTER_API_BASE=http://127.0.0.1:")
        assert login_line.startswith("PUTER_LOGIN_URL=http://127.0.0.1:")
        login_url = login_line.split("=", 1)[1]
        response = httpx.post(login_url, json={"username": "zoe", "password": "zoe-pass1"})
        assert response.status_code == 200
    finally:
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=10)
    assert process.returncode == 0
    assert "alice:alice-password" in stderr


def test_cli_rejects_a_bad_user() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "puter_client.emulator", "--user", "nopassword"],
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert result.returncode == 2 and "NAME:PASSWORD" in result.stderr


def test_pytest_plugin_in_a_users_project(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["puter_client.emulator.pytest_plugin"]\n'
    )
    (tmp_path / "test_user.py").write_text(
        textwrap.dedent(
            """
            import httpx

            def test_v2(puter_emulator):
                puter_emulator.inject("/puterai/chat/models", status=503)
                url = puter_emulator.api_base + "/puterai/chat/models"
                assert httpx.get(url).status_code == 503

            def test_v2_again_is_reset(puter_emulator):
                assert puter_emulator.requests == [] and puter_emulator.faults == []

            def test_legacy(puter_emulator_legacy):
                assert puter_emulator_legacy.legacy

            def test_fresh(fresh_puter_emulator, puter_emulator):
                assert fresh_puter_emulator.api_base != puter_emulator.api_base
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "4 passed" in result.stdout


def test_ipv4_socket_family() -> None:
    with (
        running_emulator() as emulator,
        socket.create_connection(("127.0.0.1", emulator.web_port), timeout=1),
    ):
        pass


def test_cli_with_a_busy_port_says_which_in_one_line() -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "puter_client.emulator", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
        )

    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert f"127.0.0.1:{port}" in line
    assert "--port 0" in line
    assert "Traceback" not in result.stderr


def test_a_busy_port_error_names_the_address() -> None:
    with socket.create_server(("127.0.0.1", 0)) as busy:
        port = busy.getsockname()[1]
        with pytest.raises(OSError, match=f"cannot listen on 127.0.0.1:{port}"):
            PuterEmulator(port=port).start()


def test_cli_help_shows_the_default_ports_and_the_accounts() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "puter_client.emulator", "--help"],
        capture_output=True,
        text=True,
        timeout=30,
    )

    text = " ".join(result.stdout.split())
    assert "default 8765" in text and "8766" in text
    for user in default_users():
        assert user.username in text
    assert "<username>-password" in text


def test_the_client_fixtures_in_a_users_project(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text(
        'pytest_plugins = ["puter_client.emulator.pytest_plugin"]\n'
    )
    (tmp_path / "test_app.py").write_text(
        textwrap.dedent(
            """
            import pytest
            from puter_client.emulator import expected_reply

            def test_twelve_chats(puter_ai):
                for n in range(12):
                    puter_ai.chat(f"Hi {n}", model="fake")
                assert puter_ai._session.limiter("ai").pending_wait() == 0.0

            @pytest.mark.asyncio
            async def test_async(async_puter_ai):
                reply = await async_puter_ai.async_chat("Hi", model="fake")
                assert reply == expected_reply("Hi", "fake")
            """
        )
    )
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 passed" in result.stdout
