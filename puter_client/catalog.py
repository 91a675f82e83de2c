"""The model catalog: every model name the server accepts, mapped to its provider.

Built from ``/puterai/chat/models/details`` (or the unfiltered ``models`` driver method):
every id, alias and puterId maps to the model's ``provider``. Lookups are
case-insensitive, as the server's are. ``snapshot_catalog()`` is the bundled fallback for
when the server cannot be reached.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

import attrs

from puter_client._catalog_snapshot import SNAPSHOT_MODELS
from puter_client._generated.models import ModelDetails
from puter_client.serialization import structure

__all__ = ["ModelCatalog", "snapshot_catalog"]

UNKNOWN_PROVIDER = "unknown"


@attrs.frozen
class ModelCatalog:
    """Model name -> provider, with case-insensitive lookup."""

    providers: Mapping[str, str]
    _by_folded_name: Mapping[str, str] = attrs.field(init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        folded: dict[str, str] = {}
        for name in self.providers:
            folded.setdefault(name.casefold(), name)
        object.__setattr__(self, "_by_folded_name", folded)

    @classmethod
    def from_details(cls, models: Iterable[ModelDetails]) -> ModelCatalog:
        """The catalog of a list of model details (ids, aliases and puterIds)."""
        providers: dict[str, str] = {}
        for model in models:
            provider = model.provider or UNKNOWN_PROVIDER
            for name in (model.id, *(model.aliases or ()), model.puter_id):
                if name:
                    providers.setdefault(name, provider)
        return cls(providers)

    def canonical_name(self, name: str) -> str | None:
        """The catalog's spelling of ``name`` (matched case-insensitively), or None."""
        if name in self.providers:
            return name
        return self._by_folded_name.get(name.casefold())

    def provider_of(self, name: str) -> str | None:
        """The provider serving ``name``, or None for a model the catalog does not know."""
        canonical = self.canonical_name(name)
        return None if canonical is None else self.providers[canonical]


@functools.cache
def snapshot_catalog() -> ModelCatalog:
    """The bundled catalog, used when the server's cannot be fetched."""
    return ModelCatalog.from_details(structure(list(SNAPSHOT_MODELS), list[ModelDetails]))
