"""``LazyService``: a client attribute made on first access, so that a service's module
is imported only when it is first used (``from puter import PuterAI`` stays light)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

__all__ = ["LazyService"]

S = TypeVar("S")

_lock = threading.RLock()  # a service may need another one made first


class LazyService(Generic[S]):
    """``client.<name>``: ``make(client)`` on first access, then the same object.

    A read-only data descriptor (as ``property`` is), so ``help()`` and editors show the
    attribute with its class and docstring, and type checkers see ``S`` through the
    ``__get__`` overloads. The object made is kept in the instance's ``__dict__`` under
    the attribute's own name; concurrent first accesses make it once.
    """

    def __init__(self, make: Callable[[Any], S]) -> None:
        self._make = make
        self._name = ""
        returns = make.__annotations__.get("return")
        kind = returns if isinstance(returns, str) else getattr(returns, "__name__", "")
        doc = (make.__doc__ or "").strip()
        self.__doc__ = f"{kind}: {doc}" if kind and doc else (kind or doc or None)

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> LazyService[S]: ...

    @overload
    def __get__(self, instance: object, owner: type) -> S: ...

    def __get__(self, instance: object | None, owner: type) -> S | LazyService[S]:
        if instance is None:
            return self
        made: S | None = instance.__dict__.get(self._name)
        if made is None:
            with _lock:
                made = instance.__dict__.get(self._name)
                if made is None:
                    made = instance.__dict__[self._name] = self._make(instance)
        return made

    def __set__(self, instance: object, value: object) -> None:
        raise AttributeError(f"{type(instance).__name__}.{self._name} is read-only")
