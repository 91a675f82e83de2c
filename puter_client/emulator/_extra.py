"""The emulator's optional dependencies: the ``emulator`` extra (starlette, uvicorn).

Without them the package still imports (so that a test suite listing the pytest plugin
starts), but whatever needs the server says in one line what to install:
``from puter_client.emulator import running_emulator`` raises
`EmulatorExtraMissingError`, ``python -m puter_client.emulator`` exits with status 1,
and the plugin's fixtures fail the tests that use them. Only ``server`` (and what it
imports) needs the extra; the package imports it last, guarded by
`public_names_need_extra`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, NoReturn

__all__ = ["EXTRA_MODULES", "EmulatorExtraMissingError", "missing_extra", "public_names_need_extra"]

#: The top-level modules the ``emulator`` extra installs.
EXTRA_MODULES = frozenset({"starlette", "uvicorn"})

INSTALL_HINT = (
    "the Puter emulator needs the 'emulator' extra (starlette, uvicorn): "
    "pip install 'puter-client[emulator]'"
)


class EmulatorExtraMissingError(ImportError):
    """The ``emulator`` extra is not installed; the message says how to install it."""


def missing_extra(exc: ModuleNotFoundError) -> EmulatorExtraMissingError:
    """``exc`` as the install hint when it is about the extra; any other is re-raised."""
    if (exc.name or "").partition(".")[0] not in EXTRA_MODULES:
        raise exc
    return EmulatorExtraMissingError(INSTALL_HINT, name=exc.name)


def public_names_need_extra(
    exc: ModuleNotFoundError, namespace: Mapping[str, Any]
) -> Callable[[str], NoReturn]:
    """A module ``__getattr__``: names of ``namespace['__all__']`` it lacks raise the hint."""
    error = missing_extra(exc)

    def __getattr__(name: str) -> NoReturn:
        if name in namespace.get("__all__", ()):
            raise EmulatorExtraMissingError(error.msg, name=error.name)
        raise AttributeError(f"module {namespace['__name__']!r} has no attribute {name!r}")

    return __getattr__
