"""The generated converter functions and the cattrs converter agree, on Hypothesis data.

``puter_client/_generated/converters.py`` writes the converter's rules out ahead of time;
``structure``/``unstructure`` run those functions first and hand anything they refuse to
the cattrs converter. These properties hold them to the converter, both directions:

- on every valid document (from the schema) and every model instance (from the types),
  the generated functions take the value (so the fast path is really used) and build the
  same result: equal models, and JSON of the same types, the same key order and the same
  sharing of the input's lists and dicts (what is copied, what is passed on as it is);
- on bad data (valid documents with one value replaced, one key dropped or one added) the
  generated functions either refuse, or build exactly what the converter builds: they
  never accept what the converter refuses. ``structure`` then raises the very
  ``ModelValidationError`` (the same errors, the same JSON paths) as the converter alone;
- models holding values of the wrong type are written as the converter writes them, or
  refused by both.
"""

from __future__ import annotations

import copy
import json
import typing
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter_client._generated import converters, models
from puter_client.core.serialization import (
    ModelValidationError,
    structure,
    structure_with_converter,
    unstructure,
    unstructure_with_converter,
)
from tests.support.hypothesis_profiles import PER_COMPONENT
from tests.support.schema_strategies import (
    ModelStrategies,
    SchemaStrategies,
    component_schemas,
    json_values,
)

COMPONENTS = component_schemas()
COMPONENT_NAMES = list(COMPONENTS)
FROM_SCHEMA = SchemaStrategies(COMPONENTS)
FROM_TYPES = ModelStrategies()
MODEL_CLASSES = [
    cls
    for cls in (getattr(models, name) for name in models.__all__)
    if isinstance(cls, type) and attrs.has(cls)
]

PROPERTY = settings(
    max_examples=PER_COMPONENT, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)

# Values that tend to break a strict reader: wrong JSON types, tags, near-misses.
ODD_VALUES = st.one_of(
    json_values(max_leaves=4),
    st.sampled_from(
        [None, True, False, 0, 1, 1.0, -2.5, "", "text", "tool_use", "usage", [], {}, [None]]
    ),
    st.sampled_from([{"type": "text"}, {"type": 1}, {"type": "text", "text": 2}, [{}]]),
)

# What a model field may be made to hold: the odd JSON values, or a tuple (not JSON at all).
ODD_FIELD_VALUES = ODD_VALUES | st.builds(tuple, st.lists(st.integers(), max_size=2))


def target_type(name: str) -> Any:
    return getattr(models, name)


def structure_function(target: Any) -> Any:
    """The generated structure function of a model or alias (there is one for each)."""
    function = converters.structure_function(target)
    assert function is not None, target
    return function


def unstructure_function(cls: type) -> Any:
    function = converters.unstructure_function(cls)
    assert function is not None, cls
    return function


def as_json(value: Any) -> str:
    """JSON text: equal only for the same values, JSON types and key order."""
    return json.dumps(value, sort_keys=False, allow_nan=True)


def containers(value: Any) -> dict[int, str]:
    """id -> JSON path of every list and dict in ``value`` (models looked into)."""
    found: dict[int, str] = {}

    def walk(item: Any, path: str) -> None:
        if isinstance(item, (list, dict)):
            found.setdefault(id(item), path)
        if isinstance(item, dict):
            for key, child in item.items():
                walk(child, f"{path}.{key}")
        elif isinstance(item, list):
            for index, child in enumerate(item):
                walk(child, f"{path}[{index}]")
        elif attrs.has(type(item)):
            for field in attrs.fields(type(item)):
                walk(getattr(item, field.name), f"{path}.{field.name}")

    walk(value, "$")
    return found


def shared(output: Any, source: Any) -> list[tuple[str, str]]:
    """Which lists and dicts of ``output`` are objects of ``source`` (not copies)."""
    theirs = containers(source)
    return sorted((path, theirs[key]) for key, path in containers(output).items() if key in theirs)


def outcome(run: Any) -> tuple[str, Any]:
    try:
        return "ok", run()
    except Exception as exc:  # the kind of failure is compared, not its text
        return "raised", type(exc)


# ----------------------------------------------------------------------- coverage


def test_every_model_class_and_union_has_generated_functions() -> None:
    for cls in MODEL_CLASSES:
        structure_function = converters.structure_function(cls)
        unstructure_function = converters.unstructure_function(cls)
        assert structure_function is not None and unstructure_function is not None
        assert structure_function.__name__ == f"structure_{cls.__name__}"
        assert unstructure_function.__name__ == f"unstructure_{cls.__name__}"
    for alias in (models.ContentPart, models.StreamLine, models.Role):
        assert converters.structure_function(alias) is not None


def test_a_class_named_like_a_model_is_not_taken_for_it() -> None:
    class ChatMessage:
        pass

    assert converters.structure_function(ChatMessage) is None
    assert converters.unstructure_function(ChatMessage) is None


def test_no_generated_function_gave_up_on_a_type() -> None:
    source = converters.__loader__.get_source(converters.__name__)  # type: ignore[union-attr]
    assert source is not None
    assert "not written ahead of time" not in source
    assert source.count("_unsupported(") == 1  # its definition only


def test_the_first_call_path_does_not_load_cattrs() -> None:
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from puter_client._generated import models\n"
        "from puter_client.core.serialization import structure, unstructure\n"
        "call = structure({'driver': 'ai-chat', 'args': {'model': 'm', 'messages': "
        "[{'role': 'user', 'content': 'hi'}]}}, models.ChatCompleteCall)\n"
        "unstructure(call)\n"
        "structure({'success': True, 'result': {'message': {'role': 'assistant', "
        "'content': [{'type': 'text', 'text': 'hello'}]}}}, models.ChatCompleteResponse)\n"
        "print('cattrs' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"


# --------------------------------------------------------------------- valid data


@pytest.mark.parametrize("name", COMPONENT_NAMES)
@PROPERTY
@given(data=st.data())
def test_valid_documents_give_the_same_models_and_json(name: str, data: st.DataObject) -> None:
    target = target_type(name)
    document = data.draw(FROM_SCHEMA.component(name), label=name)
    pristine = copy.deepcopy(document)

    fast = structure_function(target)(document)  # never refuses a valid document
    reference = structure_with_converter(document, target)

    assert fast == reference
    assert type(fast) is type(reference)
    assert shared(fast, document) == shared(reference, document)
    assert document == pristine

    written = converters.unstructure_value(fast)
    written_by_converter = unstructure_with_converter(reference)
    assert as_json(written) == as_json(written_by_converter)
    assert shared(written, fast) == shared(written_by_converter, reference)


@pytest.mark.parametrize("name", COMPONENT_NAMES)
@PROPERTY
@given(data=st.data())
def test_model_instances_give_the_same_json_and_back(name: str, data: st.DataObject) -> None:
    target = target_type(name)
    instance = data.draw(FROM_TYPES.for_type(target), label=name)

    written = converters.unstructure_value(instance)
    written_by_converter = unstructure_with_converter(instance)
    assert as_json(written) == as_json(written_by_converter)
    assert shared(written, instance) == shared(written_by_converter, instance)

    document = json.loads(as_json(written))
    assert structure_function(target)(document) == structure_with_converter(document, target)


# ----------------------------------------------------------------------- bad data


def json_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside ``value`` (the root included)."""
    paths = [path]
    if isinstance(value, dict):
        for key, child in value.items():
            paths += json_paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            paths += json_paths(child, (*path, index))
    return paths


def mutated(document: Any, data: st.DataObject) -> Any:
    """``document`` with one value replaced, one key dropped or one key added."""
    document = copy.deepcopy(document)
    path = data.draw(st.sampled_from(json_paths(document)), label="path")
    replacement = data.draw(ODD_VALUES, label="value")
    if not path:
        return replacement
    *parents, last = path
    parent = document
    for step in parents:
        parent = parent[step]
    how = data.draw(st.sampled_from(["replace", "drop", "add"]), label="how")
    if how == "drop" and isinstance(parent, dict):
        del parent[last]
    elif how == "add" and isinstance(parent, dict):
        parent[data.draw(st.text(max_size=8), label="key")] = replacement
    else:
        parent[last] = replacement
    return document


@pytest.mark.parametrize("name", COMPONENT_NAMES)
@PROPERTY
@given(data=st.data())
def test_bad_documents_are_refused_or_read_exactly_as_the_converter_reads_them(
    name: str, data: st.DataObject
) -> None:
    target = target_type(name)
    document = mutated(data.draw(FROM_SCHEMA.component(name), label=name), data)
    pristine = copy.deepcopy(document)

    fast = outcome(lambda: structure_function(target)(document))
    try:
        reference = structure_with_converter(document, target)
    except ModelValidationError as error:
        assert fast[0] == "raised", (
            f"the generated function took what the converter refused: {error}"
        )
        with pytest.raises(ModelValidationError) as caught:
            structure(document, target)
        assert caught.value.errors == error.errors
        assert caught.value.type_name == error.type_name
    else:
        if fast[0] == "ok":
            assert fast[1] == reference
            assert as_json(converters.unstructure_value(fast[1])) == as_json(
                unstructure_with_converter(reference)
            )
            assert shared(fast[1], document) == shared(reference, document)
        assert structure(document, target) == reference
    assert as_json(document) == as_json(pristine)


def field_names(cls: type[Any]) -> list[str]:
    return [field.name for field in attrs.fields(cls)]


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=lambda cls: cls.__name__)
@PROPERTY
@given(data=st.data())
def test_models_holding_odd_values_are_written_as_the_converter_writes_them(
    cls: type[Any], data: st.DataObject
) -> None:
    instance = data.draw(FROM_TYPES.for_type(cls), label=cls.__name__)
    names = field_names(cls)
    if names:
        name = data.draw(st.sampled_from(names), label="field")
        odd = data.draw(ODD_FIELD_VALUES)
        alias = str(attrs.fields_dict(cls)[name].alias)
        instance = attrs.evolve(instance, **{alias: odd})

    fast = outcome(lambda: unstructure_function(cls)(instance))
    reference = outcome(lambda: unstructure_with_converter(instance))
    public = outcome(lambda: unstructure(instance))

    assert public[0] == reference[0]
    if reference[0] == "ok":
        assert as_json(public[1]) == as_json(reference[1])
        assert shared(public[1], instance) == shared(reference[1], instance)
        if fast[0] == "ok":
            assert as_json(fast[1]) == as_json(reference[1])
            assert shared(fast[1], instance) == shared(reference[1], instance)
    else:
        assert public[1] == reference[1]


def test_a_union_found_in_a_type_hint_gets_the_alias_function() -> None:
    hints = typing.get_type_hints(models.ToolResultPart)
    content_part = typing.get_args(typing.get_args(hints["content"])[1])[0]
    assert converters.structure_function(content_part) is structure_function(models.ContentPart)
