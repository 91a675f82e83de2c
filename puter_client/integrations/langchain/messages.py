"""LangChain messages to Puter's wire messages, and Puter's replies to LangChain's. Pure.

Out: every LangChain kind becomes one Puter message: ``SystemMessage`` -> ``system``,
``HumanMessage`` -> ``user`` (text, images and audio as Puter's content parts),
``AIMessage`` -> ``assistant`` (its tool calls as ``tool_use`` parts, the form Puter's
server normalises every provider's calls into), ``ToolMessage`` -> ``tool`` with its
``tool_call_id`` (which the server turns into the result of that call). Content Puter
cannot carry (a PDF file, an unknown block type) is refused with ``ValueError`` before
any request.

In: a ``ChatCompletion`` becomes an ``AIMessage`` (text, tool calls, usage, metadata);
the events of a stream become ``AIMessageChunk``s (`ChunkBuilder`).
"""

from __future__ import annotations

import copy
import functools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, cast

from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    ChatMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.messages.ai import UsageMetadata
from langchain_core.messages.content import InvalidToolCall
from langchain_core.messages.tool import (
    ToolCall,
    ToolCallChunk,
    invalid_tool_call,
    tool_call,
    tool_call_chunk,
)
from pydantic import BaseModel

from puter.types import (
    ChatCompletion,
    StreamLine,
    StreamReasoning,
    StreamText,
    StreamToolUse,
    StreamUsage,
    TokenUsage,
    ToolRequest,
)

__all__ = [
    "PROVIDER",
    "ChunkBuilder",
    "StopFilter",
    "ai_message",
    "constructed",
    "enforce_stop",
    "to_puter_messages",
    "usage_metadata",
]

_Model = TypeVar("_Model", bound=BaseModel)

PROVIDER = "puter"
"""What LangChain calls the provider (``ls_provider``, ``model_provider``)."""

_ROLES = {
    "system": "system",
    "user": "user",
    "human": "user",
    "assistant": "assistant",
    "ai": "assistant",
    "tool": "tool",
}


# ------------------------------------------------------------------ LangChain -> Puter


def to_puter_messages(messages: Sequence[BaseMessage]) -> list[dict[str, Any]]:
    """Puter's wire messages for LangChain ``messages``; ``ValueError`` for content Puter
    cannot carry (before any request)."""
    return [_puter_message(message, index) for index, message in enumerate(messages)]


def _puter_message(message: BaseMessage, index: int) -> dict[str, Any]:
    where = f"messages[{index}]"
    if isinstance(message, AIMessage):
        wire = _assistant(message, where)
    elif isinstance(message, ToolMessage):
        wire = {
            "role": "tool",
            "tool_call_id": message.tool_call_id,
            "content": _tool_result_text(message.content),
        }
    elif isinstance(message, (SystemMessage, HumanMessage)):
        role = "system" if isinstance(message, SystemMessage) else "user"
        wire = {"role": role, "content": _content(message.content, where)}
    elif isinstance(message, ChatMessage) and message.role.lower() in _ROLES:
        wire = {"role": _ROLES[message.role.lower()], "content": _content(message.content, where)}
    else:
        raise ValueError(
            f"{where}: Puter takes system, human, AI and tool messages, not {message.type!r}"
        )
    if message.name and wire["role"] in ("user", "assistant", "system"):
        wire["name"] = message.name
    return wire


def _assistant(message: AIMessage, where: str) -> dict[str, Any]:
    """An AI turn: its text, then its tool calls as ``tool_use`` parts.

    Other blocks of a list content (reasoning, provider-specific ``tool_use`` or
    ``tool_call`` blocks already in ``tool_calls``) are not sent back.
    """
    text = message.content if isinstance(message.content, str) else _text_of(message.content)
    calls = [*message.tool_calls]
    if not calls:
        # An empty string is "no content" to the server (400); no parts is an empty turn.
        return {"role": "assistant", "content": text or []}
    parts: list[dict[str, Any]] = [{"type": "text", "text": text}] if text else []
    for call in calls:
        if not call.get("id"):
            raise ValueError(f"{where}: a tool call without an id cannot be answered")
        parts.append(
            {"type": "tool_use", "id": call["id"], "name": call["name"], "input": call["args"]}
        )
    return {"role": "assistant", "content": parts}


def _text_of(content: Sequence[str | dict[str, Any]]) -> str:
    texts = []
    for block in content:
        if isinstance(block, str):
            texts.append(block)
        elif block.get("type") == "text" and isinstance(block.get("text"), str):
            texts.append(block["text"])
    return "".join(texts)


def _tool_result_text(content: str | list[str | dict[str, Any]]) -> str:
    """A tool result as text: its text blocks, or its content as JSON."""
    if isinstance(content, str):
        return content
    if all(isinstance(b, str) or b.get("type") == "text" for b in content):
        return _text_of(content)
    return json.dumps(content, ensure_ascii=False)


def _content(content: str | list[str | dict[str, Any]], where: str) -> str | list[dict[str, Any]]:
    if isinstance(content, str):
        return content
    return [_part(block, f"{where}.content[{i}]") for i, block in enumerate(content)]


def _part(block: str | dict[str, Any], where: str) -> dict[str, Any]:
    """One content block as a Puter content part."""
    if isinstance(block, str):
        return {"type": "text", "text": block}
    kind = block.get("type")
    if kind == "text":
        return {"type": "text", "text": block.get("text", "")}
    if kind == "image_url":
        image = block.get("image_url")
        url = image.get("url") if isinstance(image, Mapping) else image
        if isinstance(url, str):
            return {"type": "image_url", "image_url": {"url": url}}
    elif kind == "image":
        url = _image_url(block)
        if url is not None:
            return {"type": "image_url", "image_url": {"url": url}}
    elif kind in ("audio", "input_audio"):
        audio = _input_audio(block)
        if audio is not None:
            return {"type": "input_audio", "input_audio": audio}
    elif kind == "file" and isinstance(block.get("puter_path"), str):
        return {"type": "file", "puter_path": block["puter_path"]}
    raise ValueError(
        f"{where}: Puter cannot take this {kind!r} block (it takes text, images as "
        "URLs or base64, audio as base64, and files stored on Puter as puter_path)"
    )


def _image_url(block: Mapping[str, Any]) -> str | None:
    """The URL (or data URL) of an image block in any of LangChain's forms."""
    source = block.get("source")
    if isinstance(source, Mapping):  # Anthropic's form
        if source.get("type") == "base64":
            return _data_url(source.get("media_type"), source.get("data"))
        url = source.get("url")
        return url if isinstance(url, str) else None
    if isinstance(block.get("url"), str):
        return str(block["url"])
    data = block.get("base64", block.get("data"))
    if block.get("source_type", "base64") == "url" and isinstance(data, str):
        return data
    return _data_url(block.get("mime_type") or "image/png", data)


def _data_url(mime_type: Any, data: Any) -> str | None:
    if not isinstance(mime_type, str) or not isinstance(data, str):
        return None
    return f"data:{mime_type};base64,{data}"


def _input_audio(block: Mapping[str, Any]) -> dict[str, Any] | None:
    given = block.get("input_audio")
    if isinstance(given, Mapping):
        return {k: v for k, v in given.items() if k in ("data", "format", "id")}
    data = block.get("base64", block.get("data"))
    mime_type = block.get("mime_type")
    if not isinstance(data, str) or not isinstance(mime_type, str):
        return None
    audio_format = mime_type.rpartition("/")[2].removeprefix("x-")
    return {"data": data, "format": "mp3" if audio_format == "mpeg" else audio_format}


# ------------------------------------------------------------------ Puter -> LangChain


def usage_metadata(usage: Any) -> UsageMetadata | None:
    """LangChain's token usage for Puter's ``usage`` (every provider's shape, raw or as the
    SDK's ``TokenUsage``), or None."""
    if isinstance(usage, TokenUsage):  # the server's own data, with every detail it gave
        usage = usage.raw
    if isinstance(usage, list):  # older servers: [{"type": "prompt", "amount": n}, ...]
        amounts = {
            entry.get("type"): entry.get("amount") for entry in usage if isinstance(entry, dict)
        }
        usage = {"input_tokens": amounts.get("prompt"), "output_tokens": amounts.get("completion")}
    if not isinstance(usage, Mapping):
        return None
    get = usage.get
    anthropic_input = _count(get("input_tokens"))
    given_in = anthropic_input if anthropic_input is not None else _count(get("prompt_tokens"))
    given_out = _count(get("output_tokens"))
    if given_out is None:
        given_out = _count(get("completion_tokens"))
    if given_in is None and given_out is None:
        return None
    input_tokens, output_tokens = given_in or 0, given_out or 0
    cache_read = _count(get("cache_read_input_tokens")) or _nested(
        get("prompt_tokens_details"), "cached_tokens"
    )
    cache_creation = _count(get("cache_creation_input_tokens"))
    if get("input_tokens") is not None:  # Anthropic counts cached tokens apart
        input_tokens += (cache_read or 0) + (cache_creation or 0)
    total = _count(get("total_tokens"))
    # (a plain dict: mypy reads the details keys as required, langchain-core marks them
    # NotRequired)
    metadata: dict[str, Any] = {
        "input_tokens": input_tokens,
        "output_tokens": output_tokens,
        "total_tokens": total if total is not None else input_tokens + output_tokens,
    }
    if cache_read is not None or cache_creation is not None:
        details: dict[str, int] = {}
        if cache_read is not None:
            details["cache_read"] = cache_read
        if cache_creation is not None:
            details["cache_creation"] = cache_creation
        metadata["input_token_details"] = details
    reasoning = _nested(get("completion_tokens_details"), "reasoning_tokens")
    if reasoning is not None:
        metadata["output_token_details"] = {"reasoning": reasoning}
    return metadata  # type: ignore[return-value]


def _count(value: Any) -> int | None:
    """``value`` when it is a count (an int, not a bool), else None."""
    return value if type(value) is int else None


def _nested(details: Any, key: str) -> int | None:
    return _count(details.get(key)) if isinstance(details, Mapping) else None


def _tool_calls(requests: Sequence[ToolRequest]) -> tuple[list[ToolCall], list[InvalidToolCall]]:
    calls: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    for request in requests:
        raw = request.raw_arguments
        if raw is not None and raw.strip() and not _decodes_to_object(raw):
            invalid.append(
                invalid_tool_call(
                    name=request.name,
                    args=raw,
                    id=request.id,
                    error="the arguments are not a JSON object",
                )
            )
        else:
            calls.append(tool_call(name=request.name, args=request.arguments, id=request.id))
    return calls, invalid


def _decodes_to_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def enforce_stop(text: str, stop: Sequence[str] | None) -> tuple[str, bool]:
    """``text`` cut before the first of the ``stop`` sequences; and whether one was found.

    Puter's API takes no stop sequences, so they are applied to the reply here.
    """
    cuts = [i for s in stop or () if s and (i := text.find(s)) >= 0]
    return (text[: min(cuts)], True) if cuts else (text, False)


def ai_message(
    completion: ChatCompletion, model: str, stop: Sequence[str] | None = None
) -> AIMessage:
    """The ``AIMessage`` of a completion asked of ``model``."""
    text, stopped = enforce_stop(completion.text, stop) if stop else (completion.text, False)
    requests = completion.tool_calls
    calls, invalid = _tool_calls(requests) if requests else ([], [])
    result = completion.result
    message = result.message
    usage = result.usage  # the server's own data (what ``completion.usage.raw`` holds)
    reply_model, reply_id, stop_reason = message.model, message.id, message.stop_reason
    metadata: dict[str, Any] = {
        "model_name": reply_model if isinstance(reply_model, str) else model,
        "model_provider": PROVIDER,
        "finish_reason": "stop" if stopped else completion.finish_reason,
    }
    if isinstance(reply_id, str):
        metadata["id"] = reply_id
    else:
        reply_id = None
    if isinstance(stop_reason, str):
        metadata["stop_reason"] = stop_reason
    if isinstance(usage, (dict, list, Mapping)):
        metadata["usage"] = usage
    # Every field is built here in the form AIMessage's validation would give it (tool
    # calls by tool_call()): constructed without validating it again.
    return constructed(
        AIMessage,
        content=text,
        tool_calls=calls,
        invalid_tool_calls=invalid,
        usage_metadata=usage_metadata(usage),
        response_metadata=metadata,
        id=reply_id,
    )


def constructed(model: type[_Model], **given: Any) -> _Model:
    """A ``model`` of values already in the form its validation gives them, built
    without validating them again.

    What ``model_construct`` makes, for less (`_maker`). The reply of every ``invoke``
    is three such models (``make bench``, the LangChain row).
    """
    make: Callable[[dict[str, Any]], _Model] = _maker(model)
    return make(given)


@functools.cache
def _maker(model: type[_Model]) -> Callable[[dict[str, Any]], _Model]:
    """How `constructed` makes a ``model`` from the values given.

    Fields not given get their default (a copy of a mutable one; a default factory
    called: ``model_construct`` would inspect the factory's signature first, which costs
    more than validating), only those given count as set (``model_fields_set``), as
    after validation, and the instance is made as ``model_construct`` makes it when every
    field is given: the values as ``__dict__``, the set fields, no extra fields (``{}``
    where they are allowed), no private values. A model for which ``model_construct``
    would do more (run ``model_post_init``, which private attributes also imply; read
    aliases; a root model) is made by ``model_construct``.
    """
    shared: dict[str, Any] = {}
    fresh: list[tuple[str, Callable[[], Any]]] = []
    for name, field in model.model_fields.items():
        if field.default_factory is not None:
            fresh.append((name, cast("Callable[[], Any]", field.default_factory)))
        elif field.is_required():
            continue
        elif isinstance(field.default, (str, int, float, bool, type(None), tuple, frozenset)):
            shared[name] = field.default
        else:
            fresh.append((name, functools.partial(copy.deepcopy, field.default)))
    fresh_names = frozenset(name for name, _ in fresh)

    def values_of(given: dict[str, Any]) -> dict[str, Any]:
        values = {**shared, **given}
        if not fresh_names <= given.keys():
            for name, factory in fresh:
                if name not in given:
                    values[name] = factory()
        return values

    if (
        model.__pydantic_post_init__
        or model.__pydantic_root_model__
        or any(f.alias or f.validation_alias for f in model.model_fields.values())
    ):
        return lambda given: model.model_construct(_fields_set=set(given), **values_of(given))
    extra: dict[str, Any] | None = {} if model.model_config.get("extra") == "allow" else None
    new = model.__new__
    set_slot = object.__setattr__

    def make(given: dict[str, Any]) -> _Model:
        instance = new(model)
        set_slot(instance, "__dict__", values_of(given))
        set_slot(instance, "__pydantic_fields_set__", set(given))
        set_slot(instance, "__pydantic_extra__", None if extra is None else {})
        set_slot(instance, "__pydantic_private__", None)
        return instance

    return make


class StopFilter:
    """Applies stop sequences to text that arrives in pieces: what may be shown now.

    A piece that could be the start of a stop sequence is held back until the next piece
    (or `flush`) tells; after a stop sequence nothing more is shown.
    """

    def __init__(self, stop: Sequence[str] | None) -> None:
        self._stop = [s for s in stop or () if s]
        self._held = ""
        self.stopped = False

    def feed(self, text: str) -> str:
        """The part of ``text`` (with what was held) that can be shown now."""
        if self.stopped:
            return ""
        if not self._stop:
            return text
        held = self._held + text
        shown, self.stopped = enforce_stop(held, self._stop)
        if self.stopped:
            self._held = ""
            return shown
        keep = max(len(s) for s in self._stop) - 1
        split = max(0, len(held) - keep)
        self._held = held[split:]
        return held[:split]

    def flush(self) -> str:
        """What is still held, once the text has ended."""
        held, self._held = self._held, ""
        return "" if self.stopped else held


class ChunkBuilder:
    """Turns the events of one streamed reply into ``AIMessageChunk``s.

    Text, reasoning and tool calls become chunks as they arrive; `last` is the final
    chunk (``chunk_position="last"``), with the usage, the model name and why the
    reply ended, given once the stream has completed.
    """

    def __init__(self, model: str, stop: Sequence[str] | None = None) -> None:
        self._model = model
        self._filter = StopFilter(stop)
        self._tool_calls = 0
        self._usage: Any = None

    def chunk(self, event: StreamLine) -> AIMessageChunk | None:
        """The chunk of one event, or None for an event that shows nothing."""
        if isinstance(event, StreamText):
            text = self._filter.feed(event.text)
            return AIMessageChunk(content=text) if text else None
        if isinstance(event, StreamToolUse):
            index = self._tool_calls
            self._tool_calls += 1
            chunk: ToolCallChunk = tool_call_chunk(
                name=event.name,
                args=json.dumps(event.input, ensure_ascii=False),
                id=event.id,
                index=index,
            )
            return AIMessageChunk(content="", tool_call_chunks=[chunk])
        if isinstance(event, StreamReasoning):
            return AIMessageChunk(
                content="", additional_kwargs={"reasoning_content": event.reasoning}
            )
        if isinstance(event, StreamUsage):
            self._usage = event.usage
        return None

    def last(self) -> AIMessageChunk:
        """The final chunk: any text held back, usage and response metadata."""
        if self._filter.stopped:
            finish_reason = "stop"
        else:
            finish_reason = "tool_calls" if self._tool_calls else "stop"
        return AIMessageChunk(
            content=self._filter.flush(),
            usage_metadata=usage_metadata(self._usage),
            response_metadata={
                "model_name": self._model,
                "model_provider": PROVIDER,
                "finish_reason": finish_reason,
            },
            chunk_position="last",
        )
