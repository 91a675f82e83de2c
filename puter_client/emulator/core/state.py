"""What the emulated server knows: users, sessions, the catalog, the mode and options."""

from __future__ import annotations

import copy
import dataclasses
import itertools
import secrets
import threading
import time
import uuid
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from puter_client.emulator.core.blobs import BlobStore, MemoryBlobStore
from puter_client.emulator.core.clock import Clock
from puter_client.emulator.core.errors import Surface
from puter_client.emulator.core.metering import Metering
from puter_client.emulator.core.ratelimit import (
    HELD_SLOTS,
    RateLimit,
    RateLimiter,
    Tier,
    default_rate_limits,
    too_many_requests,
)
from puter_client.emulator.core.tokens import TokenSigner
from puter_client.emulator.services.apps.store import AppStore
from puter_client.emulator.services.chat.catalog import Catalog, ModelInfo
from puter_client.emulator.services.fs.tree import FileSystem
from puter_client.emulator.services.hosting.store import WORKER_PREFIX, SiteStore
from puter_client.emulator.services.kv.store import KvStore

_UUID_NAMESPACE = uuid.UUID("6f0c5a52-51f5-4a8e-9e0e-8d3c0f3b7a10")


@dataclass
class User:
    """An account of the emulated server."""

    username: str
    password: str
    email: str = ""
    #: Deterministic (derived from the username) unless given.
    uuid: str = ""
    email_confirmed: bool = True
    suspended: bool = False
    #: Two-factor accounts log in in two steps; the second needs this code.
    otp_code: str | None = None
    #: Without credits, paid models answer 402 ``insufficient_funds``.
    has_credits: bool = True
    is_temp: bool = False
    #: The subscription policy the server's limits and allowance follow (a temporary
    #: account is ``temp``, and ``is_temp`` follows ``tier="temp"``).
    tier: Tier = "free"

    def __post_init__(self) -> None:
        if self.is_temp:
            self.tier = "temp"
        elif self.tier == "temp":
            self.is_temp = True
        if not self.email:
            self.email = f"{self.username}@example.com"
        if not self.uuid:
            self.uuid = str(uuid.uuid5(_UUID_NAMESPACE, self.username))

    def summary(self) -> dict[str, Any]:
        """The ``user`` object of a successful login."""
        return {
            "username": self.username,
            "uuid": self.uuid,
            "email": self.email,
            "email_confirmed": self.email_confirmed,
            "is_temp": self.is_temp,
        }


def default_users() -> list[User]:
    """The accounts every emulator starts with (password: ``<username>-password``)."""
    return [
        User("alice", "alice-password"),
        User("otp_user", "otp_user-password", otp_code="123456"),
        User("suspended_user", "suspended_user-password", suspended=True),
        User("broke_user", "broke_user-password", has_credits=False),
        User("unconfirmed_user", "unconfirmed_user-password", email_confirmed=False),
    ]


@dataclass
class Options:
    """Tunable behaviour; `EmulatorState.reset` restores the values given at start."""

    #: Failed logins allowed per client within ``login_failure_window`` before 429.
    login_failure_limit: int = 10
    login_failure_window: float = 15 * 60.0
    #: Logins of any outcome allowed per client within ``login_failure_window`` before
    #: 429, as a real server counts them (10); None counts only the failures (the
    #: default, so that test suites may log in freely).
    login_limit: int | None = None
    #: When set, every login answers the "captcha required" error.
    captcha_required: bool = False
    #: Seconds to wait before each streamed line after the first.
    stream_line_delay: float = 0.0
    #: Characters of reply text per streamed ``text`` line.
    stream_chunk_chars: int = 12
    max_body_bytes: int = 50 * 1024 * 1024
    #: The chat model used when ``args.model`` is absent. None (the default) answers like
    #: a real server, which has no default provider: 400 ``Model not found: undefined``.
    default_model: str | None = None
    #: Per-user rate limits by scope (see `default_rate_limits`); remove a scope, or
    #: ``clear()`` the dict, to lift its limit.
    rate_limits: dict[str, RateLimit] = dataclasses.field(default_factory=default_rate_limits)
    #: Bytes each user may store (``/df`` capacity); past it writes answer 413.
    storage_capacity: int = 83_049_754_624
    #: Answer the AI media drivers as a server without provider keys does.
    keyless: bool = False
    #: Point the media URLs the drivers answer (the test-mode samples, generated videos)
    #: at this emulator, which serves them under ``/media-samples/``, instead of at the
    #: real hosts a server names. For offline tests of fetching them.
    local_media: bool = False
    #: The monthly allowance of a registered account, in micro-cents ($0.50).
    month_usage_allowance: int = 50_000_000
    #: The monthly allowance of a temporary account ($0.25).
    temp_month_usage_allowance: int = 25_000_000
    #: Sites are served at ``<subdomain>.<static_hosting_domain>`` (the ``Host`` header).
    static_hosting_domain: str = "site.puter.localhost"
    #: Workers are served at ``<name>.<workers_domain>`` (the ``Host`` header).
    workers_domain: str = "workers.puter.localhost"
    #: The monthly allowance of a ``paid`` account (an illustrative $10).
    paid_month_usage_allowance: int = 1_000_000_000
    #: The monthly allowance of an ``unlimited`` account (a self-hosted server's $1,000,000).
    unlimited_month_usage_allowance: int = 100_000_000_000_000


class EmulatorState:
    """The server-side state; safe to change from a test thread while serving."""

    def __init__(
        self,
        *,
        users: Iterable[User] | None = None,
        catalog: Catalog | None = None,
        legacy: bool = False,
        options: Options | None = None,
        web_origin: str = "https://puter.com",
        clock: Clock = time.time,
        file_store: BlobStore | None = None,
    ) -> None:
        self._lock = threading.RLock()
        initial = default_users() if users is None else users
        self._initial_users = [dataclasses.replace(u) for u in initial]
        self._initial_models = (catalog or Catalog()).models
        self._initial_legacy = legacy
        self._initial_options = copy.deepcopy(options or Options())
        self._initial_clock = clock
        self.web_origin = web_origin
        #: The API host's origin once serving (``http://127.0.0.1:<port>``), else None.
        self.api_origin: str | None = None
        self.signer = TokenSigner(secrets.token_bytes(32))
        self.users: dict[str, User] = {}
        self.catalog = Catalog(self._initial_models)
        self.legacy = legacy
        self.options = copy.deepcopy(self._initial_options)
        #: Unix time in seconds for TTLs, timestamps and rate limits (replaceable by tests).
        self.clock: Clock = clock
        self.rate_limiter = RateLimiter()
        #: The key-value store of every user (``puter-kvstore``).
        self.kv = KvStore()
        #: Every registered app (``puter-apps``).
        self.apps = AppStore()
        #: Every subdomain row (``puter-subdomains``): sites and workers.
        self.sites = SiteStore()
        self.metering = Metering()
        #: Every user's files; contents in ``file_store`` (in memory unless given).
        self.fs = FileSystem(file_store or MemoryBlobStore(), lambda: self.clock())
        self.fs.hosted = self._hosted
        self._sessions: dict[str, str] = {}
        self._revoked_access_tokens: set[str] = set()
        self._access_tokens: dict[str, str] = {}
        self._csrf_tokens: dict[str, set[str]] = {}
        self._failures: dict[str, deque[float]] = {}
        self._logins: dict[str, deque[float]] = {}
        self._ids = itertools.count(1)
        self.reset()

    def reset(self, *, legacy: bool | None = None) -> None:
        """Forget sessions, failures, data and changes; restore users, catalog, options, clock."""
        with self._lock:
            self.users = {
                u.username.casefold(): dataclasses.replace(u) for u in self._initial_users
            }
            self.catalog = Catalog(self._initial_models)
            self.legacy = self._initial_legacy if legacy is None else legacy
            self.options = copy.deepcopy(self._initial_options)
            self.clock = self._initial_clock
            self.rate_limiter.clear()
            self.kv.clear()
            self.apps.clear()
            self.sites.clear()
            self.metering.clear()
            self.fs.clear()
            self._sessions.clear()
            self._revoked_access_tokens.clear()
            self._access_tokens.clear()
            self._csrf_tokens.clear()
            self._failures.clear()
            self._logins.clear()
            self._ids = itertools.count(1)

    # users -----------------------------------------------------------------------

    def add_user(self, user: User) -> User:
        """Add or replace an account."""
        with self._lock:
            self.users[user.username.casefold()] = user
        return user

    def find_user(self, *, username: str | None = None, email: str | None = None) -> User | None:
        """The account with this username, or else this e-mail (both case-insensitive)."""
        with self._lock:
            if username is not None:
                return self.users.get(username.casefold())
            if email is not None:
                wanted = email.casefold()
                return next((u for u in self.users.values() if u.email.casefold() == wanted), None)
        return None

    def add_model(self, model: ModelInfo) -> None:
        """Add a model to the catalog (until the next reset)."""
        with self._lock:
            self.catalog.add(model)

    # sessions ----------------------------------------------------------------------

    def issue_session_token(self, user: User) -> str:
        """Open a session for ``user`` and return its token."""
        session = str(uuid.uuid4())
        with self._lock:
            self._sessions[session] = user.username.casefold()
        claims = {"type": "session", "version": "0.0.0", "uuid": session, "user_uid": user.uuid}
        return self.signer.issue(claims)

    def issue_otp_token(self, user: User) -> str:
        """The short-lived token of the second login step."""
        return self.signer.issue({"type": "otp", "user_uid": user.uuid, "nonce": uuid.uuid4().hex})

    def session_user(self, session: str) -> User | None:
        """The user of an open session, or None if it was revoked or never existed."""
        with self._lock:
            username = self._sessions.get(session)
            return None if username is None else self.users.get(username)

    def user_by_uuid(self, user_uid: str) -> User | None:
        """The account with this uuid."""
        with self._lock:
            return next((u for u in self.users.values() if u.uuid == user_uid), None)

    def revoke_session(self, session: str) -> None:
        """Close one session: its token now fails with ``token_auth_failed``."""
        with self._lock:
            self._sessions.pop(session, None)

    def revoke_user_sessions(self, username: str) -> int:
        """Close every session of ``username``; returns how many were open."""
        wanted = username.casefold()
        with self._lock:
            doomed = [s for s, name in self._sessions.items() if name == wanted]
            for session in doomed:
                del self._sessions[session]
        return len(doomed)

    def record_access_token(self, token_uid: str, user: User) -> None:
        """Remember who minted the access token ``token_uid`` (to revoke it by uid)."""
        with self._lock:
            self._access_tokens[token_uid] = user.uuid

    def access_token_owner(self, token_uid: str) -> str | None:
        """The uuid of the user who minted the access token ``token_uid``, if any."""
        with self._lock:
            return self._access_tokens.get(token_uid)

    def revoke_access_token(self, token_uid: str) -> None:
        """Revoke an access token (``POST /auth/revoke-access-token``): it now fails 401."""
        with self._lock:
            self._revoked_access_tokens.add(token_uid)

    def access_token_revoked(self, token_uid: str) -> bool:
        """Whether the access token with this ``token_uid`` was revoked."""
        with self._lock:
            return token_uid in self._revoked_access_tokens

    def issue_csrf_token(self, user: User) -> str:
        """A one-use anti-CSRF token of ``user`` (``GET /get-anticsrf-token``)."""
        token = secrets.token_hex(32)
        with self._lock:
            self._csrf_tokens.setdefault(user.uuid, set()).add(token)
        return token

    def consume_csrf_token(self, user: User, token: object) -> bool:
        """Use up one of ``user``'s anti-CSRF tokens; False if it is not one."""
        with self._lock:
            tokens = self._csrf_tokens.get(user.uuid, set())
            if not isinstance(token, str) or token not in tokens:
                return False
            tokens.discard(token)
            return True

    # hosted entries -----------------------------------------------------------------

    def _hosted(self, uid: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The sites and workers rooted at the entry ``uid``, as entries show them."""
        port = self.api_origin.rpartition(":")[2] if self.api_origin else ""
        suffix = f":{port}" if port.isdigit() else ""
        sites: list[dict[str, Any]] = []
        workers: list[dict[str, Any]] = []
        for row in self.sites.rooted_at(uid):
            if row.subdomain.startswith(WORKER_PREFIX):
                name = row.subdomain[len(WORKER_PREFIX) :]
                address = f"http://{name}.{self.options.workers_domain}{suffix}"
                workers.append({"uuid": row.uid, "subdomain": row.subdomain, "address": address})
            else:
                address = f"http://{row.subdomain}.{self.options.static_hosting_domain}{suffix}"
                sites.append({"uuid": row.uid, "subdomain": row.subdomain, "address": address})
        return sites, workers

    # login rate limit ----------------------------------------------------------------

    def _recent(self, log: dict[str, deque[float]], client: str, now: float) -> deque[float]:
        times = log.setdefault(client, deque())
        while times and now - times[0] > self.options.login_failure_window:
            times.popleft()
        return times

    def _recent_failures(self, client: str, now: float) -> deque[float]:
        return self._recent(self._failures, client, now)

    def login_blocked(self, client: str) -> bool:
        """True once ``client`` has used up its logins (or its failed ones) for the window;
        otherwise counts this login when every login counts (``login_limit``)."""
        with self._lock:
            now = time.monotonic()
            if len(self._recent_failures(client, now)) >= self.options.login_failure_limit:
                return True
            limit = self.options.login_limit
            if limit is None:
                return False
            logins = self._recent(self._logins, client, now)
            if len(logins) >= limit:
                return True
            logins.append(now)
            return False

    def record_login_failure(self, client: str) -> None:
        """Count one failed login of ``client``."""
        with self._lock:
            now = time.monotonic()
            self._recent_failures(client, now).append(now)

    # rate limits ----------------------------------------------------------------------

    def enforce_rate_limit(self, user: User, *scopes: str, surface: Surface = "api") -> None:
        """Count a call of ``user`` under the first of ``scopes`` that has a limit.

        Raises the 429 ``too_many_requests`` once that limit's window (or its second
        window) is full, or all its in-flight slots are taken by requests still being
        answered.
        """
        for scope in scopes:
            limit = self.options.rate_limits.get(scope)
            if limit is None:
                continue
            window: RateLimit | None = limit
            suffix = ""
            while window is not None:
                allowed = self.rate_limiter.allow(
                    user.uuid, scope + suffix, window.allowance(user.tier), window.per, self.clock()
                )
                if not allowed:
                    raise too_many_requests(surface)
                window, suffix = window.also, suffix + "+"
            held = HELD_SLOTS.get()
            cap = limit.concurrency(user.tier)
            if cap is not None and held is not None:
                release = self.rate_limiter.enter(user.uuid, scope, cap)
                if release is None:
                    raise too_many_requests(surface, concurrent=True)
                held.append(release)
            return

    # ids ------------------------------------------------------------------------------

    def next_id(self, prefix: str) -> str:
        """A deterministic id (``prefix`` + counter), restarted by `reset`."""
        with self._lock:
            return f"{prefix}{next(self._ids):06d}"
