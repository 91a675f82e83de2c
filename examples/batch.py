"""Batch runs: the same task over many inputs, in order, failures recorded per item."""

from __future__ import annotations

import asyncio

from puter import PuterAI
from puter.types import BatchInput

REVIEWS = [
    "The battery lasts all day, love it.",
    "Broke after a week.",
    "Does what it says.",
]


def main() -> None:
    # The reference's default limit (10 calls a minute) would pace a big run; see the README
    # for how to pick the rate from your account's limits.
    with PuterAI(rate_limit_requests=30, rate_limit_period=10) as client:
        client.login()
        items: list[BatchInput] = [
            *(f"Classify as positive or negative: {review}" for review in REVIEWS),
            {"id": "bad-model", "prompt": "Hi", "model": "no-such-model"},
        ]
        for result in client.batch(items, model="gpt-4o-mini", concurrency=4):
            if result.error is None:
                print(f"{result.id}: {result.text}")
            else:
                print(f"{result.id}: failed ({result.error.status_code})")

        async def summaries() -> list[str | None]:
            prompts = (f"Summarise: {review}" for review in REVIEWS)  # read lazily
            return [r.text async for r in client.async_batch(prompts, model="gpt-4o-mini")]

        print(f"async: {len(asyncio.run(summaries()))} summaries")
        print(f"History untouched: {len(client.chat_history)} messages")


if __name__ == "__main__":
    main()
