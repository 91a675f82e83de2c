"""Async operations: concurrent chats on one client."""

from __future__ import annotations

import asyncio

from puter import PuterAI


async def concurrent_chats() -> None:
    async with PuterAI() as client:
        await client.async_login()

        questions = [
            "What is machine learning?",
            "What is deep learning?",
            "What is neural network?",
            "What is artificial intelligence?",
        ]
        responses = await asyncio.gather(*(client.async_chat(q) for q in questions))
        for question, response in zip(questions, responses, strict=True):
            print(f"Q: {question}")
            print(f"A: {response[:100]}...\n")
        print(f"History length: {len(client.chat_history)}")


if __name__ == "__main__":
    asyncio.run(concurrent_chats())
