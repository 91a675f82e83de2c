"""The token cache: saved logins keyed by API, login URL and username, shared safely by
several processes, refused when others can read it, and an older file still read."""

from __future__ import annotations

import json
import multiprocessing
import os
from pathlib import Path

import pytest

from puter_client.core.credentials import (
    CONFIG_DIR_ENV,
    TOKEN_CACHE_ENV,
    InsecureTokenFileError,
    SavedLogin,
    TokenCache,
    token_cache_from,
)

API = "http://127.0.0.1:8765"
LOGIN_URL = "http://127.0.0.1:8766/login"


def login(username: str, token: str, *, api_base: str = API) -> SavedLogin:
    return SavedLogin(token=token, api_base=api_base, username=username, login_url=LOGIN_URL)


@pytest.fixture
def cache(tmp_path: Path) -> TokenCache:
    return TokenCache(tmp_path / "puter" / "token.json")


def test_each_username_keeps_its_own_token(cache: TokenCache) -> None:
    cache.save(login("alice", "a"))
    cache.save(login("bob", "b"))

    assert cache.find(API, login_url=LOGIN_URL, username="alice") == login("alice", "a")
    assert cache.find(API, login_url=LOGIN_URL, username="bob") == login("bob", "b")


def test_a_new_login_replaces_the_token_of_the_same_username(cache: TokenCache) -> None:
    cache.save(login("alice", "old"))
    cache.save(login("alice", "new"))

    assert cache.find(API, username="alice") == login("alice", "new")
    assert len(json.loads(cache.path.read_text())["logins"]) == 1


def test_a_token_is_found_only_for_the_api_it_was_issued_for(cache: TokenCache) -> None:
    cache.save(login("alice", "a", api_base="https://api.puter.com"))

    assert cache.find(API, username="alice") is None


def test_a_token_is_found_only_for_its_login_url(cache: TokenCache) -> None:
    cache.save(login("alice", "a"))

    assert cache.find(API, login_url="http://elsewhere/login", username="alice") is None


def test_a_refused_token_is_forgotten(cache: TokenCache) -> None:
    cache.save(login("alice", "a"))
    cache.save(login("bob", "b"))

    cache.forget("a")

    assert cache.find(API, username="alice") is None
    assert cache.find(API, username="bob") == login("bob", "b")


def test_the_file_of_an_older_version_is_still_read(cache: TokenCache) -> None:
    cache.path.parent.mkdir(parents=True)
    cache.path.write_text(json.dumps({"token": "t", "api_base": API, "username": "alice"}))
    cache.path.chmod(0o600)

    assert cache.find(API, login_url=LOGIN_URL, username="alice") == SavedLogin(
        token="t", api_base=API, username="alice"
    )


def test_a_cache_others_can_read_is_refused(cache: TokenCache) -> None:
    cache.save(login("alice", "a"))
    cache.path.chmod(0o644)

    with pytest.raises(InsecureTokenFileError, match="readable by others"):
        cache.find(API, username="alice")


def test_saving_over_a_cache_others_could_read_drops_its_tokens(cache: TokenCache) -> None:
    cache.save(login("alice", "a"))
    cache.path.chmod(0o644)

    cache.save(login("bob", "b"))

    assert cache.path.stat().st_mode & 0o777 == 0o600
    assert cache.find(API, username="alice") is None


def test_the_repr_shows_the_file_and_no_token(cache: TokenCache) -> None:
    cache.save(login("alice", "secret-token"))

    assert "secret-token" not in repr(cache) + repr(cache.find(API, username="alice"))


def _save_in_a_child(path: str, username: str) -> None:
    for round_ in range(20):
        TokenCache(Path(path)).save(login(username, f"{username}-{round_}"))


def test_processes_saving_at_once_lose_no_login(cache: TokenCache) -> None:
    users = [f"user{i}" for i in range(6)]
    context = multiprocessing.get_context("spawn")
    children = [
        context.Process(target=_save_in_a_child, args=(str(cache.path), user)) for user in users
    ]
    for child in children:
        child.start()
    for child in children:
        child.join(120)

    assert [child.exitcode for child in children] == [0] * len(users)
    for user in users:
        assert cache.find(API, username=user) == login(user, f"{user}-19")


# --- which cache a client asks for -------------------------------------------------------


def test_true_means_the_default_token_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path))
    cache = token_cache_from(True)

    assert cache is not None and cache.path == tmp_path / "token.json"


def test_a_path_means_that_file(tmp_path: Path) -> None:
    cache = token_cache_from(tmp_path / "mine.json")

    assert cache is not None and cache.path == tmp_path / "mine.json"


@pytest.mark.parametrize("setting", [False, None])
def test_no_cache_unless_asked(setting: bool | None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(TOKEN_CACHE_ENV, raising=False)

    assert token_cache_from(setting) is None


@pytest.mark.parametrize(("value", "expected"), [("1", "default"), ("true", "default"),
                                                 ("0", None), ("", None), ("off", None),
                                                 ("~/t.json", "home")])  # fmt: skip
def test_the_environment_variable_asks_for_a_cache(
    value: str, expected: str | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(CONFIG_DIR_ENV, str(tmp_path))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv(TOKEN_CACHE_ENV, value)
    cache = token_cache_from(None)

    paths = {"default": tmp_path / "token.json", "home": tmp_path / "home" / "t.json"}
    assert (cache.path if cache else None) == (paths[expected] if expected else None)


def test_anything_else_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="token_cache must be a bool or a path"):
        token_cache_from(3)  # type: ignore[arg-type]


def test_a_cache_path_need_not_exist_yet(tmp_path: Path) -> None:
    cache = TokenCache(tmp_path / "new" / "token.json")

    assert cache.find(API) is None
    assert not os.path.exists(tmp_path / "new")
