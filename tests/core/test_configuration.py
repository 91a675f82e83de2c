"""PuterConfig: documented defaults, environment variables, validation, copies."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

from puter_client.core.configuration import PuterConfig, config

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


def fresh(**env: str) -> PuterConfig:
    return PuterConfig(environ=env)


# --- defaults and environment -------------------------------------------------------


def test_defaults_are_the_documented_ones() -> None:
    assert fresh().to_dict() == {name: default for name, (_, default) in DOCUMENTED.items()}


def test_option_names_and_env_vars_are_exactly_the_documented_ones() -> None:
    assert set(PuterConfig.OPTION_NAMES) == set(DOCUMENTED)
    assert dict(PuterConfig.ENV_VARS) == {name: env for name, (env, _) in DOCUMENTED.items()}


def test_integer_defaults_print_as_integers() -> None:
    cfg = fresh()
    assert str(cfg.timeout) == "30"
    assert str(cfg.rate_limit_period) == "60"
    assert str(cfg.retry_delay) == "1.0"


def test_module_level_config_is_a_puter_config_built_at_import() -> None:
    assert isinstance(config, PuterConfig)


def test_documented_environment_example_is_applied() -> None:
    cfg = fresh(
        PUTER_TIMEOUT="60",
        PUTER_MAX_RETRIES="5",
        PUTER_RATE_LIMIT_REQUESTS="20",
        PUTER_RATE_LIMIT_PERIOD="60",
    )
    assert (cfg.timeout, cfg.max_retries, cfg.rate_limit_requests) == (60, 5, 20)
    assert isinstance(cfg.timeout, int)


def test_every_option_can_come_from_its_environment_variable() -> None:
    cfg = fresh(
        PUTER_API_BASE="http://127.0.0.1:8080",
        PUTER_LOGIN_URL="http://127.0.0.1:8081/login",
        PUTER_TIMEOUT="2.5",
        PUTER_MAX_RETRIES="0",
        PUTER_RETRY_DELAY="0.25",
        PUTER_BACKOFF_FACTOR="3",
        PUTER_RATE_LIMIT_REQUESTS="7",
        PUTER_RATE_LIMIT_PERIOD="0.5",
        PUTER_HOSTING_DOMAIN="http://site.puter.localhost:4100",
    )
    assert cfg.to_dict() == {
        "api_base": "http://127.0.0.1:8080",
        "login_url": "http://127.0.0.1:8081/login",
        "timeout": 2.5,
        "max_retries": 0,
        "retry_delay": 0.25,
        "backoff_factor": 3.0,
        "rate_limit_requests": 7,
        "rate_limit_period": 0.5,
        "hosting_domain": "http://site.puter.localhost:4100",
    }


def test_environment_values_are_trimmed_of_surrounding_whitespace() -> None:
    assert fresh(PUTER_TIMEOUT=" 45\n").timeout == 45


def test_an_empty_environment_variable_counts_as_unset() -> None:
    assert fresh(PUTER_TIMEOUT="").timeout == 30


def test_os_environ_is_read_when_no_mapping_is_given(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PUTER_MAX_RETRIES", "9")
    assert PuterConfig().max_retries == 9


def test_constructor_keywords_win_over_the_environment() -> None:
    assert PuterConfig(environ={"PUTER_TIMEOUT": "5"}, timeout=7).timeout == 7


def test_non_numeric_environment_value_names_option_and_variable() -> None:
    with pytest.raises(ValueError, match=r"timeout.*PUTER_TIMEOUT.*'soon'"):
        fresh(PUTER_TIMEOUT="soon")


def test_invalid_environment_number_names_option_and_variable() -> None:
    with pytest.raises(ValueError, match=r"max_retries.*PUTER_MAX_RETRIES"):
        fresh(PUTER_MAX_RETRIES="-1")


def test_fractional_environment_value_for_a_count_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"rate_limit_requests.*whole number"):
        fresh(PUTER_RATE_LIMIT_REQUESTS="2.5")


def test_non_http_environment_url_names_the_variable() -> None:
    with pytest.raises(ValueError, match=r"api_base.*PUTER_API_BASE"):
        fresh(PUTER_API_BASE="ftp://files.example.com")


@pytest.mark.parametrize("raw", ["nan", "inf", "-inf", "true", "1e999"])
def test_non_finite_or_boolean_environment_numbers_are_rejected(raw: str) -> None:
    with pytest.raises(ValueError, match="PUTER_TIMEOUT"):
        fresh(PUTER_TIMEOUT=raw)


# --- update ---------------------------------------------------------------------------


def test_update_changes_the_given_options() -> None:
    cfg = fresh()
    cfg.update(timeout=60, max_retries=5)
    assert (cfg.timeout, cfg.max_retries) == (60, 5)


def test_update_keeps_an_int_timeout_an_int_and_accepts_floats() -> None:
    cfg = fresh()
    cfg.update(timeout=60)
    assert repr(cfg.timeout) == "60"
    cfg.update(timeout=2.5)
    assert cfg.timeout == 2.5


def test_float_options_are_stored_as_floats() -> None:
    cfg = fresh()
    cfg.update(retry_delay=2, backoff_factor=3)
    assert repr(cfg.retry_delay) == "2.0"
    assert repr(cfg.backoff_factor) == "3.0"


def test_integral_float_counts_become_ints() -> None:
    cfg = fresh()
    four: Any = 4.0
    cfg.update(max_retries=four)
    assert repr(cfg.max_retries) == "4"


def test_update_with_an_invalid_value_changes_nothing() -> None:
    cfg = fresh()
    before = cfg.to_dict()
    with pytest.raises(ValueError, match="max_retries"):
        cfg.update(timeout=99, max_retries=-1)
    assert cfg.to_dict() == before


def test_update_with_an_unknown_option_raises_type_error_and_changes_nothing() -> None:
    cfg = fresh()
    options: dict[str, Any] = {"timeout": 99, "timeuot": 5}
    with pytest.raises(TypeError, match="timeuot"):
        cfg.update(**options)
    assert cfg.timeout == 30


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 0),
        ("timeout", -1),
        ("timeout", float("nan")),
        ("max_retries", -1),
        ("max_retries", 1.5),
        ("retry_delay", -0.1),
        ("backoff_factor", 0.5),
        ("rate_limit_requests", 0),
        ("rate_limit_requests", -3),
        ("rate_limit_period", 0),
        ("rate_limit_period", -60),
    ],
)
def test_out_of_range_values_are_rejected_naming_the_option(option: str, value: object) -> None:
    with pytest.raises(ValueError, match=option):
        fresh().update(**{option: value})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "option", ["timeout", "max_retries", "retry_delay", "rate_limit_requests", "rate_limit_period"]
)
def test_bools_are_not_accepted_as_numbers(option: str) -> None:
    with pytest.raises(ValueError, match=f"{option}.*bool"):
        fresh().update(**{option: True})  # type: ignore[arg-type]


@pytest.mark.parametrize("value", ["60", None, [60]])
def test_non_numbers_are_rejected_for_numeric_options(value: object) -> None:
    with pytest.raises(ValueError, match="timeout"):
        fresh().update(timeout=value)  # type: ignore[arg-type]


def test_zero_retries_and_zero_delay_are_allowed() -> None:
    cfg = fresh()
    cfg.update(max_retries=0, retry_delay=0, backoff_factor=1)
    assert (cfg.max_retries, cfg.retry_delay, cfg.backoff_factor) == (0, 0.0, 1.0)


@pytest.mark.parametrize(
    "url",
    ["ftp://api.puter.com", "file:///etc/passwd", "api.puter.com", "https://", "", "https://a b"],
)
def test_urls_must_be_http_or_https_with_a_host(url: str) -> None:
    with pytest.raises(ValueError, match="api_base"):
        fresh().update(api_base=url)


def test_login_url_is_validated_too() -> None:
    with pytest.raises(ValueError, match="login_url"):
        fresh().update(login_url="javascript:alert(1)")


def test_trailing_slashes_are_stripped_from_api_base() -> None:
    cfg = fresh()
    cfg.update(api_base="http://localhost:4100/")
    assert cfg.api_base == "http://localhost:4100"


def test_attribute_assignment_is_validated() -> None:
    cfg = fresh()
    cfg.timeout = 12
    assert cfg.timeout == 12
    with pytest.raises(ValueError, match="timeout"):
        cfg.timeout = -5


def test_assigning_an_unknown_attribute_fails() -> None:
    cfg: Any = fresh()
    with pytest.raises(AttributeError, match="timeuot"):
        cfg.timeuot = 5


# --- copies, equality, repr -----------------------------------------------------------


def test_copy_is_equal_but_independent() -> None:
    original = fresh()
    clone = original.copy()
    assert clone == original
    clone.update(timeout=1)
    assert original.timeout == 30
    assert clone != original


def test_with_overrides_returns_a_changed_copy_and_leaves_the_original_alone() -> None:
    original = fresh()
    client_cfg = original.with_overrides(timeout=90, rate_limit_period=3600)
    assert (client_cfg.timeout, client_cfg.rate_limit_period) == (90, 3600)
    assert original == fresh()


def test_with_overrides_rejects_unknown_names_without_touching_the_original() -> None:
    original = fresh()
    overrides: dict[str, Any] = {"username": "alice"}
    with pytest.raises(TypeError, match="username"):
        original.with_overrides(**overrides)
    assert original == fresh()


def test_option_names_split_config_overrides_from_other_keywords() -> None:
    kwargs = {"timeout": 5, "username": "alice"}
    overrides = {k: v for k, v in kwargs.items() if k in PuterConfig.OPTION_NAMES}
    assert overrides == {"timeout": 5}


def test_copy_and_pickle_round_trip() -> None:
    cfg = fresh(PUTER_TIMEOUT="12")
    assert copy.copy(cfg) == cfg
    assert copy.deepcopy(cfg) == cfg
    assert pickle.loads(pickle.dumps(cfg)) == cfg


def test_a_config_never_equals_a_non_config() -> None:
    assert fresh() != fresh().to_dict()


def test_repr_shows_every_option() -> None:
    text = repr(fresh())
    assert text.startswith("PuterConfig(api_base='https://api.puter.com', ")
    assert "timeout=30" in text
    assert "rate_limit_period=60, hosting_domain=None)" in text
