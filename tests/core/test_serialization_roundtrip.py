"""Every schema component survives the cattrs converter in both directions, exactly.

(a) JSON generated from the schema itself -> ``structure`` -> ``unstructure`` gives back the
    input: same keys, same values *and* same JSON types (``1`` stays an int, ``True`` a bool,
    a ``null`` stays, an absent key stays absent), without mutating the input, and the output
    survives ``json.dumps``/``json.loads``.
(b) Model instances -> ``unstructure`` -> JSON text -> ``structure`` give back an equal
    instance, and ``unstructure`` only ever produces JSON-native values (no Enum members, no
    ``UNSET``, no tuples).

The tests are parametrized over the component names read from the schema, so a new
component is covered as soon as it exists; ``test_every_generated_name_is_a_tested_component``
ties that list to what the ``models`` package actually defines.
"""

from __future__ import annotations

import ast
import copy
import importlib
import inspect
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter_client._generated import models
from puter_client.core.serialization import structure, unstructure
from tests.support.hypothesis_profiles import PER_COMPONENT
from tests.support.schema_strategies import ModelStrategies, SchemaStrategies, component_schemas

COMPONENTS = component_schemas()
COMPONENT_NAMES = list(COMPONENTS)
FROM_SCHEMA = SchemaStrategies(COMPONENTS)
FROM_TYPES = ModelStrategies()

PROPERTY = settings(
    max_examples=PER_COMPONENT,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

JSON_NATIVE_TYPES = (dict, list, str, int, float, bool, type(None))


def generated_names() -> set[str]:
    """Names of the classes and type aliases the modules of ``models`` define at top level."""
    names: set[str] = set()
    for module in {
        importlib.import_module(f"{models.__name__}.{m}") for m in models.MODULE_OF.values()
    }:
        tree = ast.parse(inspect.getsource(module))
        names |= {node.name for node in tree.body if isinstance(node, ast.ClassDef)}
        names |= {
            node.target.id
            for node in tree.body
            if isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and ast.unparse(node.annotation) == "TypeAlias"
        }
    return names


def target_type(name: str) -> Any:
    """The model class (or union / Literal alias) generated for a component."""
    return getattr(models, name)


def assert_same_json(actual: Any, expected: Any, path: str = "$") -> None:
    """Equal as JSON *and* of the same JSON types, recursively (``1 == 1.0 == True`` in Python)."""
    assert type(actual) is type(expected), (
        f"{path}: {type(actual).__name__} {actual!r} != {type(expected).__name__} {expected!r}"
    )
    if isinstance(expected, dict):
        assert list(actual) == list(actual) and set(actual) == set(expected), (
            f"{path}: keys {sorted(actual)} != {sorted(expected)}"
        )
        for key, value in expected.items():
            assert_same_json(actual[key], value, f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{path}: length {len(actual)} != {len(expected)}"
        for index, (got, want) in enumerate(zip(actual, expected, strict=True)):
            assert_same_json(got, want, f"{path}[{index}]")
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def assert_json_native(value: Any, path: str = "$") -> None:
    """Only dict (with str keys), list, str, int, float, bool and None, exactly those types."""
    assert type(value) in JSON_NATIVE_TYPES, f"{path}: {type(value).__name__} {value!r}"
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str, f"{path}: key {key!r}"
            assert_json_native(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            assert_json_native(item, f"{path}[{index}]")


# ------------------------------------------------------------------------- coverage


def test_every_schema_component_has_a_generated_model() -> None:
    missing = [name for name in COMPONENT_NAMES if not hasattr(models, name)]
    assert missing == []


def test_every_generated_name_is_a_tested_component() -> None:
    assert generated_names() == set(COMPONENT_NAMES)


def test_the_generated_classes_and_aliases_are_all_there() -> None:
    names = generated_names()
    assert len(names) >= 43
    assert {"ContentPart", "StreamLine", "Role"} <= names


# ------------------------------------------------------------------------ properties


@pytest.mark.parametrize("name", COMPONENT_NAMES)
@PROPERTY
@given(data=st.data())
def test_schema_json_round_trips_exactly(name: str, data: st.DataObject) -> None:
    document = data.draw(FROM_SCHEMA.component(name), label=name)
    pristine = copy.deepcopy(document)

    output = unstructure(structure(document, target_type(name)))

    assert_same_json(document, pristine, "input (mutated?) $")
    assert_same_json(output, document)
    assert_same_json(json.loads(json.dumps(output)), document)


@pytest.mark.parametrize("name", COMPONENT_NAMES)
@PROPERTY
@given(data=st.data())
def test_model_instances_round_trip_through_json_text(name: str, data: st.DataObject) -> None:
    target = target_type(name)
    instance = data.draw(FROM_TYPES.for_type(target), label=name)

    dumped = unstructure(instance)
    assert_json_native(dumped)
    restored = structure(json.loads(json.dumps(dumped)), target)

    assert restored == instance
    assert_same_json(unstructure(restored), dumped)
