"""Puter's AI API for Python: ``from puter import PuterAI, config, PuterConfig``.

This package is the public name; the implementation lives in ``puter_client``. The
names load on first access, so ``import puter`` alone stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from puter_client import __version__

__all__ = ["Puter", "PuterAI", "PuterConfig", "__version__", "config"]

if TYPE_CHECKING:
    from puter_client.ai import Puter, PuterAI
    from puter_client.core.configuration import PuterConfig, config


def __getattr__(name: str) -> Any:
    if name in __all__:
        import puter_client

        return getattr(puter_client, name)
    raise AttributeError(f"module 'puter' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
