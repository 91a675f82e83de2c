"""The hand-written schema says what its author meant: every key of a schema object is a keyword.

YAML makes one slip easy: in a flow mapping, ``{type: string, description: Foo, for example
bar.}`` ends the description at the comma and adds a key ``"for example bar."`` with a null
value. JSON Schema ignores unknown keys, so nothing fails; the description (and the generated
docstring) is silently cut short. This test catches that and any other misspelt keyword.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from codegen.pipeline import DEFAULT_SCHEMA
from codegen.schema import read_yaml

# JSON Schema 2020-12 (as OpenAPI 3.1 uses it) and OpenAPI's own schema keywords.
SCHEMA_KEYWORDS = frozenset(
    {
        "$ref", "$defs", "$id", "$schema", "$comment", "$anchor", "$dynamicRef", "$dynamicAnchor",
        "type", "const", "enum", "oneOf", "anyOf", "allOf", "not", "if", "then", "else",
        "properties", "required", "additionalProperties", "patternProperties", "propertyNames",
        "unevaluatedProperties", "dependentRequired", "dependentSchemas", "minProperties",
        "maxProperties", "items", "prefixItems", "contains", "minContains", "maxContains",
        "minItems", "maxItems", "uniqueItems", "unevaluatedItems", "minLength", "maxLength",
        "pattern", "format", "contentEncoding", "contentMediaType", "contentSchema", "minimum",
        "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "title",
        "description", "default", "examples", "deprecated", "readOnly", "writeOnly",
        "discriminator", "xml", "externalDocs", "example",
    }
)  # fmt: skip

SUBSCHEMA_MAPS = ("properties", "patternProperties", "$defs", "dependentSchemas")
SUBSCHEMA_LISTS = ("oneOf", "anyOf", "allOf", "prefixItems")
SUBSCHEMAS = ("items", "additionalProperties", "not", "if", "then", "else", "contains")


def schema_objects(schema: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every schema object inside ``schema``, with a readable location."""
    if not isinstance(schema, dict):
        return
    yield where, schema
    for key in SUBSCHEMA_MAPS:
        for name, sub in (schema.get(key) or {}).items():
            yield from schema_objects(sub, f"{where}.{key}.{name}")
    for key in SUBSCHEMA_LISTS:
        for index, sub in enumerate(schema.get(key) or []):
            yield from schema_objects(sub, f"{where}.{key}[{index}]")
    for key in SUBSCHEMAS:
        yield from schema_objects(schema.get(key), f"{where}.{key}")


def all_schema_objects() -> Iterator[tuple[str, dict[str, Any]]]:
    document = read_yaml(DEFAULT_SCHEMA)
    for name, schema in document["components"]["schemas"].items():
        yield from schema_objects(schema, name)


def test_the_walk_reaches_nested_property_schemas() -> None:
    locations = {where for where, _ in all_schema_objects()}
    assert "ChatCompleteArgs.properties.messages.items" in locations
    assert "ResultMessage.properties.content.oneOf[1].items" in locations


def test_every_key_of_a_schema_object_is_a_keyword_or_an_extension() -> None:
    unknown = [
        f"{where}: {key!r}"
        for where, schema in all_schema_objects()
        for key in schema
        if key not in SCHEMA_KEYWORDS and not str(key).startswith("x-")
    ]
    assert unknown == [], "unknown keys (an unquoted comma in a YAML flow mapping?):\n" + "\n".join(
        unknown
    )


def test_no_description_is_empty_or_null() -> None:
    empty = [
        where
        for where, schema in all_schema_objects()
        if "description" in schema and not schema["description"]
    ]
    assert empty == []
