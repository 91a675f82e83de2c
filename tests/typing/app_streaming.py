"""An application using streaming, typed results, options and tool calls.

Never run: ``make typecheck`` checks it with ``mypy --strict``, so that the new API keeps
giving applications precise types (``assert_type`` pins the ones they rely on) and
needs no ``Any``, cast or ``type: ignore`` to be used the documented way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from typing_extensions import assert_type

from puter import PuterAI
from puter.exceptions import PuterAPIError, PuterStreamError
from puter_client._generated import models
from puter_client.services.chat.completion import ChatCompletion
from puter_client.services.chat.streaming import AsyncChatStream, ChatStream
from puter_client.services.chat.tools import ToolRequest

WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}

Tool = Callable[..., object]


def print_reply(client: PuterAI, prompt: str) -> str:
    """Stream a reply to the terminal; return it whole."""
    stream = client.chat_stream(prompt, "gpt-4o", temperature=0.2, max_tokens=200)
    assert_type(stream, ChatStream)
    with stream:
        for delta in stream:
            assert_type(delta, str)
            print(delta, end="", flush=True)
    print()
    text: str = stream.text
    usage: Any = stream.usage
    print(f"(usage: {usage}, complete: {stream.completed})")
    return text


def describe_events(client: PuterAI, prompt: str) -> list[str]:
    """Each event of a streamed reply, narrowed by its type."""
    lines: list[str] = []
    with client.chat_stream(prompt, "claude-opus-4", images=["cat.png"]) as stream:
        for event in stream.events():
            if isinstance(event, models.StreamText):
                lines.append(f"text: {event.text}")
            elif isinstance(event, models.StreamReasoning):
                lines.append(f"reasoning: {event.reasoning}")
            elif isinstance(event, models.StreamToolUse):
                arguments: dict[str, Any] = event.input
                lines.append(f"tool: {event.name}({json.dumps(arguments)}) id={event.id}")
            elif isinstance(event, models.StreamUsage):
                lines.append(f"usage: {event.usage}")
            elif isinstance(event, models.StreamUnknown):
                lines.append(f"unknown {event.type}: {event.additional_properties}")
    return lines


def first_words(client: PuterAI, prompt: str, limit: int) -> str:
    """Stop reading once ``limit`` characters arrived (the turn is then not recorded)."""
    received = ""
    with client.chat_stream(prompt) as stream:
        for delta in stream:
            received += delta
            if len(received) >= limit:
                break
    return received[:limit]


def reply_or_error(client: PuterAI, prompt: str) -> str:
    """A streamed reply, or what went wrong with it."""
    try:
        return client.chat_stream(prompt).until_done()
    except PuterStreamError as exc:
        return f"the provider failed midway: {exc.message}"
    except PuterAPIError as exc:
        status: int | None = exc.status_code
        return f"the call failed ({status}): {exc.message}"


async def print_reply_async(client: PuterAI, prompt: str) -> str:
    """The async twin of `print_reply`."""
    stream = client.async_chat_stream(prompt, content_parts=[{"type": "text", "text": prompt}])
    assert_type(stream, AsyncChatStream)
    async with stream:
        async for delta in stream:
            assert_type(delta, str)
            print(delta, end="", flush=True)
    return stream.text


async def count_events_async(client: PuterAI, prompt: str) -> dict[str, int]:
    """How many events of each type an async stream carried."""
    counts: dict[str, int] = {}
    async with client.async_chat_stream(prompt) as stream:
        async for event in stream.events():
            counts[event.type] = counts.get(event.type, 0) + 1
    return counts


def summarize(client: PuterAI, document: str) -> tuple[str, str | None]:
    """A stateless completion with options; the text and why the model stopped."""
    completion = client.complete(
        [
            {"role": "system", "content": "Summarize in one sentence."},
            models.ChatMessage(role="user", content=document),
        ],
        model="gpt-4o-mini",
        max_tokens=60,
        top_p=0.9,
        reasoning_effort="low",
    )
    assert_type(completion, ChatCompletion)
    assert_type(completion.text, str)
    assert_type(completion.finish_reason, str | None)
    assert_type(completion.result, models.ChatCompleteResult)
    return completion.text, completion.finish_reason


async def summarize_async(client: PuterAI, document: str) -> str:
    """The async twin of `summarize`, keeping the reply for a follow-up."""
    messages: list[Mapping[str, Any] | models.ChatMessage] = [{"role": "user", "content": document}]
    first = await client.async_complete(messages, temperature=0.0)
    messages += [first.message, {"role": "user", "content": "Shorter, please."}]
    second = await client.async_complete(messages)
    return second.text


def run_tools(client: PuterAI, prompt: str, tools: Mapping[str, Tool]) -> str:
    """Chat until the model stops asking for tools; run each tool it asks for."""
    reply = client.chat(prompt, "claude-opus-4", tools=[WEATHER_TOOL], tool_choice="auto")
    calls = client.pending_tool_calls
    while calls:
        results: dict[str, object] = {}
        for call in calls:
            assert_type(call, ToolRequest)
            name: str = call.name
            arguments: dict[str, Any] = call.arguments
            results[call.id] = tools[name](**arguments)
        reply = client.chat(tool_results=results, tools=[WEATHER_TOOL])
        calls = client.pending_tool_calls
    return reply


async def run_tools_async(client: PuterAI, prompt: str, tools: Mapping[str, Tool]) -> str:
    """The async twin of `run_tools`, with a typed tool definition."""
    tool = models.Tool(function=models.FunctionDefinition(name="get_weather", parameters={}))
    reply = await client.async_chat(prompt, "gpt-4o", tools=[tool])
    for call in client.pending_tool_calls:
        style: str = call.style
        raw: str | None = call.raw_arguments
        print(f"{style} call {call.id}: {raw}")
        reply = await client.async_chat(tool_results={call.id: tools[call.name](**call.arguments)})
    return reply


def tool_calls_of_a_completion(client: PuterAI) -> list[str]:
    """The tools a stateless completion asked for."""
    completion = client.complete([{"role": "user", "content": "Weather?"}], tools=[WEATHER_TOOL])
    assert_type(completion.tool_calls, list[ToolRequest])
    return [f"{call.name}: {call.arguments}" for call in completion.tool_calls]


def streamed_tool_calls(client: PuterAI) -> list[ToolRequest]:
    """Tool calls made in a streamed reply."""
    with client.chat_stream("Weather in Oslo?", tools=[WEATHER_TOOL]) as stream:
        stream.until_done()
    assert_type(stream.tool_calls, list[ToolRequest])
    return stream.tool_calls
