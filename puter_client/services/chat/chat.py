"""Chat: the conversation service of a client, and the pure pieces of a chat call.

``Chat`` holds the client's history, current model and what it learnt about the server
(an older one wants the provider named as the driver); its methods validate their input
at once (``ValueError``/``TypeError`` before any request) and return flows that the
client's session runs, blocking or async. The functions below it are pure: the user
turn, the driver call, the reply's text, the typed completion.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple, TypedDict, TypeVar

import attrs
import httpx

from puter_client._generated import endpoints, models
from puter_client.core.exceptions import (
    PuterAPIError,
    PuterBadRequestError,
    PuterInputError,
    PuterInputTypeError,
)
from puter_client.core.flow import Flow
from puter_client.core.http.content import NDJSON_CONTENT_TYPE
from puter_client.core.http.jsonbody import check_sendable
from puter_client.core.serialization import ModelValidationError, structure, unstructure
from puter_client.core.session import Session
from puter_client.services.chat.catalog import AI_CHAT_DRIVER, Catalogs
from puter_client.services.chat.completion import ChatCompletion, assistant_message, reply_text
from puter_client.services.chat.content import (
    ContentPart,
    ImageInput,
    MediaInput,
    _user_content,
)
from puter_client.services.chat.history import ChatHistory, checked_message
from puter_client.services.chat.streaming import (
    AsyncChatStream,
    ChatStream,
    StreamAccumulator,
    StreamSource,
)
from puter_client.services.chat.tools import (
    ToolRequest,
    assistant_tool_turn,
    tool_call_style,
    tool_requests_of,
    tool_result_messages,
)

__all__ = [
    "AI_CHAT_DRIVER",
    "DEFAULT_MODEL",
    "Chat",
    "ChatArgs",
    "ChatCompletion",
    "ChatOptions",
    "MessageInput",
    "as_messages",
    "assistant_message",
    "build_call",
    "is_legacy_ai_chat_refusal",
    "reply_text",
    "user_message",
    "validated_options",
]

logger = logging.getLogger("puter")

T = TypeVar("T")

DEFAULT_MODEL = "claude-opus-4"
# How older servers refuse the `ai-chat` driver; the SDK then names the provider instead.
_LEGACY_AI_CHAT_REFUSAL = "ai-chat directly is not yet supported"
_INVALID = "invalid_arguments"
"""The code of a refusal puter.js has no own code for."""

MessageInput = Mapping[str, Any] | models.ChatMessage
"""A chat message: a ``{"role", "content", ...}`` dict or a ``ChatMessage`` model."""


class ChatOptions(TypedDict, total=False):
    """Optional arguments of a chat call; only those given (and not None) are sent."""

    max_tokens: int | None
    temperature: float | None
    top_p: float | None
    tools: Sequence[Mapping[str, Any] | models.Tool] | None
    tool_choice: str | Mapping[str, Any] | None
    reasoning_effort: str | None
    provider: str | None
    response: Mapping[str, Any] | None
    reasoning: Mapping[str, Any] | None
    verbosity: str | None
    text: Mapping[str, Any] | None
    image_config: Mapping[str, Any] | None
    compaction: bool | Mapping[str, Any] | None
    context_management: Any


class ChatArgs(ChatOptions, total=False):
    """The keyword arguments of ``chat``, ``async_chat`` and the streams: what to send
    (media: ``images``, ``audio``, ``videos``, ``files``; or ``content_parts``; or
    ``tool_results`` answering the model's tool calls) and the chat options."""

    images: Sequence[ImageInput] | None
    audio: Sequence[MediaInput] | None
    videos: Sequence[MediaInput] | None
    files: Sequence[MediaInput] | None
    content_parts: Sequence[ContentPart] | None
    tool_results: Mapping[str, Any] | None


OPTION_NAMES = frozenset(ChatOptions.__annotations__)
_CONTENT_NAMES = frozenset(ChatArgs.__annotations__) - OPTION_NAMES
_MEDIA_NAMES = ("images", "audio", "videos", "files")


def _media(media: Mapping[str, Any]) -> dict[str, Any]:
    """The keyword arguments of `user_message` beside ``images``."""
    return {name: media[name] for name in ("audio", "videos", "files")}


class _Turn(NamedTuple):
    """A chat turn prepared before any I/O: what to send and what to record.

    ``new`` is what the caller adds (a user message, or tool results); ``messages`` is
    the history as it was when the call began, followed by ``new``.
    """

    new: list[models.ChatMessage]
    messages: list[models.ChatMessage]
    model: str
    options: dict[str, Any]


class Chat:
    """The chat service of one client: history, current model, the chat flows."""

    def __init__(self, session: Session, catalogs: Catalogs) -> None:
        self._session = session
        self._catalogs = catalogs
        self.history = ChatHistory()
        self.current_model = DEFAULT_MODEL
        self._legacy_server = False

    # -------------------------------------------------------------- the calls

    def chat(self, prompt: str | None, model: str | None, args: ChatArgs) -> Flow[str]:
        """The reply text of one turn, recorded in history once it succeeded."""
        return self._reply(self._prepare_turn(prompt, model, args))

    def stream(self, prompt: str | None, model: str | None, args: ChatArgs) -> ChatStream:
        """A blocking stream of one turn (nothing is sent before it is read)."""
        turn = self._prepare_turn(prompt, model, args)
        return ChatStream(lambda: self._session.run(self._open_stream(turn)), *self._recorder(turn))

    def async_stream(
        self, prompt: str | None, model: str | None, args: ChatArgs
    ) -> AsyncChatStream:
        """An async stream of one turn (nothing is sent before it is read)."""
        turn = self._prepare_turn(prompt, model, args)
        return AsyncChatStream(
            lambda: self._session.async_run(self._open_stream(turn)), *self._recorder(turn)
        )

    def complete(
        self, messages: Sequence[MessageInput], model: str | None, options: ChatOptions
    ) -> Flow[ChatCompletion]:
        """One stateless completion of ``messages``, typed."""
        return self._completion(self._stateless_turn(messages, model, options))

    def complete_stream(
        self, messages: Sequence[MessageInput], model: str | None, options: ChatOptions
    ) -> ChatStream:
        """A blocking stream of one stateless completion (history neither read nor changed)."""
        turn = self._stateless_turn(messages, model, options)
        return ChatStream(
            lambda: self._session.run(self._open_stream(turn)),
            _record_nothing,
            lambda: self._tool_style(turn.model),
        )

    def async_complete_stream(
        self, messages: Sequence[MessageInput], model: str | None, options: ChatOptions
    ) -> AsyncChatStream:
        """An async stream of one stateless completion (history neither read nor changed)."""
        turn = self._stateless_turn(messages, model, options)
        return AsyncChatStream(
            lambda: self._session.async_run(self._open_stream(turn)),
            _record_nothing,
            lambda: self._tool_style(turn.model),
        )

    def set_model(self, model_name: str) -> Flow[bool]:
        """Use ``model_name`` from now on if the catalog knows it (case-insensitively):
        True; False, changing nothing, for an unknown or empty name."""
        if not isinstance(model_name, str) or not model_name.strip():
            return False
        catalog = yield from self._catalogs.get()
        canonical = catalog.canonical_name(model_name.strip())
        if canonical is None:
            return False
        self.current_model = canonical
        return True

    @property
    def pending_tool_calls(self) -> list[ToolRequest]:
        """The tool calls of the last assistant turn, to answer with ``tool_results=``."""
        history = self.history.snapshot()
        if not history or history[-1].role != "assistant":
            return []
        return tool_requests_of(history[-1])

    # ------------------------------------------------------------ pure steps

    def _model_or_current(self, model: str | None) -> str:
        if model is None:
            chosen = self.current_model
        elif not isinstance(model, str) or not model.strip():
            raise PuterInputError(
                "model must be a non-empty string (or None for current_model)", code=_INVALID
            )
        else:
            chosen = model.strip()
        check_sendable(chosen, "model")
        return chosen

    def _stateless_turn(
        self, messages: Sequence[MessageInput], model: str | None, options: ChatOptions
    ) -> _Turn:
        return _Turn(
            new=[],
            messages=as_messages(messages),
            model=self._model_or_current(model),
            options=validated_options(options),
        )

    def _prepare_turn(self, prompt: str | None, model: str | None, args: ChatArgs) -> _Turn:
        chosen_model = self._model_or_current(model)
        options = validated_options({k: v for k, v in args.items() if k not in _CONTENT_NAMES})
        content_parts = args.get("content_parts")
        tool_results = args.get("tool_results")
        media: dict[str, Any] = {name: args.get(name) for name in _MEDIA_NAMES}
        history = self.history.snapshot()
        if tool_results is not None:
            if prompt is not None or content_parts or any(media.values()):
                raise PuterInputError(
                    "tool_results goes alone: no prompt, media or content_parts", code=_INVALID
                )
            if not isinstance(tool_results, Mapping):
                raise PuterInputError(
                    "tool_results must map tool call ids to results", code=_INVALID
                )
            pending = tool_requests_of(history[-1]) if history else []
            if not pending:
                raise PuterInputError(
                    "tool_results given, but the model made no tool call", code=_INVALID
                )
            new = tool_result_messages(pending, tool_results)
        else:
            new = [user_message(prompt, media["images"], content_parts, **_media(media))]
        return _Turn(new=new, messages=[*history, *new], model=chosen_model, options=options)

    def _recorder(
        self, turn: _Turn
    ) -> tuple[Callable[[StreamAccumulator], None], Callable[[], str]]:
        """How a stream of ``turn`` records itself once whole, and its tool-call style."""

        def record(accumulator: StreamAccumulator) -> None:
            requests = accumulator.tool_requests_in(self._tool_style(turn.model))
            if requests:
                reply = assistant_tool_turn(accumulator.text, requests)
            else:
                reply = models.ChatMessage(role="assistant", content=accumulator.text)
            self.history.record(*turn.new, reply)

        return record, lambda: self._tool_style(turn.model)

    def _tool_style(self, model: str) -> str:
        """How ``model`` calls tools, from the catalog if it is loaded (no I/O)."""
        catalog = self._catalogs.cached
        return tool_call_style(catalog.provider_of(model) if catalog is not None else None)

    # ----------------------------------------------------------------- flows

    def _reply(self, turn: _Turn) -> Flow[str]:
        envelope = yield from self._call(turn, endpoints.parse_chat_complete)
        text = reply_text(envelope.result)
        self.history.record(*turn.new, assistant_message(envelope.result, text))
        return text

    def _completion(self, turn: _Turn) -> Flow[ChatCompletion]:
        envelope = yield from self._call(turn, endpoints.parse_chat_complete)
        return ChatCompletion.of(envelope.result)

    def _open_stream(self, turn: _Turn) -> Flow[StreamSource]:
        if turn.options.get("tools"):
            # Streamed tool calls are recorded in the style of the model's provider.
            yield from self._catalogs.get()
        return (yield from self._call(turn, _open_stream, stream=True))

    def _call(
        self, turn: _Turn, parse: Callable[[httpx.Response], T], *, stream: bool = False
    ) -> Flow[T]:
        """The ``complete`` driver call, naming the provider for servers that want it."""
        driver = AI_CHAT_DRIVER
        if self._legacy_server:
            driver = yield from self._provider(turn.model)
        try:
            return (yield from self._driver_call(turn, driver, parse, stream))
        except PuterAPIError as exc:
            if driver != AI_CHAT_DRIVER or not is_legacy_ai_chat_refusal(exc):
                raise
        logger.debug("the server refuses the ai-chat driver; naming the provider instead")
        self._legacy_server = True
        driver = yield from self._provider(turn.model)
        return (yield from self._driver_call(turn, driver, parse, stream))

    def _driver_call(
        self, turn: _Turn, driver: str, parse: Callable[[httpx.Response], T], stream: bool
    ) -> Flow[T]:
        call = build_call(
            turn.messages, turn.model, driver=driver, stream=stream, options=turn.options
        )
        headers = {"Accept": NDJSON_CONTENT_TYPE} if stream else None
        return self._session.send(
            endpoints.CHAT_COMPLETE, parse, body=call, headers=headers, stream=stream
        )

    def _provider(self, model: str) -> Flow[str]:
        catalog = yield from self._catalogs.get()
        provider = catalog.provider_of(model)
        if provider is None:
            # What a current server answers; an older one needs the provider to say it.
            raise PuterBadRequestError(
                f"Model not found: {model}",
                status_code=400,
                code="bad_request",
                method="POST",
                url=self._session.config.api_base + endpoints.CHAT_COMPLETE.path,
            )
        return provider


def _record_nothing(_accumulator: StreamAccumulator) -> None:
    """A stateless stream records no turn."""


def _open_stream(response: httpx.Response) -> StreamSource:
    """The open NDJSON response; or, for a whole reply, its result (errors raise)."""
    if response.status_code == 200 and not response.is_closed:
        return response
    return endpoints.parse_chat_complete(response).result


def validated_options(options: Mapping[str, Any]) -> dict[str, Any]:
    """The chat options as model values; ``TypeError``/``ValueError`` for bad ones."""
    if not options:
        return {}
    unknown = sorted(set(options) - OPTION_NAMES)
    if unknown:
        raise PuterInputTypeError(f"unknown chat option(s): {', '.join(unknown)}", code=_INVALID)
    given = {name: unstructure(value) for name, value in options.items() if value is not None}
    for name, value in given.items():
        check_sendable(value, f"the chat option {name}")
    try:
        args = structure({"model": "-", "messages": [], **given}, models.ChatCompleteArgs)
    except ModelValidationError as exc:
        raise PuterInputError(
            f"invalid chat option: {'; '.join(exc.errors)}", code=_INVALID
        ) from None
    return {name: getattr(args, name) for name in given}


def as_messages(messages: Sequence[MessageInput]) -> list[models.ChatMessage]:
    """Messages given as dicts or ``ChatMessage`` models, as models."""
    if isinstance(messages, (str, bytes)) or not isinstance(messages, Sequence):
        raise PuterInputError("messages must be a list of messages", code=_INVALID)
    if not messages:
        raise PuterInputError("messages must not be empty", code="arguments_required")
    result = []
    for index, message in enumerate(messages):
        if isinstance(message, models.ChatMessage):
            result.append(checked_message(message, f"messages[{index}]"))
            continue
        check_sendable(message, f"messages[{index}]")
        try:
            structured = structure(message, models.ChatMessage)
        except ModelValidationError as exc:
            problems = "; ".join(e.replace("@ $", f"@ messages[{index}]") for e in exc.errors)
            raise PuterInputError(
                f"messages[{index}] is not a valid message: {problems}", code=_INVALID
            ) from None
        result.append(checked_message(structured, f"messages[{index}]"))
    return result


def user_message(
    prompt: str | None,
    images: Sequence[ImageInput] | None,
    content_parts: Sequence[ContentPart] | None,
    *,
    audio: Sequence[MediaInput] | None = None,
    videos: Sequence[MediaInput] | None = None,
    files: Sequence[MediaInput] | None = None,
) -> models.ChatMessage:
    """The user turn for a chat call; ``ValueError`` when there is nothing valid to send.

    ``audio``, ``videos`` and ``files`` are sent after the images (see
    ``content.build_user_content``)."""
    content, labels = _user_content(prompt, images, content_parts, audio, videos, files)
    if isinstance(content, str):
        check_sendable(content, "the prompt")
        return models.ChatMessage(role="user", content=content)
    parts = [_as_part(p, i) for i, p in enumerate(content)]
    for label, part in zip(labels, parts, strict=True):
        check_sendable(part, label)
    return models.ChatMessage(role="user", content=parts)


def _as_part(part: Any, index: int) -> models.ContentPart:
    if attrs.has(type(part)):
        if not isinstance(part, models.ContentPart):
            raise PuterInputError(
                f"content_parts[{index}]: {type(part).__name__} is not a content part",
                code=_INVALID,
            )
        return part
    try:
        part_model: models.ContentPart = structure(part, models.ContentPart)
        return part_model
    except ModelValidationError as exc:
        problems = "; ".join(e.replace("@ $", f"@ content_parts[{index}]") for e in exc.errors)
        raise PuterInputError(
            f"content_parts[{index}] is not a valid content part: {problems}", code=_INVALID
        ) from None


def build_call(
    messages: list[models.ChatMessage],
    model: str,
    *,
    driver: str = AI_CHAT_DRIVER,
    stream: bool = False,
    options: dict[str, Any] | None = None,
) -> models.ChatCompleteCall:
    """The ``complete`` driver call; ``options`` holds only the arguments the caller set."""
    args = models.ChatCompleteArgs(model=model, messages=messages, **(options or {}))
    if stream:
        args.stream = True
    return models.ChatCompleteCall(driver=driver, args=args)


def is_legacy_ai_chat_refusal(exc: PuterAPIError) -> bool:
    """Whether ``exc`` is an older server refusing the ``ai-chat`` driver."""
    return _LEGACY_AI_CHAT_REFUSAL in exc.message
