"""The command line's saved login: a token file in the user's config directory.

The file is JSON ``{"token", "api_base", "username"}``, created with permissions 0600;
a file that group or others can read is refused, never used. A token is only used for
the ``api_base`` it was issued for, so it is never sent to another host.

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

import attrs

__all__ = [
    "CONFIG_DIR_ENV",
    "InsecureTokenFileError",
    "SavedLogin",
    "TokenFileError",
    "delete_login",
    "load_login",
    "save_login",
    "token_path",
]

CONFIG_DIR_ENV = "PUTER_CONFIG_DIR"
TOKEN_FILE_NAME = "token.json"


class TokenFileError(OSError):
    """The token file (or its directory) cannot be found, read, written or trusted."""


class InsecureTokenFileError(TokenFileError, PermissionError):
    """The token file can be read by group or others."""


@attrs.frozen
class SavedLogin:
    """A token saved by ``puter login`` (``repr`` hides the token)."""

    token: str = attrs.field(repr=False)
    api_base: str
    username: str | None = None


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
    """Where ``puter login`` keeps the token."""
    return config_dir() / TOKEN_FILE_NAME


def save_login(login: SavedLogin) -> Path:
    """Write the token file (mode 0600, replacing any previous one); return its path."""
    path = token_path()
    data = json.dumps(attrs.asdict(login)).encode()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with _token_file_errors("cannot save the login in", path):
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
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
    return path


def load_login(api_base: str) -> SavedLogin | None:
    """The saved login for ``api_base``, or None (no file, or for another host).

    Raises ``InsecureTokenFileError`` when group or others may read the file,
    ``TokenFileError`` when it cannot be read, and ``ValueError`` when it is not a token
    file.
    """
    path = token_path()
    with _token_file_errors("cannot read the saved login", path):
        try:
            mode = path.stat().st_mode
        except FileNotFoundError:
            return None
        if not stat.S_ISREG(mode):  # never open a FIFO or device: reading could block
            raise TokenFileError(f"{path} is not a file; remove it")
        if sys.platform != "win32" and stat.S_IMODE(mode) & 0o077:
            raise InsecureTokenFileError(
                f"{path} is readable by others (mode {stat.S_IMODE(mode):o}); refusing to "
                f"use it. Run 'chmod 600 {path}' or 'puter logout'."
            )
        text = path.read_bytes()
    login = _parsed(text)
    if login is None:
        raise ValueError(f"{path} is not a token file; run 'puter logout'")
    return login if login.api_base.rstrip("/") == api_base.rstrip("/") else None


def _parsed(text: bytes) -> SavedLogin | None:
    """The saved login in a token file's bytes, or None if they hold none."""
    try:
        data = json.loads(text)
    except ValueError:  # also undecodable bytes
        return None
    if not isinstance(data, dict):
        return None
    token, api_base, username = data.get("token"), data.get("api_base"), data.get("username")
    if not (isinstance(token, str) and isinstance(api_base, str)):
        return None
    if username is not None and not isinstance(username, str):
        return None
    return SavedLogin(token=token, api_base=api_base, username=username)


def delete_login() -> bool:
    """Remove the token file; whether there was one."""
    path = token_path()
    with _token_file_errors("cannot remove the saved login", path):
        try:
            path.unlink()
        except FileNotFoundError:
            return False
    return True


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
