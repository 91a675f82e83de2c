"""The catalog's prices, read from either shape of a model's cost entry."""

from __future__ import annotations

from typing import Any

import pytest

from puter_client._generated import models
from puter_client.services.chat.catalog import ModelCatalog


def catalog(**cost: Any) -> ModelCatalog:
    entry = models.ModelDetails(id="m", aliases=["M-alias"], provider="p", **cost)
    return ModelCatalog.from_details([entry])


def test_a_cost_per_million_tokens_is_read() -> None:
    cost = {"currency": "usd-cents", "tokens": 1_000_000, "input": 15, "output": 60}

    assert catalog(cost=cost).price_of("m") == (15.0, 60.0)


def test_a_cost_per_thousand_tokens_is_scaled_to_a_million() -> None:
    cost = {"currency": "usd-cents", "tokens": 1000, "input": 1, "output": 2}

    assert catalog(cost=cost).price_of("m") == (1000.0, 2000.0)


def test_the_drivers_costs_shape_is_read_and_aliases_share_it() -> None:
    costs = {"input-tokens": 1000, "output-tokens": 2000}

    assert catalog(costs=costs).price_of("m-ALIAS") == (1000.0, 2000.0)


@pytest.mark.parametrize(
    "cost",
    [None, {}, {"currency": "eur", "input": 1, "output": 2}, {"input": "1", "output": 2}],
)
def test_no_usable_price_is_none(cost: Any) -> None:
    assert catalog(cost=cost).price_of("m") is None


def test_an_unknown_model_has_no_price() -> None:
    assert catalog(cost={"input": 1, "output": 1}).price_of("other") is None
