"""LangChain's own conformance suites for ``ChatPuter`` (``langchain-tests``).

``ChatModelUnitTests`` needs no server. ``ChatModelIntegrationTests`` runs against the
emulator (a V2 server, reset before each test): once with the test model ``fake``
(Claude-family replies: content as parts, tool calls as ``tool_use`` parts) and once with
``gpt-4o-mini`` (OpenAI-family: string content, ``tool_calls``).

The capability properties say what the emulator's models do: tools and tool choice,
structured output over tool calls, images (data URLs and URLs) and audio in user turns,
Anthropic-style inputs (converted), usage on every reply. They take no PDF (Puter takes
files stored on Puter), give no JSON mode, no token details and no images in tool
results. Every test skipped here is listed with its reason in ``docs/langchain.md``; none
is expected to fail (the emulator's model reads a tool call written in the prompt, such
as the suite's ``magic_function(3)``, and makes other arguments from the tool's schema).

The image and audio tests of the suite download their samples from the internet; here
the suite's ``httpx.get`` gives them local samples instead (no test leaves the machine).
"""

from __future__ import annotations

import io
import wave
from types import SimpleNamespace
from typing import Any

import pytest
from langchain_core.language_models import BaseChatModel
from langchain_tests.integration_tests import ChatModelIntegrationTests
from langchain_tests.integration_tests import chat_models as suite
from langchain_tests.unit_tests import ChatModelUnitTests

from puter import config
from puter.langchain import ChatPuter
from puter_client.emulator import PuterEmulator
from tests.support.emulated import PNG_1X1


def _wav_sample() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(8000)
        audio.writeframes(b"\x00\x00" * 800)
    return buffer.getvalue()


class _LocalSample:
    """What ``httpx.get`` gives the suite's media tests: a local sample of that kind."""

    def __init__(self, url: str, *_args: Any, **_kwargs: Any) -> None:
        self.content = _wav_sample() if url.endswith(".wav") else PNG_1X1


class TestChatPuterUnit(ChatModelUnitTests):
    """The suite's construction, binding and parameter tests (no server)."""

    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return ChatPuter

    @property
    def chat_model_params(self) -> dict[str, Any]:
        nowhere = "http://127.0.0.1:9"  # never called: these tests send nothing
        return {"model": "fake", "api_base": nowhere, "login_url": f"{nowhere}/login"}

    @property
    def init_from_env_params(self) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
        return (
            {"PUTER_USERNAME": "alice", "PUTER_PASSWORD": "alice-password"},
            {"model": "fake"},
            {"username": "alice", "password": "alice-password"},
        )


class TestChatPuterIntegration(ChatModelIntegrationTests):
    """The suite's calls against the emulator, with the test model ``fake``."""

    MODEL = "fake"

    @pytest.fixture(autouse=True)
    def _emulator(self, v2_emu: PuterEmulator, monkeypatch: pytest.MonkeyPatch) -> None:
        # The suite makes many calls; the client's own pacing (10 a minute) would only
        # make it wait.
        config.update(rate_limit_requests=100_000)
        self.token = v2_emu.token_for("alice")
        # The suite's media tests fetch their samples with httpx.get: local ones here.
        monkeypatch.setattr(suite, "httpx", SimpleNamespace(get=_LocalSample))
        monkeypatch.setenv("LANGCHAIN_TESTS_USER_AGENT", "puter-python-sdk tests (no network)")

    @property
    def chat_model_class(self) -> type[BaseChatModel]:
        return ChatPuter

    @property
    def chat_model_params(self) -> dict[str, Any]:
        return {"model": self.MODEL, "token": self.token}

    @property
    def has_tool_choice(self) -> bool:
        return True

    @property
    def supports_image_inputs(self) -> bool:
        return True

    @property
    def supports_image_urls(self) -> bool:
        return True

    @property
    def supports_audio_inputs(self) -> bool:
        return True

    @property
    def supports_anthropic_inputs(self) -> bool:
        return True

    @property
    def returns_usage_metadata(self) -> bool:
        return True

    @property
    def model_override_value(self) -> str:
        return "gpt-4o" if self.MODEL != "gpt-4o" else "fake"


class TestChatPuterIntegrationOpenAIFamily(TestChatPuterIntegration):
    """The same suite with ``gpt-4o-mini``: string content and ``tool_calls``."""

    MODEL = "gpt-4o-mini"
