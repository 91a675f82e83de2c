"""The emulator's model catalog: test models plus a realistic set of named models."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

Family = Literal["claude", "openai"]

#: Providers whose replies carry ``content`` as a list of parts (the rest send a string).
LIST_CONTENT_PROVIDERS = frozenset({"claude", "fake-chat"})

#: The provider of the free test models, hidden from the public model lists.
TEST_PROVIDER = "fake-chat"


@dataclass(frozen=True)
class ModelInfo:
    """One model of the catalog, as ``/puterai/chat/models/details`` describes it."""

    id: str
    provider: str
    name: str
    context: int
    max_tokens: int
    aliases: tuple[str, ...] = ()
    puter_id: str | None = None
    #: Cost in US cents per million tokens.
    input_cost: float = 0.0
    output_cost: float = 0.0
    #: Servers name the cost object ``cost`` for most models and ``costs`` for some.
    cost_key: Literal["cost", "costs"] = "cost"
    #: Reasoning models stream a ``reasoning`` line before their text.
    reasoning: bool = False
    #: The upstream company, reported as ``metadata.providerUsed``.
    upstream: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def family(self) -> Family:
        """``"claude"`` when content is a list of parts, else ``"openai"``."""
        return "claude" if self.provider in LIST_CONTENT_PROVIDERS else "openai"

    @property
    def hidden(self) -> bool:
        """Test models are callable but absent from the public lists."""
        return self.provider == TEST_PROVIDER

    @property
    def free(self) -> bool:
        """Free models never answer 402, even for users without credits."""
        return self.input_cost == 0 and self.output_cost == 0

    def names(self) -> Iterator[str]:
        """Every name this model answers to: id, aliases and puterId."""
        yield self.id
        yield from self.aliases
        if self.puter_id is not None:
            yield self.puter_id

    def details(self) -> dict[str, Any]:
        """The model's entry in ``/puterai/chat/models/details``."""
        body: dict[str, Any] = {
            "id": self.id,
            "aliases": list(self.aliases),
            "name": self.name,
            "provider": self.provider,
            "context": self.context,
            "max_tokens": self.max_tokens,
            self.cost_key: {
                "currency": "usd-cents",
                "tokens": 1_000_000,
                "input": self.input_cost,
                "output": self.output_cost,
            },
        }
        if self.puter_id is not None:
            body["puterId"] = self.puter_id
        body.update(self.extra)
        return body


def _claude(id: str, alias: str, name: str, puter: str, i: float, o: float, **kw: Any) -> ModelInfo:
    return ModelInfo(
        id=id,
        provider="claude",
        name=name,
        context=200_000,
        max_tokens=kw.pop("max_tokens", 8192),
        aliases=(alias,),
        puter_id=f"anthropic:anthropic/{puter}",
        input_cost=i,
        output_cost=o,
        upstream="anthropic",
        extra={
            "modalities": {"input": ["text", "image", "file"], "output": ["text"]},
            "tool_call": True,
        },
        **kw,
    )


def _openai(
    id: str, name: str, context: int, max_tokens: int, i: float, o: float, **kw: Any
) -> ModelInfo:
    return ModelInfo(
        id=id,
        provider="openai-completion",
        name=name,
        context=context,
        max_tokens=max_tokens,
        puter_id=f"openai:openai/{id}",
        input_cost=i,
        output_cost=o,
        upstream="openai",
        extra={"modalities": {"input": ["text", "image"], "output": ["text"]}, "tool_call": True},
        **kw,
    )


def _fake(id: str, name: str, cost: float = 0.0) -> ModelInfo:
    return ModelInfo(
        id=id,
        provider=TEST_PROVIDER,
        name=name,
        context=1024,
        max_tokens=1024,
        input_cost=cost,
        output_cost=cost,
        upstream="fake",
    )


def default_models() -> list[ModelInfo]:
    """A fresh copy of the default catalog."""
    return [
        _fake("fake", "Fake"),
        _fake("costly", "Costly", cost=1_000_000.0),
        _fake("abuse", "Abuse"),
        _claude(
            "claude-opus-4-20250514",
            "claude-opus-4",
            "Claude Opus 4",
            "claude-opus-4",
            1500,
            7500,
            max_tokens=32_000,
            reasoning=True,
        ),
        _claude(
            "claude-sonnet-4-20250514",
            "claude-sonnet-4",
            "Claude Sonnet 4",
            "claude-sonnet-4",
            300,
            1500,
            max_tokens=64_000,
        ),
        _claude(
            "claude-3-5-sonnet-20241022",
            "claude-3.5-sonnet",
            "Claude 3.5 Sonnet",
            "claude-3-5-sonnet",
            300,
            1500,
        ),
        _openai("gpt-4", "GPT-4", 8192, 8192, 3000, 6000),
        _openai("gpt-4o", "GPT-4o", 128_000, 16_384, 250, 1000),
        _openai("gpt-4o-mini", "GPT-4o mini", 128_000, 16_384, 15, 60),
        _openai(
            "gpt-5-nano", "GPT-5 nano", 400_000, 128_000, 5, 40, cost_key="costs", reasoning=True
        ),
        _openai("o3-mini", "o3-mini", 200_000, 100_000, 110, 440, reasoning=True),
        ModelInfo(
            id="gemini-pro",
            provider="gemini",
            name="Gemini Pro",
            context=32_768,
            max_tokens=8192,
            puter_id="google:google/gemini-pro",
            input_cost=50,
            output_cost=150,
            upstream="google",
        ),
        ModelInfo(
            id="deepseek-chat",
            provider="deepseek",
            name="DeepSeek Chat",
            context=64_000,
            max_tokens=8192,
            aliases=("deepseek-v3",),
            puter_id="deepseek:deepseek/deepseek-chat",
            input_cost=27,
            output_cost=110,
            upstream="deepseek",
        ),
        ModelInfo(
            id="deepseek-reasoner",
            provider="deepseek",
            name="DeepSeek Reasoner",
            context=64_000,
            max_tokens=8192,
            aliases=("deepseek-r1",),
            puter_id="deepseek:deepseek/deepseek-reasoner",
            input_cost=55,
            output_cost=219,
            cost_key="costs",
            reasoning=True,
            upstream="deepseek",
        ),
        ModelInfo(
            id="mistral-large-latest",
            provider="mistral",
            name="Mistral Large",
            context=128_000,
            max_tokens=8192,
            aliases=("mistral-large",),
            puter_id="mistral:mistralai/mistral-large",
            input_cost=200,
            output_cost=600,
            upstream="mistral",
        ),
        ModelInfo(
            id="openrouter:meta-llama/llama-3.3-70b-instruct",
            provider="openrouter",
            name="Llama 3.3 70B Instruct",
            context=131_072,
            max_tokens=8192,
            aliases=("llama-3.3-70b",),
            input_cost=12,
            output_cost=30,
            upstream="openrouter",
        ),
        ModelInfo(
            id="grok-3",
            provider="xai",
            name="Grok 3",
            context=131_072,
            max_tokens=8192,
            aliases=("grok-beta",),
            puter_id="x-ai:x-ai/grok-3",
            input_cost=300,
            output_cost=1500,
            upstream="xai",
        ),
    ]


class Catalog:
    """The models a server offers; lookup by id, alias or puterId, case-insensitive."""

    def __init__(self, models: Iterable[ModelInfo] | None = None) -> None:
        self._models: list[ModelInfo] = list(default_models() if models is None else models)

    @property
    def models(self) -> list[ModelInfo]:
        """All models, hidden ones included, in catalog order."""
        return list(self._models)

    def add(self, model: ModelInfo) -> None:
        """Add a model, replacing any model with the same id."""
        self._models = [m for m in self._models if m.id != model.id] + [model]

    def find(self, name: str) -> ModelInfo | None:
        """The model answering to ``name`` (id, alias or puterId, any case)."""
        wanted = name.casefold()
        for model in self._models:
            if any(n.casefold() == wanted for n in model.names()):
                return model
        return None

    def providers(self) -> set[str]:
        """Every provider name (the V1 driver names)."""
        return {m.provider for m in self._models}

    def ids(self, *, include_hidden: bool = False) -> list[str]:
        """Model ids, as ``/puterai/chat/models`` lists them."""
        return [m.id for m in self._models if include_hidden or not m.hidden]

    def details(self, *, include_hidden: bool = False) -> list[dict[str, Any]]:
        """Model entries, as ``/puterai/chat/models/details`` lists them."""
        return [m.details() for m in self._models if include_hidden or not m.hidden]
