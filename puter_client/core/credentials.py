"""Saved logins: the token file that ``puter login``, the CLI and ``PuterAI(token_cache=)``
share, so that a session token is reused instead of logging in again (a server allows
about 10 logins per 15 minutes per client; its session tokens do not expire).

The file is JSON ``{"logins": [{"token", "api_base", "login_url", "username", "current"},
...]}``, one entry per login URL and username (``current``: the one ``puter login`` chose
for its server, the account the command line acts as there), kept in the user's config
directory with permissions 0600. A file that group or others can read is refused, never
used. A token is only used for the ``api_base`` it was issued for, so it is never sent to
another host.
Several processes may share the file: changes are made under an exclusive lock and
written atomically (a temporary file renamed over it), so readers never see half a file.
A file written by an older version (one login at the top level) is still read.

Every failure is one exception whose message names the file and what to do:
`TokenFileError` (an ``OSError``) when the file or its directory cannot be found, read,
written or trusted, ``ValueError`` when the file holds no saved login.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

__all__ = [
    "CONFIG_DIR_ENV",
    "TOKEN_CACHE_ENV",
    "InsecureTokenFileError",
    "SavedLogin",
    "TokenCache",
    "TokenFileError",
    "current_logins",
    "delete_login",
    "load_login",
    "save_login",
    "token_cache_from",
    "token_path",
]

CONFIG_DIR_ENV = "PUTER_CONFIG_DIR"
TOKEN_CACHE_ENV = "PUTER_TOKEN_CACHE"
TOKEN_FILE_NAME = "token.json"
_OFF = frozenset({"", "0", "false", "no", "off"})
_ON = frozenset({"1", "true", "yes", "on"})


class TokenFileError(OSError):
    """The token file (or its directory) cannot be found, read, written or trusted."""


class InsecureTokenFileError(TokenFileError, PermissionError):
    """The token file can be read by group or others."""


@attrs.frozen
class SavedLogin:
    """A saved session token (``repr`` hides it), for ``api_base``; ``login_url`` and
    ``username`` say which login it came from (None: ``puter login`` of an older version).

    ``current`` marks the login ``puter login`` chose for that server: the account the
    command line acts as there. Logins kept by a token cache (``PuterAI(token_cache=...)``,
    a command given ``PUTER_USERNAME``/``PUTER_PASSWORD``) are not current, so they never
    change who the command line is.
    """

    token: str = attrs.field(repr=False)
    api_base: str
    username: str | None = None
    login_url: str | None = None
    current: bool = attrs.field(default=False, eq=False)

    def matches(self, api_base: str, login_url: str | None, username: str | None) -> bool:
        """Whether this login serves ``api_base`` (and the given login URL and username)."""
        return (
            _same_url(self.api_base, api_base)
            and (
                login_url is None or self.login_url is None or _same_url(self.login_url, login_url)
            )
            and (username is None or self.username == username)
        )


def config_dir() -> Path:
    """``$PUTER_CONFIG_DIR``, else the platform's per-user config directory + ``puter``."""
    explicit = os.environ.get(CONFIG_DIR_ENV)
    if explicit:
        return Path(explicit)
    if sys.platform == "win32":
        base = os.environ.get("APPDATA") or str(_home() / "AppData" / "Roaming")
    else:
        base = os.environ.get("XDG_CONFIG_HOME") or str(_home() / ".config")
    return Path(base) / "puter"


def _home() -> Path:
    try:
        return Path.home()
    except RuntimeError:  # no $HOME, and the user has no home directory either
        raise TokenFileError(
            f"cannot tell where to keep the saved login (no home directory); set {CONFIG_DIR_ENV}"
        ) from None


def token_path() -> Path:
    """Where saved logins are kept by default."""
    return config_dir() / TOKEN_FILE_NAME


def token_cache_from(setting: bool | str | os.PathLike[str] | None) -> TokenCache | None:
    """The cache ``PuterAI(token_cache=...)`` asks for: ``True`` the default file, a path
    that file, ``False`` none, ``None`` whatever ``$PUTER_TOKEN_CACHE`` says (``1`` the
    default file, a path that file, unset or ``0`` none)."""
    if setting is None:
        raw = os.environ.get(TOKEN_CACHE_ENV, "").strip()
        if raw.lower() in _OFF:
            return None
        return TokenCache() if raw.lower() in _ON else TokenCache(Path(raw).expanduser())
    if isinstance(setting, bool):
        return TokenCache() if setting else None
    if isinstance(setting, (str, os.PathLike)):
        return TokenCache(Path(setting).expanduser())
    raise TypeError(f"token_cache must be a bool or a path, not {type(setting).__name__}")


class TokenCache:
    """The saved logins of one token file (``path``, default: ``token_path()``)."""

    def __init__(self, path: Path | None = None) -> None:
        self._path = path

    @property
    def path(self) -> Path:
        """The token file (the default one is found when first needed)."""
        return self._path if self._path is not None else token_path()

    def __repr__(self) -> str:
        return f"TokenCache({str(self.path)!r})"

    def find(
        self, api_base: str, *, login_url: str | None = None, username: str | None = None
    ) -> SavedLogin | None:
        """The newest saved login for ``api_base`` (and ``login_url``/``username`` when
        given), or None.

        Raises ``InsecureTokenFileError`` when group or others may read the file,
        ``TokenFileError`` when it cannot be read, ``ValueError`` when it is not a token
        file.
        """
        for login in reversed(self._read()):
            if login.matches(api_base, login_url, username):
                return login
        return None

    def current(self, api_base: str) -> SavedLogin | None:
        """The login ``puter login`` made current for ``api_base``, or None.

        Raises as `find` does.
        """
        for login in reversed(self._read()):
            if login.current and _same_url(login.api_base, api_base):
                return login
        return None

    def current_logins(self) -> list[SavedLogin]:
        """The current login of every server that has one (newest last)."""
        return [login for login in self._read() if login.current]

    def save(self, login: SavedLogin) -> Path:
        """Keep ``login``, replacing the one of the same API, login URL and username.

        A ``current`` login stops any other being current for its server; a login that
        is not current replacing one that was stays current (the same account logged in
        again).
        """
        with self._locked():
            kept: list[SavedLogin] = []
            for old in self._trusted():
                same_server = _same_url(old.api_base, login.api_base)
                if (
                    same_server
                    and old.login_url == login.login_url
                    and (old.username == login.username)
                ):
                    if old.current and not login.current:
                        login = attrs.evolve(login, current=True)
                    continue
                if same_server and login.current and old.current:
                    old = attrs.evolve(old, current=False)
                kept.append(old)
            self._write([*kept, login])
        return self.path

    def forget(self, token: str) -> None:
        """Drop every saved login holding ``token`` (the server refused it)."""
        with self._locked():
            logins = self._trusted()
            kept = [login for login in logins if login.token != token]
            if len(kept) != len(logins):
                self._write(kept)

    def delete(self) -> bool:
        """Remove the token file; whether there was one."""
        path = self.path
        with _token_file_errors("cannot remove the saved login", path):
            try:
                path.unlink()
            except FileNotFoundError:
                return False
        return True

    # ----------------------------------------------------------------- the file

    def _trusted(self) -> list[SavedLogin]:
        """The logins a change keeps: none of a corrupt file, or of one others could read
        (it is replaced by a private one)."""
        try:
            return self._read(corrupt_ok=True)
        except InsecureTokenFileError:
            return []

    def _read(self, *, corrupt_ok: bool = False) -> list[SavedLogin]:
        path = self.path
        with _token_file_errors("cannot read the saved login", path):
            try:
                mode = path.stat().st_mode
            except FileNotFoundError:
                return []
            if not stat.S_ISREG(mode):  # never open a FIFO or device: reading could block
                raise TokenFileError(f"{path} is not a file; remove it")
            if sys.platform != "win32" and stat.S_IMODE(mode) & 0o077:
                raise InsecureTokenFileError(
                    f"{path} is readable by others (mode {stat.S_IMODE(mode):o}); refusing "
                    f"to use it. Run 'chmod 600 {path}' or 'puter logout'."
                )
            text = path.read_bytes()
        logins = _parsed(text)
        if logins is None:
            if corrupt_ok:
                return []  # a save replaces a corrupt file
            raise ValueError(f"{path} is not a token file; run 'puter logout'")
        return logins

    def _write(self, logins: list[SavedLogin]) -> None:
        path = self.path
        data = json.dumps({"logins": [attrs.asdict(login) for login in logins]}).encode()
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with _token_file_errors("cannot save the login in", path):
            try:
                fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
                with os.fdopen(fd, "wb") as file:
                    os.fchmod(fd, 0o600)
                    file.write(data)
                os.replace(temporary, path)
            except BaseException:
                with contextlib.suppress(OSError):
                    temporary.unlink()
                raise

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Hold the file's lock (a ``.lock`` file beside it) for a read-modify-write."""
        path = self.path
        with _token_file_errors("cannot save the login in", path):
            path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            fd = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
        try:
            _lock(fd)
            yield
        finally:
            os.close(fd)  # closing releases the lock


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: no advisory locks; atomic replace still holds
        return
    fcntl.flock(fd, fcntl.LOCK_EX)


def _same_url(a: str, b: str) -> bool:
    return a.rstrip("/") == b.rstrip("/")


def _parsed(text: bytes) -> list[SavedLogin] | None:
    """The saved logins in a token file's bytes, or None if they hold none."""
    try:
        data = json.loads(text)
    except ValueError:  # also undecodable bytes
        return None
    if not isinstance(data, dict):
        return None
    entries = data.get("logins")
    legacy = entries is None
    if legacy:  # one login at the top level: written by an older version's `puter login`
        entries = [data]
    if not isinstance(entries, list):
        return None
    logins = [_login_of(entry, current=legacy) for entry in entries]
    if not logins or any(login is None for login in logins):
        return None
    return [login for login in logins if login is not None]


def _login_of(entry: Any, *, current: bool = False) -> SavedLogin | None:
    if not isinstance(entry, dict):
        return None
    token, api_base = entry.get("token"), entry.get("api_base")
    username, login_url = entry.get("username"), entry.get("login_url")
    if not (isinstance(token, str) and isinstance(api_base, str)):
        return None
    if not all(value is None or isinstance(value, str) for value in (username, login_url)):
        return None
    marked = entry.get("current", current)
    if not isinstance(marked, bool):
        return None
    return SavedLogin(
        token=token, api_base=api_base, username=username, login_url=login_url, current=marked
    )


# --------------------------------------------------- the command line's saved login


def save_login(login: SavedLogin) -> Path:
    """Keep ``login`` in the default token file (mode 0600) as the current login of its
    server (``puter login``); return the file's path."""
    return TokenCache().save(attrs.evolve(login, current=True))


def load_login(api_base: str) -> SavedLogin | None:
    """The login ``puter login`` made current for ``api_base``, or None."""
    return TokenCache().current(api_base)


def current_logins() -> list[SavedLogin]:
    """The current login of every server in the default token file (``puter login``)."""
    return TokenCache().current_logins()


def delete_login() -> bool:
    """Remove the default token file; whether there was one."""
    return TokenCache().delete()


@contextlib.contextmanager
def _token_file_errors(action: str, path: Path) -> Iterator[None]:
    """Turn an ``OSError`` about ``path`` into a `TokenFileError` saying ``action``."""
    try:
        yield
    except TokenFileError:
        raise
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise TokenFileError(f"{action} {path}: {reason}") from exc
