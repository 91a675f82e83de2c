"""Hypothesis strategies derived from our own schema and from the models generated from it.

Two independent sources of test data, so that a mistake in one is caught by the other:

``SchemaStrategies``
    A small translator from the JSON Schema subset that ``schema/puter.openapi.yaml`` uses
    (``$ref``, ``const``, ``enum``, ``oneOf``, ``type`` and type lists with ``null``,
    ``properties``, ``required``, ``additionalProperties``, ``items``, and untyped ``{}``)
    to strategies of JSON values. It applies a *closed world* rule: where a schema leaves
    ``additionalProperties`` unspecified no extra keys are generated (our models ignore
    unknown keys there, so they could not round-trip); where it is ``true`` the extra keys
    never collide with a declared key. A schema keyword it does not understand is an error,
    so the translator can never silently generate data a new constraint forbids.

``ModelStrategies``
    Builds attrs model instances from ``typing.get_type_hints`` of the generated classes:
    primitives, ``Literal``, unions, ``list``, ``dict``, ``Any`` (any JSON value),
    ``UnsetType``/``UNSET`` and nested attrs classes, with ``additional_properties`` keys
    that never collide with a declared wire key.

Both keep recursion bounded (``ContentPart`` is recursive through ``ToolResultPart.content``):
past ``max_depth`` nested references, arrays are empty and optional keys absent. Both know
the catch-all member of a discriminated union (``UnknownPart``, ``StreamUnknown``): inside
the union its ``type`` is never the tag of a known member, since such a value would (rightly)
be read as that member.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, Literal, Union, get_args, get_origin

import attrs
from hypothesis import strategies as st

from codegen.schema import read_yaml
from puter_client.core._unset import UNSET, UnsetType

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schema" / "puter.openapi.yaml"

JSON = Any
"""A JSON-native value: dict, list, str, int, float, bool or None."""

Strategy = st.SearchStrategy[Any]

# --------------------------------------------------------------------- JSON values

SAFE_FLOATS = st.floats(allow_nan=False, allow_infinity=False)
"""Floats JSON can carry (no NaN, no infinities)."""

SAMPLE_TAGS = st.sampled_from(["video", "image", "ping", "citation", "Text", "text "])
"""Plausible future discriminator values, mixed with arbitrary text for the catch-all."""


def json_values(max_leaves: int = 6) -> Strategy:
    """Any JSON value, small: what an untyped schema (``{}``) or ``Any`` allows."""
    scalars = st.none() | st.booleans() | st.integers() | SAFE_FLOATS | st.text(max_size=8)
    return st.recursive(
        scalars,
        lambda children: (
            st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=6), children, max_size=3)
        ),
        max_leaves=max_leaves,
    )


SAMPLE_EXTRA_KEYS = st.sampled_from(
    ["provider", "cached_tokens", "puter_id", "error_code", "additional_properties", "type", "id"]
)
"""Realistic undeclared keys, including Python attribute names that are not wire keys."""


def extra_keys(declared: frozenset[str]) -> st.SearchStrategy[str]:
    """Names of undeclared keys: never equal to a declared wire key."""
    return (SAMPLE_EXTRA_KEYS | st.text(max_size=10)).filter(lambda key: key not in declared)


def catch_all_tags(known: frozenset[str]) -> st.SearchStrategy[str]:
    """Discriminator values of the catch-all member: anything but a known member's tag."""
    return (SAMPLE_TAGS | st.text(max_size=10)).filter(lambda tag: tag not in known)


def load_schema(path: Path = SCHEMA_PATH) -> dict[str, Any]:
    """The parsed OpenAPI document."""
    document: dict[str, Any] = read_yaml(path)
    return document


def component_schemas(path: Path = SCHEMA_PATH) -> dict[str, Any]:
    """Component name -> JSON Schema, in schema order."""
    schemas: dict[str, Any] = load_schema(path)["components"]["schemas"]
    return schemas


# ------------------------------------------------------- schema -> JSON strategies

REF_PREFIX = "#/components/schemas/"

# JSON Schema / OpenAPI keywords that constrain values: the translator would have to honour
# them, so meeting one means the translator needs extending, not ignoring it.
CONSTRAINING_KEYWORDS = frozenset(
    {
        "allOf",
        "anyOf",
        "not",
        "if",
        "then",
        "else",
        "discriminator",
        "nullable",
        "format",
        "pattern",
        "minLength",
        "maxLength",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "multipleOf",
        "minItems",
        "maxItems",
        "uniqueItems",
        "contains",
        "prefixItems",
        "minProperties",
        "maxProperties",
        "patternProperties",
        "propertyNames",
        "dependentRequired",
        "dependentSchemas",
        "unevaluatedProperties",
        "unevaluatedItems",
    }
)


class UnsupportedSchemaError(ValueError):
    """The schema uses a keyword the translator does not implement."""


class SchemaStrategies:
    """Strategies of JSON values valid for the components of an OpenAPI document."""

    def __init__(self, components: Mapping[str, Any], *, max_depth: int = 5) -> None:
        self.components = components
        self.max_depth = max_depth
        self._cache: dict[tuple[str, int, frozenset[str]], Strategy] = {}

    def component(self, name: str) -> Strategy:
        """JSON values of the component ``name``."""
        return self._component(name, 0, frozenset())

    def _component(self, name: str, depth: int, not_tags: frozenset[str]) -> Strategy:
        key = (name, depth, not_tags)
        if key not in self._cache:
            schema = self.components[name]
            # Deferred: recursive components are only expanded as deep as data is drawn.
            self._cache[key] = st.deferred(lambda: self.schema(schema, depth, not_tags))
        return self._cache[key]

    def schema(
        self, schema: Any, depth: int = 0, not_tags: frozenset[str] = frozenset()
    ) -> Strategy:
        """JSON values valid for ``schema``, ``depth`` references below the root.

        ``not_tags``: for the catch-all member of a discriminated union, the tags of the
        known members, which its discriminator must avoid.
        """
        if not isinstance(schema, dict):
            raise UnsupportedSchemaError(f"not a schema object: {schema!r}")
        _check_keywords(schema)
        if "$ref" in schema:
            return self._component(_ref_name(schema["$ref"]), depth + 1, not_tags)
        if "const" in schema:
            return st.just(schema["const"])
        if "enum" in schema:
            return st.sampled_from(list(schema["enum"]))
        if "oneOf" in schema:
            return self._one_of(schema, depth)
        types_ = schema.get("type")
        if types_ is None:
            if "properties" in schema or "additionalProperties" in schema:
                return self._object(schema, depth, not_tags)
            return json_values()  # untyped: any JSON value
        if isinstance(types_, str):
            types_ = [types_]
        return st.one_of([self._typed(t, schema, depth, not_tags) for t in types_])

    def _typed(
        self, type_: str, schema: dict[str, Any], depth: int, not_tags: frozenset[str]
    ) -> Strategy:
        simple: dict[str, Strategy] = {
            "null": st.none(),
            "boolean": st.booleans(),
            "integer": st.integers(),
            "number": st.integers() | SAFE_FLOATS,
            "string": st.text(max_size=12),
        }
        if type_ in simple:
            return simple[type_]
        if type_ == "array":
            if depth >= self.max_depth:
                return st.just([])
            return st.lists(self.schema(schema.get("items", {}), depth), max_size=3)
        if type_ == "object":
            return self._object(schema, depth, not_tags)
        raise UnsupportedSchemaError(f"unknown type {type_!r}")

    def _object(self, schema: dict[str, Any], depth: int, not_tags: frozenset[str]) -> Strategy:
        properties: dict[str, Any] = schema.get("properties", {})
        required = set(schema.get("required", []))
        deep = depth >= self.max_depth

        def value(name: str) -> Strategy:
            if name == "type" and not_tags:
                return catch_all_tags(not_tags)
            return self.schema(properties[name], depth)

        mandatory = {name: value(name) for name in properties if name in required}
        optional = (
            {} if deep else {name: value(name) for name in properties if name not in required}
        )
        declared = st.fixed_dictionaries(mandatory, optional=optional)
        additional = schema.get("additionalProperties")
        if additional is None or additional is False or deep:
            return declared  # closed world: no extra keys where the schema does not ask for them
        extra_value = json_values() if additional is True else self.schema(additional, depth)
        extras = st.dictionaries(extra_keys(frozenset(properties)), extra_value, max_size=3)
        return st.builds(_merge, extras, declared)

    def _one_of(self, schema: dict[str, Any], depth: int) -> Strategy:
        branches: list[Any] = schema["oneOf"]
        catch_all = schema.get("x-puter-catch-all")
        if catch_all is None:
            return st.one_of([self.schema(branch, depth) for branch in branches])
        discriminator = schema.get("x-puter-discriminator", "type")
        known = frozenset(
            self._tag(branch, discriminator)
            for branch in branches
            if _ref_name(branch["$ref"]) != catch_all
        )
        return st.one_of(
            [
                self.schema(
                    branch, depth, known if _ref_name(branch["$ref"]) == catch_all else frozenset()
                )
                for branch in branches
            ]
        )

    def _tag(self, branch: dict[str, Any], discriminator: str) -> str:
        member = self.components[_ref_name(branch["$ref"])]
        tag: str = member["properties"][discriminator]["const"]
        return tag


def _merge(extras: dict[str, Any], declared: dict[str, Any]) -> dict[str, Any]:
    return {**extras, **declared}


def _ref_name(ref: str) -> str:
    if not ref.startswith(REF_PREFIX):
        raise UnsupportedSchemaError(f"unsupported $ref {ref!r}")
    return ref[len(REF_PREFIX) :]


def _check_keywords(schema: dict[str, Any]) -> None:
    for keyword in schema:
        if keyword in CONSTRAINING_KEYWORDS:
            raise UnsupportedSchemaError(
                f"keyword {keyword!r} is not implemented by the test translator: extend it"
            )
        # Anything else that is neither understood nor an annotation (x-* extensions, stray
        # keys) does not constrain JSON values and is ignored, as JSON Schema itself does.


# ------------------------------------------------------------ type -> model strategies


class ModelStrategies:
    """Strategies of model instances (or any annotated value) from type hints."""

    def __init__(self, *, max_depth: int = 5) -> None:
        self.max_depth = max_depth
        self._cache: dict[tuple[Any, int, frozenset[str]], Strategy] = {}

    def for_type(self, tp: Any, depth: int = 0, not_tags: frozenset[str] = frozenset()) -> Strategy:
        """Values of the annotation ``tp``, ``depth`` model levels below the root."""
        key = (tp, depth, not_tags)
        if key not in self._cache:
            self._cache[key] = self._build(tp, depth, not_tags)
        return self._cache[key]

    def _build(self, tp: Any, depth: int, not_tags: frozenset[str]) -> Strategy:
        if tp is Any:
            return json_values()
        if tp is type(None):
            return st.none()
        if tp is UnsetType:
            return st.just(UNSET)
        if attrs.has(tp):
            return self._model(tp, depth, not_tags)
        origin = get_origin(tp)
        if origin is Literal:
            return st.sampled_from(get_args(tp))
        if origin in (Union, types.UnionType):
            return self._union(get_args(tp), depth)
        if origin is list:
            if depth >= self.max_depth:
                return st.just([])
            (item,) = get_args(tp)
            return st.lists(self.for_type(item, depth), max_size=3)
        if origin is dict:
            key, value = get_args(tp)
            return st.dictionaries(
                self.for_type(key, depth), self.for_type(value, depth), max_size=3
            )
        primitives: dict[Any, Strategy] = {
            str: st.text(max_size=12),
            bool: st.booleans(),
            int: st.integers(),
            float: st.integers() | SAFE_FLOATS,  # an int is a valid float (PEP 484)
        }
        if tp in primitives:
            return primitives[tp]
        raise TypeError(f"no strategy for annotation {tp!r}")

    def _union(self, members: tuple[Any, ...], depth: int) -> Strategy:
        tagged = [m for m in members if attrs.has(m) and "type" in attrs.fields_dict(m)]
        known = frozenset(tag for m in tagged for tag in literal_tags(m))
        return st.one_of(
            [
                self.for_type(
                    m, depth, known if m in tagged and not literal_tags(m) else frozenset()
                )
                for m in members
            ]
        )

    def _model(self, cls: type[Any], depth: int, not_tags: frozenset[str]) -> Strategy:
        hints = typing.get_type_hints(cls)
        fields = attrs.fields(cls)
        wire_keys = frozenset(wire_key(f) for f in fields if not is_extra_field(f))
        deep = depth >= self.max_depth
        kwargs: dict[str, Strategy] = {}
        for field in fields:
            if is_extra_field(field):
                kwargs[field.name] = (
                    st.just({})
                    if deep
                    else st.dictionaries(extra_keys(wire_keys), json_values(), max_size=3)
                )
            elif field.name == "type" and not_tags:
                kwargs[field.name] = catch_all_tags(not_tags)
            elif deep and field.default in (None, UNSET):
                kwargs[field.name] = st.just(field.default)
            else:
                kwargs[field.name] = self.for_type(hints[field.name], depth + 1)
        return st.builds(_constructor(cls), st.fixed_dictionaries(kwargs))


def _constructor(cls: type[Any]) -> Callable[[dict[str, Any]], Any]:
    def build(kwargs: dict[str, Any]) -> Any:
        return cls(**kwargs)

    build.__name__ = cls.__name__
    return build


def literal_tags(cls: type[Any]) -> tuple[str, ...]:
    """The ``type`` tags of a union member (none for a catch-all with ``type: str``)."""
    hint = typing.get_type_hints(cls)["type"]
    return get_args(hint) if get_origin(hint) is Literal else ()


def wire_key(field: attrs.Attribute[Any]) -> str:
    """The JSON key of a model field."""
    return str(field.metadata.get("json", field.name))


def is_extra_field(field: attrs.Attribute[Any]) -> bool:
    """Whether the field holds the keys the schema does not declare."""
    return bool(field.metadata.get("json_extra"))
