"""SDK configuration: the documented options, their defaults and ``PUTER_*`` variables.

``config`` is the process-wide default, built from the environment when this module is
imported. Each ``PuterAI`` client works on its own copy (``config.with_overrides(...)``),
so per-client overrides never leak into other clients.

Values are validated on every change: a bad value raises ``ValueError`` naming the
option (and the environment variable it came from), an unknown option name raises
``TypeError``, and a failed ``update`` changes nothing.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple, TypedDict
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["ConfigOptions", "PuterConfig", "config"]


class ConfigOptions(TypedDict, total=False):
    """Keyword arguments accepted by ``PuterConfig.update`` and ``with_overrides``."""

    api_base: str
    login_url: str
    timeout: float
    max_retries: int
    retry_delay: float
    backoff_factor: float
    rate_limit_requests: int
    rate_limit_period: float
    hosting_domain: str | None


class _Option(NamedTuple):
    name: str
    env_var: str
    default: object
    # Turns a Python value into the stored value or raises ValueError (reason only).
    convert: Callable[[object], object]
    # Turns an environment string into a Python value for ``convert``.
    parse_env: Callable[[str], object]


def _reject_bool(value: object) -> None:
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not a bool ({value!r})")


def _number(value: object) -> int | float:
    _reject_bool(value)
    if not isinstance(value, (int, float)):
        raise ValueError(f"must be a number, got {value!r}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"must be a finite number, got {value!r}")
    return value


def _integer(value: object) -> int:
    number = _number(value)
    if isinstance(number, float):
        if not number.is_integer():
            raise ValueError(f"must be a whole number, got {value!r}")
        return int(number)
    return number


def _positive(value: object) -> int | float:
    """A number > 0; an int stays an int, a float stays a float."""
    number = _number(value)
    if number <= 0:
        raise ValueError(f"must be greater than 0, got {value!r}")
    return number


def _non_negative_float(value: object) -> float:
    number = _number(value)
    if number < 0:
        raise ValueError(f"must be 0 or greater, got {value!r}")
    return float(number)


def _backoff(value: object) -> float:
    number = _number(value)
    if number < 1:
        raise ValueError(f"must be 1 or greater, got {value!r}")
    return float(number)


def _non_negative_int(value: object) -> int:
    number = _integer(value)
    if number < 0:
        raise ValueError(f"must be 0 or greater, got {value!r}")
    return number


def _positive_int(value: object) -> int:
    number = _integer(value)
    if number < 1:
        raise ValueError(f"must be 1 or greater, got {value!r}")
    return number


def _url(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be an http(s) URL string, got {value!r}")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise ValueError(f"must be an http(s) URL, got {value!r} ({exc})") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be an http(s) URL with a host, got {value!r}")
    if any(ch.isspace() for ch in value):
        raise ValueError(f"must not contain whitespace, got {value!r}")
    return value


def _api_base(value: object) -> str:
    return _url(value).rstrip("/")


def _hosting_domain(value: object) -> str | None:
    """A host (``puter.site``), a host and port (``site.puter.localhost:4100``), or an
    origin with its scheme (``http://site.puter.localhost:4100``); None: derived from
    ``api_base``."""
    if value is None:
        return None
    if not isinstance(value, str) or not value or any(ch.isspace() for ch in value):
        raise ValueError(f"must be a host name or an http(s) origin, got {value!r}")
    origin = value if "://" in value else f"http://{value}"
    try:
        parts = urlsplit(origin)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise ValueError(
            f"must be a host name or an http(s) origin, got {value!r} ({exc})"
        ) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise ValueError(f"must be a host name or an http(s) origin, got {value!r}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError(f"must be a host name or an origin without a path, got {value!r}")
    return value


def _parse_env_text(raw: str) -> object:
    return raw


def _parse_env_number(raw: str) -> object:
    try:
        return int(raw)
    except ValueError:
        pass
    try:
        return float(raw)
    except ValueError:
        raise ValueError(f"must be a number, got {raw!r}") from None


_OPTIONS: tuple[_Option, ...] = (
    _Option("api_base", "PUTER_API_BASE", "https://api.puter.com", _api_base, _parse_env_text),
    _Option("login_url", "PUTER_LOGIN_URL", "https://puter.com/login", _url, _parse_env_text),
    _Option("timeout", "PUTER_TIMEOUT", 30, _positive, _parse_env_number),
    _Option("max_retries", "PUTER_MAX_RETRIES", 3, _non_negative_int, _parse_env_number),
    _Option("retry_delay", "PUTER_RETRY_DELAY", 1.0, _non_negative_float, _parse_env_number),
    _Option("backoff_factor", "PUTER_BACKOFF_FACTOR", 2.0, _backoff, _parse_env_number),
    _Option(
        "rate_limit_requests", "PUTER_RATE_LIMIT_REQUESTS", 10, _positive_int, _parse_env_number
    ),
    _Option("rate_limit_period", "PUTER_RATE_LIMIT_PERIOD", 60, _positive, _parse_env_number),
    _Option("hosting_domain", "PUTER_HOSTING_DOMAIN", None, _hosting_domain, _parse_env_text),
)
_BY_NAME: dict[str, _Option] = {option.name: option for option in _OPTIONS}


def _validated(options: Mapping[str, object]) -> dict[str, object]:
    """Check and convert option values given in Python; raises before anything changes."""
    unknown = [name for name in options if name not in _BY_NAME]
    if unknown:
        known = ", ".join(_BY_NAME)
        raise TypeError(
            f"unknown configuration option(s): {', '.join(sorted(unknown))} (known: {known})"
        )
    result: dict[str, object] = {}
    for name, value in options.items():
        try:
            result[name] = _BY_NAME[name].convert(value)
        except ValueError as exc:
            raise ValueError(f"invalid value for {name}: {exc}") from None
    return result


def _from_environ(environ: Mapping[str, str]) -> dict[str, object]:
    result: dict[str, object] = {}
    for option in _OPTIONS:
        raw = environ.get(option.env_var)
        if raw is None or not raw.strip():
            # An empty variable (``export PUTER_TIMEOUT=``) means "not set".
            continue
        try:
            result[option.name] = option.convert(option.parse_env(raw.strip()))
        except ValueError as exc:
            raise ValueError(
                f"invalid value for {option.name} "
                f"(from environment variable {option.env_var}): {exc}"
            ) from None
    return result


class PuterConfig:
    """The SDK's settings, with defaults overridden by ``PUTER_*`` environment variables.

    ``PuterConfig()`` reads ``os.environ`` (or ``environ`` when given) once, at creation;
    keyword ``options`` are applied on top. Attributes can be read directly
    (``config.timeout``); change them with ``update(...)`` or plain assignment, both
    validated. Instances compare equal when all options are equal.
    """

    OPTION_NAMES: ClassVar[frozenset[str]] = frozenset(_BY_NAME)
    """Names of the configurable options, e.g. to split ``**overrides`` from other kwargs."""
    ENV_VARS: ClassVar[Mapping[str, str]] = {o.name: o.env_var for o in _OPTIONS}
    """Environment variable for each option."""
    DEFAULTS: ClassVar[Mapping[str, object]] = {o.name: o.default for o in _OPTIONS}
    """Default value of each option."""

    __slots__ = (
        "_lock",
        "api_base",
        "backoff_factor",
        "hosting_domain",
        "login_url",
        "max_retries",
        "rate_limit_period",
        "rate_limit_requests",
        "retry_delay",
        "timeout",
    )

    _lock: threading.Lock
    api_base: str
    """Base URL of the API host (no trailing ``/``)."""
    login_url: str
    """Full URL of the login endpoint."""
    timeout: float
    """Request timeout in seconds (an ``int`` when given as one)."""
    max_retries: int
    """Retries after the first attempt: ``3`` means up to 4 attempts."""
    retry_delay: float
    """Delay before the first retry, in seconds."""
    backoff_factor: float
    """Multiplier applied to the delay for each further retry."""
    rate_limit_requests: int
    """Requests allowed per ``rate_limit_period``."""
    rate_limit_period: float
    """Length of the rate-limit window in seconds (an ``int`` when given as one)."""
    hosting_domain: str | None
    """Where published sites are served (``client.hosting``): ``puter.site``, a host and
    port, or an origin with its scheme; None (the default) derives it from ``api_base``:
    ``puter.site`` for ``api.puter.com``, else ``site.<domain>`` with api_base's scheme
    and port, as a self-hosted server's ``static_hosting_domain``."""

    def __init__(
        self, environ: Mapping[str, str] | None = None, **options: Unpack[ConfigOptions]
    ) -> None:
        values = {o.name: o.default for o in _OPTIONS}
        values.update(_from_environ(os.environ if environ is None else environ))
        values.update(_validated(options))
        object.__setattr__(self, "_lock", threading.Lock())
        self._store(values)

    def _store(self, values: Mapping[str, object]) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def update(self, **options: Unpack[ConfigOptions]) -> None:
        """Change some options; all are validated first, so on error nothing changes."""
        values = _validated(options)
        with self._lock:
            self._store(values)

    def __setattr__(self, name: str, value: object) -> None:
        if name not in _BY_NAME:
            raise AttributeError(f"{type(self).__name__} has no option {name!r}")
        values = _validated({name: value})
        with self._lock:
            self._store(values)

    def to_dict(self) -> dict[str, object]:
        """A snapshot of all options as a plain dict."""
        with self._lock:
            return {name: getattr(self, name) for name in _BY_NAME}

    def copy(self) -> PuterConfig:
        """An independent copy (the environment is not read again)."""
        clone = object.__new__(type(self))
        object.__setattr__(clone, "_lock", threading.Lock())
        clone._store(self.to_dict())
        return clone

    def with_overrides(self, **overrides: Unpack[ConfigOptions]) -> PuterConfig:
        """A copy with ``overrides`` applied; this instance is never changed."""
        clone = self.copy()
        clone.update(**overrides)
        return clone

    def __copy__(self) -> PuterConfig:
        return self.copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> PuterConfig:
        return self.copy()

    def __reduce__(self) -> tuple[Callable[..., PuterConfig], tuple[Mapping[str, str]], Any]:
        # Rebuild from the values alone: no environment read, no lock pickled.
        return (type(self), ({},), self.to_dict())

    def __setstate__(self, state: Mapping[str, object]) -> None:
        self._store(_validated(state))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, PuterConfig):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    __hash__ = None  # type: ignore[assignment]  # mutable

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in self.to_dict().items())
        return f"{type(self).__name__}({fields})"


config: PuterConfig = PuterConfig()
"""The process-wide default configuration, read from the environment at import."""
