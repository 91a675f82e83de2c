"""Modules that load on first use, so that ``from puter import PuterAI`` stays light.

``lazy_module`` is the standard library's ``importlib.util.LazyLoader`` recipe: the
module object exists at once, and its code runs on the first attribute access (after
which it is an ordinary module, with no overhead). ``load`` runs them under a lock,
because LazyLoader itself is not thread-safe before Python 3.12.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from types import ModuleType

__all__ = ["lazy_module", "load"]

_lock = threading.Lock()


def lazy_module(name: str) -> ModuleType:
    """The module ``name``, imported now if it already is, else on first use."""
    module = sys.modules.get(name)
    if module is not None:
        return module
    spec = importlib.util.find_spec(name)
    if spec is None or spec.loader is None:
        raise ImportError(f"no module named {name!r}", name=name)
    loader = importlib.util.LazyLoader(spec.loader)
    spec.loader = loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    loader.exec_module(module)
    return module


def load(*modules: ModuleType) -> None:
    """Finish loading lazy ``modules`` (once, thread-safely)."""
    with _lock:
        for module in modules:
            _ = module.__dict__  # any attribute access runs the module's code
