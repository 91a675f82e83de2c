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

    The object is stored in the instance's ``__dict__`` under the attribute's own name,
    so later lookups find it there without calling this descriptor again (as
    ``functools.cached_property`` does); unlike it, concurrent first accesses make it once.
    """

    def __init__(self, make: Callable[[Any], S]) -> None:
        self._make = make
        self._name = ""
        self.__doc__ = make.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self._name = name

    @overload
    def __get__(self, instance: None, owner: type) -> LazyService[S]: ...

    @overload
    def __get__(self, instance: object, owner: type) -> S: ...

    def __get__(self, instance: object | None, owner: type) -> S | LazyService[S]:
        if instance is None:
            return self
        with _lock:
            made: S | None = instance.__dict__.get(self._name)
            if made is None:
                made = instance.__dict__[self._name] = self._make(instance)
        return made
