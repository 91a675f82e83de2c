"""Generate every file of ``puter_client/_generated/`` in memory, then write or compare."""

from __future__ import annotations

from pathlib import Path

from codegen.converters import render_converters
from codegen.endpoints import render_endpoints
from codegen.formatting import finish_all
from codegen.models import MODULE_DOCSTRING, render_models
from codegen.modules import assign_modules, split_models
from codegen.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = ROOT / "schema" / "puter.openapi.yaml"
DEFAULT_OUTPUT_DIR = ROOT / "puter_client" / "_generated"

INIT_SOURCE = '"""Generated from the OpenAPI schema: attrs models and endpoint stubs."""\n'


def generate(schema_path: Path) -> dict[str, str]:
    """File name -> source of every generated file, deterministic for a given schema.

    Remembered for the process by the schema's text and name: generating the same schema
    again (the drift checks of a test run do, many times) costs nothing.
    """
    key = (schema_path.read_bytes(), _display_name(schema_path))
    if key not in _GENERATED:
        _GENERATED[key] = _generate(schema_path, key[1])
    return dict(_GENERATED[key])


_GENERATED: dict[tuple[bytes, str], dict[str, str]] = {}


def _generate(schema_path: Path, source_name: str) -> dict[str, str]:
    schema = load_schema(schema_path)
    models = render_models(schema_path)
    packaged = split_models(models, assign_modules(schema, models), MODULE_DOCSTRING)
    sources = {
        "__init__.py": INIT_SOURCE,
        "converters.py": render_converters(models),
        "endpoints.py": render_endpoints(schema),
    }
    for name, source in packaged.items():
        sources[f"models/{name}"] = source
    return finish_all(sources, source_name)


def write(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Write the files that changed and delete stale ones; return the paths written."""
    written = []
    for path, source in _changed(files, out_dir):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
        written.append(path)
    for stale in _unexpected(files, out_dir):
        stale.unlink()
    return written


def drifted_files(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Paths whose content differs from ``files`` (or that are missing or unexpected)."""
    return [path for path, _ in _changed(files, out_dir)] + _unexpected(files, out_dir)


def _changed(files: dict[str, str], out_dir: Path) -> list[tuple[Path, str]]:
    """The files (path, expected source) that are missing or differ, by name."""
    changed = []
    for name, source in sorted(files.items()):
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != source:
            changed.append((path, source))
    return changed


def _unexpected(files: dict[str, str], out_dir: Path) -> list[Path]:
    """The Python files (any depth) of the generated directory that ``files`` lacks, sorted."""
    if not out_dir.exists():
        return []
    return [
        p for p in sorted(out_dir.rglob("*.py")) if p.relative_to(out_dir).as_posix() not in files
    ]


def _display_name(schema_path: Path) -> str:
    try:
        return schema_path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return schema_path.name
