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
from typing import Any

import attrs

from puter_client._generated import endpoints, models
from puter_client.core.exceptions import PuterError, PuterInputError, PuterInputTypeError
from puter_client.core.flow import Flow
from puter_client.core.serialization import structure
from puter_client.core.session import Session
from puter_client.services.chat._catalog_snapshot import SNAPSHOT_MODELS

__all__ = [
    "AI_CHAT_DRIVER",
    "TEST_MODEL_IDS",
    "Catalogs",
    "ModelCatalog",
    "providers_of",
    "public_models",
    "snapshot_catalog",
]

logger = logging.getLogger("puter")

AI_CHAT_DRIVER = "ai-chat"

UNKNOWN_PROVIDER = "unknown"

TEST_MODEL_IDS = frozenset({"fake", "costly", "abuse", "model-fallback-test-1"})
"""The server's internal test models: callable, but left out of the public model lists
(``/puterai/chat/models[/details]``) that puter.js lists."""


def public_models(details: Iterable[models.ModelDetails]) -> list[models.ModelDetails]:
    """``details`` without the internal test models, as the server's public list."""
    return [model for model in details if model.id not in TEST_MODEL_IDS]


def providers_of(details: Iterable[models.ModelDetails]) -> list[str]:
    """The providers of ``details``, each once, in the order they first appear."""
    return list(dict.fromkeys(model.provider for model in details if model.provider))


@attrs.frozen
class ModelCatalog:
    """Model name -> provider, with case-insensitive lookup."""

    providers: Mapping[str, str]
    #: name -> (input, output) price in US cents per million tokens, where the catalog
    #: gives one (``price_of``).
    prices: Mapping[str, tuple[float, float]] = attrs.field(factory=dict, repr=False)
    hidden: frozenset[str] = frozenset()
    """The names of the internal test models (callable, left out of ``public_names``)."""
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
        prices: dict[str, tuple[float, float]] = {}
        hidden: set[str] = set()
        for model in details:
            provider = model.provider or UNKNOWN_PROVIDER
            price = _price(model.cost if model.cost is not None else model.costs)
            for name in (model.id, *(model.aliases or ()), model.puter_id):
                if name:
                    providers.setdefault(name, provider)
                    if price is not None:
                        prices.setdefault(name, price)
                    if model.id in TEST_MODEL_IDS:
                        hidden.add(name)
        return cls(providers, prices, frozenset(hidden))

    def price_of(self, name: str) -> tuple[float, float] | None:
        """``(input, output)`` US cents per million tokens of ``name``, or None when the
        catalog does not say (or does not know the model)."""
        canonical = self.canonical_name(name)
        return None if canonical is None else self.prices.get(canonical)

    def public_names(self) -> list[str]:
        """Every name but the internal test models', in catalog order (what puter.js
        lists)."""
        return [name for name in self.providers if name not in self.hidden]

    def canonical_name(self, name: str) -> str | None:
        """The catalog's spelling of ``name`` (matched case-insensitively), or None."""
        if name in self.providers:
            return name
        return self._by_folded_name.get(name.casefold())

    def provider_of(self, name: str) -> str | None:
        """The provider serving ``name``, or None for a model the catalog does not know."""
        canonical = self.canonical_name(name)
        return None if canonical is None else self.providers[canonical]


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def _price(cost: Any) -> tuple[float, float] | None:
    """A catalog entry's price as US cents per million (input, output) tokens.

    Entries say ``{"currency": "usd-cents", "tokens": 1000000, "input": 300, "output":
    1500}``, or, from the driver's list, ``{"input-tokens": ..., "output-tokens": ...}``
    (US cents per million tokens).
    """
    if not isinstance(cost, Mapping):
        return None
    currency = cost.get("currency", "usd-cents")
    if currency != "usd-cents":
        return None
    per = _number(cost.get("tokens", 1_000_000)) or 1_000_000.0
    read = _number(cost.get("input", cost.get("input-tokens")))
    written = _number(cost.get("output", cost.get("output-tokens")))
    if read is None or written is None:
        return None
    scale = 1_000_000 / per
    return read * scale, written * scale


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

    def list_models(self, provider: str | None = None) -> Flow[list[models.ModelDetails]]:
        """The public models with their details (of ``provider`` only, if given)."""
        if provider is not None:
            if not isinstance(provider, str):
                raise PuterInputTypeError(
                    f"provider must be a str or None, not {type(provider).__name__}",
                    code="invalid_arguments",
                )
            if not provider.strip():
                raise PuterInputError("provider must not be empty", code="invalid_arguments")
        return self._models_of(provider)

    def _models_of(self, provider: str | None) -> Flow[list[models.ModelDetails]]:
        details = yield from self.details()
        return details if provider is None else [m for m in details if m.provider == provider]

    def list_model_providers(self) -> Flow[list[str]]:
        """The providers of the public models, each once, in the list's order."""
        return providers_of((yield from self.details()))

    def details(self) -> Flow[list[models.ModelDetails]]:
        """The public model list with its details, from ``/puterai/chat/models/details``
        as puter.js reads it; when that fails and the client holds a token, the
        ``models`` driver method's list without the internal test models."""
        session = self._session
        try:
            listed = yield from session.send(
                endpoints.LIST_MODEL_DETAILS, endpoints.parse_list_model_details
            )
            return public_models(listed.models)
        except PuterError as exc:
            if session.token is None:
                raise
            logger.debug("the public model list failed (%s); asking the driver", exc)
        call = models.ChatModelsCall(driver=AI_CHAT_DRIVER, args=models.ChatModelsArgs())
        envelope = yield from session.send(
            endpoints.CHAT_MODELS, endpoints.parse_chat_models, body=call
        )
        return public_models(envelope.result)

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
