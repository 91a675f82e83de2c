"""An application that uses the whole documented API of ``puter`` (docs/API_REFERENCE.md).

``make typecheck`` checks this file with ``mypy --strict``: every call the reference shows
type-checks as written, with no ``Any`` at the call sites, no ``cast`` and no
``type: ignore``, and ``assert_type`` pins the documented types an application relies on.
``tests/integration/test_app_puter.py`` runs it against the emulator, so it stays a
working program as well.

What it shows: the three ways to authenticate, ``login``/``async_login``, ``chat`` and
``async_chat`` with every documented kind of image input and ``content_parts``, the
history, the model catalog and ``set_model``, the global ``config``, ``PuterConfig`` and
per-client overrides, the context managers, and the exception hierarchy with the
attributes of ``PuterAPIError``.
"""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from typing_extensions import assert_type

from puter import PuterAI, PuterConfig, config
from puter.exceptions import PuterAPIError, PuterAuthError, PuterError

FOOD_URL = "https://example.com/food.jpg"


@dataclass
class Report:
    """What the application saw, for its test."""

    settings: tuple[str, str, float, int, float, float, int, float] | None = None
    replies: list[str] = field(default_factory=list)
    history_lengths: list[int] = field(default_factory=list)
    models: list[str] = field(default_factory=list)
    drivers: dict[str, str] = field(default_factory=dict)
    chosen_models: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


# ----------------------------------------------------------------------- configuration


def configure(api_base: str, login_url: str, report: Report) -> PuterConfig:
    """Point the global ``config`` at a server; return a separate custom configuration."""
    assert_type(config, PuterConfig)
    config.update(api_base=api_base, login_url=login_url)
    config.update(timeout=60, max_retries=5, rate_limit_requests=20)
    config.update(retry_delay=0.05, backoff_factor=2.0, rate_limit_period=60)
    report.settings = (
        config.api_base,
        config.login_url,
        config.timeout,
        config.max_retries,
        config.retry_delay,
        config.backoff_factor,
        config.rate_limit_requests,
        config.rate_limit_period,
    )

    custom_config = PuterConfig()
    custom_config.update(timeout=120)
    return custom_config


def clients(username: str, password: str, token: str) -> list[PuterAI]:
    """Every documented way to make a client (none of them sends a request)."""
    return [
        PuterAI(),  # PUTER_USERNAME / PUTER_PASSWORD
        PuterAI(username=username, password=password),
        PuterAI(token=token),
        PuterAI(username, password, token),
        PuterAI(
            username=username,
            password=password,
            timeout=90,
            max_retries=10,
            retry_delay=0.5,
            backoff_factor=3.0,
            rate_limit_requests=50,
            rate_limit_period=3600,
        ),
    ]


# ------------------------------------------------------------------------------ login


def log_in(username: str, password: str) -> bool:
    client = PuterAI(username=username, password=password)
    with client:
        logged_in = client.login()
        assert_type(logged_in, bool)
        return logged_in


async def log_in_async(username: str, password: str, otp_code: str | None = None) -> bool:
    async with PuterAI(username=username, password=password) as client:
        logged_in = await client.async_login(otp_code=otp_code)
        assert_type(logged_in, bool)
        return logged_in


def refused_login(username: str, password: str) -> str:
    """The message of a refused login."""
    try:
        PuterAI(username=username, password=password).login()
    except PuterAuthError as e:
        status: int | None = e.status_code
        code: str | None = e.code
        return f"{status} {code}: {e}"
    return "logged in"


# ------------------------------------------------------------------------------- chat


def converse(client: PuterAI, image: Path, report: Report) -> None:
    """Chat with text, with each kind of image input, and with custom content parts."""
    response = client.chat("Hello, how are you?")
    assert_type(response, str)
    report.replies.append(response)
    report.replies.append(client.chat("Explain quantum computing", model="gpt-4o"))

    data = image.read_bytes()
    with image.open("rb") as opened:
        report.replies.append(
            client.chat(
                "List every ingredient you see in this dish",
                images=[
                    str(image),
                    image,
                    data,
                    opened,
                    io.BytesIO(data),
                    (data, "image/png"),
                    FOOD_URL,
                    {"type": "image_url", "image_url": {"url": FOOD_URL}},
                ],
            )
        )
    report.replies.append(client.chat(images=[FOOD_URL]))
    report.replies.append(
        client.chat(
            content_parts=[
                {"type": "text", "text": "Transcribe this audio clip."},
                {"type": "input_audio", "audio": {"id": "file_audio_123"}},
            ],
        )
    )

    history = client.chat_history
    assert_type(history, list[dict[str, Any]])
    report.history_lengths.append(len(history))
    client.clear_chat_history()
    report.history_lengths.append(len(client.chat_history))


async def converse_async(client: PuterAI, image: Path, report: Report) -> None:
    """Concurrent chats on one client."""
    first = await client.async_chat("What is AI?")
    assert_type(first, str)
    replies = await asyncio.gather(
        client.async_chat("What is in this bowl?", images=[FOOD_URL]),
        client.async_chat("Summarize", images=[image]),
        client.async_chat(
            content_parts=[
                {"type": "text", "text": "Count the objects"},
                {"type": "image_url", "image_url": {"url": FOOD_URL}},
            ]
        ),
        client.async_chat("What is machine learning?", model="gpt-4o"),
    )
    report.replies += [first, *replies]


# ----------------------------------------------------------------------------- models


def choose_model(client: PuterAI, wanted: str, report: Report) -> None:
    current = client.current_model
    assert_type(current, str)
    report.chosen_models.append(current)

    models = client.get_available_models()
    assert_type(models, list[str])
    report.models = models[:5]

    drivers = client.available_models
    assert_type(drivers, dict[str, str])
    report.drivers = {name: drivers.get(name, "Not found") for name in (wanted, "gpt-99")}

    switched = client.set_model(wanted)
    assert_type(switched, bool)
    if not client.set_model("no-such-model"):
        report.chosen_models.append(client.current_model)


# ----------------------------------------------------------------------------- errors


def describe(error: PuterAPIError) -> str:
    """Every documented attribute of an API error."""
    status: int | None = error.status_code
    code: str | None = error.code
    message: str = error.message
    body: object = error.body
    method: str | None = error.method
    url: str | None = error.url
    return f"{status} {code} {message} {method} {url} {type(body).__name__}"


def robust_chat(client: PuterAI, prompt: str, report: Report) -> str | None:
    """The reference's error handling: auth errors, then API errors, then the rest."""
    try:
        return client.chat(prompt)
    except PuterAuthError as e:
        report.errors.append(f"auth: {e}")
    except PuterAPIError as e:
        report.errors.append(f"api: {describe(e)}")
    except PuterError as e:
        report.errors.append(f"sdk: {e}")
    except ValueError as e:
        report.errors.append(f"input: {e}")
    return None


# -------------------------------------------------------------------------------- run


def run(
    api_base: str,
    login_url: str,
    username: str,
    password: str,
    token: str,
    image: Path,
    unreachable: str,
) -> Report:
    """Use everything above against the server at ``api_base``/``login_url``.

    ``unreachable`` is a URL where nothing listens, for a connection failure.
    """
    report = Report()
    custom = configure(api_base, login_url, report)
    assert custom.timeout == 120
    for client in clients(username, password, token):
        client.close()

    assert log_in(username, password)
    assert asyncio.run(log_in_async(username, password))
    report.errors.append(refused_login(username, "wrong-password"))

    with PuterAI(username=username, password=password) as client:
        client.login()
        converse(client, image, report)
        choose_model(client, "GPT-4o", report)
        robust_chat(client, "", report)
    with PuterAI(token="not-a-valid-token") as refused:
        robust_chat(refused, "Hello", report)
    with PuterAI(token=token, api_base=unreachable, max_retries=0) as offline:
        robust_chat(offline, "Hello", report)

    async def main() -> None:
        async with PuterAI(token=token) as client:
            await converse_async(client, image, report)

    asyncio.run(main())
    return report
