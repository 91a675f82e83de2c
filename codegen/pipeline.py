"""Generate every file of ``puter_client/_generated/`` in memory, then write or compare."""

from __future__ import annotations

from pathlib import Path

from codegen.converters import render_converters
from codegen.endpoints import render_endpoints
from codegen.formatting import finish
from codegen.models import render_models
from codegen.schema import load_schema

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = ROOT / "schema" / "puter.openapi.yaml"
DEFAULT_OUTPUT_DIR = ROOT / "puter_client" / "_generated"

INIT_SOURCE = '"""Generated from the OpenAPI schema: attrs models and endpoint stubs."""\n'


def generate(schema_path: Path) -> dict[str, str]:
    """File name -> source of every generated file, deterministic for a given schema."""
    schema = load_schema(schema_path)
    source_name = _display_name(schema_path)
    models = finish(render_models(schema_path), "models.py", source_name)
    return {
        "__init__.py": finish(INIT_SOURCE, "__init__.py", source_name),
        "models.py": models,
        "converters.py": finish(render_converters(models), "converters.py", source_name),
        "endpoints.py": finish(render_endpoints(schema), "endpoints.py", source_name),
    }


def write(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Write the files that changed; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, source in sorted(files.items()):
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != source:
            path.write_text(source, encoding="utf-8")
            written.append(path)
    return written


def drifted_files(files: dict[str, str], out_dir: Path) -> list[Path]:
    """Paths whose content differs from ``files`` (or that are missing or unexpected)."""
    drifted = []
    for name, source in sorted(files.items()):
        path = out_dir / name
        if not path.exists() or path.read_text(encoding="utf-8") != source:
            drifted.append(path)
    if out_dir.exists():
        expected = set(files)
        drifted += sorted(p for p in out_dir.glob("*.py") if p.name not in expected)
    return drifted


def _display_name(schema_path: Path) -> str:
    try:
        return schema_path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        return schema_path.name
