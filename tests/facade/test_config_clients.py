"""Point 2: configuration. Eight options with documented defaults and ``PUTER_*``
variables; validated updates; ``PuterAI(**overrides)`` works on its own copy."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest

from puter import PuterAI, PuterConfig, config
from puter.exceptions import PuterAuthError, PuterServerError
from puter_client.emulator import PuterEmulator
from tests.support.emulated import ALICE, ALICE_PASSWORD, alice, chat_calls, closed_port_url, reply

DOCUMENTED = {
    "api_base": ("PUTER_API_BASE", "https://api.puter.com"),
    "login_url": ("PUTER_LOGIN_URL", "https://puter.com/login"),
    "timeout": ("PUTER_TIMEOUT", 30),
    "max_retries": ("PUTER_MAX_RETRIES", 3),
    "retry_delay": ("PUTER_RETRY_DELAY", 1.0),
    "backoff_factor": ("PUTER_BACKOFF_FACTOR", 2.0),
    "rate_limit_requests": ("PUTER_RATE_LIMIT_REQUESTS", 10),
    "rate_limit_period": ("PUTER_RATE_LIMIT_PERIOD", 60),
    "hosting_domain": ("PUTER_HOSTING_DOMAIN", None),
}


def run_python(code: str, **env: str) -> str:
    """Run ``code`` in a fresh interpreter whose only PUTER_* variables are ``env``."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PUTER_")}
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout


def test_the_eight_options_have_the_documented_defaults() -> None:
    fresh = PuterConfig(environ={})

    assert fresh.to_dict() == {name: default for name, (_, default) in DOCUMENTED.items()}


def test_a_fresh_process_reads_every_option_from_its_puter_variable() -> None:
    values = {
        "PUTER_API_BASE": "http://127.0.0.1:9",
        "PUTER_LOGIN_URL": "http://127.0.0.1:10/login",
        "PUTER_TIMEOUT": "60",
        "PUTER_MAX_RETRIES": "5",
        "PUTER_RETRY_DELAY": "0.5",
        "PUTER_BACKOFF_FACTOR": "3",
        "PUTER_RATE_LIMIT_REQUESTS": "20",
        "PUTER_RATE_LIMIT_PERIOD": "60",
    }
    code = (
        "from puter import PuterAI, config\n"
        "print(sorted(config.to_dict().items()))\n"
        "print(sorted(PuterAI().config.to_dict().items()))\n"
    )

    first, second = run_python(code, **values).splitlines()

    expected = sorted(
        {
            "api_base": "http://127.0.0.1:9",
            "login_url": "http://127.0.0.1:10/login",
            "timeout": 60,
            "max_retries": 5,
            "retry_delay": 0.5,
            "backoff_factor": 3.0,
            "rate_limit_requests": 20,
            "rate_limit_period": 60,
            "hosting_domain": None,
        }.items()
    )
    assert first == second == str(expected)


def test_a_bad_puter_variable_fails_the_import_naming_the_option_and_the_variable() -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PUTER_")}
    result = subprocess.run(
        [sys.executable, "-c", "from puter import PuterAI"],
        env={**clean, "PUTER_TIMEOUT": "soon"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("ValueError: ")
    assert "timeout" in last_line
    assert "PUTER_TIMEOUT" in last_line


def test_a_bad_puter_variable_names_the_option_and_the_variable() -> None:
    with pytest.raises(ValueError, match=r"max_retries.*PUTER_MAX_RETRIES"):
        PuterConfig(environ={"PUTER_MAX_RETRIES": "many"})


def test_update_changes_the_global_config() -> None:
    config.update(timeout=60, max_retries=5)

    assert (config.timeout, config.max_retries) == (60, 5)


def test_a_client_starts_from_the_global_config_of_its_construction_time() -> None:
    config.update(timeout=60)
    before = PuterAI()
    config.update(timeout=75)
    after = PuterAI()

    assert before.config.timeout == 60
    assert after.config.timeout == 75


def test_client_overrides_change_neither_the_global_config_nor_other_clients() -> None:
    global_before = config.to_dict()
    other = PuterAI()

    client = PuterAI(timeout=90, max_retries=10, rate_limit_requests=50, rate_limit_period=3600)

    assert (client.config.timeout, client.config.max_retries) == (90, 10)
    assert (client.config.rate_limit_requests, client.config.rate_limit_period) == (50, 3600)
    assert config.to_dict() == global_before
    assert other.config.to_dict() == global_before
    assert client.config is not config


def test_changing_the_global_config_later_does_not_change_an_existing_client() -> None:
    client = PuterAI(timeout=90)

    config.update(timeout=5, max_retries=0)

    assert (client.config.timeout, client.config.max_retries) == (90, 3)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", -1),
        ("timeout", 0),
        ("max_retries", -1),
        ("max_retries", 1.5),
        ("retry_delay", -0.1),
        ("backoff_factor", 0.5),
        ("rate_limit_requests", 0),
        ("rate_limit_period", 0),
        ("api_base", "ftp://api.puter.com"),
        ("login_url", "not a url"),
        ("timeout", True),
    ],
)
def test_an_invalid_override_raises_value_error_naming_the_option(option: str, value: Any) -> None:
    overrides: dict[str, Any] = {option: value}

    with pytest.raises(ValueError, match=option):
        PuterAI(**overrides)


@pytest.mark.parametrize("option", ["timeout", "max_retries", "rate_limit_period"])
def test_an_invalid_global_update_raises_and_changes_nothing(option: str) -> None:
    before = config.to_dict()

    changes: dict[str, Any] = {"retry_delay": 0.25, option: -5}

    with pytest.raises(ValueError, match=option):
        config.update(**changes)

    assert config.to_dict() == before


def test_an_unknown_override_raises_type_error() -> None:
    misspelt: dict[str, Any] = {"tiemout": 5}

    with pytest.raises(TypeError, match="tiemout"):
        PuterAI(**misspelt)


def test_an_unknown_global_option_raises_type_error() -> None:
    misspelt: dict[str, Any] = {"tiemout": 5}

    with pytest.raises(TypeError, match="tiemout"):
        config.update(**misspelt)


def test_an_endpoint_override_sends_this_clients_requests_to_it(v2_emu: PuterEmulator) -> None:
    config.update(api_base=closed_port_url(), login_url=closed_port_url() + "/login")

    with alice(api_base=v2_emu.api_base, login_url=v2_emu.login_url) as client:
        assert client.chat("Hello") == reply("Hello")

    assert len(chat_calls(v2_emu)) == 1


def test_login_posts_to_the_configured_login_url_as_given(v2_emu: PuterEmulator) -> None:
    login_url = f"{v2_emu.web_origin}/signin"  # a login endpoint not named /login

    with alice(login_url=login_url, max_retries=0) as client, pytest.raises(PuterAuthError):
        client.login()  # the emulator has no /signin: 404, refused

    assert [r.path for r in v2_emu.requests] == ["/signin"]


def test_a_max_retries_override_applies_on_the_wire(v2_emu: PuterEmulator) -> None:
    v2_emu.inject("/drivers/call", status=503, times=None)

    with alice(max_retries=1) as client, pytest.raises(PuterServerError):
        client.chat("Hello")

    assert len(chat_calls(v2_emu)) == 2


def test_credentials_are_not_configuration_options() -> None:
    assert "username" not in PuterConfig.OPTION_NAMES
    assert "password" not in PuterConfig.OPTION_NAMES
    client = PuterAI(username=ALICE, password=ALICE_PASSWORD)
    assert set(client.config.to_dict()) == set(DOCUMENTED)
