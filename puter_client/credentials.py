"""The command line's saved login: a token file in the user's config directory.

The file is JSON ``{"token", "api_base", "username"}``, created with permissions 0600;
a file that group or others can read is refused, never used. A token is only used for
the ``api_base`` it was issued for, so it is never sent to another host.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import attrs

__all__ = [
    "CONFIG_DIR_ENV",
    "InsecureTokenFileError",
    "SavedLogin",
    "delete_login",
    "load_login",
    "save_login",
    "token_path",
]

CONFIG_DIR_ENV = "PUTER_CONFIG_DIR"
TOKEN_FILE_NAME = "token.json"


class InsecureTokenFileError(PermissionError):
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
        base = os.environ.get("APPDATA") or str(Path.home() / "AppData" / "Roaming")
    else:
        base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "puter"


def token_path() -> Path:
    """Where ``puter login`` keeps the token."""
    return config_dir() / TOKEN_FILE_NAME


def save_login(login: SavedLogin) -> Path:
    """Write the token file (mode 0600, replacing any previous one); return its path."""
    path = token_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = json.dumps(attrs.asdict(login)).encode()
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        os.write(fd, data)
    finally:
        os.close(fd)
    os.replace(temporary, path)
    return path


def load_login(api_base: str) -> SavedLogin | None:
    """The saved login for ``api_base``, or None (no file, or for another host).

    Raises ``InsecureTokenFileError`` when group or others may read the file, and
    ``ValueError`` when it is not a token file.
    """
    path = token_path()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    if sys.platform != "win32" and stat.S_IMODE(mode) & 0o077:
        raise InsecureTokenFileError(
            f"{path} is readable by others (mode {stat.S_IMODE(mode):o}); refusing to use it. "
            f"Run 'chmod 600 {path}' or 'puter logout'."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        login = SavedLogin(
            token=str(data["token"]),
            api_base=str(data["api_base"]),
            username=data.get("username"),
        )
    except (ValueError, KeyError, TypeError):
        raise ValueError(f"{path} is not a token file; run 'puter logout'") from None
    return login if login.api_base.rstrip("/") == api_base.rstrip("/") else None


def delete_login() -> bool:
    """Remove the token file; whether there was one."""
    try:
        token_path().unlink()
    except FileNotFoundError:
        return False
    return True
