"""Streaming: print the reply as it arrives, then read the totals."""

from __future__ import annotations

import asyncio

from puter import PuterAI


def main() -> None:
    with PuterAI() as client:
        client.login()
        print("Streamed: ", end="", flush=True)
        with client.chat_stream("Tell me a short story about a lighthouse") as stream:
            for delta in stream:
                print(delta, end="", flush=True)
        print(f"\nUsage: {stream.usage}")
        print(f"History length: {len(client.chat_history)}")

        # Typed events, for callers who want reasoning, tool calls or usage as they come.
        with client.chat_stream("And another one, briefly") as stream:
            kinds = [event.type for event in stream.events()]
        print(f"Event types: {kinds}")

    asyncio.run(stream_async())


async def stream_async() -> None:
    async with PuterAI() as client:
        print("Async streamed: ", end="", flush=True)
        async with client.async_chat_stream("Say hello asynchronously") as stream:
            async for delta in stream:
                print(delta, end="", flush=True)
        print()


if __name__ == "__main__":
    main()
