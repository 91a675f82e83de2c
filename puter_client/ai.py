"""``PuterAI`` (also ``Puter``): the client, a thin facade over its session and services.

The constructor builds the client's ``Session`` (config, transport, token, login); each
service (``chat``, the model catalog, and the storage and media services) is made on
first use and runs its flows over that session. Every public method is a one-line shell:
the blocking one runs the service's flow with ``session.run``, its ``async_`` twin with
``session.async_run``; their parameters are identical (a test checks it).
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

import httpx

from puter_client._lazy import LazyService
from puter_client.core.configuration import ConfigOptions, PuterConfig
from puter_client.core.configuration import config as global_config
from puter_client.core.session import Session

if TYPE_CHECKING:
    from typing_extensions import Self, Unpack

    from puter_client._generated.models import ModelDetails, TtsEngine, TtsVoice
    from puter_client.core.ratelimit import RateLimits, RateLimitSetting
    from puter_client.services.account.account import Account, AccountService, Usage
    from puter_client.services.apps.apps import Apps
    from puter_client.services.batch.batch import Batches, BatchInput, BatchResult
    from puter_client.services.chat.catalog import Catalogs
    from puter_client.services.chat.chat import Chat, ChatArgs, ChatOptions, MessageInput
    from puter_client.services.chat.completion import ChatCompletion
    from puter_client.services.chat.content import ImageInput
    from puter_client.services.chat.streaming import AsyncChatStream, ChatStream
    from puter_client.services.chat.tools import ToolRequest
    from puter_client.services.drivers.drivers import Drivers
    from puter_client.services.fs.fs import FileSystem
    from puter_client.services.hosting.hosting import Hosting
    from puter_client.services.kv.kv import KeyValueStore
    from puter_client.services.media.media import (
        AudioInput,
        ImageOptions,
        Media,
        OcrOptions,
        SpeechOptions,
        TranscriptionOptions,
        VideoOptions,
        VoiceOptions,
    )
    from puter_client.services.media.results import (
        Audio,
        GeneratedImage,
        GeneratedVideo,
        OcrResult,
        Transcription,
    )
    from puter_client.services.tokens.tokens import AccessTokens, Permission
    from puter_client.services.workers.workers import Workers

__all__ = ["Puter", "PuterAI"]


def _catalogs(client: PuterAI) -> Catalogs:
    from puter_client.services.chat.catalog import Catalogs

    return Catalogs(client._session)


def _chat(client: PuterAI) -> Chat:
    from puter_client.services.chat.chat import Chat

    return Chat(client._session, client._catalogs)


def _kv(client: PuterAI) -> KeyValueStore:
    """The key-value store: ``client.kv.set("k", v)``, ``client.kv.get("k")``."""
    from puter_client.services.kv.kv import KeyValueStore

    return KeyValueStore(client._session)


def _tokens(client: PuterAI) -> AccessTokens:
    """The access-token flows of the client's session."""
    from puter_client.services.tokens.tokens import AccessTokens

    return AccessTokens(client._session)


def _drivers(client: PuterAI) -> Drivers:
    """Any driver method: ``client.drivers.call("puter-kvstore", "get", {"key": "k"})``."""
    from puter_client.services.drivers.drivers import Drivers

    return Drivers(client._session)


def _fs(client: PuterAI) -> FileSystem:
    """The cloud file system: ``client.fs.write("notes.txt", "hi")``, ``client.fs.read``..."""
    from puter_client.services.fs.fs import FileSystem

    return FileSystem(client._session)


def _apps(client: PuterAI) -> Apps:
    """Your apps: ``client.apps.create("my-app", url)``, ``get``, ``list``..."""
    from puter_client.services.apps.apps import Apps

    return Apps(client._session)


def _hosting(client: PuterAI) -> Hosting:
    """Your websites: ``client.hosting.publish("site/", "my-site").url``, ``list``..."""
    from puter_client.services.hosting.hosting import Hosting

    return Hosting(client._session)


def _workers(client: PuterAI) -> Workers:
    """Your serverless workers: ``client.workers.deploy("hi", Path("hi.js"))``, ``exec``..."""
    from puter_client.services.workers.workers import Workers

    return Workers(client._session)


def _media(client: PuterAI) -> Media:
    from puter_client.services.media.media import Media

    return Media(client._session)


def _account(client: PuterAI) -> AccountService:
    from puter_client.services.account.account import AccountService

    return AccountService(client._session)


def _batches(client: PuterAI) -> Batches:
    from puter_client.services.batch.batch import Batches

    return Batches(client._session, client._chat)


class PuterAI:
    """A client of Puter's API.

    ``PuterAI(username=, password=, token=, **config_overrides)``: credentials default to
    the ``PUTER_USERNAME``/``PUTER_PASSWORD`` environment variables; a ``token`` needs no
    login. ``config_overrides`` (``timeout=60``, ``max_retries=5``, ...) apply to this
    client only, on a copy of ``puter.config``. Pass ``http_client``/``async_http_client``
    to use your own httpx clients (they are not closed by this one). AI calls are paced by
    ``rate_limit_requests`` per ``rate_limit_period``; storage calls by limits of their own
    that follow the server's and the account's tier, which ``rate_limits={group: (requests,
    seconds)}`` (or ``(requests, seconds, in_flight)``) overrides; ``client.rate_limits``
    shows them (docs/rate-limits.md).

    ``token_cache=True`` (or a file path, or ``PUTER_TOKEN_CACHE=1``) keeps the session
    token of each login in a private file shared with the ``puter`` command and reuses it
    until the server refuses it: a server allows about 10 logins per 15 minutes.

    Use it as a context manager, or call ``close()``/``aclose()``, to release connections.
    """

    _catalogs = LazyService(_catalogs)
    _chat = LazyService(_chat)
    kv = LazyService(_kv)
    drivers = LazyService(_drivers)
    _tokens = LazyService(_tokens)
    _media = LazyService(_media)
    _account = LazyService(_account)
    fs = LazyService(_fs)
    apps = LazyService(_apps)
    hosting = LazyService(_hosting)
    workers = LazyService(_workers)
    _batches = LazyService(_batches)

    def __init__(
        self,
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        *,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
        rate_limits: Mapping[str, RateLimitSetting] | None = None,
        token_cache: bool | str | os.PathLike[str] | None = None,
        **config_overrides: Unpack[ConfigOptions],
    ) -> None:
        from puter_client.core.credentials import token_cache_from

        self.config: PuterConfig = global_config.with_overrides(**config_overrides)
        self._session = Session(
            self.config,
            username=username,
            password=password,
            token=token,
            http_client=http_client,
            async_http_client=async_http_client,
            rate_limits=rate_limits,
            token_cache=token_cache_from(token_cache),
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
        """The conversation so far as ``{"role", "content"}`` dicts.

        A list taken when read; its edits (``append``, ``del h[:-10]``, ``h[0] = ...``,
        ...) are validated and become what the next chat sends. Assigning a list of
        messages (``client.chat_history = saved``) replaces the conversation. See
        ``history.HistoryList``.
        """
        return self._chat.history.view()

    @chat_history.setter
    def chat_history(self, messages: Iterable[Mapping[str, Any]]) -> None:
        from puter_client.services.chat.history import messages_from

        self._chat.history.replace(messages_from(messages))

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
    def rate_limits(self) -> RateLimits:
        """The client's rate limits now, by group, and the account tier they follow
        (read-only; ``rate_limits=`` sets them). See docs/rate-limits.md."""
        return self._session.rate_limits()

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
        return await self._session.async_run(self._session.login(otp_code))

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
        return await self._session.async_run(self._chat.chat(prompt, model, args))

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
        return await self._session.async_run(self._chat.complete(messages, model, options))

    def complete_stream(
        self,
        messages: Sequence[MessageInput],
        model: str | None = None,
        **options: Unpack[ChatOptions],
    ) -> ChatStream:
        """Like ``complete``, but the reply streams (a ``ChatStream``, as ``chat_stream``).

        Stateless: ``chat_history`` is neither sent nor changed. Bad input raises
        ``ValueError`` here, before any request; nothing is sent before the first read.
        """
        return self._chat.complete_stream(messages, model, options)

    def async_complete_stream(
        self,
        messages: Sequence[MessageInput],
        model: str | None = None,
        **options: Unpack[ChatOptions],
    ) -> AsyncChatStream:
        """Async ``complete_stream``: ``async for delta in client.async_complete_stream(m)``."""
        return self._chat.async_complete_stream(messages, model, options)

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
        return self._batches.async_iterate(items, model, concurrency, chat_options)

    def clear_chat_history(self) -> None:
        """Forget the conversation."""
        self._chat.history.clear()

    # --------------------------------------------------------------- models

    def get_available_models(self) -> list[str]:
        """The names of every available model (ids, aliases and puterIds), without the
        server's internal test models (``fake``, ``costly``, ``abuse``), as puter.js
        lists them; those stay callable and in ``available_models``."""
        return self._session.run(self._catalogs.get()).public_names()

    async def async_get_available_models(self) -> list[str]:
        """Async ``get_available_models``."""
        return (await self._session.async_run(self._catalogs.get())).public_names()

    def create_access_token(
        self,
        permissions: Iterable[Permission] = ("full-api-access",),
        *,
        expires_in: float | str | None = None,
        label: str | None = None,
    ) -> str:
        """Mint an API (access) token from this client's session; the token (a secret).

        ``permissions``: names (``"full-api-access"``, the default, for everything the
        user may do) or ``(name, extra)`` pairs; ``expires_in``: seconds or a duration
        such as ``"30d"`` (open-ended when ``None``); ``label``: a name shown in the
        account's sessions. Use it as ``PuterAI(token=...)``. An access token may not
        mint another (``PuterPermissionError``, 403).
        """
        return self._session.run(self._tokens.create(permissions, expires_in, label))

    async def async_create_access_token(
        self,
        permissions: Iterable[Permission] = ("full-api-access",),
        *,
        expires_in: float | str | None = None,
        label: str | None = None,
    ) -> str:
        """Async ``create_access_token``."""
        return await self._session.async_run(self._tokens.create(permissions, expires_in, label))

    def list_models(self, provider: str | None = None) -> list[ModelDetails]:
        """The models with their details (``id``, ``provider``, ``aliases``, ``context``,
        ``max_tokens``, ``costs``/``cost``, ``modalities``, ``tool_call``...), from the
        list puter.js reads (``/puterai/chat/models/details``), without the internal test
        models; only ``provider``'s when given. Fetched on each call."""
        return self._session.run(self._catalogs.list_models(provider))

    async def async_list_models(self, provider: str | None = None) -> list[ModelDetails]:
        """Async ``list_models``."""
        return await self._session.async_run(self._catalogs.list_models(provider))

    def list_model_providers(self) -> list[str]:
        """The providers of the listed models, each once (``claude``, ...)."""
        return self._session.run(self._catalogs.list_model_providers())

    async def async_list_model_providers(self) -> list[str]:
        """Async ``list_model_providers``."""
        return await self._session.async_run(self._catalogs.list_model_providers())

    def set_model(self, model_name: str) -> bool:
        """Use ``model_name`` from now on if the catalog knows it (case-insensitively).

        Returns True when the model is set. For an unknown model (or an empty name) it
        returns False and keeps ``current_model``, as the original reference says; it does
        not raise. Fetching the catalog can fail like any call (``PuterAPIError``).
        """
        return self._session.run(self._chat.set_model(model_name))

    async def async_set_model(self, model_name: str) -> bool:
        """Async ``set_model`` (the catalog is fetched without blocking the event loop):
        True when set, False (nothing changed) for an unknown model."""
        return await self._session.async_run(self._chat.set_model(model_name))

    # ------------------------------------------------------------ AI media
    # Options (model, provider, test_mode, ...) are the TypedDicts of ai_media; only those
    # given are sent. test_mode=True asks for the server's free sample answer.

    def txt2img(self, prompt: str, **options: Unpack[ImageOptions]) -> GeneratedImage:
        """Generate an image from ``prompt``; ``.read()`` or ``.save(path)`` it."""
        return self._session.run(self._media.txt2img(prompt, **options))

    async def async_txt2img(self, prompt: str, **options: Unpack[ImageOptions]) -> GeneratedImage:
        """Async ``txt2img``."""
        return await self._session.async_run(self._media.txt2img(prompt, **options))

    def txt2speech(self, text: str, **options: Unpack[SpeechOptions]) -> Audio:
        """Speak ``text`` (at most 3,000 characters); the ``Audio`` to read or save. With
        ``save_to``, it streams to that file as it arrives (whole or not at all)."""
        return self._session.run(self._media.txt2speech(text, **options))

    async def async_txt2speech(self, text: str, **options: Unpack[SpeechOptions]) -> Audio:
        """Async ``txt2speech``."""
        return await self._session.async_run(self._media.txt2speech(text, **options))

    def list_voices(
        self, provider: str | None = None, *, engine: str | None = None
    ) -> list[TtsVoice]:
        """The text-to-speech voices of ``provider`` (an alias such as ``polly`` or
        ``11labs`` is resolved by the server; ``"all"`` for every configured provider;
        the default provider, AWS Polly, when ``None``), only ``engine``'s when given."""
        return self._session.run(self._media.list_voices(provider, engine))

    async def async_list_voices(
        self, provider: str | None = None, *, engine: str | None = None
    ) -> list[TtsVoice]:
        """Async ``list_voices``."""
        return await self._session.async_run(self._media.list_voices(provider, engine))

    def list_tts_engines(self, provider: str | None = None) -> list[TtsEngine]:
        """The text-to-speech engines (models) of ``provider``, with their prices per
        million characters (``provider`` as in ``list_voices``)."""
        return self._session.run(self._media.list_tts_engines(provider))

    async def async_list_tts_engines(self, provider: str | None = None) -> list[TtsEngine]:
        """Async ``list_tts_engines``."""
        return await self._session.async_run(self._media.list_tts_engines(provider))

    def list_tts_providers(self) -> list[str]:
        """The text-to-speech providers the server has configured."""
        return self._session.run(self._media.list_tts_providers())

    async def async_list_tts_providers(self) -> list[str]:
        """Async ``list_tts_providers``."""
        return await self._session.async_run(self._media.list_tts_providers())

    def ocr(self, image: ImageInput, **options: Unpack[OcrOptions]) -> OcrResult:
        """Recognise the text of ``image`` (any form ``chat(images=...)`` takes, at most
        10 MB): ``.text`` and the ``.blocks`` with their confidence."""
        return self._session.run(self._media.ocr(image, **options))

    async def async_ocr(self, image: ImageInput, **options: Unpack[OcrOptions]) -> OcrResult:
        """Async ``ocr``."""
        return await self._session.async_run(self._media.ocr(image, **options))

    def img2txt(self, image: ImageInput, **options: Unpack[OcrOptions]) -> str:
        """The text recognised in ``image``: its blocks' texts, one per line."""
        return self._session.run(self._media.img2txt(image, **options))

    async def async_img2txt(self, image: ImageInput, **options: Unpack[OcrOptions]) -> str:
        """Async ``img2txt``."""
        return await self._session.async_run(self._media.img2txt(image, **options))

    def speech2txt(
        self, audio: AudioInput, **options: Unpack[TranscriptionOptions]
    ) -> Transcription:
        """Transcribe ``audio`` (a path, bytes, a binary file object, a URL or a data URL,
        at most 25 MB); ``translate=True`` translates it into English."""
        return self._session.run(self._media.speech2txt(audio, **options))

    async def async_speech2txt(
        self, audio: AudioInput, **options: Unpack[TranscriptionOptions]
    ) -> Transcription:
        """Async ``speech2txt``."""
        return await self._session.async_run(self._media.speech2txt(audio, **options))

    def speech2speech(self, audio: AudioInput, **options: Unpack[VoiceOptions]) -> Audio:
        """Say ``audio`` again in another ``voice``; the ``Audio`` to read or save."""
        return self._session.run(self._media.speech2speech(audio, **options))

    async def async_speech2speech(
        self, audio: AudioInput, **options: Unpack[VoiceOptions]
    ) -> Audio:
        """Async ``speech2speech``."""
        return await self._session.async_run(self._media.speech2speech(audio, **options))

    def txt2vid(self, prompt: str, **options: Unpack[VideoOptions]) -> GeneratedVideo:
        """Generate a video from ``prompt``; ``.url``, ``.read()``, ``.save(path)``."""
        return self._session.run(self._media.txt2vid(prompt, **options))

    async def async_txt2vid(self, prompt: str, **options: Unpack[VideoOptions]) -> GeneratedVideo:
        """Async ``txt2vid``."""
        return await self._session.async_run(self._media.txt2vid(prompt, **options))

    # -------------------------------------------------------------- account

    def whoami(self) -> Account:
        """The account the client is logged in as."""
        return self._session.run(self._account.whoami())

    async def async_whoami(self) -> Account:
        """Async ``whoami``."""
        return await self._session.async_run(self._account.whoami())

    def usage(self) -> Usage:
        """This month's usage by type, its total and the allowance left (micro-cents, and
        in US dollars as ``Decimal``)."""
        return self._session.run(self._account.usage())

    async def async_usage(self) -> Usage:
        """Async ``usage``."""
        return await self._session.async_run(self._account.usage())

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
