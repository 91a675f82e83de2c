"""The one cattrs converter between JSON-native values and the generated attrs models.

Rules (the reasons are in docs/architecture.md, "Models and serialization"):
- wire keys come from ``attrs.field(metadata={"json": ...})``;
- optional fields whose default is ``None`` or ``UNSET`` are omitted on output when they
  hold that default; discriminator tags (``Literal`` defaults) are always written;
- classes marked ``__json_extra__ = "keep"`` keep unknown keys in ``additional_properties``
  and write them back; ``"forbid"`` rejects them; other classes ignore them;
- unions are decided by the JSON type of the value, and unions of several object members by
  the literal value of their ``type`` key, with the member whose ``type`` is a plain ``str``
  as the catch-all;
- primitives are strict (no ``"1"`` -> ``1``, no ``True`` -> ``1``) and ints stay ints where
  a ``number`` is expected.

The rules live in the cattrs converter below, built once, on first use (never at import of
``puter``). For the generated models, ``make generate`` also writes them out as plain
functions (``_generated/converters.py``, see ``codegen/converters.py``), which is what
``structure`` and ``unstructure`` run first: a fresh process then neither imports cattrs
nor builds hooks on its first call. Those functions accept only what the converter
accepts and build the same values; on anything else they give up and the converter
decides, so every error (and its JSON path) still comes from the converter.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any, Literal, TypeVar, Union, get_args, get_origin, overload

import attrs

from puter_client.core._unset import UNSET, UnsetType

if TYPE_CHECKING:
    import cattrs

# cattrs is imported on first use, with the converter, to keep `import puter` light.

__all__ = [
    "ModelValidationError",
    "converter",
    "discriminator_tags",
    "is_union",
    "json_kind",
    "json_type_name",
    "shallow_items",
    "structure",
    "structure_with_converter",
    "unstructure",
    "unstructure_with_converter",
]

T = TypeVar("T")
_Hook = Callable[[Any, Any], Any]

EXTRA_KEYS_FIELD = "additional_properties"


class ModelValidationError(ValueError):
    """A JSON value does not fit a model. ``errors`` lists each problem with its JSON path."""

    def __init__(self, type_name: str, errors: list[str]) -> None:
        self.type_name = type_name
        self.errors = errors
        super().__init__(f"does not fit {type_name}: " + "; ".join(errors))


@overload
def structure(data: Any, cl: type[T]) -> T: ...


@overload
def structure(data: Any, cl: Any) -> Any: ...  # the generated unions, e.g. models.StreamLine


def structure(data: Any, cl: Any) -> Any:
    """Build a model (or any annotated type) from JSON-native ``data``.

    Raises ``ModelValidationError`` naming the JSON path of each bad value.
    """
    ahead = _ahead_of_time_structure(cl)
    if ahead is not None:
        try:
            return ahead(data)
        except Exception:  # not a value it takes: the converter decides
            pass
    return structure_with_converter(data, cl)


def unstructure(obj: Any) -> Any:
    """Turn a model (or a list/dict of them) into JSON-native values."""
    _, unstructure_function, by_class = _ahead_of_time()
    try:
        return (unstructure_function(obj.__class__) or by_class)(obj)
    except Exception:  # not a value it takes: the converter decides (outside this handler,
        pass  # so that its errors do not carry this one as their context)
    return unstructure_with_converter(obj)


def structure_with_converter(data: Any, cl: Any) -> Any:
    """``structure`` by the cattrs converter alone (the reference the generated code follows)."""
    try:
        return converter().structure(data, cl)
    except Exception as exc:  # cattrs wraps per-field failures; report them all by path
        raise ModelValidationError(_type_name(cl), _describe(exc)) from None


def unstructure_with_converter(obj: Any) -> Any:
    """``unstructure`` by the cattrs converter alone."""
    return converter().unstructure(obj)


_Lookup = Callable[[Any], Callable[[Any], Any] | None]
_Tables = tuple[_Lookup, _Lookup, Callable[[Any], Any]]
_tables: _Tables | None = None
_structure_functions: dict[Any, Callable[[Any], Any] | None] = {}


def _ahead_of_time() -> _Tables:
    """The generated functions' lookups (by class or alias) and ``unstructure_value``."""
    global _tables
    if _tables is None:
        from puter_client._generated import converters

        _tables = (
            converters.structure_function,
            converters.unstructure_function,
            converters.unstructure_value,
        )
    return _tables


def _ahead_of_time_structure(cl: Any) -> Callable[[Any], Any] | None:
    """The generated structure function of ``cl``, also for ``list[Model]``; else None."""
    try:
        return _structure_functions[cl]
    except KeyError:
        pass
    structure_function = _ahead_of_time()[0]
    function = structure_function(cl)
    if function is None and get_origin(cl) is list and len(get_args(cl)) == 1:
        item = structure_function(get_args(cl)[0])
        if item is not None:
            function = functools.partial(_structure_list, item)
    _structure_functions[cl] = function
    return function


def _structure_list(item: Callable[[Any], Any], data: Any) -> list[Any]:
    if not isinstance(data, list):  # as the converter's list hook
        raise TypeError("not a list")
    return [item(value) for value in data]


@functools.cache
def converter() -> cattrs.Converter:
    """The shared converter, built on first use."""
    import cattrs

    conv = cattrs.Converter(detailed_validation=True)
    _register_primitives(conv)
    conv.register_structure_hook_factory(is_union, functools.partial(_union_hook, conv=conv))
    conv.register_structure_hook_factory(_is_list, functools.partial(_list_hook, conv=conv))
    conv.register_structure_hook_factory(_is_dict, functools.partial(_dict_hook, conv=conv))
    conv.register_structure_hook_factory(
        attrs.has, functools.partial(_attrs_structure_hook, conv=conv)
    )
    conv.register_unstructure_hook_factory(
        attrs.has, functools.partial(_attrs_unstructure_hook, conv=conv)
    )
    conv.register_unstructure_hook(UnsetType, _refuse_unset)
    return conv


# ----------------------------------------------------------------- primitives


def json_type_name(value: Any) -> str:
    """The JSON type a Python value stands for, as error messages name it."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def _strict(expected: str, accepts: Callable[[Any], bool]) -> _Hook:
    def hook(value: Any, _: Any) -> Any:
        if accepts(value):
            return value
        raise TypeError(f"expected {expected}, got {json_type_name(value)}")

    return hook


def _register_primitives(conv: cattrs.Converter) -> None:
    conv.register_structure_hook(str, _strict("string", lambda v: isinstance(v, str)))
    conv.register_structure_hook(bool, _strict("boolean", lambda v: isinstance(v, bool)))
    conv.register_structure_hook(
        int, _strict("integer", lambda v: isinstance(v, int) and not isinstance(v, bool))
    )
    # A JSON number may arrive as an int; keep it an int so that round trips are exact.
    conv.register_structure_hook(
        float,
        _strict("number", lambda v: isinstance(v, (int, float)) and not isinstance(v, bool)),
    )
    conv.register_structure_hook_factory(_is_literal, _literal_hook)


def _is_literal(t: Any) -> bool:
    return get_origin(t) is Literal


def _literal_hook(t: Any) -> _Hook:
    allowed = get_args(t)

    def hook(value: Any, _: Any) -> Any:
        for option in allowed:
            if value == option and type(value) is type(option):
                return value
        raise ValueError(f"expected one of {list(allowed)!r}, got {value!r}")

    return hook


def _refuse_unset(_: UnsetType) -> Any:
    raise TypeError("UNSET is never serialized; it marks an absent field")


# --------------------------------------------------------------- containers


def _is_list(t: Any) -> bool:
    return get_origin(t) is list


def _is_dict(t: Any) -> bool:
    return get_origin(t) is dict


def _list_hook(t: Any, conv: cattrs.Converter) -> _Hook:
    from cattrs.cols import list_structure_factory

    return _only(list, "array", list_structure_factory(t, conv))


def _dict_hook(t: Any, conv: cattrs.Converter) -> _Hook:
    from cattrs.cols import mapping_structure_factory

    return _only(dict, "object", mapping_structure_factory(t, conv))


def _only(kind: type, expected: str, inner: _Hook) -> _Hook:
    """``inner``, for values of the JSON ``kind`` only (cattrs would coerce others)."""

    def hook(value: Any, cl: Any) -> Any:
        if not isinstance(value, kind):
            raise TypeError(f"expected {expected}, got {json_type_name(value)}")
        return inner(value, cl)

    return hook


# ------------------------------------------------------------------- unions


def is_union(t: Any) -> bool:
    """Whether an annotation is a union (``X | Y`` or ``Union[X, Y]``)."""
    return get_origin(t) in (Union, types.UnionType)


def json_kind(t: Any) -> str:
    """Which JSON type a member of a union arrives as."""
    if t is type(None):
        return "null"
    if t is Any:
        return "any"
    origin = get_origin(t)
    if origin is Literal:
        return json_type_name(get_args(t)[0]).replace("integer", "int").replace("number", "float")
    if origin is list:
        return "array"
    if origin is dict or attrs.has(t) or is_union(t):
        return "object"
    return {str: "string", bool: "boolean", int: "int", float: "float"}.get(t, "object")


_KIND_OF_JSON_TYPE: dict[type, str] = {
    str: "string",
    int: "int",
    float: "float",
    bool: "boolean",
    list: "array",
    dict: "object",
    type(None): "null",
}


def _value_kind(value: Any) -> str:
    kind = _KIND_OF_JSON_TYPE.get(type(value))  # exact types: what json.loads makes
    if kind is not None:
        return kind
    name = json_type_name(value)
    return {"integer": "int", "number": "float"}.get(name, name)


def _union_hook(t: Any, conv: cattrs.Converter) -> _Hook:
    members = [m for m in get_args(t) if m is not UnsetType]
    if Any in members:
        return lambda value, _: value
    objects = [m for m in members if json_kind(m) == "object"]
    by_kind: dict[str, Any] = {json_kind(m): m for m in members if json_kind(m) != "object"}
    if len(objects) == 1:
        by_kind["object"] = objects[0]
    discriminate = _discriminator_hook(objects, conv) if len(objects) > 1 else None
    if "float" in by_kind and "int" not in by_kind:
        by_kind["int"] = by_kind["float"]
    expected = " or ".join(sorted({json_kind(m) for m in members}))
    hooks: dict[str, Callable[[Any], Any]] = {}  # lazily: members may refer back to us
    if len(members) == 2 and type(None) in members and discriminate is None:
        return _optional_hook(conv, next(m for m in members if m is not type(None)), expected)

    def hook(value: Any, _: Any) -> Any:
        kind = _value_kind(value)
        if kind == "object" and discriminate is not None:
            return discriminate(value)
        member_hook = hooks.get(kind)
        if member_hook is None:
            if kind not in by_kind:
                raise TypeError(f"expected {expected}, got {json_type_name(value)}")
            member = by_kind[kind]
            member_hook = hooks[kind] = _bind(conv, member)
        return member_hook(value)

    return hook


def _optional_hook(conv: cattrs.Converter, member: Any, expected: str) -> _Hook:
    """``member | None``, the most common union, without the general dispatch."""
    kind = json_kind(member)
    accepted = {"float": ("float", "int")}.get(kind, (kind,))
    bound: list[Callable[[Any], Any]] = []  # lazily: the member may refer back to us

    def hook(value: Any, _: Any) -> Any:
        if value is None:
            return None
        if _value_kind(value) not in accepted:
            raise TypeError(f"expected {expected}, got {json_type_name(value)}")
        if not bound:
            bound.append(_bind(conv, member))
        return bound[0](value)

    return hook


def _bind(conv: cattrs.Converter, t: Any) -> Callable[[Any], Any]:
    if t is type(None):
        return lambda value: None
    structure_hook = conv.get_structure_hook(t)
    return lambda value: structure_hook(value, t)


def discriminator_tags(objects: list[Any]) -> tuple[dict[str, Any], Any]:
    """The members of a tagged union by the literal value of their ``type`` key, and the
    catch-all member whose ``type`` is any string (or None); ``TypeError`` for a member
    without a ``type`` field."""
    tags: dict[str, Any] = {}
    fallback: Any = None
    for member in objects:
        if not attrs.has(member) or "type" not in attrs.fields_dict(member):
            raise TypeError(f"union member {member!r} has no 'type' discriminator")
        hint = typing.get_type_hints(member)["type"]
        if get_origin(hint) is Literal:
            for tag in get_args(hint):
                tags[tag] = member
        else:
            fallback = member
    return tags, fallback


def _discriminator_hook(objects: list[Any], conv: cattrs.Converter) -> Callable[[Any], Any]:
    """Pick a union member by the literal value of its ``type`` key."""
    tags, fallback = discriminator_tags(objects)
    hooks: dict[Any, Callable[[Any], Any]] = {}

    def pick(value: Any) -> Any:
        tag = value.get("type")
        if not isinstance(tag, str):
            raise ValueError(f"expected a string 'type' key, got {json_type_name(tag)}")
        member = tags.get(tag, fallback)
        if member is None:
            raise ValueError(f"unknown type {tag!r}, expected one of {sorted(tags)}")
        bound = hooks.get(member)
        if bound is None:
            bound = hooks[member] = _bind(conv, member)
        return bound(value)

    return pick


# ------------------------------------------------------------- attrs models


def _wire_key(field: attrs.Attribute[Any]) -> str:
    return str(field.metadata.get("json", field.name))


def _is_extra_field(field: attrs.Attribute[Any]) -> bool:
    return bool(field.metadata.get("json_extra"))


def _attrs_structure_hook(cl: type[Any], conv: cattrs.Converter) -> _Hook:
    from cattrs.gen import make_dict_structure_fn, override

    fields = attrs.fields(cl)
    overrides: dict[str, Any] = {
        f.name: override(omit=True) if _is_extra_field(f) else override(rename=_wire_key(f))
        for f in fields
    }
    mode = getattr(cl, "__json_extra__", None)
    inner = make_dict_structure_fn(
        cl, conv, _cattrs_forbid_extra_keys=mode == "forbid", **overrides
    )
    known = frozenset(_wire_key(f) for f in fields if not _is_extra_field(f))
    keep_extra = mode == "keep"

    def hook(value: Any, _: Any) -> Any:
        if not isinstance(value, dict):
            raise TypeError(f"expected object, got {json_type_name(value)}")
        obj = inner(value, cl)
        if keep_extra and not known.issuperset(value):
            extra = {k: v for k, v in value.items() if k not in known}
            setattr(obj, EXTRA_KEYS_FIELD, extra)
        return obj

    return hook


def _attrs_unstructure_hook(cl: type[Any], conv: cattrs.Converter) -> Callable[[Any], Any]:
    from cattrs.gen import make_dict_unstructure_fn, override

    overrides: dict[str, Any] = {}
    keep_extra = False
    hints = typing.get_type_hints(cl)
    for f in attrs.fields(cl):
        if _is_extra_field(f):
            overrides[f.name] = override(omit=True)
            keep_extra = True
            continue
        omit = f.default is None or f.default is UNSET
        if _is_untyped(hints[f.name]):
            # JSON-native by contract (it came from JSON): written as it is, however deep.
            overrides[f.name] = override(
                rename=_wire_key(f), omit_if_default=omit, unstruct_hook=_as_is
            )
        else:
            overrides[f.name] = override(rename=_wire_key(f), omit_if_default=omit)
    inner = make_dict_unstructure_fn(cl, conv, **overrides)
    if not keep_extra:
        return inner

    def hook(obj: Any) -> Any:
        data = inner(obj)
        for key, value in getattr(obj, EXTRA_KEYS_FIELD).items():
            data.setdefault(key, value)  # JSON-native, as it came
        return data

    return hook


def shallow_items(obj: Any) -> Iterator[tuple[str, Any]]:
    """The wire keys and raw values ``unstructure(obj)`` would write, one level deep.

    Values are not converted (nested models stay models); the same fields are omitted,
    renamed and kept as by the converter.
    """
    written: set[str] = set()
    cl: Any = type(obj)
    for name, key, default in _field_plan(cl):
        value = getattr(obj, name)
        if value is default and (default is None or default is UNSET):
            continue
        written.add(key)
        yield key, value
    for key, value in getattr(obj, EXTRA_KEYS_FIELD, {}).items():
        if key not in written:
            yield key, value


@functools.cache
def _field_plan(cl: Any) -> tuple[tuple[str, str, Any], ...]:
    return tuple(
        (f.name, _wire_key(f), f.default) for f in attrs.fields(cl) if not _is_extra_field(f)
    )


def _is_untyped(t: Any) -> bool:
    """Whether a field holds untyped JSON: ``Any``, or lists/dicts/unions of it."""
    if t is Any:
        return True
    args = [a for a in get_args(t) if a not in (type(None), UnsetType)]
    if get_origin(t) is dict:
        return args[-1] is Any
    if get_origin(t) is list or is_union(t):
        return bool(args) and all(_is_untyped(a) for a in args)
    return False


def _as_is(value: Any) -> Any:
    return value


# ------------------------------------------------------------------ errors


def _type_name(cl: Any) -> str:
    return getattr(cl, "__name__", None) or repr(cl)


def _describe(exc: BaseException) -> list[str]:
    import cattrs

    if isinstance(exc, cattrs.BaseValidationError):
        return cattrs.transform_error(exc, format_exception=_format_exception)
    return [f"{_format_exception(exc, None)} @ $"]


def _format_exception(exc: BaseException, type_: Any) -> str:
    import cattrs

    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, cattrs.ForbiddenExtraKeysError):
        return f"extra fields found ({', '.join(sorted(exc.extra_fields))})"
    text = str(exc) or type(exc).__name__
    return text
