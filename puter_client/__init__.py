"""puter_client: the implementation package of puter-python-sdk (public name: ``puter``).

The public API is importable from here too; the heavier modules load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.3.0"

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
    from puter_client.configuration import PuterConfig, config
    from puter_client.exceptions import PuterAPIError, PuterAuthError, PuterError

_LAZY = {
    "Puter": "puter_client.ai",
    "PuterAI": "puter_client.ai",
    "PuterConfig": "puter_client.configuration",
    "config": "puter_client.configuration",
    "PuterError": "puter_client.exceptions",
    "PuterAuthError": "puter_client.exceptions",
    "PuterAPIError": "puter_client.exceptions",
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
