"""Loading the OpenAPI schema and reading what the endpoint generator needs from it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class SchemaError(ValueError):
    """The schema lacks something the generator needs."""


# libyaml's loader when PyYAML was built with it: the schema parses ten times faster.
_SafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def read_yaml(path: Path) -> Any:
    """``yaml.safe_load`` of a file, through libyaml when it is there."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_SafeLoader)


def load_schema(path: Path) -> dict[str, Any]:
    """The parsed schema document."""
    document = read_yaml(path)
    if not isinstance(document, dict) or "paths" not in document:
        raise SchemaError(f"{path}: not an OpenAPI document with paths")
    return document


def ref_name(schema: Any, where: str) -> str:
    """The component name of a ``{"$ref": "#/components/schemas/Name"}`` schema."""
    if not isinstance(schema, dict) or "$ref" not in schema:
        raise SchemaError(f"{where}: expected a $ref to a component schema")
    ref = str(schema["$ref"])
    prefix = "#/components/schemas/"
    if not ref.startswith(prefix):
        raise SchemaError(f"{where}: unsupported $ref {ref}")
    return ref[len(prefix) :]
