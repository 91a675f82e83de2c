"""A snapshot of Puter's chat model catalog, the offline fallback of ``available_models``.

Shaped like ``/puterai/chat/models/details`` entries; refresh it by hand when the
catalog changes.
"""

from __future__ import annotations

from typing import Any

SNAPSHOT_MODELS: tuple[dict[str, Any], ...] = (
    {
        "id": "claude-opus-4-20250514",
        "aliases": ["claude-opus-4", "claude-opus-4-latest"],
        "puterId": "anthropic:anthropic/claude-opus-4",
        "name": "Claude Opus 4",
        "provider": "claude",
    },
    {
        "id": "claude-sonnet-4-20250514",
        "aliases": ["claude-sonnet-4", "claude-sonnet-4-latest"],
        "puterId": "anthropic:anthropic/claude-sonnet-4",
        "name": "Claude Sonnet 4",
        "provider": "claude",
    },
    {
        "id": "claude-3-7-sonnet-20250219",
        "aliases": ["claude-3-7-sonnet-latest", "claude-3.7-sonnet"],
        "name": "Claude 3.7 Sonnet",
        "provider": "claude",
    },
    {
        "id": "claude-3-5-sonnet-20241022",
        "aliases": ["claude-3-5-sonnet-latest", "claude-3.5-sonnet"],
        "name": "Claude 3.5 Sonnet",
        "provider": "claude",
    },
    {
        "id": "claude-3-haiku-20240307",
        "aliases": ["claude-3-haiku"],
        "name": "Claude 3 Haiku",
        "provider": "claude",
    },
    {"id": "gpt-5-nano", "name": "GPT-5 nano", "provider": "openai-completion"},
    {"id": "gpt-5-mini", "name": "GPT-5 mini", "provider": "openai-completion"},
    {"id": "gpt-5", "name": "GPT-5", "provider": "openai-completion"},
    {"id": "gpt-4o", "name": "GPT-4o", "provider": "openai-completion"},
    {"id": "gpt-4o-mini", "name": "GPT-4o mini", "provider": "openai-completion"},
    {"id": "gpt-4.1", "name": "GPT-4.1", "provider": "openai-completion"},
    {"id": "gpt-4", "name": "GPT-4", "provider": "openai-completion"},
    {"id": "o3-mini", "name": "o3-mini", "provider": "openai-completion"},
    {"id": "gemini-2.0-flash", "name": "Gemini 2.0 Flash", "provider": "gemini"},
    {"id": "gemini-1.5-flash", "name": "Gemini 1.5 Flash", "provider": "gemini"},
    {"id": "gemini-pro", "name": "Gemini Pro", "provider": "gemini"},
    {"id": "mistral-large-latest", "name": "Mistral Large", "provider": "mistral"},
    {"id": "grok-beta", "name": "Grok", "provider": "xai"},
    {"id": "deepseek-chat", "name": "DeepSeek Chat", "provider": "deepseek"},
    {"id": "deepseek-reasoner", "name": "DeepSeek Reasoner", "provider": "deepseek"},
    {"id": "fake", "name": "Fake (test model)", "provider": "fake-chat"},
    {"id": "costly", "name": "Costly (test model)", "provider": "fake-chat"},
    {"id": "abuse", "name": "Abuse (test model)", "provider": "fake-chat"},
)
