"""The model catalog: every model name the server accepts, mapped to its provider.

Built from ``/puterai/chat/models/details`` (or the unfiltered ``models`` driver method):
every id, alias and puterId maps to the model's ``provider``. Lookups are
case-insensitive, as the server's are. ``snapshot_catalog()`` is the bundled fallback for
when the server cannot be reached. ``Catalogs`` fetches it once per client.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Mapping

import attrs

from puter_client._generated import endpoints, models
from puter_client.core.exceptions import PuterError
from puter_client.core.flow import Flow
from puter_client.core.serialization import structure
from puter_client.core.session import Session
from puter_client.services.chat._catalog_snapshot import SNAPSHOT_MODELS

__all__ = ["AI_CHAT_DRIVER", "Catalogs", "ModelCatalog", "snapshot_catalog"]

logger = logging.getLogger("puter")

AI_CHAT_DRIVER = "ai-chat"

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
    def from_details(cls, details: Iterable[models.ModelDetails]) -> ModelCatalog:
        """The catalog of a list of model details (ids, aliases and puterIds)."""
        providers: dict[str, str] = {}
        for model in details:
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
    return ModelCatalog.from_details(structure(list(SNAPSHOT_MODELS), list[models.ModelDetails]))


class Catalogs:
    """One client's model catalog: fetched on first need, once for concurrent callers,
    then kept."""

    def __init__(self, session: Session) -> None:
        self._session = session
        self.cached: ModelCatalog | None = None

    def get(self) -> Flow[ModelCatalog]:
        """The catalog: cached, else fetched once for all concurrent callers."""
        if self.cached is not None:
            return self.cached
        return (yield from self._session.single_flight.run("catalog", self._fetch))

    def _fetch(self) -> Flow[ModelCatalog]:
        """The unfiltered list when logged in, else the public one, else the bundled one."""
        session = self._session
        if session.token is not None:
            try:
                call = models.ChatModelsCall(driver=AI_CHAT_DRIVER, args=models.ChatModelsArgs())
                envelope = yield from session.send(
                    endpoints.CHAT_MODELS, endpoints.parse_chat_models, body=call
                )
                self.cached = ModelCatalog.from_details(envelope.result)
                return self.cached
            except PuterError as exc:
                logger.debug("the models driver method failed (%s); trying the public list", exc)
        try:
            details = yield from session.send(
                endpoints.LIST_MODEL_DETAILS, endpoints.parse_list_model_details
            )
            catalog = ModelCatalog.from_details(details.models)
        except PuterError as exc:
            logger.warning("could not fetch the model catalog (%s); using the bundled one", exc)
            catalog = snapshot_catalog()
        self.cached = catalog
        return catalog
