"""Storage: Puter's key-value store (``client.kv``), blocking and async.

Reads PUTER_USERNAME / PUTER_PASSWORD (and PUTER_API_BASE / PUTER_LOGIN_URL) from the
environment. Each section is a function of its own; ``main`` runs them in order.
"""

from __future__ import annotations

import asyncio

from puter import Puter

PREFIX = "storage-example:"


def key_value_store(client: Puter) -> None:
    """Values are any JSON; keys are strings of up to 1024 UTF-8 bytes."""
    kv = client.kv
    kv.set(f"{PREFIX}profile", {"name": "Ada", "languages": ["en", "fr"], "admin": False})
    print("profile:", kv.get(f"{PREFIX}profile"))
    print("missing:", kv.get(f"{PREFIX}nothing-here"))

    kv.set_many({f"{PREFIX}color": "green", f"{PREFIX}size": 3})
    print("many:", kv.get_many([f"{PREFIX}color", f"{PREFIX}size", f"{PREFIX}nope"]))

    kv.incr(f"{PREFIX}visits")
    print("visits:", kv.incr(f"{PREFIX}visits", 5), "then", kv.decr(f"{PREFIX}visits"))

    kv.expire(f"{PREFIX}color", 3600)  # gone in an hour (the server's clock)

    print("keys:", list(kv.keys(PREFIX)))  # fetched page by page as the loop goes on
    for key, value in kv.items(f"{PREFIX}s"):
        print("item:", key.removeprefix(PREFIX), "=", value)

    try:
        kv.set(f"{PREFIX}huge", "x" * 500_000)
    except ValueError as exc:  # checked before any request
        print("refused:", exc)

    async def concurrently() -> list[bool]:
        keys = [f"{PREFIX}async-{i}" for i in range(3)]
        return list(await asyncio.gather(*(kv.async_set(k, i) for i, k in enumerate(keys))))

    print("async sets:", asyncio.run(concurrently()))

    for key in list(kv.keys(PREFIX)):
        kv.delete(key)
    print("left after cleanup:", list(kv.keys(PREFIX)))


def main() -> None:
    with Puter() as client:
        key_value_store(client)


if __name__ == "__main__":
    main()
