"""puter_client: the implementation package of puter-python-sdk (public name: ``puter``).

The public API is importable from here too; the heavier modules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from puter_client.core._version import __version__

__all__ = [
    "Puter",
    "PuterAI",
    "PuterAPIError",
    "PuterAuthError",
    "PuterConfig",
    "PuterError",
    "__version__",
    "config",
]

if TYPE_CHECKING:
    from puter_client.ai import Puter, PuterAI
    from puter_client.core.configuration import PuterConfig, config
    from puter_client.core.exceptions import PuterAPIError, PuterAuthError, PuterError

_LAZY = {
    "Puter": "puter_client.ai",
    "PuterAI": "puter_client.ai",
    "PuterConfig": "puter_client.core.configuration",
    "config": "puter_client.core.configuration",
    "PuterError": "puter_client.core.exceptions",
    "PuterAuthError": "puter_client.core.exceptions",
    "PuterAPIError": "puter_client.core.exceptions",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'puter_client' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # later lookups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
