"""Splitting the generated models into one module per service (``x-puter-module``).

attrs compiles functions for every class at import, so one models module holding every
service's classes makes a chat script pay for the file system's. Each operation and driver
method of the schema names its module; a model goes to the one module whose operations
reach it (through ``$ref`` and, transitively, through the classes it names), to ``common``
when several do, and where its component's own ``x-puter-module`` says when none does.
A driver method's ``x-puter-stream-module`` names the module of what only its stream
lines reach (a plain call then does not load them). Modules therefore import from
``common`` only, and ``common`` from none of them.

The package ``models/__init__.py`` names every model for type checkers and imports a
module on the first use of one of its names, so ``models.ChatMessage`` loads only the
chat module (and ``common``).
"""

from __future__ import annotations

import ast
import keyword
from collections.abc import Iterator
from typing import Any

from codegen.schema import SchemaError

COMMON = "common"
REPR_MODULE = "_repr"
_REF_PREFIX = "#/components/schemas/"


def module_roots(schema: dict[str, Any]) -> dict[str, set[str]]:
    """Module name -> the component names its operations refer to."""
    roots: dict[str, set[str]] = {}
    for path, item in schema.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict):
                continue
            where = f"{method.upper()} {path}"
            driver_methods = operation.get("x-puter-driver-methods")
            if driver_methods:
                named = {
                    entry[key]
                    for entry in driver_methods
                    for key in ("request", "response", "stream-line")
                    if key in entry
                }
                # Besides the methods' own models (alternatives of its body and answer), the
                # endpoint's refs are what every method may meet: its error bodies.
                rest = {k: v for k, v in operation.items() if k != "x-puter-driver-methods"}
                shared = set(_refs(rest)) - named
                for entry in driver_methods:
                    method = f"{where} method {entry.get('name')}"
                    module = _module_name(entry, method)
                    own = {entry[key] for key in ("request", "response") if key in entry}
                    roots.setdefault(module, set()).update(own | shared)
                    if "stream-line" in entry:
                        stream_module = module
                        if "x-puter-stream-module" in entry:
                            stream_module = _module_name(entry, method, "x-puter-stream-module")
                        roots.setdefault(stream_module, set()).add(entry["stream-line"])
            else:
                module = _module_name(operation, where)
                roots.setdefault(module, set()).update(_refs(operation))
    return roots


def assign_modules(schema: dict[str, Any], models_source: str) -> dict[str, str]:
    """Top-level name of the models source (class or alias) -> its module."""
    definitions = _definitions(ast.parse(models_source))
    uses = {name: _names_used(node) & definitions.keys() for name, node in definitions.items()}
    reached_by: dict[str, set[str]] = {name: set() for name in definitions}
    for module, roots in module_roots(schema).items():
        for name in _closure(roots, uses, definitions):
            reached_by[name].add(module)
    components = schema.get("components", {}).get("schemas", {})
    assignment: dict[str, str] = {}
    for name in definitions:
        modules = reached_by[name]
        if len(modules) == 1:
            assignment[name] = modules.pop()
        elif not modules and "x-puter-module" in components.get(name, {}):
            assignment[name] = _module_name(components[name], f"component {name}")
        else:
            assignment[name] = COMMON
    return _settle(assignment, uses)


def _settle(assignment: dict[str, str], uses: dict[str, set[str]]) -> dict[str, str]:
    """Move to ``common`` what a model of another module (or of ``common``) names."""
    changed = True
    while changed:
        changed = False
        for name, used in uses.items():
            for other in used:
                if assignment[other] not in (assignment[name], COMMON):
                    assignment[other] = COMMON
                    changed = True
    return assignment


def split_models(models_source: str, assignment: dict[str, str], docstring: str) -> dict[str, str]:
    """File name (relative to the package) -> source, for the package and each module."""
    tree = ast.parse(models_source)
    lines = models_source.splitlines(keepends=True)
    header: list[str] = []
    repr_helper: list[str] = []
    bodies: dict[str, list[str]] = {}
    definitions = _definitions(tree)
    for node in tree.body:
        start = min([node.lineno, *(d.lineno for d in getattr(node, "decorator_list", []))])
        text = "".join(lines[start - 1 : node.end_lineno])
        name = _defined_name(node)
        if isinstance(node, ast.Import | ast.ImportFrom):
            header.append(text)
        elif name in definitions:
            bodies.setdefault(assignment[name], []).append(text)
        elif not (isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)):
            repr_helper.append(text)  # the module docstring aside, only the repr helper
    imports = "".join(line for line in header if "__future__" not in line)
    files = {
        f"{REPR_MODULE}.py": _module(
            '"""What the ``__repr__`` of every model calls."""\n', imports, "\n\n".join(repr_helper)
        )
    }
    for module, texts in sorted(bodies.items()):
        defined = {name for name, where in assignment.items() if where == module}
        body = "\n\n".join(texts)
        named = sorted(name for name in _names_in_source(body) - defined if name in assignment)
        if any(assignment[name] != COMMON for name in named):  # _settle rules this out
            raise RuntimeError(f"models module {module} names models of another: {named}")
        extra = f"from .{REPR_MODULE} import _repr\n"
        if named:
            extra += f"from .{COMMON} import {', '.join(named)}\n"
        files[f"{module}.py"] = _module(
            f'"""The models of ``{module}`` (see the package\'s docstring)."""\n',
            imports + extra,
            body,
        )
    files["__init__.py"] = _package(assignment, docstring)
    return files


def _module(docstring: str, imports: str, body: str) -> str:
    return f"{docstring}\nfrom __future__ import annotations\n\n{imports}\n\n{body}"


def _package(assignment: dict[str, str], docstring: str) -> str:
    by_module: dict[str, list[str]] = {}
    for name, module in sorted(assignment.items()):
        by_module.setdefault(module, []).append(name)
    imports = "".join(
        f"    from .{module} import {', '.join(f'{n} as {n}' for n in names)}\n"
        for module, names in sorted(by_module.items())
    )
    table = "".join(f"    {name!r}: {module!r},\n" for name, module in sorted(assignment.items()))
    names = "".join(f"    {name!r},\n" for name in sorted(assignment))
    return f'''{docstring}
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
{imports}
__all__ = [
{names}]

MODULE_OF: dict[str, str] = {{
{table}}}
"""Model or alias name -> the module of this package that defines it."""


def __getattr__(name: str) -> Any:
    """A model, imported with its module on first use."""
    module = MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {{__name__!r}} has no attribute {{name!r}}")
    value = getattr(importlib.import_module(f"{{__name__}}.{{module}}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({{*globals(), *__all__}})
'''


# ------------------------------------------------------------------ reading sources


def _module_name(entry: dict[str, Any], where: str, key: str = "x-puter-module") -> str:
    module = entry.get(key)
    if (
        not isinstance(module, str)
        or not module.isidentifier()
        or keyword.iskeyword(module)
        or module.startswith("_")
    ):
        raise SchemaError(f"{where}: {key} must name a module (e.g. chat), not {module!r}")
    return module


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith(_REF_PREFIX):
            yield ref[len(_REF_PREFIX) :]
        for value in node.values():
            yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def _defined_name(node: ast.stmt) -> str | None:
    if isinstance(node, ast.ClassDef):
        return node.name
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id
    if isinstance(node, ast.Assign) and len(node.targets) == 1:
        target = node.targets[0]
        return target.id if isinstance(target, ast.Name) else None
    return None


def _definitions(tree: ast.Module) -> dict[str, ast.stmt]:
    """The models' classes and public aliases (the repr helper is not one)."""
    found = {}
    for node in tree.body:
        name = _defined_name(node)
        if name is not None and not name.startswith("_"):
            found[name] = node
    return found


def _names_used(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _names_in_source(source: str) -> set[str]:
    return _names_used(ast.parse(source))


def _closure(roots: set[str], uses: dict[str, set[str]], definitions: dict[str, Any]) -> set[str]:
    missing = sorted(roots - definitions.keys())
    if missing:
        raise SchemaError(f"operations refer to components the models lack: {missing}")
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(uses[name])
    return seen
