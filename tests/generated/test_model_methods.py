"""The generated models' ``__repr__`` and ``__eq__`` behave exactly as the ones attrs writes.

The model template writes these two methods into each class (so that they are compiled
once into the bytecode cache, not by attrs at every import). Each model is compared with a
twin class that attrs builds from the same fields, with attrs' own methods: the same
``repr`` text (nested models, cycles), the same ``==`` and ``!=`` results, and both
unhashable.
"""

from __future__ import annotations

import sys
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter_client._generated import models
from tests.support.hypothesis_profiles import PER_COMPONENT
from tests.support.schema_strategies import ModelStrategies

MODEL_CLASSES = [
    cls
    for cls in (getattr(models, name) for name in models.__all__)
    if isinstance(cls, type) and attrs.has(cls)
]
FROM_TYPES = ModelStrategies()
PROPERTY = settings(
    max_examples=PER_COMPONENT, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def attrs_twin(cls: type[Any]) -> type[Any]:
    """A class with the fields of ``cls`` and the ``__repr__``/``__eq__`` attrs writes."""
    bare = type(cls.__name__, (), {"__qualname__": cls.__qualname__})
    these = {
        f.name: attrs.field(default=f.default, metadata=f.metadata, kw_only=True)
        for f in attrs.fields(cls)
    }
    return attrs.define(bare, these=these, kw_only=True)


TWINS = {cls: attrs_twin(cls) for cls in MODEL_CLASSES}


def twin_of(instance: Any) -> Any:
    cls = type(instance)
    values = {f.alias: getattr(instance, f.name) for f in attrs.fields(cls)}
    return TWINS[cls](**values)


def test_the_methods_are_the_templates_not_attrs() -> None:
    for cls in MODEL_CLASSES:
        module = sys.modules[cls.__module__]
        assert module.__name__.startswith(f"{models.__name__}.")
        assert cls.__repr__.__module__ == module.__name__
        assert cls.__eq__.__code__.co_filename == module.__file__


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
@PROPERTY
@given(data=st.data())
def test_repr_and_eq_match_the_attrs_twin(cls: type[Any], data: st.DataObject) -> None:
    first = data.draw(FROM_TYPES.for_type(cls), label="first")
    second = data.draw(
        st.one_of(
            FROM_TYPES.for_type(cls),
            st.just(attrs.evolve(first)),
            st.sampled_from([None, 1, "x", object()]),
        ),
        label="second",
    )
    twin_first = twin_of(first)
    twin_second = twin_of(second) if type(second) is cls else second

    assert repr(first) == repr(twin_first)
    assert (first == second) == (twin_first == twin_second)
    assert (first != second) == (twin_first != twin_second)
    assert first == attrs.evolve(first)
    assert first.__eq__(object()) is NotImplemented
    with pytest.raises(TypeError):
        hash(first)


def test_a_cycle_is_written_as_attrs_writes_it() -> None:
    part = models.UnknownPart(type="loop")
    part.additional_properties["self"] = part
    twin = TWINS[models.UnknownPart](type="loop", additional_properties={})
    twin.additional_properties["self"] = twin
    assert (
        repr(part) == repr(twin) == "UnknownPart(type='loop', additional_properties={'self': ...})"
    )


def test_nested_models_are_written_inside_the_outer_repr() -> None:
    message = models.ChatMessage(role="user", content=[models.TextPart(text="hi")])
    assert repr(message) == repr(twin_of(message))
    assert "TextPart(type='text', text='hi', additional_properties={})" in repr(message)
