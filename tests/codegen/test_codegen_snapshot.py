"""The generator's output for a small fixture schema, against a committed snapshot.

``fixtures/mini.openapi.yaml`` uses each generator rule once: a required field, an optional
one, an optional and nullable one, a camelCase wire key, ``additionalProperties`` false and
true, an enum, a ``const``-tagged union with a catch-all member, an operation on each host
with and without ``x-puter-auth``, one ``x-puter-driver-methods`` entry with a stream line, a
byte answer with a required query and an optional header parameter, and a multipart body
answered with a JSON array.
Its expected output is committed under ``fixtures/expected/``.

After an intended change of the generator, refresh the snapshot and review the diff::

    UPDATE_CODEGEN_SNAPSHOT=1 .venv/bin/python -m pytest tests/codegen/test_codegen_snapshot.py
    git diff tests/codegen/fixtures/expected/

Besides the byte-for-byte comparison, the tests below import the snapshot and check the
rules one by one, so that a snapshot refreshed by mistake still gets caught.
"""

from __future__ import annotations

import difflib
import importlib.util
import inspect
import os
import re
import sys
import types
import typing
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import attrs
import pytest

from codegen.formatting import header
from codegen.pipeline import DEFAULT_OUTPUT_DIR, generate
from puter_client.core._unset import UNSET, UnsetType
from puter_client.core.http.operation import Operation, RetryClass
from puter_client.core.serialization import ModelValidationError, structure, unstructure

FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_SCHEMA = FIXTURES / "mini.openapi.yaml"
EXPECTED_DIR = FIXTURES / "expected"
FIXTURE_HEADER = header("tests/codegen/fixtures/mini.openapi.yaml")


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    """The generator's output for the fixture schema (one run for the whole module)."""
    return generate(FIXTURE_SCHEMA)


@pytest.fixture(scope="module")
def fixture_models() -> types.ModuleType:
    """The committed snapshot's models package, imported as a package of its own."""
    return load_module("codegen_fixture_models", EXPECTED_DIR / "models" / "__init__.py")


@pytest.fixture(scope="module")
def fixture_endpoints() -> types.ModuleType:
    """The committed snapshot's endpoints.py (its annotations are never evaluated)."""
    return load_module("codegen_fixture_endpoints", EXPECTED_DIR / "endpoints.py")


def load_module(name: str, path: Path) -> types.ModuleType:
    """The file at ``path`` as module ``name`` (a package, with its modules, for __init__.py)."""
    package = [str(path.parent)] if path.name == "__init__.py" else None
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=package)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # typing.get_type_hints resolves names through it
    spec.loader.exec_module(module)
    return module


def field(cls: type[Any], name: str) -> attrs.Attribute[Any]:
    return attrs.fields_dict(cls)[name]


def hint(cls: type[Any], name: str) -> Any:
    return typing.get_type_hints(cls)[name]


# ----------------------------------------------------------------- the snapshot


def test_output_matches_the_committed_snapshot(generated: dict[str, str]) -> None:
    if os.environ.get("UPDATE_CODEGEN_SNAPSHOT"):
        for stale in EXPECTED_DIR.rglob("*.py"):
            stale.unlink()
        for name, source in generated.items():
            (EXPECTED_DIR / name).parent.mkdir(parents=True, exist_ok=True)
            (EXPECTED_DIR / name).write_text(source, encoding="utf-8")
    expected = {
        p.relative_to(EXPECTED_DIR).as_posix(): p.read_text(encoding="utf-8")
        for p in EXPECTED_DIR.rglob("*.py")
    }
    assert sorted(generated) == sorted(expected)
    for name, source in generated.items():
        diff = "".join(
            difflib.unified_diff(
                expected[name].splitlines(keepends=True),
                source.splitlines(keepends=True),
                f"expected/{name}",
                f"generated/{name}",
            )
        )
        assert not diff, f"{name} differs from the snapshot:\n{diff}"


def test_generation_is_deterministic(generated: dict[str, str]) -> None:
    again = generate(FIXTURE_SCHEMA)
    assert {n: s.encode() for n, s in again.items()} == {
        n: s.encode() for n, s in generated.items()
    }


def test_the_output_holds_no_timestamp(generated: dict[str, str]) -> None:
    for name, source in generated.items():
        assert not re.search(r"\d{4}-\d{2}-\d{2}|\d{2}:\d{2}:\d{2}|timestamp", source), name


def test_each_generated_file_starts_with_the_one_line_header(generated: dict[str, str]) -> None:
    for name, source in generated.items():
        first, second = source.splitlines()[:2]
        assert first + "\n" == FIXTURE_HEADER, name
        assert not second.startswith("#"), f"{name}: a second header line: {second}"


def test_each_committed_generated_file_starts_with_the_one_line_header() -> None:
    committed = sorted(DEFAULT_OUTPUT_DIR.rglob("*.py"))
    assert [p.relative_to(DEFAULT_OUTPUT_DIR).as_posix() for p in committed] == [
        "__init__.py",
        "converters.py",
        "endpoints.py",
        "models/__init__.py",
        "models/_repr.py",
        "models/account.py",
        "models/apps.py",
        "models/catalog.py",
        "models/chat.py",
        "models/chat_stream.py",
        "models/common.py",
        "models/drivers.py",
        "models/fs.py",
        "models/hosting.py",
        "models/kv.py",
        "models/media.py",
        "models/session.py",
        "models/workers.py",
    ]
    for path in committed:
        first, second = path.read_text(encoding="utf-8").splitlines()[:2]
        assert first + "\n" == header("schema/puter.openapi.yaml"), path.name
        assert not second.startswith("#"), path.name


def test_the_header_says_not_to_edit_and_how_to_regenerate() -> None:
    assert "do not edit" in FIXTURE_HEADER
    assert "make generate" in FIXTURE_HEADER
    assert FIXTURE_HEADER.count("\n") == 1


# ------------------------------------------------------------- the model rules


def test_a_required_field_has_no_default(fixture_models: types.ModuleType) -> None:
    assert field(fixture_models.Greeting, "text").default is attrs.NOTHING
    assert hint(fixture_models.Greeting, "text") is str


def test_an_optional_field_defaults_to_none(fixture_models: types.ModuleType) -> None:
    assert field(fixture_models.Greeting, "mood").default is None
    assert hint(fixture_models.Greeting, "mood") == str | None


def test_an_optional_nullable_field_defaults_to_unset(fixture_models: types.ModuleType) -> None:
    assert field(fixture_models.Greeting, "reply_to").default is UNSET
    assert hint(fixture_models.Greeting, "reply_to") == str | None | UnsetType


def test_a_camel_case_key_becomes_a_snake_case_attribute_with_its_wire_key(
    fixture_models: types.ModuleType,
) -> None:
    assert field(fixture_models.Greeting, "reply_to").metadata["json"] == "replyTo"


def test_additional_properties_false_forbids_unknown_keys(fixture_models: types.ModuleType) -> None:
    assert fixture_models.Greeting.__json_extra__ == "forbid"
    assert "additional_properties" not in attrs.fields_dict(fixture_models.Greeting)


def test_additional_properties_true_keeps_unknown_keys(fixture_models: types.ModuleType) -> None:
    assert fixture_models.Receipt.__json_extra__ == "keep"
    assert field(fixture_models.Receipt, "additional_properties").metadata == {"json_extra": True}


def test_unspecified_additional_properties_ignores_unknown_keys(
    fixture_models: types.ModuleType,
) -> None:
    assert not hasattr(fixture_models.Circle, "__json_extra__")
    assert "additional_properties" not in attrs.fields_dict(fixture_models.Circle)


def test_an_enum_becomes_a_literal_alias(fixture_models: types.ModuleType) -> None:
    assert fixture_models.Color == Literal["red", "green"]


def test_a_const_tag_is_a_literal_with_its_value_as_default(
    fixture_models: types.ModuleType,
) -> None:
    assert hint(fixture_models.Circle, "type") == Literal["circle"]
    assert field(fixture_models.Circle, "type").default == "circle"


def test_the_union_alias_includes_the_catch_all(fixture_models: types.ModuleType) -> None:
    assert get_args(fixture_models.Shape) == (
        fixture_models.Circle,
        fixture_models.Square,
        fixture_models.UnknownShape,
    )
    assert hint(fixture_models.UnknownShape, "type") is str


def test_models_are_keyword_only(fixture_models: types.ModuleType) -> None:
    with pytest.raises(TypeError):
        fixture_models.Receipt(True)


def test_the_fixture_models_work_with_the_converter(fixture_models: types.ModuleType) -> None:
    data = {"text": "hi", "replyTo": None, "color": "red"}
    greeting = structure(data, fixture_models.Greeting)
    assert greeting.reply_to is None
    assert unstructure(greeting) == data
    with pytest.raises(ModelValidationError):
        structure({"text": "hi", "extra": 1}, fixture_models.Greeting)
    shapes: Any = fixture_models.Shape
    assert structure({"type": "hexagon", "n": 6}, shapes) == fixture_models.UnknownShape(
        type="hexagon", additional_properties={"n": 6}
    )


# ---------------------------------------------------------- the endpoint rules


def test_each_operation_gets_a_constant_with_host_auth_driver_method_and_retry_class(
    fixture_endpoints: types.ModuleType,
) -> None:
    constants = {name: getattr(fixture_endpoints, name) for name in ("GREET", "ME", "DRAW")}
    assert constants == {
        "GREET": Operation(
            name="greet",
            method="POST",
            path="/greet",
            host="web",
            auth=False,
            driver_method=None,
            retry=RetryClass.LOGIN,
        ),
        "ME": Operation(
            name="me", method="GET", path="/me", host="api", auth=True, driver_method=None
        ),
        "DRAW": Operation(
            name="draw",
            method="POST",
            path="/drivers/call",
            host="api",
            auth=True,
            driver_method="draw",
        ),
    }


def test_only_an_auth_operation_builder_takes_a_token(fixture_endpoints: types.ModuleType) -> None:
    assert "token" not in inspect.signature(fixture_endpoints.build_greet).parameters
    assert "token" in inspect.signature(fixture_endpoints.build_me).parameters
    assert "token" in inspect.signature(fixture_endpoints.build_draw).parameters


def test_a_request_body_is_the_first_positional_parameter(
    fixture_endpoints: types.ModuleType,
) -> None:
    greet = list(inspect.signature(fixture_endpoints.build_greet).parameters.values())
    assert (greet[0].name, greet[0].kind) == ("body", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    me = inspect.signature(fixture_endpoints.build_me).parameters.values()
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in me)


def test_every_success_status_is_accepted(fixture_endpoints: types.ModuleType) -> None:
    assert "statuses=(200, 202)" in inspect.getsource(fixture_endpoints.parse_greet)


def test_a_driver_method_reads_an_envelope_and_its_stream_lines(
    fixture_endpoints: types.ModuleType,
) -> None:
    assert "envelope=True" in inspect.getsource(fixture_endpoints.parse_draw)
    assert "envelope=False" in inspect.getsource(fixture_endpoints.parse_me)
    assert callable(fixture_endpoints.parse_draw_line)
    assert not hasattr(fixture_endpoints, "parse_me_line")


def test_no_stub_is_generated_for_the_driver_endpoint_itself(
    fixture_endpoints: types.ModuleType,
) -> None:
    assert not hasattr(fixture_endpoints, "build_driver_call")


def test_models_are_typed_with_builtin_generics(fixture_models: types.ModuleType) -> None:
    assert get_origin(hint(fixture_models.DrawCall, "shapes")) is list


def test_query_and_header_parameters_are_keyword_arguments_required_ones_first(
    fixture_endpoints: types.ModuleType,
) -> None:
    parameters = inspect.signature(fixture_endpoints.build_fetch_file).parameters
    assert list(parameters) == ["name", "base_url", "token", "x_part", "headers"]
    assert parameters["name"].default is inspect.Parameter.empty
    assert parameters["x_part"].default is None


def test_a_query_parameter_goes_in_the_url_and_a_header_parameter_only_when_given(
    fixture_endpoints: types.ModuleType,
) -> None:
    plain = fixture_endpoints.build_fetch_file(name="a b", base_url="https://api.x", token="t")
    assert str(plain.url) == "https://api.x/files?name=a+b"
    assert "x-part" not in plain.headers
    ranged = fixture_endpoints.build_fetch_file(
        name="a", base_url="https://api.x", token="t", x_part="2"
    )
    assert ranged.headers["X-Part"] == "2"


def test_a_byte_answer_is_handed_back_for_each_success_status_and_raises_otherwise(
    fixture_endpoints: types.ModuleType,
) -> None:
    import httpx

    from puter_client.core.exceptions import PuterNotFoundError

    request = httpx.Request("GET", "https://api.x/files")
    for status in (200, 206):
        response = httpx.Response(
            status, content=b"\x00\x01", headers={"content-type": "application/octet-stream"},
            request=request,
        )  # fmt: skip
        assert fixture_endpoints.parse_fetch_file(response) is response
    missing = httpx.Response(404, json={"message": "gone", "code": "x"}, request=request)
    with pytest.raises(PuterNotFoundError):
        fixture_endpoints.parse_fetch_file(missing)


def test_a_multipart_body_is_the_first_parameter_and_its_answer_a_list(
    fixture_endpoints: types.ModuleType,
) -> None:
    from puter_client.core.http.multipart import MultipartBody

    upload = list(inspect.signature(fixture_endpoints.build_upload).parameters.values())
    assert upload[0].name == "content"
    body = MultipartBody([("field", "value")], [])
    request = fixture_endpoints.build_upload(body, base_url="https://api.x", token="t")
    assert request.headers["content-type"] == body.content_type
    assert request.headers["content-length"] == str(body.length)
    assert "list[models.Receipt]" in inspect.getsource(fixture_endpoints.parse_upload)


def test_the_rate_limit_group_and_retry_class_come_from_the_extensions(
    fixture_endpoints: types.ModuleType,
) -> None:
    assert fixture_endpoints.FETCH_FILE.rate_limit == "files"
    assert fixture_endpoints.UPLOAD.retry is RetryClass.UNSAFE
    assert fixture_endpoints.UPLOAD.rate_limit == "ai"
