"""``ChatPuter``: Puter's chat models as a LangChain ``BaseChatModel``.

A thin layer over one ``PuterAI`` client: ``invoke`` is ``client.complete``, ``stream``
is ``client.complete_stream`` (and their ``async_`` forms), so retries, rate limiting,
login and the older servers' fallback are the SDK's. Messages go out and replies come
back through the pure conversions of `messages`.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from langchain_core.callbacks import AsyncCallbackManagerForLLMRun, CallbackManagerForLLMRun
from langchain_core.language_models import BaseChatModel, LangSmithParams, LanguageModelInput
from langchain_core.language_models.chat_models import agenerate_from_stream, generate_from_stream
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils import from_env, secret_from_env
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, Field, PrivateAttr, SecretStr, model_validator

from puter import PuterAI
from puter_client.integrations.langchain.messages import (
    PROVIDER,
    ChunkBuilder,
    ai_message,
    constructed,
    to_puter_messages,
)
from puter_client.services.chat.chat import DEFAULT_MODEL

if TYPE_CHECKING:
    from typing_extensions import Self

    from puter.types import ChatOptions
    from puter_client.core.configuration import ConfigOptions

__all__ = ["ChatPuter"]

_Method = TypeVar("_Method", bound=Callable[..., Any])

#: What LangChain passes along that is not for the server.
_LANGCHAIN_ONLY = ("ls_structured_output_format", "stream_usage")


class _Presigned(Generic[_Method]):
    """A method whose bound signature is computed once.

    BaseChatModel takes ``inspect.signature`` of ``self._generate`` (``_agenerate``) on
    every call, to see whether it takes ``run_manager``; for a plain method that builds a
    new ``Signature`` each time (a tenth of this layer's cost per call). Bound through
    this descriptor, the method is a `_PresignedCall` carrying its signature, which
    ``inspect.signature`` returns as it is.
    """

    def __init__(self, method: _Method) -> None:
        self._method = method
        parameters = list(inspect.signature(method).parameters.values())[1:]
        self._signature = inspect.Signature(parameters)
        self.__doc__ = method.__doc__

    def __get__(self, instance: object | None, owner: type[Any] | None = None) -> _Method:
        if instance is None:
            return self._method
        return cast("_Method", _PresignedCall(self._method, instance, self._signature))


class _PresignedCall:
    """A method of `_Presigned` bound to its instance, with its signature."""

    __slots__ = ("__func__", "__self__", "__signature__")

    def __init__(self, method: Callable[..., Any], instance: object, signature: inspect.Signature):
        self.__func__ = method
        self.__self__ = instance
        self.__signature__ = signature

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.__func__(self.__self__, *args, **kwargs)


def _presigned(method: _Method) -> _Method:
    """``method`` as a `_Presigned` descriptor (typed as the method it binds)."""
    return cast("_Method", _Presigned(method))


class ChatPuter(BaseChatModel):
    """A Puter chat model for LangChain: ``ChatPuter(model="gpt-4o-mini").invoke("Hi")``.

    Credentials and endpoints as ``PuterAI``'s: ``username``/``password`` (default the
    ``PUTER_USERNAME``/``PUTER_PASSWORD`` variables), or a session ``token`` (alias
    ``api_key``); ``api_base``, ``login_url``, ``timeout``, ``max_retries`` (default
    ``puter.config`` and the ``PUTER_*`` variables); ``token_cache`` as ``PuterAI``'s.
    Or pass ``client=`` to share an existing ``PuterAI``. LangChain's ``temperature``,
    ``max_tokens``, ``top_p``, ``stop`` and ``streaming`` are the usual ones; Puter's
    API takes no stop sequences, so ``stop`` cuts the reply here.

    Tool calling with ``bind_tools`` (``tool_choice``: ``"auto"``, ``"none"``,
    ``"any"``/``"required"``, a tool's name), ``with_structured_output`` (over tool
    calling, whatever ``method`` says: Puter has no JSON mode), token usage in
    ``usage_metadata``, the model name and Puter's metadata in ``response_metadata``.
    """

    model: str = DEFAULT_MODEL
    """The model (an id, alias or puterId the server knows); a call's ``model=`` wins."""
    username: str | None = Field(default_factory=from_env("PUTER_USERNAME", default=None))
    """The account to log in as (default ``PUTER_USERNAME``)."""
    password: SecretStr | None = Field(
        default_factory=secret_from_env("PUTER_PASSWORD", default=None)
    )
    """Its password (default ``PUTER_PASSWORD``)."""
    token: SecretStr | None = None
    """A session token, used instead of logging in (also accepted as ``api_key``)."""
    api_base: str | None = None
    """The API origin (default ``puter.config.api_base``)."""
    login_url: str | None = None
    """The login URL (default ``puter.config.login_url``)."""
    timeout: float | None = None
    """Seconds to wait for the server (default ``puter.config.timeout``)."""
    max_retries: int | None = None
    """Retries after a retryable failure (default ``puter.config.max_retries``)."""
    token_cache: bool | str | None = None
    """As ``PuterAI``'s: keep the session token of each login in a private file."""
    temperature: float | None = None
    """Sampling temperature; sent only when set."""
    max_tokens: int | None = None
    """The most tokens to generate; sent only when set."""
    top_p: float | None = None
    """Nucleus sampling; sent only when set."""
    stop: list[str] | None = None
    """Stop sequences, applied to the reply (Puter's API takes none)."""
    streaming: bool = False
    """Whether ``invoke`` streams the reply (for callbacks' ``on_llm_new_token``)."""
    client: PuterAI | None = Field(default=None, exclude=True)
    """An existing client to use (its credentials and configuration); else one is made."""

    model_config = ConfigDict(arbitrary_types_allowed=True, ignored_types=(_Presigned,))

    def __init__(
        self,
        *,
        model: str | None = None,
        username: str | None = None,
        password: str | SecretStr | None = None,
        token: str | SecretStr | None = None,
        api_key: str | SecretStr | None = None,
        api_base: str | None = None,
        login_url: str | None = None,
        timeout: float | None = None,
        max_retries: int | None = None,
        token_cache: bool | str | None = None,
        temperature: float | None = None,
        max_tokens: int | None = None,
        top_p: float | None = None,
        stop: list[str] | None = None,
        streaming: bool | None = None,
        client: PuterAI | None = None,
        **kwargs: Any,
    ) -> None:
        """Keywords as the attributes; ``api_key`` is another name for ``token``, and
        LangChain's own (``callbacks``, ``tags``, ``rate_limiter``...) go to
        ``BaseChatModel``. Bad settings raise ``ValueError`` here, before any request."""
        given = {
            "model": model,
            "username": username,
            "password": password,
            "token": token if token is not None else api_key,
            "api_base": api_base,
            "login_url": login_url,
            "timeout": timeout,
            "max_retries": max_retries,
            "token_cache": token_cache,
            "temperature": temperature,
            "max_tokens": max_tokens,
            "top_p": top_p,
            "stop": stop,
            "streaming": streaming,  # when given, LangChain's stream() follows it too
            "client": client,
        }
        fields: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
        super().__init__(**fields, **kwargs)

    _puter: PuterAI = PrivateAttr()

    @model_validator(mode="after")
    def _make_client(self) -> Self:
        """Build the client now, so that bad settings fail here (it sends nothing yet)."""
        if self.client is not None:
            self._puter = self.client
            return self
        overrides: ConfigOptions = {}
        if self.api_base is not None:
            overrides["api_base"] = self.api_base
        if self.login_url is not None:
            overrides["login_url"] = self.login_url
        if self.timeout is not None:
            overrides["timeout"] = self.timeout
        if self.max_retries is not None:
            overrides["max_retries"] = self.max_retries
        self._puter = PuterAI(
            username=self.username,
            password=_secret(self.password),
            token=_secret(self.token),
            token_cache=self.token_cache,
            **overrides,
        )
        return self

    @property
    def puter_client(self) -> PuterAI:
        """The ``PuterAI`` client this model calls."""
        # Read from pydantic's store of private values: ``self._puter`` is found only
        # after a failed lookup (an AttributeError raised and caught), 2 us a call.
        client: PuterAI = self.__pydantic_private__["_puter"]  # type: ignore[index]
        return client

    # ------------------------------------------------------------- LangChain's hooks

    @property
    def _llm_type(self) -> str:
        return "puter-chat"

    @property
    def _identifying_params(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "temperature": self.temperature,
            "max_tokens": self.max_tokens,
            "top_p": self.top_p,
        }

    def _get_invocation_params(
        self, stop: list[str] | None = None, **kwargs: Any
    ) -> dict[str, Any]:
        # BaseChatModel's, less its guard for subclasses that override the deprecated
        # dict() (a warnings context per call, a tenth of the layer's cost): this one
        # does not.
        return {**self.asdict(), "stop": stop, **kwargs}

    def _get_ls_params(self, stop: list[str] | None = None, **kwargs: Any) -> LangSmithParams:
        params = LangSmithParams(
            ls_provider=PROVIDER,
            ls_model_name=kwargs.get("model") or self.model,
            ls_model_type="chat",
        )
        temperature = kwargs.get("temperature", self.temperature)
        if temperature is not None:
            params["ls_temperature"] = temperature
        max_tokens = kwargs.get("max_tokens", self.max_tokens)
        if max_tokens is not None:
            params["ls_max_tokens"] = max_tokens
        stop = stop or self.stop
        if stop:
            params["ls_stop"] = stop
        return params

    # ------------------------------------------------------------------- the calls

    @_presigned
    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.streaming:
            return generate_from_stream(self._stream(messages, stop, run_manager, **kwargs))
        wire, model, options = self._request(messages, kwargs)
        completion = self.puter_client.complete(wire, model, **options)
        return _result(ai_message(completion, model, stop or self.stop))

    @_presigned
    async def _agenerate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        if self.streaming:
            chunks = self._astream(messages, stop, run_manager, **kwargs)
            return await agenerate_from_stream(chunks)
        wire, model, options = self._request(messages, kwargs)
        completion = await self.puter_client.async_complete(wire, model, **options)
        return _result(ai_message(completion, model, stop or self.stop))

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        wire, model, options = self._request(messages, kwargs)
        builder = ChunkBuilder(model, stop or self.stop)
        with self.puter_client.complete_stream(wire, model, **options) as stream:
            for event in stream.events():
                chunk = builder.chunk(event)
                if chunk is not None:
                    generation = ChatGenerationChunk(message=chunk)
                    if run_manager is not None:
                        run_manager.on_llm_new_token(chunk.text, chunk=generation)
                    yield generation
        yield ChatGenerationChunk(message=builder.last())

    async def _astream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: AsyncCallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> AsyncIterator[ChatGenerationChunk]:
        wire, model, options = self._request(messages, kwargs)
        builder = ChunkBuilder(model, stop or self.stop)
        async with self.puter_client.async_complete_stream(wire, model, **options) as stream:
            async for event in stream.events():
                chunk = builder.chunk(event)
                if chunk is not None:
                    generation = ChatGenerationChunk(message=chunk)
                    if run_manager is not None:
                        await run_manager.on_llm_new_token(chunk.text, chunk=generation)
                    yield generation
        yield ChatGenerationChunk(message=builder.last())

    def _request(
        self, messages: list[BaseMessage], kwargs: dict[str, Any]
    ) -> tuple[list[dict[str, Any]], str, ChatOptions]:
        """The wire messages, the model and the chat options of one call."""
        options: dict[str, Any] = {}
        if self.temperature is not None:
            options["temperature"] = self.temperature
        if self.max_tokens is not None:
            options["max_tokens"] = self.max_tokens
        if self.top_p is not None:
            options["top_p"] = self.top_p
        model = self.model
        for key, value in kwargs.items():
            if key == "model":
                model = value or model
            elif key not in _LANGCHAIN_ONLY:
                options[key] = value  # the SDK refuses unknown options (TypeError)
        return to_puter_messages(messages), model, options  # type: ignore[return-value]

    # ---------------------------------------------------------------------- tools

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable[..., Any] | BaseTool],
        *,
        tool_choice: str | dict[str, Any] | bool | None = None,
        strict: bool | None = None,
        parallel_tool_calls: bool | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """This model with ``tools`` (any form LangChain converts to an OpenAI tool).

        ``tool_choice``: ``"auto"``, ``"none"``, ``"any"``/``"required"``/``True``
        (call some tool), a tool's name (call that one), or Puter's own dict form.
        ``parallel_tool_calls`` is accepted for LangChain's agents and not sent: Puter's
        API has no such option (its providers decide).
        """
        formatted = [convert_to_openai_tool(t, strict=strict) for t in tools]
        choice = _tool_choice(tool_choice, [t["function"]["name"] for t in formatted])
        if choice is not None:
            kwargs["tool_choice"] = choice
        return super().bind(tools=formatted, **kwargs)


def _tool_choice(
    choice: str | dict[str, Any] | bool | None, names: list[str]
) -> str | dict[str, Any] | None:
    """Puter's (OpenAI's) form of a LangChain ``tool_choice``."""
    if choice is None or choice is False:
        return None
    if choice is True or choice in ("any", "required"):
        return "required"
    if choice in ("auto", "none"):
        return str(choice)
    if isinstance(choice, str):
        if choice not in names:
            raise ValueError(f"tool_choice names {choice!r}, which is not a bound tool {names}")
        return {"type": "function", "function": {"name": choice}}
    if isinstance(choice, Mapping):
        return dict(choice)
    raise TypeError(f"tool_choice must be a str, dict or bool, not {type(choice).__name__}")


def _secret(value: SecretStr | None) -> str | None:
    return None if value is None else value.get_secret_value()


def _result(message: AIMessage) -> ChatResult:
    """The result of one reply, constructed as validation would make it (its ``text``
    is the message's, as ``ChatGeneration``'s validator sets it)."""
    content = message.content
    text = content if isinstance(content, str) else message.text
    generation = constructed(ChatGeneration, message=message, text=text)
    return constructed(ChatResult, generations=[generation])
