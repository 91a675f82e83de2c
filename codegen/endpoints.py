"""Endpoint stubs: one pure request builder and response parser per operation.

Every path operation of the schema becomes an ``Operation`` constant, a
``build_<name>`` function (model in, ``httpx.Request`` out) and a ``parse_<name>``
function (``httpx.Response`` in, model out, or a typed error). The driver endpoint
``/drivers/call`` lists its methods under ``x-puter-driver-methods``; each becomes its own
typed pair, plus ``parse_<name>_line`` for methods that stream NDJSON lines.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import jinja2

from codegen.schema import SchemaError, ref_name

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "endpoints"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
RETRY_CLASSES = ("idempotent", "unsafe", "login")


@attrs.frozen
class Stub:
    """What the template needs to write one operation's builder and parser."""

    name: str
    summary: str
    http_method: str
    path: str
    host: str
    auth: bool
    retry: str
    rate_limit: str
    request_model: str | None
    response_model: str
    statuses: tuple[int, ...]
    envelope: bool = False
    driver_method: str | None = None
    stream_line_model: str | None = None


def collect_stubs(schema: dict[str, Any]) -> list[Stub]:
    """All stubs of the schema, in path order."""
    stubs: list[Stub] = []
    for path, item in schema["paths"].items():
        for http_method in HTTP_METHODS:
            if http_method in item:
                stubs += _operation_stubs(path, http_method, item[http_method])
    names = [s.name for s in stubs]
    if len(set(names)) != len(names):
        raise SchemaError(f"duplicate operation names: {names}")
    return stubs


def render_endpoints(schema: dict[str, Any]) -> str:
    """The source of ``endpoints.py``."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    return env.get_template("endpoints.py.jinja2").render(stubs=collect_stubs(schema))


def _operation_stubs(path: str, http_method: str, op: dict[str, Any]) -> list[Stub]:
    where = f"{http_method.upper()} {path}"
    host = op.get("x-puter-host")
    if host not in ("web", "api"):
        raise SchemaError(f"{where}: x-puter-host must be 'web' or 'api'")
    common = {
        "http_method": http_method.upper(),
        "path": path,
        "host": host,
        "auth": bool(op.get("x-puter-auth", False)),
    }
    driver_methods = op.get("x-puter-driver-methods")
    if driver_methods:
        return [
            Stub(
                name=m["name"],
                summary=m.get("summary", ""),
                retry=_retry_class(m, f"{where} driver method {m.get('name')}"),
                rate_limit=str(m.get("x-puter-rate-limit", op.get("x-puter-rate-limit", "ai"))),
                request_model=m["request"],
                response_model=m["response"],
                statuses=(200,),
                envelope=True,
                driver_method=m["method"],
                stream_line_model=m.get("stream-line"),
                **common,
            )
            for m in driver_methods
        ]
    if "operationId" not in op:
        raise SchemaError(f"{where}: operationId is required")
    request_model = None
    if "requestBody" in op:
        content = op["requestBody"]["content"]["application/json"]
        request_model = ref_name(content["schema"], f"{where} requestBody")
    response_model, statuses = _success_response(op, where)
    return [
        Stub(
            name=op["operationId"],
            summary=op.get("summary", ""),
            retry=_retry_class(op, where),
            rate_limit=str(op.get("x-puter-rate-limit", "ai")),
            request_model=request_model,
            response_model=response_model,
            statuses=statuses,
            **common,
        )
    ]


def _retry_class(op: dict[str, Any], where: str) -> str:
    """The operation's ``x-puter-retry`` (default ``idempotent``), as a ``RetryClass`` name."""
    retry = op.get("x-puter-retry", "idempotent")
    if retry not in RETRY_CLASSES:
        raise SchemaError(f"{where}: x-puter-retry must be one of {', '.join(RETRY_CLASSES)}")
    return str(retry).upper()


def _success_response(op: dict[str, Any], where: str) -> tuple[str, tuple[int, ...]]:
    models: set[str] = set()
    statuses: list[int] = []
    for status, response in op.get("responses", {}).items():
        if str(status).startswith("2"):
            schema = response["content"]["application/json"]["schema"]
            models.add(ref_name(schema, f"{where} response {status}"))
            statuses.append(int(status))
    if len(models) != 1:
        raise SchemaError(f"{where}: expected one success model, found {sorted(models)}")
    return models.pop(), tuple(statuses)
