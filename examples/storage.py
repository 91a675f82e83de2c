"""Storage: Puter's key-value store (``client.kv``) and cloud file system (``client.fs``).

Reads PUTER_USERNAME / PUTER_PASSWORD (and PUTER_API_BASE / PUTER_LOGIN_URL) from the
environment. Each section is a function of its own; ``main`` runs them in order. Whatever
the file-system sections create lives under ~/sdk-example, removed at the end of each.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

import httpx

from puter import Puter
from puter.exceptions import PuterFileNotFoundError

# ------------------------------------------------------------------ key-value store (kv)
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


# ------------------------------------------------------------------- file system (fs)
def file_system_demo(client: Puter) -> None:
    fs = client.fs
    fs.mkdir("sdk-example", exist_ok=True)  # relative paths live under ~/

    entry = fs.write("sdk-example/notes/hello.txt", "Hello, Puter!", create_parents=True)
    print(f"wrote {entry.path} ({entry.size} bytes)")
    print(f"read back: {fs.read_text('sdk-example/notes/hello.txt')}")
    print(f"bytes 7-11: {fs.read('sdk-example/notes/hello.txt', offset=7, length=5)!r}")

    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "data.bin"
        local.write_bytes(bytes(range(256)) * 4096)  # 1 MiB, streamed from disk
        fs.write("sdk-example/data.bin", local)
        copy = fs.download("sdk-example/data.bin", Path(folder) / "copy.bin")
        same = copy.read_bytes() == local.read_bytes()
        print(f"downloaded {copy.stat().st_size} bytes, same as sent: {same}")

    fs.copy("sdk-example/notes/hello.txt", "sdk-example/hello-copy.txt")
    fs.move("sdk-example/hello-copy.txt", "sdk-example/notes")  # into the folder
    fs.rename("sdk-example/notes/hello-copy.txt", "greeting.txt")
    print("notes:", [e.name for e in fs.listdir("sdk-example/notes")])

    notes = fs.stat("sdk-example/notes")  # entries have methods, as puter.js's FSItem
    greeting = next(e for e in notes.listdir() if e.name == "greeting.txt")
    print("greeting says:", greeting.read_text())
    link = fs.mkshortcut("sdk-example/greeting-link", greeting)  # a desktop-style shortcut
    print("shortcut to:", link.shortcut_target().path)

    try:
        fs.read("sdk-example/missing.txt")
    except FileNotFoundError as error:  # also a PuterFileNotFoundError, a PuterAPIError
        assert isinstance(error, PuterFileNotFoundError)
        print(f"missing file: {error.code}")

    fs.delete("sdk-example", recursive=True)  # permanent: nothing goes to the Trash
    print(f"still there after delete: {fs.exists('sdk-example')}")
    usage = fs.usage()
    print(f"storage: {usage.used} of {usage.capacity} bytes used")


# -------------------------------------------------- signed and shared access (fs)
def signed_access(client: Puter) -> None:
    """URLs that read a file with no login: one for good, one that expires."""
    fs = client.fs
    fs.write("sdk-example/report.txt", "Q3: up 12%", create_parents=True)

    signed = fs.sign("sdk-example/report.txt")  # a secret: anyone holding it can read
    print("signed URL reads:", httpx.get(signed.url).text)

    url = fs.get_read_url("sdk-example/report.txt", expires_in="1h")
    print("read URL reads:", httpx.get(url).text)
    fs.revoke_read_url(url)
    print("read URL after revoking it:", httpx.get(url).status_code)

    print("shared with:", fs.get_shares("sdk-example/report.txt"))  # share(path, "bob") adds
    fs.delete("sdk-example", recursive=True)


def main() -> None:
    with Puter() as client:
        key_value_store(client)
        file_system_demo(client)
        signed_access(client)


if __name__ == "__main__":
    main()
