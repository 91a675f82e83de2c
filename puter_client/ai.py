"""``PuterAI`` (also ``Puter``): the client, a thin facade over its session and services.

The constructor builds the client's ``Session`` (config, transport, token, login); each
service (``chat``, the model catalog, and the storage and media services) is made on
first use and runs its flows over that session. Every public method is a one-line shell:
the blocking one runs the service's flow with ``session.run``, its ``async_`` twin with
``session.arun``; their parameters are identical (a test checks it).
"""

from __future__ import annotations

from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from puter_client._lazy import LazyService
from puter_client.configuration import ConfigOptions, PuterConfig
from puter_client.configuration import config as global_config
from puter_client.session import Session

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

    from puter_client.batch import Batches, BatchInput, BatchResult
    from puter_client.catalog import Catalogs
    from puter_client.chat import Chat, ChatArgs, ChatOptions, MessageInput
    from puter_client.completion import ChatCompletion
    from puter_client.streaming import AsyncChatStream, ChatStream
    from puter_client.tools import ToolRequest

__all__ = ["Puter", "PuterAI"]


def _catalogs(client: PuterAI) -> Catalogs:
    from puter_client.catalog import Catalogs

    return Catalogs(client._session)


def _chat(client: PuterAI) -> Chat:
    from puter_client.chat import Chat

    return Chat(client._session, client._catalogs)


def _batches(client: PuterAI) -> Batches:
    from puter_client.batch import Batches

    return Batches(client._session, client._chat)


class PuterAI:
    """A client of Puter's API.

    ``PuterAI(username=, password=, token=, **config_overrides)``: credentials default to
    the ``PUTER_USERNAME``/``PUTER_PASSWORD`` environment variables; a ``token`` needs no
    login. ``config_overrides`` (``timeout=60``, ``max_retries=5``, ...) apply to this
    client only, on a copy of ``puter.config``. Pass ``http_client``/``async_http_client``
    to use your own httpx clients (they are not closed by this one). AI calls are paced by
    ``rate_limit_requests`` per ``rate_limit_period``; storage calls by limits of their own
    that follow the server's, which ``rate_limits={group: (requests, seconds)}`` overrides.

    Use it as a context manager, or call ``close()``/``aclose()``, to release connections.
    """

    _catalogs = LazyService(_catalogs)
    _chat = LazyService(_chat)
    _batches = LazyService(_batches)

    def __init__(
        self,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        *,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        rate_limits: Mapping[str, tuple[int, float]] | None = None,
        **config_overrides: Unpack[ConfigOptions],
    ) -> None:
        self.config: PuterConfig = global_config.with_overrides(**config_overrides)
        self._session = Session(
            self.config,
            username=username,
            password=password,
            token=token,
            http_client=http_client,
            async_http_client=async_http_client,
            rate_limits=rate_limits,
        )

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(username={self._session.username!r}, "
            f"current_model={self.current_model!r}, authenticated={self.is_authenticated})"
        )

    # ------------------------------------------------------------ properties

    @property
    def current_model(self) -> str:
        """The model used when ``chat`` is given none (default ``claude-opus-4``)."""
        return self._chat.current_model

    @property
    def chat_history(self) -> list[dict[str, Any]]:
        """The conversation so far as ``{"role", "content"}`` dicts (a copy)."""
        return self._chat.history.as_dicts()

    @property
    def available_models(self) -> dict[str, str]:
        """Every model name the server accepts (ids, aliases, puterIds) -> its provider."""
        return dict(self._session.run(self._catalogs.get()).providers)

    @property
    def is_authenticated(self) -> bool:
        """Whether the client holds a token."""
        return self._session.token is not None

    @property
    def token(self) -> str | None:
        """The session token, once logged in (keep it secret)."""
        return self._session.token

    @property
    def pending_tool_calls(self) -> list[ToolRequest]:
        """The tool calls of the last assistant turn, to answer with ``tool_results=``."""
        return self._chat.pending_tool_calls

    # ---------------------------------------------------------------- login

    def login(self, otp_code: str | None = None) -> bool:
        """Log in with the username and password; True on success, else ``PuterAuthError``.

        Two-factor accounts pass the current one-time code as ``otp_code``.
        """
        return self._session.run(self._session.login(otp_code))

    async def async_login(self, otp_code: str | None = None) -> bool:
        """Async ``login``."""
        return await self._session.arun(self._session.login(otp_code))

    # ----------------------------------------------------------------- chat

    def chat(
        self, prompt: str | None = None, model: str | None = None, **args: Unpack[ChatArgs]
    ) -> str:
        """Send a message (text, ``images`` or custom ``content_parts``) and return the
        reply text.

        Chat options (``max_tokens``, ``temperature``, ``tools``, ...) are sent only when
        given. ``tool_results`` (tool call id -> result) answers ``pending_tool_calls``
        instead of sending a message. The turn is added to ``chat_history`` only when
        the call succeeds. Raises ``ValueError`` (bad input, before any request),
        ``PuterAuthError`` or ``PuterAPIError``.
        """
        return self._session.run(self._chat.chat(prompt, model, args))

    async def async_chat(
        self, prompt: str | None = None, model: str | None = None, **args: Unpack[ChatArgs]
    ) -> str:
        """Async ``chat``; concurrent calls each see the history as it was when they began."""
        return await self._session.arun(self._chat.chat(prompt, model, args))

    def chat_stream(
        self, prompt: str | None = None, model: str | None = None, **args: Unpack[ChatArgs]
    ) -> ChatStream:
        """Like ``chat``, but the reply streams: iterate the result for text deltas.

        ``with client.chat_stream("Hi") as stream: for delta in stream: ...``; then
        ``stream.text``, ``stream.usage``, ``stream.tool_calls``. Bad input raises
        ``ValueError`` here, before any request.
        """
        return self._chat.stream(prompt, model, args)

    def async_chat_stream(
        self, prompt: str | None = None, model: str | None = None, **args: Unpack[ChatArgs]
    ) -> AsyncChatStream:
        """Async ``chat_stream``: ``async for delta in client.async_chat_stream("Hi")``."""
        return self._chat.async_stream(prompt, model, args)

    def complete(
        self,
        messages: Sequence[MessageInput],
        model: str | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatCompletion:
        """One chat completion of ``messages`` (dicts or models), with the typed result.

        Stateless: ``chat_history`` is neither sent nor changed.
        """
        return self._session.run(self._chat.complete(messages, model, options))

    async def async_complete(
        self,
        messages: Sequence[MessageInput],
        model: str | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatCompletion:
        """Async ``complete``."""
        return await self._session.arun(self._chat.complete(messages, model, options))

    def batch(
        self,
        items: Iterable[BatchInput] | AsyncIterable[BatchInput],
        *,
        model: str | None = None,
        concurrency: int = 8,
        **chat_options: Unpack[ChatOptions],
    ) -> Iterator[BatchResult]:
        """One stateless completion per item, ``concurrency`` at a time; the results in
        input order, as each is ready.

        An item is a prompt, or a mapping with ``prompt`` or ``messages`` and optional
        ``id``, ``model`` and ``images``; items are read lazily (a generator of millions
        is fine). A failed item is a ``BatchResult`` with its ``error``, and the run goes
        on; retries, rate limiting and re-login apply to every call. ``chat_history`` is
        neither read nor changed. Bad arguments raise ``ValueError``/``TypeError`` here.
        """
        return self._batches.iterate(items, model, concurrency, chat_options)

    def async_batch(
        self,
        items: Iterable[BatchInput] | AsyncIterable[BatchInput],
        *,
        model: str | None = None,
        concurrency: int = 8,
        **chat_options: Unpack[ChatOptions],
    ) -> AsyncIterator[BatchResult]:
        """Async ``batch``: ``async for result in client.async_batch(prompts): ...``."""
        return self._batches.aiterate(items, model, concurrency, chat_options)

    def clear_chat_history(self) -> None:
        """Forget the conversation."""
        self._chat.history.clear()

    # --------------------------------------------------------------- models

    def get_available_models(self) -> list[str]:
        """The names of every available model (ids and aliases)."""
        return list(self._session.run(self._catalogs.get()).providers)

    async def async_get_available_models(self) -> list[str]:
        """Async ``get_available_models``."""
        return list((await self._session.arun(self._catalogs.get())).providers)

    def set_model(self, model_name: str) -> bool:
        """Use ``model_name`` from now on if the catalog knows it (case-insensitively).

        Returns False, changing nothing, for an unknown model.
        """
        return self._session.run(self._chat.set_model(model_name))

    async def async_set_model(self, model_name: str) -> bool:
        """Async ``set_model`` (the catalog is fetched without blocking the event loop)."""
        return await self._session.arun(self._chat.set_model(model_name))

    # ------------------------------------------------------------ lifecycle

    def close(self) -> None:
        """Release the blocking client's connections."""
        self._session.close()

    async def aclose(self) -> None:
        """Release every connection this client opened."""
        await self._session.aclose()

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


Puter = PuterAI
"""A second name for the client, for code that uses Puter's storage and account."""
