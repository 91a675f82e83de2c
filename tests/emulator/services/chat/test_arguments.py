"""The tool-call arguments of the emulator's deterministic model
(`puter_client.emulator.services.chat.arguments`): calls written in the prompt are read,
everything else is made from the tool's JSON schema, and a tool without parameters gets
``{}``."""

from __future__ import annotations

import itertools
from typing import Annotated, Any, Literal, Optional

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from puter_client.emulator import tool_arguments
from tests.support.hypothesis_profiles import examples

MAGIC = {
    "type": "object",
    "properties": {
        "input": {"type": "integer", "exclusiveMinimum": -1000, "exclusiveMaximum": 1000}
    },
    "required": ["input"],
}


# ------------------------------------------------------------------ written calls


def test_a_call_written_in_the_prompt_gives_its_arguments() -> None:
    text = "What is the value of magic_function(3)? Use the tool."
    assert tool_arguments(MAGIC, text, name="magic_function") == {"input": 3}


def test_keyword_arguments_name_their_properties() -> None:
    schema = {
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["c", "f"]}},
        "required": ["city", "unit"],
    }
    text = 'weather(unit="f", city=Paris)'
    assert tool_arguments(schema, text, name="weather") == {"city": "Paris", "unit": "f"}


def test_written_values_are_read_as_json_and_python_literals() -> None:
    schema = {
        "properties": {
            "items": {"type": "array", "items": {"type": "integer"}},
            "options": {"type": "object"},
            "flag": {"type": "boolean"},
            "label": {"type": "string"},
        }
    }
    text = 'f([1, 2], {"a": "x, y"}, True, \'it, is\')'
    assert tool_arguments(schema, text, name="f") == {
        "items": [1, 2],
        "options": {"a": "x, y"},
        "flag": True,
        "label": "it, is",
    }


def test_a_written_value_that_does_not_fit_its_schema_is_made_instead() -> None:
    assert tool_arguments(MAGIC, "magic_function(lots)", name="magic_function") == {"input": 1}


def test_a_written_optional_argument_is_kept() -> None:
    schema = {
        "properties": {"q": {"type": "string"}, "limit": {"type": "integer"}},
        "required": ["q"],
    }
    assert tool_arguments(schema, "search(cats, limit=5)", name="search") == {
        "q": "cats",
        "limit": 5,
    }


def test_names_the_schema_does_not_declare_are_ignored() -> None:
    assert tool_arguments(MAGIC, "magic_function(3, extra=4, 5)", name="magic_function") == {
        "input": 3
    }


def test_another_tools_written_call_is_not_read() -> None:
    assert tool_arguments(MAGIC, "other_magic_function(3)", name="magic_function") == {"input": 1}


# ------------------------------------------------------------------ made from the schema


def test_a_tool_without_parameters_gets_no_arguments() -> None:
    assert tool_arguments({}, "anything") == {}
    assert tool_arguments({"type": "object", "properties": {}}, "f()", name="f") == {}


def test_each_type_gets_a_value_of_that_type() -> None:
    schema = {
        "type": "object",
        "properties": {
            "q": {"type": "string"},
            "n": {"type": "integer"},
            "x": {"type": "number"},
            "ok": {"type": "boolean"},
            "tags": {"type": "array"},
            "opts": {"type": "object"},
            "mode": {"enum": ["a", "b"]},
            "nothing": {"type": "null"},
        },
    }
    assert tool_arguments(schema, "hi") == {
        "q": "hi",
        "n": 1,
        "x": 1,
        "ok": True,
        "tags": [],
        "opts": {},
        "mode": "a",
        "nothing": None,
    }


def test_only_required_properties_are_made_when_some_are_required() -> None:
    schema = {"properties": {"q": {}, "n": {"type": "integer"}}, "required": ["n"]}
    assert tool_arguments(schema, "t") == {"n": 1}
    untyped = {"properties": {"q": {}, "n": {}}, "required": ["n"]}
    assert tool_arguments(untyped, "t") == {"n": "t"}  # a property of any type: the text


def test_numbers_are_moved_into_their_bounds() -> None:
    schema = {
        "properties": {
            "low": {"type": "integer", "minimum": 5},
            "high": {"type": "integer", "exclusiveMaximum": 0},
            "step": {"type": "integer", "minimum": 1, "multipleOf": 7},
            "between": {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 1},
        }
    }
    assert tool_arguments(schema, "t") == {"low": 5, "high": -1, "step": 7, "between": 0.5}


def test_strings_follow_their_length_and_format() -> None:
    schema = {
        "properties": {
            "short": {"type": "string", "maxLength": 3},
            "long": {"type": "string", "minLength": 6},
            "when": {"type": "string", "format": "date-time"},
        }
    }
    assert tool_arguments(schema, "text") == {
        "short": "tex",
        "long": "textxx",
        "when": "2024-01-01T00:00:00Z",
    }


def test_nested_objects_and_arrays_are_made_through_references() -> None:
    schema = {
        "$defs": {
            "Point": {
                "type": "object",
                "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}},
                "required": ["x", "y"],
            }
        },
        "type": "object",
        "properties": {
            "path": {"type": "array", "items": {"$ref": "#/$defs/Point"}, "minItems": 2},
            "origin": {"$ref": "#/$defs/Point"},
            "label": {"anyOf": [{"type": "null"}, {"type": "string"}]},
        },
        "required": ["path", "origin", "label"],
    }
    assert tool_arguments(schema, "t") == {
        "path": [{"x": 1, "y": 1}, {"x": 1, "y": 1}],
        "origin": {"x": 1, "y": 1},
        "label": "t",
    }


def test_a_schema_that_refers_to_itself_ends() -> None:
    schema = {
        "$defs": {
            "Node": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}},
                "required": ["children"],
            }
        },
        "$ref": "#/$defs/Node",
    }
    arguments = tool_arguments(schema, "t")
    depth = 0
    while arguments.get("children"):
        arguments = arguments["children"][0]
        depth += 1
    assert 0 < depth < 10


def test_const_default_and_type_lists_are_followed() -> None:
    schema = {
        "properties": {
            "kind": {"const": "point"},
            "size": {"type": "integer", "default": 12},
            "maybe": {"type": ["null", "boolean"]},
        }
    }
    assert tool_arguments(schema, "t") == {"kind": "point", "size": 12, "maybe": True}


# ------------------------------------------------------------------ properties


_MODELS = itertools.count()


def _composite(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Lists, optionals and models of the ``children`` types."""
    return st.one_of(
        children.map(lambda t: list[t]),  # type: ignore[valid-type]
        children.map(lambda t: Optional[t]),  # noqa: UP045  (t is a value here)
        st.lists(children, min_size=1, max_size=3).map(_model),
    )


def _model(types: list[Any]) -> type[pydantic.BaseModel]:
    fields: dict[str, Any] = {f"f{i}": (t, ...) for i, t in enumerate(types)}
    return pydantic.create_model(f"Model{next(_MODELS)}", **fields)


LEAF_TYPES = st.sampled_from(
    [
        str,
        int,
        float,
        bool,
        Literal["red", "green"],
        Annotated[int, pydantic.Field(gt=10, lt=20)],
        Annotated[float, pydantic.Field(ge=-3.5, le=-2.5)],
        Annotated[str, pydantic.Field(min_length=8, max_length=9)],
        Annotated[list[int], pydantic.Field(min_length=2)],
    ]
)


@settings(max_examples=examples(60))
@given(
    types=st.lists(st.recursive(LEAF_TYPES, _composite, max_leaves=6), min_size=1, max_size=4),
    text=st.text(max_size=12),
)
@pytest.mark.filterwarnings("ignore::UserWarning")
def test_made_arguments_validate_against_the_schema_of_any_model(
    types: list[Any], text: str
) -> None:
    model = _model(types)
    arguments = tool_arguments(model.model_json_schema(), text)
    model.model_validate(arguments, strict=True)


@given(n=st.integers(min_value=-999, max_value=999))
def test_a_written_integer_in_bounds_is_the_argument(n: int) -> None:
    assert tool_arguments(MAGIC, f"magic_function({n})", name="magic_function") == {"input": n}


@given(
    value=st.text(
        st.characters(codec="utf-8", exclude_categories=["Cc", "Cs"], exclude_characters='\\"')
    )
)
def test_a_written_quoted_string_is_the_argument(value: str) -> None:
    schema = {"properties": {"s": {"type": "string"}}, "required": ["s"]}
    assert tool_arguments(schema, f'echo("{value}")', name="echo") == {"s": value}
