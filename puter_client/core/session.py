"""The session every service of one client shares: config, transport, token, login.

A ``Session`` holds what no service owns alone: the client's configuration, its
``Transport`` (connection pools, rate limiter), the retry policy, the credentials and
token, one login on demand (shared by concurrent calls) and one re-login after a 401.
``call`` is the one authorized call of a generated ``Operation``: it picks the base URL,
the bearer token and the retry class from the operation itself.

Services are pure flows over the session (see ``flow.py``); ``run`` and ``async_run`` drive a
flow with the blocking or the async transport, the only difference between the twins.
"""

from __future__ import annotations

import logging
import math
import os
import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import httpx

from puter_client.core.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterConnectionError,
    PuterLoginConnectionError,
    PuterLoginTimeoutError,
    PuterTimeoutError,
)
from puter_client.core.flow import Flow, Send, SingleFlight, async_run_flow, run_flow
from puter_client.core.ratelimit import (
    AI_IN_FLIGHT,
    AI_LIMIT,
    LOGIN_LIMIT,
    SERVER_LIMITS,
    TIERED_LIMITS,
    TIERS,
    UNPACED,
    AccountTier,
    GroupLimit,
    Pacing,
    RateLimiter,
    RateLimits,
    RateLimitSetting,
    TieredLimiter,
    snapshot,
)
from puter_client.core.retry import RetryPolicy
from puter_client.core.transport import USER_AGENT, Transport

if TYPE_CHECKING:
    from puter_client._generated.models import LoginRequest, LoginResponse
    from puter_client.core.configuration import PuterConfig
    from puter_client.core.credentials import TokenCache
    from puter_client.core.http.multipart import MultipartBody
    from puter_client.core.http.operation import Operation
    from puter_client.core.http.responses import BodySink

__all__ = ["PASSWORD_ENV", "USERNAME_ENV", "Session"]

logger = logging.getLogger("puter")

T = TypeVar("T")

USERNAME_ENV = "PUTER_USERNAME"
PASSWORD_ENV = "PUTER_PASSWORD"
TOKEN_CACHE_ENV = "PUTER_TOKEN_CACHE"


class Session:
    """One client's shared state and its authorized calls (see the module docstring)."""

    def __init__(
        self,
        config: PuterConfig,
        *,
        username: str | None,
        password: str | None,
        token: str | None,
        http_client: httpx.Client | None,
        async_http_client: httpx.AsyncClient | None,
        rate_limits: Mapping[str, RateLimitSetting] | None = None,
        token_cache: TokenCache | None = None,
    ) -> None:
        for name, value in (("username", username), ("password", password), ("token", token)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be a str, not {type(value).__name__}")
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(
                f"http_client must be an httpx.Client, not {type(http_client).__name__}"
            )
        if async_http_client is not None and not isinstance(async_http_client, httpx.AsyncClient):
            raise TypeError(
                "async_http_client must be an httpx.AsyncClient, not "
                f"{type(async_http_client).__name__}"
            )
        self.config = config
        self.username = username if username is not None else os.environ.get(USERNAME_ENV)
        self._password = password if password is not None else os.environ.get(PASSWORD_ENV)
        self.token = _checked_token(token)
        self.token_cache = token_cache
        self.policy = RetryPolicy.from_config(config)
        self.headers: Mapping[str, str] = {"User-Agent": USER_AGENT}
        self.single_flight = SingleFlight()
        self.pacing = Pacing()
        self._limiters = _limiters(config, rate_limits or {}, self.pacing)
        self.tier: AccountTier | None = None
        """The account's tier as the server reported it (None: not known)."""
        self._tier_checked = False
        self._limits_logged = False
        self.transport = Transport(
            timeout=float(config.timeout),
            limiter=self._limiters[AI_LIMIT],
            http_client=http_client,
            async_http_client=async_http_client,
        )

    def __repr__(self) -> str:
        return f"Session(username={self.username!r}, authenticated={self.token is not None})"

    # ------------------------------------------------------------- running flows

    def run(self, flow: Flow[T]) -> T:
        """Drive ``flow`` with the blocking transport."""
        return run_flow(flow, self.transport.send)

    async def async_run(self, flow: Flow[T]) -> T:
        """Drive ``flow`` with the async transport."""
        return await async_run_flow(flow, self.transport.async_send)

    def close(self) -> None:
        """Release the blocking client's connections."""
        self.transport.close()

    async def aclose(self) -> None:
        """Release every connection this session opened."""
        await self.transport.aclose()

    # ------------------------------------------------------------------- calls

    def limiter(self, group: str) -> RateLimiter:
        """The rate limiter of a rate-limit group (``ai``, or a storage group)."""
        try:
            return self._limiters[group]
        except KeyError:
            raise ValueError(f"unknown rate-limit group {group!r}") from None

    def rate_limits(self) -> RateLimits:
        """The limits of every group now, and the account tier they follow."""
        return snapshot(self._limiters, self.tier)

    def use_clock(
        self,
        clock: Callable[[], float],
        *,
        sleep: Callable[[float], object] | None = None,
        async_sleep: Callable[[float], Any] | None = None,
    ) -> None:
        """Pace every group by ``clock`` and wait with these functions (tests drive time)."""
        for limiter in self._limiters.values():
            limiter.use_clock(clock, sleep=sleep, async_sleep=async_sleep)

    def set_tier(self, tier: AccountTier) -> None:
        """The server says the account is of ``tier``: pace every tiered group by it."""
        self.tier = tier
        self._tier_checked = True
        for limiter in self._limiters.values():
            if isinstance(limiter, TieredLimiter):
                limiter.set_tier(tier, "server")

    def base_url(self, op: Operation) -> str:
        """Where ``op`` lives: ``api_base``, or the login host's origin for web operations."""
        return self.config.api_base if op.host == "api" else self.web_origin()

    def web_origin(self) -> str:
        """The login host's origin, where the one-time-code step lives (``/login/otp``)."""
        url = httpx.URL(self.config.login_url)
        return str(url.copy_with(path="/", query=None, fragment=None)).rstrip("/")

    def send(
        self,
        op: Operation,
        parse: Callable[[httpx.Response], T],
        *,
        body: Any = None,
        content: bytes | MultipartBody | None = None,
        params: Mapping[str, str] | None = None,
        headers: Mapping[str, str] | None = None,
        stream: bool = False,
        sink: BodySink | None = None,
    ) -> Flow[T]:
        """Call ``op`` and ``parse`` its answer: with the token (logging in first if
        needed, and once more after a 401) when the operation needs auth."""
        from puter_client.core.http.requests import build_request

        base = self.base_url(op)
        all_headers = {**self.headers, **headers} if headers else self.headers

        def build(token: str | None) -> httpx.Request:
            return build_request(
                op, base, body=body, content=content, params=params, token=token,
                headers=all_headers,
            )  # fmt: skip

        limiter = self.limiter(op.rate_limit)

        def attempt(token: str | None) -> Send:
            return Send(
                build(token), self.policy, op.retry, stream=stream, sink=sink, limiter=limiter
            )

        if not op.auth:
            self._log_limits_once()
            return parse((yield attempt(None)))
        token = self.token
        if token is None:
            if not self.has_credentials():
                raise PuterAuthError(
                    "not authenticated: call login() first, or create PuterAI with token="
                )
            token = yield from self.shared_login()
        if (
            not self._tier_checked
            and op.rate_limit in TIERED_LIMITS
            and limiter.source != "explicit"  # the user's limits need no tier
        ):
            known = token
            yield from self.single_flight.run("tier", lambda: self._check_tier(known))
        self._log_limits_once()
        try:
            return parse((yield attempt(token)))
        except PuterAuthError as exc:
            if exc.status_code != 401 or not self.has_credentials():
                raise
            if self.token is not None and self.token != token:
                token = self.token  # a concurrent call has logged in again already
            else:
                logger.debug("the token was refused (%s); logging in again", exc.code)
                token = yield from self.shared_login(refused=token)
        return parse((yield attempt(token)))  # a second refusal propagates: no loop

    # ------------------------------------------------------------------ tiers

    def _check_tier(self, token: str) -> Flow[None]:
        """Ask the server once which tier the account is of (its monthly allowance says
        which subscription policy it has); an answer that does not tell leaves the tier
        unknown: the groups start at the top tier and learn from 429s."""
        from puter_client._generated import endpoints
        from puter_client.core.http.requests import build_request

        if self._tier_checked:
            return
        request = build_request(
            endpoints.MONTHLY_USAGE, self.base_url(endpoints.MONTHLY_USAGE), token=token,
            headers=self.headers,
        )  # fmt: skip
        once = RetryPolicy(max_retries=0)
        tier: AccountTier | None = None
        try:
            response = yield Send(request, once, endpoints.MONTHLY_USAGE.retry, limiter=UNPACED)
            tier = tier_of_usage(response.json()) if response.status_code == 200 else None
        except (PuterAPIError, ValueError) as exc:
            logger.debug("the account's tier is unknown (%s)", type(exc).__name__)
        finally:
            self._tier_checked = True  # asked once, whatever the answer
        if tier is not None and self.tier is None:
            self.set_tier(tier)

    def _log_limits_once(self) -> None:
        if self._limits_logged:
            return
        self._limits_logged = True
        if logger.isEnabledFor(logging.INFO):
            limits = self.rate_limits()
            logger.info("rate limits: %s", "; ".join(str(limits).splitlines()))

    # ------------------------------------------------------------------- login

    def has_credentials(self) -> bool:
        """Whether a username and a password are known."""
        return bool(self.username) and bool(self._password)

    def login(self, otp_code: str | None) -> Flow[bool]:
        """Log in with the username and password (``True``, else ``PuterAuthError``); a
        client holding only a token has nothing to do, and one with a token cache uses
        the token it holds for these credentials."""
        if self.has_credentials() or self.token is None:
            yield from self._login(otp_code)
        return True

    def shared_login(self, refused: str | None = None) -> Flow[str]:
        """Log in; concurrent calls that need a login share one. ``refused`` is a token
        the server refused: it is dropped from the cache and a fresh login made."""
        return self.single_flight.run("login", lambda: self._login(None, refused=refused))

    def _login(self, otp_code: str | None, *, refused: str | None = None) -> Flow[str]:
        if not self.has_credentials():
            raise PuterAuthError(
                "missing credentials: pass username= and password= to PuterAI, or set "
                f"{USERNAME_ENV} and {PASSWORD_ENV}"
            )
        cache = self.token_cache
        if cache is not None:
            if refused is not None:
                cache.forget(refused)
            else:
                saved = cache.find(
                    self.config.api_base, login_url=self.config.login_url, username=self.username
                )
                if saved is not None:
                    logger.debug("using the saved session token of %s", self.username)
                    self.token = saved.token
                    return saved.token
        token = yield from self._log_in(otp_code)
        if cache is not None:
            from puter_client.core.credentials import SavedLogin

            cache.save(
                SavedLogin(
                    token=token,
                    api_base=self.config.api_base,
                    username=self.username,
                    login_url=self.config.login_url,
                )
            )
        return token

    def _log_in(self, otp_code: str | None) -> Flow[str]:
        """The login requests: the password, then the one-time code if the account has one."""
        from puter_client._generated import endpoints, models

        assert self.username is not None and self._password is not None
        if "@" in self.username:
            body = models.LoginRequest(email=self.username, password=self._password)
        else:
            body = models.LoginRequest(username=self.username, password=self._password)
        try:
            answer = yield from self._post_login(body)
            if answer.next_step == "otp" or (not answer.token and answer.otp_jwt_token):
                if otp_code is None:
                    raise PuterAuthError(
                        "two-factor authentication is on for this account: call "
                        "login(otp_code='123456') with the current code from your "
                        "authenticator app",
                        code="otp_required",
                    )
                otp = models.OtpRequest(token=answer.otp_jwt_token or "", code=str(otp_code))
                answer = yield from self.send(
                    endpoints.LOGIN_OTP, endpoints.parse_login_otp, body=otp
                )
                if not answer.proceed:
                    raise PuterAuthError("the one-time code was refused", code="otp_refused")
        except (PuterAuthError, PuterAPIError) as exc:
            # A login that reached no server is also a connection error, caused by it.
            cls: type[PuterAuthError] = PuterAuthError
            if isinstance(exc, PuterTimeoutError):
                cls = PuterLoginTimeoutError
            elif isinstance(exc, PuterConnectionError):
                cls = PuterLoginConnectionError
            raise cls(
                f"login failed: {exc.message}",
                status_code=exc.status_code,
                code=exc.code,
                body=exc.body,
                method=exc.method,
                url=exc.url,
            ) from (exc if cls is not PuterAuthError else None)
        if not answer.proceed or not answer.token:
            raise PuterAuthError("login failed: the server returned no token")
        self.token = answer.token
        logger.debug("logged in as %s", self.username)
        return answer.token

    def _post_login(self, body: LoginRequest) -> Flow[LoginResponse]:
        """``POST`` the credentials to ``login_url`` exactly as configured (it names the
        endpoint itself, so the operation's own path is not appended)."""
        import attrs

        from puter_client._generated import endpoints
        from puter_client.core.http.requests import build_request

        at_login_url = attrs.evolve(endpoints.LOGIN, path="")
        request = build_request(
            at_login_url, self.config.login_url, body=body, headers=self.headers
        )
        limiter = self.limiter(LOGIN_LIMIT)
        response = yield Send(request, self.policy, endpoints.LOGIN.retry, limiter=limiter)
        if response.status_code == 429:
            raise self._throttled(response)
        answer = endpoints.parse_login(response)
        if answer.user is not None and answer.user.is_temp and self.tier is None:
            self.set_tier("temp")
        return answer

    def _throttled(self, response: httpx.Response) -> PuterAuthError:
        """A login refused for being one too many: how long to wait, and how to need fewer."""
        from puter_client.core.http.errors import error_from_response
        from puter_client.core.retry import parse_retry_after

        error = error_from_response(response)
        wait = parse_retry_after(response.headers.get("retry-after"), now=time.time())
        when = f"try again in {math.ceil(wait)} s" if wait is not None else "try again later"
        if self.token_cache is not None:
            advice = f"the token cache ({self.token_cache.path}) keeps the next token"
        else:
            advice = (
                "reuse session tokens instead of logging in each run: "
                f"PuterAI(token_cache=True) or {TOKEN_CACHE_ENV}=1"
            )
        return PuterAuthError(
            f"{error.message} The server allows about 10 logins per 15 minutes; {when}; {advice}",
            status_code=429,
            code=error.code,
            body=error.body,
            method=error.method,
            url=error.url,
        )


def _limiters(
    config: PuterConfig, overrides: Mapping[str, RateLimitSetting], pacing: Pacing
) -> dict[str, RateLimiter]:
    """One limiter per group: ``ai`` from the config, the others from the server's
    published limits, each overridable (``rate_limits={"kv": (100, 10)}``, or with an
    in-flight cap, ``(100, 10, 5)``). Tiered groups start at the top tier's limits."""
    unknown = sorted(set(overrides) - set(SERVER_LIMITS) - {AI_LIMIT})
    if unknown:
        known = ", ".join(sorted({AI_LIMIT, *SERVER_LIMITS}))
        raise ValueError(f"unknown rate-limit group(s) {', '.join(unknown)} (known: {known})")
    for group, setting in overrides.items():
        _check_setting(group, setting)
    ai_tiers = {tier: GroupLimit(1, 1.0, AI_IN_FLIGHT[tier]) for tier in TIERS}
    ai_window = overrides.get(AI_LIMIT, (config.rate_limit_requests, config.rate_limit_period))
    limiters: dict[str, RateLimiter] = {
        AI_LIMIT: TieredLimiter(
            AI_LIMIT,
            ai_tiers,
            window=ai_window,
            window_source="explicit" if AI_LIMIT in overrides else "config",
            pacing=pacing,
        )
    }
    for group, default in SERVER_LIMITS.items():
        tiers = TIERED_LIMITS.get(group)
        if tiers is None:
            requests, period, *cap = overrides.get(group, default)
            limiters[group] = RateLimiter(
                requests, period, in_flight=cap[0] if cap else None, group=group, pacing=pacing
            )
        else:
            window = overrides.get(group)
            limiters[group] = TieredLimiter(group, tiers, window=window, pacing=pacing)
    return limiters


def _check_setting(group: str, setting: object) -> None:
    """A ``rate_limits=`` value: ``(requests, seconds)`` or ``(requests, seconds, in_flight)``."""
    if not isinstance(setting, (tuple, list)) or len(setting) not in (2, 3):
        raise TypeError(
            f"rate_limits[{group!r}] must be (requests, seconds) or (requests, seconds, "
            f"in_flight), not {setting!r}"
        )
    if len(setting) == 3 and setting[2] is not None:
        in_flight = setting[2]
        if isinstance(in_flight, bool) or not isinstance(in_flight, int) or in_flight < 1:
            raise ValueError(
                f"rate_limits[{group!r}]: in_flight must be an int >= 1 or None, got {in_flight!r}"
            )


def tier_of_usage(usage: Any) -> AccountTier | None:
    """The tier a ``/metering/usage`` answer tells (None when it does not).

    The monthly allowance is the subscription policy's: $0.25 for a temporary account,
    $0.50 for a registered free one, more for any subscription (and for a self-hosted
    server's unlimited policy). Amounts given in credits (``unit``) are not compared.
    """
    info = usage.get("allowanceInfo") if isinstance(usage, dict) else None
    if not isinstance(info, dict) or "unit" in info:
        return None
    allowance = info.get("monthUsageAllowance")
    if isinstance(allowance, bool) or not isinstance(allowance, (int, float)):
        return None
    if allowance == TEMP_ALLOWANCE:
        return "temp"
    if allowance == FREE_ALLOWANCE:
        return "free"
    return "paid" if allowance > FREE_ALLOWANCE else None


TEMP_ALLOWANCE = 25_000_000
"""A temporary account's monthly allowance in micro-cents ($0.25)."""
FREE_ALLOWANCE = 50_000_000
"""A registered account's monthly allowance without a subscription ($0.50)."""


def _checked_token(token: str | None) -> str | None:
    """The token as it will go in the Authorization header (surrounding space removed).

    The error never shows the token.
    """
    if token is None:
        return None
    token = token.strip()
    if not token:
        return None
    if not (token.isascii() and token.isprintable()) or " " in token:
        raise ValueError("token must be printable ASCII without spaces (it goes in an HTTP header)")
    return token
