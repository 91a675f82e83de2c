"""``PuterAI``: the client of API_REFERENCE.md, for sync and async callers alike.

Every public call is a sans-I/O *flow* (see ``flow.py``) built from the pure pieces of
``chat``, ``catalog`` and the generated endpoint stubs; ``chat`` runs it with the blocking
transport and ``async_chat`` with the async one. Nothing else differs between the two.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import attrs
import httpx

from puter_client._lazy import lazy_module, load
from puter_client.configuration import ConfigOptions, PuterConfig
from puter_client.configuration import config as global_config
from puter_client.exceptions import PuterAPIError, PuterAuthError, PuterBadRequestError, PuterError
from puter_client.flow import Flow, Send, SingleFlight, run_async, run_sync
from puter_client.history import ChatHistory
from puter_client.ratelimit import RateLimiter
from puter_client.retry import RetryPolicy
from puter_client.transport import NDJSON_CONTENT_TYPE, USER_AGENT, Transport

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

    from puter_client import _jsonbody, _wire
    from puter_client import catalog as _catalog
    from puter_client import chat as _chat
    from puter_client import streaming as _streaming
    from puter_client import tools as _tools
    from puter_client._generated import endpoints, models
    from puter_client.catalog import ModelCatalog
    from puter_client.chat import ChatCompletion, ChatOptions
    from puter_client.streaming import AsyncChatStream, ChatStream, StreamAccumulator, StreamSource
    from puter_client.tools import ToolRequest
else:
    # Needed only once a call is made: loaded then (see _lazy.py), keeping imports light.
    _wire = lazy_module("puter_client._wire")
    _jsonbody = lazy_module("puter_client._jsonbody")
    endpoints = lazy_module("puter_client._generated.endpoints")
    models = lazy_module("puter_client._generated.models")
    _catalog = lazy_module("puter_client.catalog")
    _chat = lazy_module("puter_client.chat")
    _streaming = lazy_module("puter_client.streaming")
    _tools = lazy_module("puter_client.tools")

__all__ = ["DEFAULT_MODEL", "PuterAI"]

logger = logging.getLogger("puter")

T = TypeVar("T")

DEFAULT_MODEL = "claude-opus-4"
USERNAME_ENV = "PUTER_USERNAME"
PASSWORD_ENV = "PUTER_PASSWORD"


@attrs.frozen
class _Turn:
    """A chat turn prepared before any I/O: what to send and what to record.

    ``new`` is what the caller adds (a user message, or tool results); ``messages`` is
    the history as it was when the call began, followed by ``new``.
    """

    new: list[models.ChatMessage]
    messages: list[models.ChatMessage]
    model: str
    options: dict[str, Any]


class PuterAI:
    """A client of Puter's AI API.

    ``PuterAI(username=, password=, token=, **config_overrides)``: credentials default to
    the ``PUTER_USERNAME``/``PUTER_PASSWORD`` environment variables; a ``token`` needs no
    login. ``config_overrides`` (``timeout=60``, ``max_retries=5``, ...) apply to this
    client only, on a copy of ``puter.config``. Pass ``http_client``/``async_http_client``
    to use your own httpx clients (they are not closed by this one).

    Use it as a context manager, or call ``close()``/``aclose()``, to release connections.
    """

    def __init__(
        self,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        *,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        **config_overrides: Unpack[ConfigOptions],
    ) -> None:
        self.config: PuterConfig = global_config.with_overrides(**config_overrides)
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
        self._username = username if username is not None else os.environ.get(USERNAME_ENV)
        self._password = password if password is not None else os.environ.get(PASSWORD_ENV)
        self._token = _checked_token(token)
        self._current_model = DEFAULT_MODEL
        self._history = ChatHistory()
        self._catalog: ModelCatalog | None = None
        self._single_flight = SingleFlight()
        self._legacy_server = False
        self._policy = RetryPolicy.from_config(self.config)
        self._headers = {"User-Agent": USER_AGENT}
        self._transport = Transport(
            timeout=float(self.config.timeout),
            limiter=RateLimiter.from_config(self.config),
            http_client=http_client,
            async_http_client=async_http_client,
        )

    def __repr__(self) -> str:
        return (
            f"PuterAI(username={self._username!r}, current_model={self._current_model!r}, "
            f"authenticated={self._token is not None})"
        )

    # ------------------------------------------------------------ properties

    @property
    def current_model(self) -> str:
        """The model used when ``chat`` is given none (default ``claude-opus-4``)."""
        return self._current_model

    @property
    def chat_history(self) -> list[dict[str, Any]]:
        """The conversation so far as ``{"role", "content"}`` dicts (a copy)."""
        return self._history.as_dicts()

    @property
    def available_models(self) -> dict[str, str]:
        """Every model name the server accepts (ids, aliases, puterIds) -> its provider."""
        return dict(self._run(self._catalog_flow()).providers)

    @property
    def is_authenticated(self) -> bool:
        """Whether the client holds a token."""
        return self._token is not None

    @property
    def token(self) -> str | None:
        """The session token, once logged in (keep it secret)."""
        return self._token

    # ---------------------------------------------------------------- login

    def login(self, otp_code: str | None = None) -> bool:
        """Log in with the username and password; True on success, else ``PuterAuthError``.

        Two-factor accounts pass the current one-time code as ``otp_code``.
        """
        if not self._has_credentials() and self._token is not None:
            return True
        self._run(self._login_flow(otp_code))
        return True

    async def async_login(self, otp_code: str | None = None) -> bool:
        """Async ``login``."""
        if not self._has_credentials() and self._token is not None:
            return True
        await self._arun(self._login_flow(otp_code))
        return True

    # ----------------------------------------------------------------- chat

    def chat(
        self,
        prompt: str | None = None,
        model: str | None = None,
        *,
        images: Sequence[Any] | None = None,
        content_parts: Sequence[Any] | None = None,
        tool_results: Mapping[str, Any] | None = None,
        **options: Unpack[ChatOptions],
    ) -> str:
        """Send a message (text, images or custom parts) and return the reply text.

        ``options`` (``max_tokens``, ``temperature``, ``tools``, ...) are sent only when
        given. ``tool_results`` (tool call id -> result) answers ``pending_tool_calls``
        instead of sending a message. The turn is added to ``chat_history`` only when
        the call succeeds. Raises ``ValueError`` (bad input, before any request),
        ``PuterAuthError`` or ``PuterAPIError``.
        """
        turn = self._prepare_turn(prompt, model, images, content_parts, tool_results, options)
        return self._run(self._chat_flow(turn))

    async def async_chat(
        self,
        prompt: str | None = None,
        model: str | None = None,
        *,
        images: Sequence[Any] | None = None,
        content_parts: Sequence[Any] | None = None,
        tool_results: Mapping[str, Any] | None = None,
        **options: Unpack[ChatOptions],
    ) -> str:
        """Async ``chat``; concurrent calls each see the history as it was when they began."""
        turn = self._prepare_turn(prompt, model, images, content_parts, tool_results, options)
        return await self._arun(self._chat_flow(turn))

    def chat_stream(
        self,
        prompt: str | None = None,
        model: str | None = None,
        *,
        images: Sequence[Any] | None = None,
        content_parts: Sequence[Any] | None = None,
        tool_results: Mapping[str, Any] | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatStream:
        """Like ``chat``, but the reply streams: iterate the result for text deltas.

        ``with client.chat_stream("Hi") as stream: for delta in stream: ...``; then
        ``stream.text``, ``stream.usage``, ``stream.tool_calls``. Bad input raises
        ``ValueError`` here, before any request.
        """
        turn = self._prepare_turn(prompt, model, images, content_parts, tool_results, options)
        return _streaming.ChatStream(
            lambda: self._run(self._open_stream_flow(turn)), *self._chat_stream_args(turn)
        )

    def async_chat_stream(
        self,
        prompt: str | None = None,
        model: str | None = None,
        *,
        images: Sequence[Any] | None = None,
        content_parts: Sequence[Any] | None = None,
        tool_results: Mapping[str, Any] | None = None,
        **options: Unpack[ChatOptions],
    ) -> AsyncChatStream:
        """Async ``chat_stream``: ``async for delta in client.async_chat_stream("Hi")``."""
        turn = self._prepare_turn(prompt, model, images, content_parts, tool_results, options)
        return _streaming.AsyncChatStream(
            lambda: self._arun(self._open_stream_flow(turn)), *self._chat_stream_args(turn)
        )

    def complete(
        self,
        messages: Sequence[Mapping[str, Any] | models.ChatMessage],
        model: str | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatCompletion:
        """One chat completion of ``messages`` (dicts or models), with the typed result.

        Stateless: ``chat_history`` is neither sent nor changed.
        """
        turn = self._prepare_completion(messages, model, options)
        return self._run(self._completion_flow(turn))

    async def async_complete(
        self,
        messages: Sequence[Mapping[str, Any] | models.ChatMessage],
        model: str | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatCompletion:
        """Async ``complete``."""
        turn = self._prepare_completion(messages, model, options)
        return await self._arun(self._completion_flow(turn))

    @property
    def pending_tool_calls(self) -> list[ToolRequest]:
        """The tool calls of the last assistant turn, to answer with ``tool_results=``."""
        _load_call_modules()
        history = self._history.snapshot()
        if not history or history[-1].role != "assistant":
            return []
        return _tools.tool_requests_of(history[-1])

    def clear_chat_history(self) -> None:
        """Forget the conversation."""
        self._history.clear()

    # --------------------------------------------------------------- models

    def get_available_models(self) -> list[str]:
        """The names of every available model (ids and aliases)."""
        return list(self._run(self._catalog_flow()).providers)

    async def async_get_available_models(self) -> list[str]:
        """Async ``get_available_models``."""
        return list((await self._arun(self._catalog_flow())).providers)

    def set_model(self, model_name: str) -> bool:
        """Use ``model_name`` from now on if the catalog knows it (case-insensitively).

        Returns False, changing nothing, for an unknown model.
        """
        if not isinstance(model_name, str) or not model_name.strip():
            return False
        canonical = self._run(self._catalog_flow()).canonical_name(model_name.strip())
        if canonical is None:
            return False
        self._current_model = canonical
        return True

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Release the blocking client's connections."""
        self._transport.close()

    async def aclose(self) -> None:
        """Release every connection this client opened."""
        await self._transport.aclose()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    # ------------------------------------------------------ running flows

    def _run(self, flow: Flow[T]) -> T:
        _load_call_modules()
        return run_sync(flow, self._transport.send)

    async def _arun(self, flow: Flow[T]) -> T:
        _load_call_modules()
        return await run_async(flow, self._transport.asend)

    # ---------------------------------------------------------- pure steps

    def _has_credentials(self) -> bool:
        return bool(self._username) and bool(self._password)

    def _web_origin(self) -> str:
        """The login host's origin, where the one-time-code step lives (``/login/otp``)."""
        url = httpx.URL(self.config.login_url)
        return str(url.copy_with(path="/", query=None, fragment=None)).rstrip("/")

    def _login_request(self, body: models.LoginRequest) -> httpx.Request:
        """``POST`` to ``login_url`` exactly as configured (it names the endpoint itself)."""
        at_login_url = attrs.evolve(endpoints.LOGIN, path="")
        return _wire.build_request(
            at_login_url, self.config.login_url, body=body, headers=self._headers
        )

    def _model_or_current(self, model: str | None) -> str:
        if model is None:
            return self._current_model
        if not isinstance(model, str) or not model.strip():
            raise ValueError("model must be a non-empty string (or None for current_model)")
        return model.strip()

    def _prepare_turn(
        self,
        prompt: str | None,
        model: str | None,
        images: Sequence[Any] | None,
        content_parts: Sequence[Any] | None,
        tool_results: Mapping[str, Any] | None,
        options: Mapping[str, Any],
    ) -> _Turn:
        _load_call_modules()
        chosen_model = self._model_or_current(model)
        _jsonbody.check_sendable(chosen_model, "model")
        checked_options = _chat.validated_options(options)
        history = self._history.snapshot()
        if tool_results is not None:
            if prompt is not None or images or content_parts:
                raise ValueError("tool_results goes alone: no prompt, images or content_parts")
            if not isinstance(tool_results, Mapping):
                raise ValueError("tool_results must map tool call ids to results")
            pending = _tools.tool_requests_of(history[-1]) if history else []
            if not pending:
                raise ValueError("tool_results given, but the model made no tool call")
            new = _tools.tool_result_messages(pending, tool_results)
        else:
            new = [_chat.user_message(prompt, images, content_parts)]
        return _Turn(
            new=new, messages=[*history, *new], model=chosen_model, options=checked_options
        )

    def _prepare_completion(
        self,
        messages: Sequence[Mapping[str, Any] | models.ChatMessage],
        model: str | None,
        options: Mapping[str, Any],
    ) -> _Turn:
        _load_call_modules()
        return _Turn(
            new=[],
            messages=_chat.as_messages(messages),
            model=self._model_or_current(model),
            options=_chat.validated_options(options),
        )

    def _stream_recorder(self, turn: _Turn) -> Callable[[StreamAccumulator], None]:
        def record(accumulator: StreamAccumulator) -> None:
            requests = accumulator.tool_requests_in(self._tool_style(turn.model))
            if requests:
                reply = _tools.assistant_tool_turn(accumulator.text, requests)
            else:
                reply = models.ChatMessage(role="assistant", content=accumulator.text)
            self._history.record(*turn.new, reply)

        return record

    def _tool_style(self, model: str) -> str:
        """How ``model`` calls tools, from the catalog if it is loaded (no I/O)."""
        catalog = self._catalog
        return _tools.tool_call_style(catalog.provider_of(model) if catalog is not None else None)

    def _chat_stream_args(
        self, turn: _Turn
    ) -> tuple[Callable[[StreamAccumulator], None], Callable[[], str]]:
        return self._stream_recorder(turn), lambda: self._tool_style(turn.model)

    # ---------------------------------------------------------------- flows

    def _login_flow(self, otp_code: str | None) -> Flow[str]:
        if not self._has_credentials():
            raise PuterAuthError(
                "missing credentials: pass username= and password= to PuterAI, or set "
                f"{USERNAME_ENV} and {PASSWORD_ENV}"
            )
        assert self._username is not None and self._password is not None
        if "@" in self._username:
            body = models.LoginRequest(email=self._username, password=self._password)
        else:
            body = models.LoginRequest(username=self._username, password=self._password)
        try:
            response = yield Send(
                self._login_request(body), self._policy, retry_client_errors=False
            )
            answer = endpoints.parse_login(response)
            if answer.next_step == "otp" or (not answer.token and answer.otp_jwt_token):
                if otp_code is None:
                    raise PuterAuthError(
                        "two-factor authentication is on for this account: call "
                        "login(otp_code='123456') with the current code from your "
                        "authenticator app",
                        code="otp_required",
                    )
                otp = models.OtpRequest(token=answer.otp_jwt_token or "", code=str(otp_code))
                response = yield Send(
                    endpoints.build_login_otp(
                        otp, base_url=self._web_origin(), headers=self._headers
                    ),
                    self._policy,
                    retry_client_errors=False,
                )
                answer = endpoints.parse_login_otp(response)
                if not answer.proceed:
                    raise PuterAuthError("the one-time code was refused", code="otp_refused")
        except (PuterAuthError, PuterAPIError) as exc:
            raise PuterAuthError(
                f"login failed: {exc.message}",
                status_code=exc.status_code,
                code=exc.code,
                body=exc.body,
                method=exc.method,
                url=exc.url,
            ) from None
        if not answer.proceed or not answer.token:
            raise PuterAuthError("login failed: the server returned no token")
        self._token = answer.token
        logger.debug("logged in as %s", self._username)
        return answer.token

    def _authorized_flow(
        self,
        build: Callable[[str], httpx.Request],
        parse: Callable[[httpx.Response], T],
        *,
        stream: bool = False,
    ) -> Flow[T]:
        """Call with the token; log in first if needed, and once more on a 401."""
        token = self._token
        if token is None:
            if not self._has_credentials():
                raise PuterAuthError(
                    "not authenticated: call login() first, or create PuterAI with token="
                )
            token = yield from self._shared_login_flow()
        try:
            response = yield Send(build(token), self._policy, stream=stream)
            return parse(response)
        except PuterAuthError as exc:
            if exc.status_code != 401 or not self._has_credentials():
                raise
            if self._token is not None and self._token != token:
                token = self._token  # a concurrent call has logged in again already
            else:
                logger.debug("the token was refused (%s); logging in again", exc.code)
                token = yield from self._shared_login_flow()
        response = yield Send(build(token), self._policy, stream=stream)
        return parse(response)  # a second refusal propagates: no loop

    def _shared_login_flow(self) -> Flow[str]:
        """Log in; concurrent calls that need a login share one."""
        return self._single_flight.run("login", lambda: self._login_flow(None))

    def _chat_call_flow(
        self, turn: _Turn, parse: Callable[[httpx.Response], T], *, stream: bool = False
    ) -> Flow[T]:
        """The ``complete`` driver call, naming the provider for servers that want it."""
        driver = _chat.AI_CHAT_DRIVER
        if self._legacy_server:
            driver = yield from self._provider_flow(turn.model)
        try:
            return (yield from self._driver_call_flow(turn, driver, parse, stream))
        except PuterAPIError as exc:
            if driver != _chat.AI_CHAT_DRIVER or not _chat.is_legacy_ai_chat_refusal(exc):
                raise
        logger.debug("the server refuses the ai-chat driver; naming the provider instead")
        self._legacy_server = True
        driver = yield from self._provider_flow(turn.model)
        return (yield from self._driver_call_flow(turn, driver, parse, stream))

    def _driver_call_flow(
        self, turn: _Turn, driver: str, parse: Callable[[httpx.Response], T], stream: bool
    ) -> Flow[T]:
        call = _chat.build_call(
            turn.messages, turn.model, driver=driver, stream=stream, options=turn.options
        )
        headers = {**self._headers, "Accept": NDJSON_CONTENT_TYPE} if stream else self._headers
        api = self.config.api_base
        return self._authorized_flow(
            lambda token: endpoints.build_chat_complete(
                call, base_url=api, token=token, headers=headers
            ),
            parse,
            stream=stream,
        )

    def _provider_flow(self, model: str) -> Flow[str]:
        catalog = yield from self._catalog_flow()
        provider = catalog.provider_of(model)
        if provider is None:
            # What a current server answers; an older one needs the provider to say it.
            raise PuterBadRequestError(
                f"Model not found: {model}",
                status_code=400,
                code="bad_request",
                method="POST",
                url=self.config.api_base + endpoints.CHAT_COMPLETE.path,
            )
        return provider

    def _chat_flow(self, turn: _Turn) -> Flow[str]:
        envelope = yield from self._chat_call_flow(turn, endpoints.parse_chat_complete)
        text = _chat.reply_text(envelope.result)
        self._history.record(*turn.new, _chat.assistant_message(envelope.result, text))
        return text

    def _completion_flow(self, turn: _Turn) -> Flow[ChatCompletion]:
        envelope = yield from self._chat_call_flow(turn, endpoints.parse_chat_complete)
        return _chat.ChatCompletion.of(envelope.result)

    def _open_stream_flow(self, turn: _Turn) -> Flow[StreamSource]:
        if turn.options.get("tools"):
            # Streamed tool calls are recorded in the style of the model's provider.
            yield from self._catalog_flow()
        return (yield from self._chat_call_flow(turn, _open_stream, stream=True))

    def _catalog_flow(self) -> Flow[ModelCatalog]:
        """The catalog: cached, else fetched once for all concurrent callers."""
        if self._catalog is not None:
            return self._catalog
        return (yield from self._single_flight.run("catalog", self._fetch_catalog_flow))

    def _fetch_catalog_flow(self) -> Flow[ModelCatalog]:
        api = self.config.api_base
        if self._token is not None:
            try:
                envelope = yield from self._authorized_flow(
                    lambda token: endpoints.build_chat_models(
                        _models_call(), base_url=api, token=token, headers=self._headers
                    ),
                    endpoints.parse_chat_models,
                )
                catalog = _catalog.ModelCatalog.from_details(envelope.result)
                self._catalog = catalog
                return catalog
            except PuterError as exc:
                logger.debug("the models driver method failed (%s); trying the public list", exc)
        try:
            response = yield Send(
                endpoints.build_list_model_details(base_url=api, headers=self._headers),
                self._policy,
            )
            details = endpoints.parse_list_model_details(response).models
            catalog = _catalog.ModelCatalog.from_details(details)
        except PuterError as exc:
            logger.warning("could not fetch the model catalog (%s); using the bundled one", exc)
            catalog = _catalog.snapshot_catalog()
        self._catalog = catalog
        return catalog


def _open_stream(response: httpx.Response) -> StreamSource:
    """The open NDJSON response; or, for a whole reply, its result (errors raise)."""
    if response.status_code == 200 and not response.is_closed:
        return response
    return endpoints.parse_chat_complete(response).result


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


def _models_call() -> models.ChatModelsCall:
    return models.ChatModelsCall(driver=_chat.AI_CHAT_DRIVER, args=models.ChatModelsArgs())


_call_modules_loaded = False


def _load_call_modules() -> None:
    """Load the modules a call needs (once; see the lazy imports at the top)."""
    global _call_modules_loaded
    if not _call_modules_loaded:
        load(_wire, _jsonbody, endpoints, models, _catalog, _chat, _streaming, _tools)
        _call_modules_loaded = True
