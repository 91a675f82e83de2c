"""Hostile input from the caller: whatever is passed as ``images``, ``content_parts``,
``prompt``, ``model``, chat options, configuration overrides or ``PUTER_*`` environment
values, the client either accepts it or raises ``ValueError``/``TypeError`` naming what
is wrong, before any request leaves (the emulator's request log stays as it was).

Accepted input may still be refused by the server; that is a ``PuterError``, and only
possible once a request went out.
"""

from __future__ import annotations

import io
import json
import math
import os
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter import PuterAI, PuterConfig
from puter.exceptions import PuterError
from puter_client.emulator import PuterEmulator
from tests.support.hypothesis_profiles import examples

from .support import DRIVER_CALL, password_client, token_client

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f00f0003860180ce8a7a8d0000000049454e44ae426082"
)

#: Modest example counts; the emulator shared by every example is reset once per test.
PROPERTY = settings(
    max_examples=examples(75),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


# --- hostile objects ----------------------------------------------------------------------


class Unreadable:
    """A file-like object whose ``read`` fails."""

    def read(self, size: int = -1) -> bytes:
        raise OSError("the disk is on fire")


class ReadsText:
    """A file-like object that returns text, not bytes."""

    def read(self, size: int = -1) -> str:
        return "not bytes"


class ReadsNumbers:
    """A file-like object whose ``read`` returns neither text nor bytes."""

    def read(self, size: int = -1) -> int:
        return 42


class ExplodingAttributes:
    """Looking up any public attribute (``read``, ``get``...) raises ``RuntimeError``."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise RuntimeError(f"no {name} for you")


class NumberPath(os.PathLike[str]):
    """A path-like object whose ``__fspath__`` returns a number."""

    def __fspath__(self) -> str:
        return 42  # type: ignore[return-value]


HOSTILE_OBJECTS: list[object] = [
    object(),
    Unreadable(),
    ReadsText(),
    ReadsNumbers(),
    ExplodingAttributes(),
    NumberPath(),
    io.StringIO("text mode"),
    io.BytesIO(b"not an image"),
    io.BytesIO(b""),
    memoryview(bytes(4)).cast("B", shape=[2, 2]),
    memoryview(b"\x89PNG\r\n\x1a\n....")[::2],
    "/",
    "/dev/null",
    os.devnull.encode(),
    float("nan"),
    float("inf"),
    10**100,
    ...,
    print,
    int,
]


# --- strategies ---------------------------------------------------------------------------

#: Floats at the edges, NaN and the infinities (which JSON cannot carry) among them.
edge_floats = st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308, 5e-324])
json_scalars = (
    st.none() | st.booleans() | st.integers() | st.floats() | edge_floats | st.text(max_size=20)
)
scalars = json_scalars | st.binary(max_size=20)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=10,
)
python_values = st.recursive(
    scalars | st.sampled_from(HOSTILE_OBJECTS) | st.builds(bytearray, st.binary(max_size=8)),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner)
        | st.tuples(inner, inner)
        | st.tuples(inner, inner, inner)
        | st.dictionaries(st.text(max_size=8), inner, max_size=4)
        | st.frozensets(st.integers(), max_size=3)
    ),
    max_leaves=10,
)
SCHEMES = [
    *("http://", "https://", "HTTPS://", "ftp://", "file:///", "javascript:", "C:\\", ""),
    *("data:", "data:image/png;base64,", "data:image/png,", "data:text/plain;base64,"),
]
schemes = st.sampled_from(SCHEMES)
url_like = st.builds(lambda scheme, rest: scheme + rest, schemes, st.text(max_size=30))
mime_like = st.sampled_from(["image/png", "image/", "IMAGE/PNG; q=1", "text/plain", ""]) | st.text(
    max_size=12
)
image_dicts = st.fixed_dictionaries(
    {"type": st.sampled_from(["image_url", "IMAGE_URL", "text"]) | st.text(max_size=6)},
    optional={
        "image_url": url_like
        | python_values
        | st.fixed_dictionaries({}, optional={"url": url_like | python_values}),
        "detail": python_values,
    },
)
image_items = (
    python_values
    | url_like
    | image_dicts
    | st.just(PNG_1X1)
    | st.tuples(st.binary(max_size=16) | st.just(PNG_1X1) | python_values, mime_like)
)
images_values = (
    image_items | st.lists(image_items, max_size=3) | st.tuples(image_items, image_items)
)
part_types = st.sampled_from(
    ["text", "image_url", "input_audio", "file", "tool_use", "tool_result", ""]
)
content_part_dicts = st.fixed_dictionaries(
    {"type": part_types | st.text(max_size=8) | json_values},
    optional={
        name: json_values | url_like
        for name in ("text", "image_url", "input_audio", "puter_path", "id", "name", "input")
    },
)
content_parts_values = python_values | st.lists(
    content_part_dicts | python_values, min_size=0, max_size=3
)
texts = st.text(max_size=40)  # encodable text; lone surrogates have a test of their own
overrides_names = st.sampled_from(
    [*sorted(PuterConfig.OPTION_NAMES), "username", "password", "token", "verify", "retries"]
) | st.from_regex(r"[a-z_][a-z0-9_]{0,15}", fullmatch=True)
environment_text = st.text(
    st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"), max_size=30
) | st.sampled_from(["1e400", "nan", "-inf", "1_000", "0x10", " 5 ", "٣", "1e-320", "-0"])


# --- the property -------------------------------------------------------------------------


def refusal(emu: PuterEmulator, call: Callable[[], object]) -> ValueError | TypeError | None:
    """Run ``call``: its ``ValueError``/``TypeError`` if it refused the input (checking
    that no request was sent), else None (it was sent; only the server may refuse it)."""
    sent_before = len(emu.requests)
    try:
        call()
    except (ValueError, TypeError) as exc:
        assert len(emu.requests) == sent_before, f"refused after a request: {exc!r}"
        return exc
    except PuterError:
        assert len(emu.requests) > sent_before, "a PuterError without any request"
    for request in emu.requests[sent_before:]:
        assert_standard_json(request.body)
    return None


def assert_standard_json(body: bytes) -> None:
    """``body`` is JSON as RFC 8259 (and Puter's ``JSON.parse``) reads it: no ``NaN``,
    ``Infinity`` or ``-Infinity``, which Python's ``json`` would write and read."""

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} is not JSON, yet the client sent it: {body[:300]!r}")

    json.loads(body, parse_constant=refuse)


@pytest.fixture
def client(v2_emu: PuterEmulator) -> Iterator[PuterAI]:
    with token_client(v2_emu, max_retries=0) as c:
        yield c


@PROPERTY
@given(images=images_values)
def test_any_images_are_sent_or_refused_naming_images_before_any_request(
    v2_emu: PuterEmulator, client: PuterAI, images: Any
) -> None:
    client.clear_chat_history()
    refused = refusal(v2_emu, lambda: client.chat("Describe", images=images))

    if refused is not None:
        assert "images" in str(refused), repr(refused)


@PROPERTY
@given(content_parts=content_parts_values)
def test_any_content_parts_are_sent_or_refused_naming_content_parts_before_any_request(
    v2_emu: PuterEmulator, client: PuterAI, content_parts: Any
) -> None:
    client.clear_chat_history()
    refused = refusal(v2_emu, lambda: client.chat(content_parts=content_parts))

    if refused is not None:
        assert "content_parts" in str(refused), repr(refused)


@PROPERTY
@given(prompt=texts | python_values)
def test_any_prompt_is_sent_or_refused_naming_the_prompt_before_any_request(
    v2_emu: PuterEmulator, client: PuterAI, prompt: Any
) -> None:
    client.clear_chat_history()
    refused = refusal(v2_emu, lambda: client.chat(prompt))

    if refused is not None:
        assert "prompt" in str(refused), repr(refused)


@PROPERTY
@given(model=texts | python_values)
def test_any_model_is_sent_or_refused_naming_the_model_before_any_request(
    v2_emu: PuterEmulator, client: PuterAI, model: Any
) -> None:
    client.clear_chat_history()
    refused = refusal(v2_emu, lambda: client.chat("Hello", model=model))

    if refused is not None:
        assert "model" in str(refused), repr(refused)


@PROPERTY
@given(
    name=st.sampled_from(["max_tokens", "temperature", "top_p", "tools"]),
    value=edge_floats | json_scalars | json_values,
)
def test_any_chat_option_value_is_sent_or_refused_naming_the_option_before_any_request(
    v2_emu: PuterEmulator, client: PuterAI, name: str, value: Any
) -> None:
    client.clear_chat_history()
    refused = refusal(v2_emu, lambda: client.chat("Hello", **{name: value}))

    if refused is not None:
        assert name in str(refused), repr(refused)


@pytest.mark.parametrize(
    "options",
    [
        {"temperature": math.nan},
        {"temperature": math.inf},
        {"top_p": -math.inf},
    ],
    ids=["temperature-nan", "temperature-inf", "top_p-minus-inf"],
)
def test_a_chat_option_that_json_cannot_carry_is_refused_before_any_request(
    v2_emu: PuterEmulator, client: PuterAI, options: dict[str, Any]
) -> None:
    # NaN and infinities are not JSON: Python would write them as the bare words NaN
    # and Infinity, which Puter's JSON parser (JSON.parse) refuses.
    with pytest.raises(ValueError, match="|".join(options)):
        client.chat("Hello", **options)

    assert v2_emu.requests_to(DRIVER_CALL) == []


@pytest.mark.parametrize("number", [math.nan, math.inf], ids=["nan", "inf"])
def test_a_content_part_holding_a_number_json_cannot_carry_is_refused_before_any_request(
    v2_emu: PuterEmulator, client: PuterAI, number: float
) -> None:
    part = {"type": "custom", "settings": {"level": number}}  # a part type of the future

    with pytest.raises(ValueError, match="content_parts"):
        client.chat(content_parts=[part])

    assert v2_emu.requests_to(DRIVER_CALL) == []


def test_a_prompt_with_a_lone_surrogate_is_refused_before_logging_in(
    v2_emu: PuterEmulator,
) -> None:
    # A lone surrogate cannot be encoded as UTF-8, so the request cannot be written.
    with password_client(v2_emu) as client, pytest.raises(ValueError, match="prompt"):
        client.chat("Hello \ud800")

    assert v2_emu.requests == []


def test_a_model_name_with_a_lone_surrogate_is_a_value_error_for_complete_too(
    v2_emu: PuterEmulator,
) -> None:
    messages = [{"role": "user", "content": "Hello"}]
    with password_client(v2_emu) as client, pytest.raises(ValueError, match="model"):
        client.complete(messages, model="\ud800")

    assert v2_emu.requests == []


@pytest.mark.parametrize(
    "token", ["tok\nen", "tok\x00en", "tokén"], ids=["newline", "nul", "non-ascii"]
)
def test_a_token_that_cannot_be_a_header_value_is_refused_naming_it_before_any_request(
    v2_emu: PuterEmulator, token: str
) -> None:
    with (
        pytest.raises((ValueError, TypeError), match="token") as caught,
        PuterAI(token=token, api_base=v2_emu.api_base, max_retries=0) as client,
    ):
        client.chat("Hello")

    assert token not in str(caught.value)
    assert v2_emu.requests == []


# --- configuration ------------------------------------------------------------------------


@PROPERTY
@given(name=overrides_names, value=python_values | url_like)
def test_any_configuration_override_is_applied_or_refused_naming_it(
    v2_emu: PuterEmulator, name: str, value: Any
) -> None:
    try:
        client = PuterAI(**{name: value})
    except (ValueError, TypeError) as exc:
        assert name in str(exc), repr(exc)
    else:
        if name in PuterConfig.OPTION_NAMES:
            assert getattr(client.config, name) == value or name == "api_base"
    assert v2_emu.requests == []


async def test_an_async_http_client_given_as_the_blocking_one_is_refused_at_creation() -> None:
    async with httpx.AsyncClient() as wrong:
        with pytest.raises(TypeError, match="http_client"):
            PuterAI(token="token", http_client=wrong)  # type: ignore[arg-type]


def test_a_blocking_http_client_given_as_the_async_one_is_refused_at_creation() -> None:
    with httpx.Client() as wrong, pytest.raises(TypeError, match="async_http_client"):
        PuterAI(token="token", async_http_client=wrong)  # type: ignore[arg-type]


@PROPERTY
@given(variable=st.sampled_from(sorted(PuterConfig.ENV_VARS.values())), text=environment_text)
def test_any_environment_value_is_applied_or_refused_naming_the_variable(
    variable: str, text: str
) -> None:
    with mock.patch.dict(os.environ, {variable: text}):
        try:
            configuration = PuterConfig()
        except ValueError as exc:
            assert variable in str(exc), repr(exc)
        else:
            assert isinstance(configuration.to_dict(), dict)
