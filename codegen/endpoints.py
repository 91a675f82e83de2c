"""Endpoint stubs: one pure request builder and response parser per operation.

Every path operation of the schema becomes an ``Operation`` constant, a
``build_<name>`` function (model in, ``httpx.Request`` out) and a ``parse_<name>``
function (``httpx.Response`` in, model out, or a typed error). The driver endpoint
``/drivers/call`` lists its methods under ``x-puter-driver-methods``; each becomes its own
typed pair, plus ``parse_<name>_line`` for methods that stream NDJSON lines.

What an operation may declare:
- ``parameters`` ``in: query`` (``GET /read?file=...``) and ``in: header`` (``Range``):
  keyword arguments of the builder, required or defaulting to None (then not sent);
- a request body that is ``application/json`` (a model) or ``multipart/form-data`` (sent
  as a streamed ``MultipartBody``; its schema documents the parts);
- a success answer that is ``application/json`` (a model, or ``type: array`` of one) or
  bytes (``application/octet-stream``): the parser of a byte answer raises the typed error
  of a failure and otherwise hands back the response, whose body the caller has read or
  streamed into a sink already.
"""

from __future__ import annotations

import keyword
import re
from pathlib import Path
from typing import Any

import attrs
import jinja2

from codegen.schema import SchemaError, ref_name

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "endpoints"
HTTP_METHODS = ("get", "post", "put", "patch", "delete")
RETRY_CLASSES = ("idempotent", "unsafe", "login")
JSON = "application/json"
MULTIPART = "multipart/form-data"
BYTES = "application/octet-stream"
PARAMETER_PLACES = ("query", "header")


@attrs.frozen
class Parameter:
    """One query or header parameter of an operation, as a builder argument."""

    wire_name: str
    python_name: str
    place: str
    required: bool
    description: str


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
    response_model: str | None
    statuses: tuple[int, ...]
    envelope: bool = False
    driver_method: str | None = None
    stream_line_model: str | None = None
    request_kind: str = "json"
    response_is_list: bool = False
    parameters: tuple[Parameter, ...] = ()

    @property
    def response_type(self) -> str:
        """The parser's return annotation: a model, a list of one, or the read response."""
        if self.response_model is None:
            return "httpx.Response"
        model = f"models.{self.response_model}"
        return f"list[{model}]" if self.response_is_list else model

    @property
    def query(self) -> tuple[Parameter, ...]:
        """The query parameters."""
        return tuple(p for p in self.parameters if p.place == "query")

    @property
    def header_parameters(self) -> tuple[Parameter, ...]:
        """The header parameters."""
        return tuple(p for p in self.parameters if p.place == "header")


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
    request_kind = "json"
    if "requestBody" in op:
        content = op["requestBody"]["content"]
        if MULTIPART in content:
            request_kind = "multipart"
        elif JSON in content:
            request_model = ref_name(content[JSON]["schema"], f"{where} requestBody")
        else:
            raise SchemaError(f"{where}: a request body must be {JSON} or {MULTIPART}")
    response_model, is_list, statuses = _success_response(op, where)
    return [
        Stub(
            name=op["operationId"],
            summary=op.get("summary", ""),
            retry=_retry_class(op, where),
            rate_limit=str(op.get("x-puter-rate-limit", "ai")),
            request_model=request_model,
            response_model=response_model,
            statuses=statuses,
            request_kind=request_kind,
            response_is_list=is_list,
            parameters=_parameters(op, where),
            **common,
        )
    ]


def _parameters(op: dict[str, Any], where: str) -> tuple[Parameter, ...]:
    """The query and header parameters, required ones first (both in schema order)."""
    parameters = []
    for raw in op.get("parameters", ()):
        place = raw.get("in")
        if place not in PARAMETER_PLACES:
            raise SchemaError(f"{where}: parameter {raw.get('name')!r} must be in query or header")
        if raw.get("schema", {}).get("type") != "string":
            raise SchemaError(f"{where}: parameter {raw['name']!r} must be a string")
        wire_name = str(raw["name"])
        python_name = re.sub(r"\W|^(?=\d)", "_", wire_name).lower()
        if keyword.iskeyword(python_name) or python_name in _RESERVED_ARGUMENTS:
            python_name += "_"
        parameters.append(
            Parameter(
                wire_name=wire_name,
                python_name=python_name,
                place=place,
                required=bool(raw.get("required", False)),
                description=str(raw.get("description", "")),
            )
        )
    return tuple(sorted(parameters, key=lambda p: not p.required))


_RESERVED_ARGUMENTS = frozenset({"body", "content", "base_url", "token", "headers"})


def _retry_class(op: dict[str, Any], where: str) -> str:
    """The operation's ``x-puter-retry`` (default ``idempotent``), as a ``RetryClass`` name."""
    retry = op.get("x-puter-retry", "idempotent")
    if retry not in RETRY_CLASSES:
        raise SchemaError(f"{where}: x-puter-retry must be one of {', '.join(RETRY_CLASSES)}")
    return str(retry).upper()


def _success_response(op: dict[str, Any], where: str) -> tuple[str | None, bool, tuple[int, ...]]:
    """The success model (None for bytes), whether it is a list of it, the statuses."""
    shapes: set[tuple[str | None, bool]] = set()
    statuses: list[int] = []
    for status, response in op.get("responses", {}).items():
        if not str(status).startswith("2"):
            continue
        content = response["content"]
        if JSON in content:
            schema = content[JSON]["schema"]
            is_list = isinstance(schema, dict) and schema.get("type") == "array"
            item = schema["items"] if is_list else schema
            shapes.add((ref_name(item, f"{where} response {status}"), is_list))
        elif BYTES in content:
            shapes.add((None, False))
        else:
            raise SchemaError(f"{where} response {status}: must be {JSON} or {BYTES}")
        statuses.append(int(status))
    if len(shapes) != 1:
        found = sorted(str(shape) for shape in shapes)
        raise SchemaError(f"{where}: expected one kind of success answer, found {found}")
    model, is_list = shapes.pop()
    return model, is_list, tuple(statuses)
