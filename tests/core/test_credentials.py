"""The command line's saved login: a 0600 token file, used only for its own api_base."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from puter_client.core.credentials import (
    CONFIG_DIR_ENV,
    InsecureTokenFileError,
    SavedLogin,
    TokenCache,
    config_dir,
    current_logins,
    delete_login,
    load_login,
    save_login,
    token_path,
)

API = "http://127.0.0.1:8765"
LOGIN = SavedLogin(token="secret-token", api_base=API, username="alice")


@pytest.fixture(autouse=True)
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``PUTER_CONFIG_DIR`` points at a directory of this test's own."""
    directory = tmp_path / "config" / "puter"
    monkeypatch.setenv(CONFIG_DIR_ENV, str(directory))
    return directory


@pytest.fixture
def umask_zero() -> Iterator[None]:
    """The most permissive umask, as a careless environment might have."""
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# ------------------------------------------------------------------ where it lives


def test_the_config_dir_variable_names_the_directory(config_home: Path) -> None:
    assert config_dir() == config_home
    assert token_path() == config_home / "token.json"


def test_without_the_variable_the_xdg_config_home_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CONFIG_DIR_ENV)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))

    assert config_dir() == tmp_path / "xdg" / "puter"


def test_without_any_variable_the_home_config_directory_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(CONFIG_DIR_ENV)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))

    assert config_dir() == tmp_path / ".config" / "puter"


# ------------------------------------------------------------------ saving


def test_a_saved_login_is_a_json_file_readable_by_its_owner_only() -> None:
    path = save_login(LOGIN)

    assert path == token_path()
    assert mode(path) == 0o600
    assert json.loads(path.read_text()) == {
        "logins": [
            {
                "token": "secret-token",
                "api_base": API,
                "username": "alice",
                "login_url": None,
                "current": True,
            }
        ]
    }


def test_the_directory_made_for_the_token_is_private(config_home: Path) -> None:
    save_login(LOGIN)

    assert mode(config_home) & 0o077 == 0


def test_the_token_file_is_private_even_under_a_permissive_umask(umask_zero: None) -> None:
    assert mode(save_login(LOGIN)) == 0o600


def test_saving_again_replaces_the_previous_login_and_leaves_no_temporary_file(
    config_home: Path,
) -> None:
    save_login(SavedLogin(token="old", api_base=API))

    save_login(LOGIN)

    assert not [p.name for p in config_home.iterdir() if p.name.endswith(".tmp")]
    assert load_login(API) == LOGIN


def test_saving_over_a_permissive_file_makes_it_private() -> None:
    path = save_login(LOGIN)
    path.chmod(0o644)

    save_login(LOGIN)

    assert mode(path) == 0o600


def test_the_token_does_not_appear_in_the_saved_login_repr() -> None:
    assert "secret-token" not in repr(LOGIN)


# ------------------------------------------------------------------ loading


def test_no_file_means_no_saved_login() -> None:
    assert load_login(API) is None


def test_a_saved_login_is_loaded_for_its_own_api_base() -> None:
    save_login(LOGIN)

    assert load_login(API) == LOGIN


def test_a_trailing_slash_does_not_make_another_api_base() -> None:
    save_login(LOGIN)

    assert load_login(API + "/") == LOGIN


@pytest.mark.parametrize(
    "other", ["https://api.puter.com", "http://127.0.0.1:9999", "http://localhost:8765"]
)
def test_a_token_saved_for_one_api_base_is_not_given_for_another(other: str) -> None:
    save_login(LOGIN)

    assert load_login(other) is None


@pytest.mark.parametrize("permissions", [0o640, 0o604, 0o660, 0o644, 0o666])
def test_a_token_file_that_others_can_read_is_refused(permissions: int) -> None:
    path = save_login(LOGIN)
    path.chmod(permissions)

    with pytest.raises(InsecureTokenFileError) as caught:
        load_login(API)

    assert isinstance(caught.value, PermissionError)
    assert str(path) in str(caught.value)
    assert f"chmod 600 {path}" in str(caught.value)


def test_a_file_that_is_no_token_file_is_reported_as_such() -> None:
    path = token_path()
    path.parent.mkdir(parents=True)
    path.write_text("not json")
    path.chmod(0o600)

    with pytest.raises(ValueError, match="not a token file"):
        load_login(API)


def test_a_token_file_without_a_token_is_reported_as_such() -> None:
    path = token_path()
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"api_base": API}))
    path.chmod(0o600)

    with pytest.raises(ValueError, match="not a token file"):
        load_login(API)


# ------------------------------------------------------------------ deleting


def test_deleting_the_saved_login_removes_the_file() -> None:
    path = save_login(LOGIN)

    assert delete_login() is True
    assert not path.exists()


def test_deleting_when_there_is_no_saved_login_says_so() -> None:
    assert delete_login() is False


# ------------------------------------------------ the login `puter login` made current


def test_a_login_kept_by_a_token_cache_does_not_replace_the_current_one() -> None:
    save_login(LOGIN)
    TokenCache().save(SavedLogin(token="bob-token", api_base=API, username="bob"))

    assert load_login(API) == LOGIN


def test_a_token_cache_alone_gives_the_command_line_no_login() -> None:
    TokenCache().save(LOGIN)

    assert load_login(API) is None


def test_a_new_puter_login_replaces_the_current_account_of_its_server() -> None:
    save_login(LOGIN)
    bob = SavedLogin(token="bob-token", api_base=API, username="bob")
    save_login(bob)

    assert load_login(API) == bob
    assert [login.username for login in current_logins()] == ["bob"]


def test_a_cached_relogin_of_the_current_account_keeps_it_current() -> None:
    save_login(LOGIN)
    fresh = SavedLogin(token="fresh-token", api_base=API, username="alice")
    TokenCache().save(fresh)

    loaded = load_login(API)
    assert loaded is not None and loaded.token == "fresh-token"


def test_each_server_keeps_its_own_current_login() -> None:
    other = SavedLogin(token="t2", api_base="https://api.puter.com", username="bob")
    save_login(LOGIN)
    save_login(other)

    assert load_login(API) == LOGIN
    assert load_login("https://api.puter.com") == other


def test_the_single_login_of_an_older_version_is_current(config_home: Path) -> None:
    config_home.mkdir(parents=True)
    path = token_path()
    path.write_text(json.dumps({"token": "old", "api_base": API}))
    path.chmod(0o600)

    loaded = load_login(API)
    assert loaded is not None and loaded.token == "old" and loaded.current


def test_a_current_mark_that_is_not_a_boolean_is_no_token_file(config_home: Path) -> None:
    config_home.mkdir(parents=True)
    path = token_path()
    entry = {"token": "t", "api_base": API, "current": "yes"}
    path.write_text(json.dumps({"logins": [entry]}))
    path.chmod(0o600)

    with pytest.raises(ValueError, match="not a token file"):
        load_login(API)
