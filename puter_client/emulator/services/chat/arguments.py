"""The arguments the emulator's deterministic model gives a tool call (pure functions).

A real model reads the prompt and the tool's JSON schema; this one follows two fixed
rules, so that tests can predict every call:

1. **Written calls.** When the last user text writes the tool as a call, such as
   ``magic_function(3)`` or ``get_weather(city="Paris", unit=celsius)``, the values
   written are the arguments: positional ones fill the schema's properties in their
   order, ``name=value`` (or ``name: value``) the property of that name. Values are read
   as JSON (``3``, ``2.5``, ``"text"``, ``[1, 2]``, ``{"a": 1}``, ``true``, ``null``),
   Python's ``True``/``False``/``None`` and ``'text'``, or else as the bare text. A value
   that does not fit its property's schema is left out (and made as below when that
   property is needed); names the schema does not declare are ignored.
2. **Made from the schema.** Every ``required`` property not written (all properties
   when none is required) gets a value of its schema: its ``const``, else the first of
   its ``enum``, else its ``default``; else by type: a string is the user's text
   (shortened or padded to ``maxLength``/``minLength``; a ``format`` such as
   ``date-time``, ``date``, ``email``, ``uri`` or ``uuid`` gets a fixed sample of it), an
   integer or number ``1`` moved into its ``minimum``/``maximum`` (exclusive bounds too)
   and to a ``multipleOf``, a boolean ``true``, ``null`` for ``null``; an array holds one
   item made from ``items`` (``minItems`` of them when more are required, none when its
   items are unknown or ``maxItems`` is 0); an object is made by the same rule from its
   own properties (``{}`` when it declares none). ``$ref`` (to ``$defs`` or
   ``definitions``) is followed, ``allOf`` merged, and of ``anyOf``/``oneOf`` the first
   member that is not ``null`` is used; a type list uses its first type that is not
   ``"null"``; a schema without a type is an object when it has ``properties``, an array
   when it has ``items``, else a string.

A tool that declares no properties is called with ``{}``: nothing is invented.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Mapping
from typing import Any

__all__ = ["tool_arguments"]

#: How deep values are made inside each other (a schema may refer to itself).
MAX_DEPTH = 8

#: Samples of the string formats a schema may ask for.
FORMAT_SAMPLES = {
    "date-time": "2024-01-01T00:00:00Z",
    "date": "2024-01-01",
    "time": "00:00:00",
    "email": "user@example.com",
    "uri": "https://example.com/",
    "url": "https://example.com/",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
    "hostname": "example.com",
}

_PYTHON_LITERALS: dict[str, Any] = {"True": True, "False": False, "None": None}
_KEYWORD = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*[=:](?![=:])\s*(.*)\Z", re.DOTALL)
_OPENING = {"(": ")", "[": "]", "{": "}"}
_NO_VALUE = object()


def tool_arguments(
    schema: Mapping[str, Any], text: str, *, name: str | None = None
) -> dict[str, Any]:
    """The arguments of a call of the tool ``name`` whose parameters are ``schema``, asked
    for by the user text ``text`` (see the module docstring for the rules)."""
    root = dict(schema)
    top = _resolved(root, root)
    written = _written_call(name, text, top, root) if name else {}
    return _object(top, root, text, 0, written)


# ------------------------------------------------------------------ written calls


def _written_call(
    name: str, text: str, schema: Mapping[str, Any], root: Mapping[str, Any]
) -> dict[str, Any]:
    """The arguments ``text`` writes for ``name(...)``, those that fit ``schema``."""
    found = re.search(rf"(?<![\w.]){re.escape(name)}\s*\(", text)
    if found is None:
        return {}
    inside = _inside_parentheses(text, found.end())
    if inside is None:
        return {}
    properties = _properties(schema)
    order = list(properties)
    given: dict[str, Any] = {}
    for position, piece in enumerate(_split_arguments(inside)):
        keyword = _KEYWORD.match(piece)
        if keyword is not None and keyword.group(1) in properties:
            prop, literal = keyword.group(1), keyword.group(2)
        elif position < len(order):
            prop, literal = order[position], piece
        else:
            continue
        value = _fitted(_literal(literal), _resolved(properties[prop], root), root)
        if value is not _NO_VALUE:
            given[prop] = value
    return given


def _inside_parentheses(text: str, start: int) -> str | None:
    """The text from ``start`` to the parenthesis that closes the one before it."""
    closers = [")"]
    quote = ""
    index = start
    while index < len(text):
        char = text[index]
        if quote:
            if char == "\\":
                index += 1
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in _OPENING:
            closers.append(_OPENING[char])
        elif char == closers[-1]:
            closers.pop()
            if not closers:
                return text[start:index]
        index += 1
    return None


def _split_arguments(inside: str) -> list[str]:
    """The comma-separated pieces of an argument list (commas in quotes and brackets
    kept); nothing for an empty list."""
    pieces: list[str] = []
    depth = 0
    quote = ""
    current: list[str] = []
    escaped = False
    for char in inside:
        if quote:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == quote:
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
        elif char == "," and depth == 0:
            pieces.append("".join(current))
            current = []
            continue
        current.append(char)
    pieces.append("".join(current))
    stripped = [piece.strip() for piece in pieces]
    return [] if stripped == [""] else stripped


def _literal(text: str) -> Any:
    """A written value: JSON, a Python literal, a single-quoted string, or the text."""
    text = text.strip()
    try:
        return json.loads(text)
    except ValueError:
        pass
    if text in _PYTHON_LITERALS:
        return _PYTHON_LITERALS[text]
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1]
    return text


def _fitted(value: Any, schema: Mapping[str, Any], root: Mapping[str, Any]) -> Any:
    """``value`` as ``schema`` wants it (a number as a string for a string, ``3.0`` as
    ``3`` for an integer), or ``_NO_VALUE`` when it does not fit."""
    if "const" in schema:
        return value if value == schema["const"] else _NO_VALUE
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return value if value in enum else _NO_VALUE
    members = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(members, list) and members:
        for member in members:
            fitted = _fitted(value, _resolved(member, root), root)
            if fitted is not _NO_VALUE:
                return fitted
        return _NO_VALUE
    types = _types(schema)
    if not types:
        return value
    for kind in types:
        fitted = _fitted_type(value, kind)
        if fitted is not _NO_VALUE:
            return fitted
    return _NO_VALUE


def _fitted_type(value: Any, kind: str) -> Any:
    if kind == "string":
        if isinstance(value, str):
            return value
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return json.dumps(value)
        return _NO_VALUE
    if kind == "integer":
        if isinstance(value, float) and value.is_integer():
            return int(value)
        return value if isinstance(value, int) and not isinstance(value, bool) else _NO_VALUE
    if kind == "number":
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return value
        return _NO_VALUE
    wanted = {"boolean": bool, "array": list, "object": dict, "null": type(None)}.get(kind)
    return value if wanted is not None and isinstance(value, wanted) else _NO_VALUE


# ------------------------------------------------------------------ made from the schema


def _value(schema: Any, root: Mapping[str, Any], text: str, depth: int) -> Any:
    """A value of ``schema``."""
    schema = _resolved(schema, root)
    if "const" in schema:
        return copy.deepcopy(schema["const"])
    enum = schema.get("enum")
    if isinstance(enum, list) and enum:
        return copy.deepcopy(enum[0])
    if "default" in schema:
        return copy.deepcopy(schema["default"])
    members = schema.get("anyOf") or schema.get("oneOf")
    if isinstance(members, list) and members:
        chosen = next((m for m in members if not _is_null(_resolved(m, root))), members[0])
        return _value(chosen, root, text, depth)
    kind = next((t for t in _types(schema) if t != "null"), None)
    if kind is None:
        if _types(schema) == ["null"]:
            return None
        kind = "object" if "properties" in schema else "array" if "items" in schema else "string"
    if kind == "object":
        return _object(schema, root, text, depth, {})
    if kind == "array":
        return _array(schema, root, text, depth)
    if kind in ("integer", "number"):
        return _number(schema, integer=kind == "integer")
    if kind == "boolean":
        return True
    return _string(schema, text)


def _object(
    schema: Mapping[str, Any],
    root: Mapping[str, Any],
    text: str,
    depth: int,
    given: Mapping[str, Any],
) -> dict[str, Any]:
    """An object of ``schema``: its required properties (all when none is), made unless
    ``given``; ``{}`` when it declares none or it is too deep."""
    properties = _properties(schema)
    if not properties or depth >= MAX_DEPTH:
        return {}
    required = [n for n in schema.get("required") or () if n in properties] or list(properties)
    return {
        name: given[name] if name in given else _value(spec, root, text, depth + 1)
        for name, spec in properties.items()
        if name in given or name in required
    }


def _array(schema: Mapping[str, Any], root: Mapping[str, Any], text: str, depth: int) -> list[Any]:
    prefix = schema.get("prefixItems")
    if isinstance(prefix, list) and prefix and depth < MAX_DEPTH:
        return [_value(item, root, text, depth + 1) for item in prefix]
    items = schema.get("items")
    least = _int(schema.get("minItems"), 0)
    most = _int(schema.get("maxItems"), None)
    if not isinstance(items, Mapping) or depth >= MAX_DEPTH:
        return [text] * least
    count = max(least, 1) if most is None else min(max(least, 1), most)
    return [_value(items, root, text, depth + 1) for _ in range(count)]


def _number(schema: Mapping[str, Any], *, integer: bool) -> int | float:
    """``1`` moved into the schema's bounds and onto its ``multipleOf``."""
    low = _bound(schema, "minimum", "exclusiveMinimum", integer, +1)
    high = _bound(schema, "maximum", "exclusiveMaximum", integer, -1)
    value: float = 1
    if low is not None:
        value = max(value, low)
    if high is not None:
        value = min(value, high)
    if low is not None and high is not None and low > high and not integer:
        value = (_raw_bound(schema, "minimum") + _raw_bound(schema, "maximum")) / 2
    step = _number_in(schema.get("multipleOf"))
    if step is not None and step > 0:
        value = math.ceil(value / step) * step
        if high is not None and value > high:
            value -= step
    if integer or float(value).is_integer():
        return int(value)
    return value


def _raw_bound(schema: Mapping[str, Any], name: str) -> float:
    """The bound ``name`` (``minimum``/``maximum``), inclusive or exclusive, as given."""
    given = _number_in(schema.get(name, schema.get("exclusive" + name.capitalize())))
    return 0.0 if given is None else given


def _bound(
    schema: Mapping[str, Any], inclusive: str, exclusive: str, integer: bool, inward: int
) -> float | None:
    """A bound as an inclusive one (an exclusive bound moved inward by one, or by a
    hundredth for a number that is not an integer)."""
    given = _number_in(schema.get(inclusive))
    if given is not None:
        if not integer:
            return given
        return math.ceil(given) if inward > 0 else math.floor(given)
    given = _number_in(schema.get(exclusive))
    if given is None:
        return None
    if integer:
        return math.floor(given) + 1 if inward > 0 else math.ceil(given) - 1
    return given + inward * (1 if given.is_integer() else 0.01)


def _string(schema: Mapping[str, Any], text: str) -> str:
    sample = FORMAT_SAMPLES.get(str(schema.get("format")), text)
    least = _int(schema.get("minLength"), 0)
    most = _int(schema.get("maxLength"), None)
    if len(sample) < least:
        sample += "x" * (least - len(sample))
    return sample if most is None else sample[:most]


# ------------------------------------------------------------------ schema helpers


def _resolved(schema: Any, root: Mapping[str, Any], seen: int = 0) -> dict[str, Any]:
    """``schema`` with its ``$ref`` followed and its ``allOf`` merged (``{}`` when it is
    not an object or refers to nothing known)."""
    if not isinstance(schema, Mapping) or seen > MAX_DEPTH:
        return {}
    result = dict(schema)
    reference = result.pop("$ref", None)
    if isinstance(reference, str):
        target = _referred(reference, root)
        result = {**_resolved(target, root, seen + 1), **result}
    parts = result.pop("allOf", None)
    if isinstance(parts, list):
        for part in parts:
            merged = _resolved(part, root, seen + 1)
            properties = {**_properties(result), **_properties(merged)}
            required = [*(result.get("required") or ()), *(merged.get("required") or ())]
            result = {**merged, **result}
            if properties:
                result["properties"] = properties
            if required:
                result["required"] = required
    return result


def _referred(reference: str, root: Mapping[str, Any]) -> Any:
    """What a local ``$ref`` (``#/$defs/Name``) points to, or None."""
    if not reference.startswith("#"):
        return None
    target: Any = root
    for part in reference[1:].split("/"):
        if not part:
            continue
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(target, Mapping) or part not in target:
            return None
        target = target[part]
    return target


def _properties(schema: Mapping[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties")
    return dict(properties) if isinstance(properties, Mapping) else {}


def _types(schema: Mapping[str, Any]) -> list[str]:
    kind = schema.get("type")
    if isinstance(kind, str):
        return [kind]
    if isinstance(kind, list):
        return [k for k in kind if isinstance(k, str)]
    return []


def _is_null(schema: Mapping[str, Any]) -> bool:
    return _types(schema) == ["null"] or ("const" in schema and schema["const"] is None)


def _number_in(value: Any) -> float | None:
    """``value`` as a float when it is a JSON number (not a boolean), else None."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return None


def _int(value: Any, fallback: int | None) -> Any:
    """``value`` when it is a count (an int, not negative), else ``fallback``."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    return fallback
