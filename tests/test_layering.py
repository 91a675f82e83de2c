"""The layers of ``docs/architecture.md``, checked by reading every module's imports.

Imports run downward only:

- ``core`` imports only ``core`` and ``_generated`` (the session logs in through a
  generated endpoint; serialization runs the generated converters first);
- ``_generated`` imports only ``core`` (the HTTP layer, ``UNSET``, serialization);
- a service imports ``core``, ``_generated``, itself and the services its package names in
  ``BUILDS_ON``; only the facade and the CLI import across services otherwise;
- nothing but the CLI imports the CLI, and nothing but an integration imports the
  integrations (``puter_client.integrations``: fsspec, LangChain; they sit on the facade);
- the SDK never imports the emulator;
- the emulator never imports the SDK, except its pytest plugin, whose client fixtures
  build the SDK client (``EMULATOR_MODULES_USING_THE_SDK``);
- in the emulator, ``core`` imports no emulator service except where its state composes
  the services' stores (``EMULATOR_CORE_COMPOSES``), and an emulator service imports the
  emulator's core, itself and the emulator services its package names in ``BUILDS_ON``.

Imports under ``if TYPE_CHECKING:`` count as well: an annotation names a layer too.
A failure names the file, the line and the import.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SDK = ROOT / "puter_client"
FACADE = {"puter_client", "puter_client.ai", "puter_client._lazy"}

#: The emulator's shared state holds every store; the one place its core names a service.
EMULATOR_CORE_COMPOSES = {
    "puter_client.emulator.core.state": {
        "puter_client.emulator.services.apps.store",
        "puter_client.emulator.services.chat.catalog",
        "puter_client.emulator.services.fs.tree",
        "puter_client.emulator.services.hosting.store",
        "puter_client.emulator.services.kv.store",
    }
}


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imports(path: Path) -> Iterator[tuple[int, str]]:
    """``(line, module)`` of every absolute import of ``puter_client`` in the file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # ``from puter_client.cli import fs`` names a module
                candidate = f"{node.module}.{alias.name}"
                if _is_module(candidate):
                    yield node.lineno, candidate


def _is_module(name: str) -> bool:
    path = ROOT.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def service_of(module: str, prefix: str = "puter_client.services.") -> str | None:
    if not module.startswith(prefix):
        return None
    return module[len(prefix) :].split(".", 1)[0]


def declared_builds_on(service: str, services: Path = SDK / "services") -> set[str]:
    init = services / service / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign | ast.Assign):
            targets = [node.target] if isinstance(node, ast.AnnAssign) else node.targets
            if any(isinstance(t, ast.Name) and t.id == "BUILDS_ON" for t in targets):
                assert node.value is not None
                return set(ast.literal_eval(node.value))
    raise AssertionError(f"{init.relative_to(ROOT)} declares no BUILDS_ON")


def within(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def rule_broken(importer: str, imported: str) -> str | None:
    """Why ``importer`` may not import ``imported``, or ``None`` when it may."""
    if not within(imported, "puter_client"):
        return None
    emulator = within(importer, "puter_client.emulator")
    if not emulator and within(imported, "puter_client.emulator"):
        return "the SDK never imports the emulator"
    if within(imported, "puter_client.cli") and not within(importer, "puter_client.cli"):
        return "only the CLI imports the CLI"
    integration = "puter_client.integrations"
    if within(imported, integration) and not within(importer, integration):
        return "only the integrations import the integrations"
    if emulator:
        return _emulator_rule(importer, imported)
    lower = within(imported, "puter_client.core") or within(imported, "puter_client._generated")
    if within(importer, "puter_client.core"):
        if not lower:
            return "core imports only core and _generated"
    elif within(importer, "puter_client._generated"):
        if not lower:
            return "generated code imports only itself and core"
    elif (service := service_of(importer)) is not None:
        allowed = {service} | declared_builds_on(service)
        if within(imported, "puter_client.services"):
            target = service_of(imported)
            if target is not None and target not in allowed:
                return f"service {service!r} builds on {sorted(allowed - {service})} only"
        elif not (lower or imported == "puter_client.services"):
            return "a service imports core, _generated and the services it builds on"
    return None


#: The pytest plugin's client fixtures (``puter_ai``) build the SDK client a user's tests
#: talk to the emulator with: the one emulator module that names the SDK.
EMULATOR_MODULES_USING_THE_SDK = {
    "puter_client.emulator.pytest_plugin": {"puter_client.ai", "puter_client.core.ratelimit"},
}


def _emulator_rule(importer: str, imported: str) -> str | None:
    if imported in EMULATOR_MODULES_USING_THE_SDK.get(importer, set()):
        return None
    if not within(imported, "puter_client.emulator") and imported != "puter_client":
        return "the emulator imports only itself"  # it answers the SDK, never calls it
    if within(importer, "puter_client.emulator.core"):
        composes = EMULATOR_CORE_COMPOSES.get(importer, set())
        if within(imported, "puter_client.emulator.services") and imported not in composes:
            return "the emulator's core imports no emulator service"
    elif (service := service_of(importer, "puter_client.emulator.services.")) is not None:
        target = service_of(imported, "puter_client.emulator.services.")
        allowed = {service} | declared_builds_on(service, SDK / "emulator" / "services")
        if target is not None and target not in allowed:
            return f"emulator service {service!r} builds on {sorted(allowed - {service})} only"
        packages = ("puter_client.emulator.services", "puter_client.emulator")
        if (
            target is None
            and not within(imported, "puter_client.emulator.core")
            and imported not in packages
        ):
            return "an emulator service imports the emulator's core and itself only"
    return None


def broken_imports(root: Path = ROOT) -> list[str]:
    """One line per import that breaks a rule, naming the file, the line and the import."""
    found = []
    for path in sorted((root / "puter_client").rglob("*.py")):
        importer = module_name(path, root)
        for line, imported in imports(path):
            why = rule_broken(importer, imported)
            if why:
                found.append(f"{path.relative_to(root)}:{line}: imports {imported} ({why})")
    return found


def test_every_import_runs_downward() -> None:
    assert broken_imports() == []


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("puter_client.core.session", "puter_client.services.chat.chat"),
        ("puter_client.core.transport", "puter_client.ai"),
        ("puter_client.services.kv.kv", "puter_client.services.fs.fs"),
        ("puter_client.services.chat.chat", "puter_client.services.batch.batch"),
        ("puter_client.services.fs.fs", "puter_client.cli.main"),
        ("puter_client.ai", "puter_client.integrations.fsspec"),
        ("puter_client.ai", "puter_client.emulator"),
        ("puter_client._generated.endpoints", "puter_client.services.chat.chat"),
        ("puter_client.emulator.core.wire", "puter_client.emulator.services.fs.fs"),
        ("puter_client.emulator.services.kv.kv", "puter_client.emulator.services.fs.tree"),
        ("puter_client.emulator.services.kv.kv", "puter_client.core.session"),
    ],
)
def test_an_upward_import_is_refused(importer: str, imported: str) -> None:
    assert rule_broken(importer, imported) is not None


@pytest.mark.parametrize(
    ("importer", "imported"),
    [
        ("puter_client.services.batch.batch", "puter_client.services.chat.chat"),
        ("puter_client.services.kv.kv", "puter_client.core.session"),
        ("puter_client.services.fs.flows", "puter_client._generated.endpoints"),
        ("puter_client.cli.kv", "puter_client.services.kv.kv"),
        ("puter_client.ai", "puter_client.services.fs.fs"),
        ("puter_client.integrations.langchain", "puter_client.ai"),
        ("puter_client.emulator.core.state", "puter_client.emulator.services.kv.store"),
    ],
)
def test_a_downward_or_declared_import_is_allowed(importer: str, imported: str) -> None:
    assert rule_broken(importer, imported) is None


def test_a_failure_names_the_file_line_and_import(tmp_path: Path) -> None:
    core = tmp_path / "puter_client" / "core"
    core.mkdir(parents=True)
    (core / "flow.py").write_text("import os\n\nimport puter_client.services.kv.kv\n")
    assert broken_imports(tmp_path) == [
        "puter_client/core/flow.py:3: imports puter_client.services.kv.kv"
        " (core imports only core and _generated)"
    ]
