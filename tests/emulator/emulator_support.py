"""Plain-httpx helpers for the emulator tests (no SDK code involved)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from puter_client.emulator import PuterEmulator

Messages = str | list[dict[str, Any]]


def chat_body(
    messages: Messages, *, model: str = "fake", driver: str | None = "ai-chat", **args: Any
) -> dict[str, Any]:
    """A ``complete`` driver call; a string becomes one user message."""
    if isinstance(messages, str):
        messages = [{"role": "user", "content": messages}]
    body: dict[str, Any] = {
        "interface": "puter-chat-completion",
        "method": "complete",
        "args": {"model": model, "messages": messages, **args},
    }
    if driver is not None:
        body["driver"] = driver
    return body


def ndjson(response: httpx.Response) -> list[dict[str, Any]]:
    """The objects of an NDJSON body."""
    return [json.loads(line) for line in response.text.splitlines() if line]


def reply_text(body: dict[str, Any]) -> str:
    """The reply text of a success envelope (string content or text parts)."""
    content = body["result"]["message"]["content"]
    if isinstance(content, str):
        return content
    return "".join(p["text"] for p in content if p["type"] == "text")


class Api:
    """Requests to one emulator through one ``httpx.Client``."""

    def __init__(self, emulator: PuterEmulator, client: httpx.Client) -> None:
        self.emulator = emulator
        self.client = client

    def login(
        self, username: str = "alice", password: str | None = None, **extra: Any
    ) -> httpx.Response:
        """POST the login URL with a username and (by default) the right password."""
        body = {"username": username, "password": password or f"{username}-password", **extra}
        return self.client.post(self.emulator.login_url, json=body)

    def auth(self, username: str | None = "alice") -> dict[str, str]:
        """An Authorization header for ``username`` (none for None)."""
        if username is None:
            return {}
        return {"Authorization": f"Bearer {self.emulator.token_for(username)}"}

    def call(self, body: Any, *, user: str | None = "alice", **kw: Any) -> httpx.Response:
        """POST /drivers/call with a JSON body as ``user``."""
        headers = {**self.auth(user), **kw.pop("headers", {})}
        return self.client.post(
            f"{self.emulator.api_base}/drivers/call", json=body, headers=headers, **kw
        )

    def chat(
        self,
        messages: Messages,
        *,
        user: str | None = "alice",
        timeout: float = 5.0,
        **kw: Any,
    ) -> httpx.Response:
        """A ``complete`` call (other keywords: those of `chat_body`)."""
        return self.call(chat_body(messages, **kw), user=user, timeout=timeout)

    def driver(
        self,
        interface: str,
        method: str,
        args: dict[str, Any] | None = None,
        *,
        user: str | None = "alice",
        **fields: Any,
    ) -> httpx.Response:
        """A driver call of any interface (``fields``: more top-level keys, e.g. ``driver``)."""
        body = {"interface": interface, "method": method, "args": args or {}, **fields}
        return self.call(body, user=user)

    def get(self, path: str, *, user: str | None = None) -> httpx.Response:
        """GET a path of the API host."""
        return self.client.get(f"{self.emulator.api_base}{path}", headers=self.auth(user))
