"""Converters: plain structure/unstructure functions per model, written ahead of time.

``puter_client/serialization.py`` holds the rules of the wire format as a cattrs converter
whose hooks are built on first use. Building them (and importing cattrs) costs a fresh
process tens of milliseconds on its first call. This module writes the same rules out as
plain Python, one ``structure_<Model>`` and ``unstructure_<Model>`` function per model
class (and per union alias), into ``puter_client/_generated/converters.py``.

The functions are derived from the generated models themselves (the attrs fields, their
metadata and type hints), the same facts the cattrs hooks read at run time, and mirror
what those hooks do, rule for rule:

- wire keys from ``metadata["json"]``; the extra-keys field (``metadata["json_extra"]``)
  collects unknown keys when ``__json_extra__ == "keep"``; ``"forbid"`` rejects them;
- on output, fields whose default is ``None`` or ``UNSET`` are omitted when ``!=`` is
  false against that default (cattrs' test), written after the other fields, as cattrs
  orders them; untyped fields are written as they are; discriminator tags always;
- strict primitives (``isinstance``, no ``bool`` for numbers, ints kept for ``float``),
  ``Literal`` by value *and* exact type; unions by the JSON kind of the value, objects of
  several members by the literal ``type`` key with the ``type: str`` member as catch-all.

They only ever accept what the converter accepts, and build the same values. Anything
else (a bad value, a type shape they do not know) raises ``Mismatch``, and the caller
hands the value to the cattrs converter, which then decides and names the JSON path of
every bad value: error messages come from one place only.
"""

from __future__ import annotations

import sys
import types
import typing
from collections.abc import Iterator
from typing import Any, Literal, Union, get_args, get_origin

import attrs

from puter_client.core._unset import UNSET, UnsetType
from puter_client.core.serialization import discriminator_tags, is_union, json_kind

MODELS_IMPORT = "from puter_client._generated import models"
_SCRATCH_MODULE = "_codegen_models_for_converters"

MODULE_DOCSTRING = '''"""Structure/unstructure functions of the models, written ahead of time.

The same rules as the cattrs converter of ``puter_client.core.serialization`` (which uses them),
as plain functions, so that a fresh process does not build converter hooks on its first
call. They accept only what the converter accepts; on anything else they raise
``Mismatch`` and the converter decides (and names the JSON path of each bad value).
"""
'''

_PRIMITIVE_CHECKS = {
    str: "not isinstance({v}, str)",
    bool: "not isinstance({v}, bool)",
    int: "(not isinstance({v}, int) or isinstance({v}, bool))",
    float: "(not isinstance({v}, (int, float)) or isinstance({v}, bool))",
}
# The JSON kind of a value, as serialization._value_kind finds it; the kinds exclude
# each other (no class is both an int and a str, a list and a dict, ...).
_KIND_TESTS = {
    "null": "{v} is None",
    "boolean": "isinstance({v}, bool)",
    "int": "(isinstance({v}, int) and not isinstance({v}, bool))",
    "float": "isinstance({v}, float)",
    "string": "isinstance({v}, str)",
    "array": "isinstance({v}, list)",
    "object": "isinstance({v}, dict)",
}
_KIND_ORDER = ("null", "boolean", "int", "float", "string", "array", "object")


def render_converters(models_source: str) -> str:
    """The source of ``converters.py`` for the models module whose source is given."""
    module = types.ModuleType(_SCRATCH_MODULE)
    sys.modules[_SCRATCH_MODULE] = module  # typing.get_type_hints resolves names through it
    try:
        exec(compile(models_source, "models.py", "exec"), module.__dict__)
        return _Writer(module).render()
    finally:
        del sys.modules[_SCRATCH_MODULE]


# ------------------------------------------------------------ the converter's rules
# Each mirrors the function of serialization.py named in its docstring.


def _is_untyped(t: Any) -> bool:
    """serialization._is_untyped: ``Any``, or lists/dicts/unions of it."""
    if t is Any:
        return True
    args = [a for a in get_args(t) if a not in (type(None), UnsetType)]
    if get_origin(t) is dict:
        return args[-1] is Any
    if get_origin(t) is list or is_union(t):
        return bool(args) and all(_is_untyped(a) for a in args)
    return False


def _wire_key(field: attrs.Attribute[Any]) -> str:
    return str(field.metadata.get("json", field.name))


def _is_extra_field(field: attrs.Attribute[Any]) -> bool:
    return bool(field.metadata.get("json_extra"))


def _is_optional(t: Any) -> bool:
    """cattrs' ``is_optional``: ``X | None``, exactly two members."""
    return is_union(t) and type(None) in get_args(t) and len(get_args(t)) == 2


class _Unsupported(Exception):
    """A type shape the writer does not mirror; the converter handles it at run time."""


# ------------------------------------------------------------------- the writer


class _Writer:
    def __init__(self, module: types.ModuleType) -> None:
        self.module = module
        self.classes = [
            v
            for v in vars(module).values()
            if isinstance(v, type) and attrs.has(v) and v.__module__ == module.__name__
        ]
        self.aliases = {
            name: v
            for name, v in vars(module).items()
            if not name.startswith("_") and get_origin(v) in (Union, types.UnionType, Literal)
        }
        self.helper_names: dict[str, str] = {}  # repr of a type -> its structure function
        self.helpers: list[list[str]] = []
        self.constants: list[str] = []
        self._literal_tables: dict[tuple[Any, ...], str] = {}

    # ------------------------------------------------------------ module layout

    def render(self) -> str:
        for name, alias in self.aliases.items():
            self.helper_names[repr(alias)] = f"structure_{name}"
        for name, alias in self.aliases.items():
            self._write_helper(alias, f"structure_{name}")
        classes = [self._structure_class(cl) + self._unstructure_class(cl) for cl in self.classes]
        parts = [
            MODULE_DOCSTRING,
            "from __future__ import annotations\n",
            "import sys",
            "from collections.abc import Callable",
            "from typing import Any\n",
            MODELS_IMPORT,
            "from puter_client.core._unset import UNSET\n",
            "__all__ = [",
            '    "STRUCTURE",',
            '    "UNSTRUCTURE",',
            '    "Mismatch",',
            '    "structure_function",',
            '    "unstructure_function",',
            '    "unstructure_value",',
            "]\n",
            "class Mismatch(Exception):",
            '    """A value these functions do not take: the converter decides."""\n',
            "_ABSENT: Any = object()\n",
            *self._runtime_helpers(),
            *("\n".join(lines) + "\n" for lines in classes),
            *("\n".join(lines) + "\n" for lines in self.helpers),
            *self.constants,
            self._tables(),
        ]
        return "\n".join(parts)

    def _runtime_helpers(self) -> Iterator[str]:
        # The tables are keyed by name so that importing this module imports no models
        # module: a class (or alias) is checked to be the package's own before its name counts.
        yield (
            "def _model_name(cl: Any) -> str | None:\n"
            '    """The name of a model class or union alias of ``models``, else None."""\n'
            "    if isinstance(cl, type):\n"
            "        module = models.MODULE_OF.get(cl.__name__)\n"
            '        if module is not None and cl.__module__ == f"{models.__name__}.{module}":\n'
            "            return cl.__name__\n"
            "        return None\n"
            "    for name in _ALIASES:  # the caller got the alias (or an equal union) from\n"
            "        # its module, which is therefore loaded\n"
            '        loaded = sys.modules.get(f"{models.__name__}.{models.MODULE_OF[name]}")\n'
            "        if loaded is not None and getattr(loaded, name) == cl:\n"
            "            return name\n"
            "    return None\n"
        )
        yield (
            "def structure_function(cl: Any) -> Callable[[Any], Any] | None:\n"
            '    """The structure function of a model class or union alias, else None."""\n'
            "    name = _model_name(cl)\n"
            "    return None if name is None else STRUCTURE.get(name)\n"
        )
        yield (
            "_UNSTRUCTURE_BY_CLASS: dict[type, Callable[[Any], Any]] = {}\n\n\n"
            "def unstructure_function(cls: type) -> Callable[[Any], Any] | None:\n"
            '    """The unstructure function of a model class, else None."""\n'
            "    function = _UNSTRUCTURE_BY_CLASS.get(cls)\n"
            "    if function is None:\n"
            "        name = _model_name(cls)\n"
            "        function = None if name is None else UNSTRUCTURE.get(name)\n"
            "        if function is not None:\n"
            "            _UNSTRUCTURE_BY_CLASS[cls] = function\n"
            "    return function\n"
        )
        yield (
            "def unstructure_value(v: Any) -> Any:\n"
            '    """A value by its runtime class, as the converter\'s ``unstructure(v)``."""\n'
            "    cls = v.__class__\n"
            "    if cls is str or cls is int or cls is float or cls is bool or v is None:\n"
            "        return v\n"
            "    if cls is list:\n"
            "        return [unstructure_value(i) for i in v]\n"
            "    if cls is dict:\n"
            "        return {unstructure_value(k): unstructure_value(i) for k, i in v.items()}\n"
            "    function = _UNSTRUCTURE_BY_CLASS.get(cls) or unstructure_function(cls)\n"
            "    if function is None:\n"
            "        raise Mismatch\n"
            "    return function(v)\n"
        )
        yield (
            "def _unsupported(v: Any) -> Any:\n"
            '    """A type these functions do not mirror: left to the converter."""\n'
            "    raise Mismatch\n"
        )

    def _tables(self) -> str:
        structure = [f"    {cl.__name__!r}: structure_{cl.__name__}," for cl in self.classes]
        structure += [f"    {name!r}: structure_{name}," for name in self.aliases]
        unstructure = [f"    {cl.__name__!r}: unstructure_{cl.__name__}," for cl in self.classes]
        return "\n".join(
            [
                "STRUCTURE: dict[str, Callable[[Any], Any]] = {",
                *structure,
                "}",
                '"""Model class or union alias name -> its structure function."""\n',
                "UNSTRUCTURE: dict[str, Callable[[Any], Any]] = {",
                *unstructure,
                "}",
                '"""Model class name -> its unstructure function."""\n',
                f"_ALIASES = {tuple(self.aliases)!r}",
            ]
        )

    # ------------------------------------------------------------- structure

    def _structure_class(self, cl: type[Any]) -> list[str]:
        name = cl.__name__
        lines = [
            f"def structure_{name}(d: Any) -> models.{name}:",
            "    if not isinstance(d, dict):",
            "        raise Mismatch",
        ]
        try:
            body = self._structure_class_body(cl)
        except _Unsupported as exc:
            body = [f"    raise Mismatch  # not written ahead of time ({exc})"]
        return [*lines, *body, ""]

    def _structure_class_body(self, cl: type[Any]) -> list[str]:
        name = cl.__name__
        hints = typing.get_type_hints(cl)
        fields = attrs.fields(cl)
        mode = getattr(cl, "__json_extra__", None)
        known = sorted(_wire_key(f) for f in fields if not _is_extra_field(f))
        keys = f"_KEYS_{name}"
        if mode in ("forbid", "keep"):
            self.constants.append(f"{keys}: frozenset[str] = frozenset({known!r})\n")
        lines: list[str] = []
        if mode == "forbid":
            lines += [f"    if not {keys}.issuperset(d):", "        raise Mismatch"]
        if mode == "keep" and not any(_is_extra_field(f) for f in fields):
            # The converter would fail to store unknown keys: leave those to it.
            lines += [f"    if not {keys}.issuperset(d):", "        raise Mismatch"]
        arguments: list[str] = []
        for index, f in enumerate(fields):
            var = f"x{index}"
            if _is_extra_field(f):
                if mode == "keep":
                    lines.append(
                        f"    {var} = {{}} if {keys}.issuperset(d) else "
                        f"{{k: v for k, v in d.items() if k not in {keys}}}"
                    )
                else:
                    lines.append(f"    {var}: dict[str, Any] = {{}}")
                arguments.append(f"{f.alias}={var}")
                continue
            lines += self._structure_field(f, hints[f.name], var)
            arguments.append(f"{f.alias}={var}")
        lines.append(f"    return models.{name}({', '.join(arguments)})")
        return lines

    def _structure_field(self, f: attrs.Attribute[Any], t: Any, var: str) -> list[str]:
        key = _wire_key(f)
        conditions, expr = self._inline(t, var)
        failed = " or ".join(conditions)
        default = f.default
        if default is attrs.NOTHING:
            lines = [f"    {var} = d[{key!r}]"]
            if failed:
                lines += [f"    if {failed}:", "        raise Mismatch"]
            if expr != var:
                lines.append(f"    {var} = {expr}")
            return lines
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            raise _Unsupported(f"{f.name} has a default factory")
        default_code = _literal_code(default)
        if default is None and is_union(t) and type(None) in get_args(t):
            # Absent and null read the same: None.
            lines = [f"    {var} = d.get({key!r})"]
            if failed:
                lines += [f"    if {failed}:", "        raise Mismatch"]
            if expr != var:
                lines.append(f"    {var} = {expr}")
            return lines
        if get_origin(t) is Literal and any(
            default == o and type(default) is type(o) for o in get_args(t)
        ):
            # The default (a tag) passes the check: read it as if it had come.
            lines = [f"    {var} = d.get({key!r}, {default_code})"]
            if failed:
                lines += [f"    if {failed}:", "        raise Mismatch"]
            return lines
        lines = [f"    {var} = d.get({key!r}, _ABSENT)"]
        if failed:
            lines += [f"    if {var} is not _ABSENT and ({failed}):", "        raise Mismatch"]
        if expr != var:
            lines.append(f"    {var} = {default_code} if {var} is _ABSENT else {expr}")
        else:
            lines += [f"    if {var} is _ABSENT:", f"        {var} = {default_code}"]
        return lines

    def _inline(self, t: Any, v: str) -> tuple[list[str], str]:
        """Conditions under which ``v`` is refused, and the expression of its value."""
        if t is Any:
            return [], v
        if t in _PRIMITIVE_CHECKS:
            return [_PRIMITIVE_CHECKS[t].format(v=v)], v
        if t is type(None):
            return [f"{v} is not None"], "None"
        if get_origin(t) is Literal:
            return [self._literal_refusal(t, v)], v
        if attrs.has(t):
            if t not in self.classes:
                return [], f"_unsupported({v})"
            return [], f"structure_{t.__name__}({v})"
        if is_union(t):
            members = [m for m in get_args(t) if m is not UnsetType]
            if Any in members:
                return [], v
            if len(members) == 2 and type(None) in members:  # never discriminated
                member = next(m for m in members if m is not type(None))
                return self._inline_optional(member, v)
        return [], f"{self._helper(t)}({v})"

    def _literal_refusal(self, t: Any, v: str) -> str:
        """serialization._literal_hook: one of the values, of exactly its type."""
        options = get_args(t)
        if all(o is None or type(o) is bool for o in options):
            refusal = " and ".join(f"{v} is not {o!r}" for o in options)
            return refusal if len(options) == 1 else f"({refusal})"
        if any(type(o) not in (str, int, float, bool, type(None)) for o in options):
            raise _Unsupported(f"literal values {options!r}")
        # (type, value) pairs: equal *and* of the same type, without narrowing for mypy
        # (the value is passed on as the Literal the model expects). An unhashable value
        # raises TypeError, which refuses it as well.
        key = tuple((type(o), o) for o in options)
        table = self._literal_tables.get(key)
        if table is None:
            table = self._literal_tables[key] = f"_LITERAL_{len(self._literal_tables)}"
            pairs = ", ".join(
                f"({'type(None)' if o is None else type(o).__name__}, {o!r})" for o in options
            )
            self.constants.append(f"{table}: frozenset[tuple[type, Any]] = frozenset([{pairs}])\n")
        return f"(type({v}), {v}) not in {table}"

    def _inline_optional(self, member: Any, v: str) -> tuple[list[str], str]:
        """serialization._optional_hook: ``None``, or a value of the member's JSON kind."""
        kind = json_kind(member)
        accepted = ("float", "int") if kind == "float" else (kind,)
        conditions, expr = self._inline(member, v)
        subsumed = member in _PRIMITIVE_CHECKS or (
            kind in ("object", "array")
            and (attrs.has(member) or get_origin(member) in (list, dict))
        )
        if not subsumed:
            accepts = " or ".join(_KIND_TESTS[k].format(v=v) for k in accepted if k in _KIND_TESTS)
            conditions = [f"not ({accepts or 'False'})", *conditions]
        guarded = [f"({v} is not None and {c})" for c in conditions]
        if expr == v:
            return guarded, v
        return guarded, f"(None if {v} is None else {expr})"

    def _helper(self, t: Any) -> str:
        """The name of a structure function for ``t`` (written once)."""
        key = repr(t)
        name = self.helper_names.get(key)
        if name is None:
            name = self.helper_names[key] = f"_structure_{len(self.helper_names)}"
            self._write_helper(t, name)
        return name

    def _write_helper(self, t: Any, name: str) -> None:
        lines = [f"def {name}(v: Any) -> Any:", f'    """{_describe_type(t)}"""']
        try:
            lines += self._helper_body(t, name)
        except _Unsupported as exc:
            lines.append(f"    raise Mismatch  # not written ahead of time ({exc})")
        self.helpers.append([*lines, ""])

    def _helper_body(self, t: Any, name: str) -> list[str]:
        origin = get_origin(t)
        if origin is list:
            return self._list_body(t)
        if origin is dict:
            return self._dict_body(t)
        if is_union(t):
            return self._union_body(t, name)
        conditions, expr = self._inline(t, "v")
        return [*_refuse(conditions, "    "), f"    return {expr}"]

    def _list_body(self, t: Any) -> list[str]:
        """serialization._list_hook: a JSON array, each item structured."""
        lines = ["    if not isinstance(v, list):", "        raise Mismatch"]
        args = get_args(t)
        if not args or args[0] is Any:
            return [*lines, "    return list(v)"]
        if args[0] is str:
            # One pass in C instead of an isinstance call per item: str.join raises
            # TypeError at the first item that is not a str instance (subclasses pass,
            # as with isinstance), so exactly the lists the loop refuses are refused.
            # Its result (the items' total length) is dropped at once.
            return [
                *lines,
                "    try:",
                '        "".join(v)',
                "    except TypeError:",
                "        raise Mismatch from None",
                "    return list(v)",
            ]
        conditions, expr = self._inline(args[0], "i")
        if not conditions:
            return [*lines, f"    return [{expr} for i in v]"]
        lines += ["    for i in v:", *_refuse(conditions, "        ")]
        if expr == "i":
            return [*lines, "    return list(v)"]
        return [*lines, f"    return [{expr} for i in v]"]

    def _dict_body(self, t: Any) -> list[str]:
        """serialization._dict_hook: a JSON object, keys and values structured."""
        lines = ["    if not isinstance(v, dict):", "        raise Mismatch"]
        args = get_args(t)
        key_type, value_type = args if len(args) == 2 else (Any, Any)
        if key_type is Any and value_type is Any:
            return [*lines, "    return dict(v)"]
        key_conditions, key_expr = self._inline(key_type, "k")
        value_conditions, value_expr = self._inline(value_type, "i")
        conditions = value_conditions + key_conditions
        if value_conditions and key_conditions:
            lines += ["    for k, i in v.items():", *_refuse(conditions, "        ")]
        elif key_conditions:
            lines += ["    for k in v:", *_refuse(conditions, "        ")]
        elif value_conditions:
            lines += ["    for i in v.values():", *_refuse(conditions, "        ")]
        return [*lines, f"    return {{{key_expr}: {value_expr} for k, i in v.items()}}"]

    def _union_body(self, t: Any, name: str) -> list[str]:
        """serialization._union_hook: by the value's JSON kind, objects by their tag."""
        members = [m for m in get_args(t) if m is not UnsetType]
        if Any in members:
            return ["    return v"]
        objects = [m for m in members if json_kind(m) == "object"]
        by_kind: dict[str, Any] = {json_kind(m): m for m in members if json_kind(m) != "object"}
        if len(objects) == 1:
            by_kind["object"] = objects[0]
        if "float" in by_kind and "int" not in by_kind:
            by_kind["int"] = by_kind["float"]
        lines: list[str] = []
        for kind in _KIND_ORDER:
            if kind == "object" and len(objects) > 1:
                lines += ["    if isinstance(v, dict):", *self._discriminate(objects, name)]
                continue
            if kind not in by_kind:
                continue
            member = by_kind[kind]
            lines.append(f"    if {_KIND_TESTS[kind].format(v='v')}:")
            if member is type(None):
                lines.append("        return None")
                continue
            conditions, expr = self._inline(member, "v")
            if member in _PRIMITIVE_CHECKS:
                conditions = []  # the kind test above is the same test
            lines += [*_refuse(conditions, "        "), f"        return {expr}"]
        return [*lines, "    raise Mismatch"]

    def _discriminate(self, objects: list[Any], name: str) -> list[str]:
        """serialization._discriminator_hook: the member named by the ``type`` key."""
        try:
            tags, fallback = discriminator_tags(objects)
        except TypeError as exc:
            raise _Unsupported(str(exc)) from None
        for member in [*tags.values(), fallback]:
            if member is not None and member not in self.classes:
                raise _Unsupported(f"union member {member!r} is not a generated model")
        table = "_TAGS_" + name.removeprefix("_structure_").removeprefix("structure_")
        entries = "".join(f"    {tag!r}: structure_{m.__name__},\n" for tag, m in tags.items())
        self.constants.append(f"{table}: dict[Any, Callable[[Any], Any]] = {{\n{entries}}}\n")
        lines = [
            '        tag = v.get("type")',
            "        if not isinstance(tag, str):",
            "            raise Mismatch",
        ]
        if fallback is None:
            return [
                *lines,
                f"        function = {table}.get(tag)",
                "        if function is None:",
                "            raise Mismatch",
                "        return function(v)",
            ]
        return [
            *lines,
            f"        function = {table}.get(tag)",
            "        if function is None:",
            f"            return structure_{fallback.__name__}(v)",
            "        return function(v)",
        ]

    # ----------------------------------------------------------- unstructure

    def _unstructure_class(self, cl: type[Any]) -> list[str]:
        """serialization._attrs_unstructure_hook, as cattrs orders the keys."""
        name = cl.__name__
        hints = typing.get_type_hints(cl)
        head = [f"def unstructure_{name}(o: models.{name}) -> dict[str, Any]:"]
        always: list[str] = []
        omittable: list[str] = []
        extra = None
        try:
            for f in attrs.fields(cl):
                if _is_extra_field(f):
                    extra = f.name
                    continue
                value = f"o.{f.name}"
                t = hints[f.name]
                expr = value if _is_untyped(t) else self._unstructure_expr(t, value, 0)[0]
                key = _wire_key(f)
                if f.default is None or f.default is UNSET:
                    default = _literal_code(f.default)
                    omittable += [
                        f"    if {value} != {default}:"
                        + ("  # noqa: E711" if f.default is None else ""),
                        f"        res[{key!r}] = {expr}",
                    ]
                else:
                    always.append(f"        {key!r}: {expr},")
        except _Unsupported as exc:
            return [*head, f"    raise Mismatch  # not written ahead of time ({exc})", ""]
        lines = [*head, "    res: dict[str, Any] = {", *always, "    }", *omittable]
        if extra is not None:
            lines += [f"    for k, v in o.{extra}.items():", "        res.setdefault(k, v)"]
        return [*lines, "    return res", ""]

    def _unstructure_expr(self, t: Any, e: str, depth: int) -> tuple[str, bool]:
        """The expression of ``e`` unstructured as ``t``, and whether it is ``e`` itself."""
        if t in (str, int, float, bool, type(None)) or get_origin(t) is Literal:
            return e, True
        if t is Any:
            return f"unstructure_value({e})", False
        if isinstance(t, type) and attrs.has(t):
            if t not in self.classes:
                raise _Unsupported(f"{t!r} is not a generated model")
            return f"unstructure_{t.__name__}({e})", False
        if _is_optional(t):
            member = next(m for m in get_args(t) if m is not type(None))
            inner, identity = self._unstructure_expr(member, e, depth)
            return (e, True) if identity else (f"(None if {e} is None else {inner})", False)
        if is_union(t):
            return f"unstructure_value({e})", False
        origin = get_origin(t)
        args = get_args(t)
        item = f"i{depth}"
        if t is list or origin is list:
            inner, identity = (
                self._unstructure_expr(args[0], item, depth + 1)
                if args
                else (f"unstructure_value({item})", False)
            )
            return (f"list({e})", False) if identity else (f"[{inner} for {item} in {e}]", False)
        if t is dict or origin is dict:
            key = f"k{depth}"
            if len(args) == 2:
                key_expr, key_identity = self._unstructure_expr(args[0], key, depth + 1)
                value_expr, value_identity = self._unstructure_expr(args[1], item, depth + 1)
            else:
                key_expr, key_identity = f"unstructure_value({key})", False
                value_expr, value_identity = f"unstructure_value({item})", False
            if key_identity and value_identity:
                return f"dict({e})", False
            return f"{{{key_expr}: {value_expr} for {key}, {item} in {e}.items()}}", False
        raise _Unsupported(f"no ahead-of-time form for {t!r}")


def _refuse(conditions: list[str], indent: str) -> list[str]:
    if not conditions:
        return []
    return [f"{indent}if {' or '.join(conditions)}:", f"{indent}    raise Mismatch"]


def _literal_code(value: Any) -> str:
    if value is UNSET:
        return "UNSET"
    if value is None or type(value) in (str, int, float, bool):
        return repr(value)
    raise _Unsupported(f"default {value!r}")


def _describe_type(t: Any) -> str:
    text = repr(t).replace(f"{_SCRATCH_MODULE}.", "").replace("puter_client.core._unset.", "")
    return text.replace("typing.", "").replace('"', "'")
