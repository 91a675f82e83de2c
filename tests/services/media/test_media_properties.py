"""Properties of image coercion: valid parts for every accepted input, ValueError otherwise."""

from __future__ import annotations

import base64
import io
import itertools
import json
import os
import pathlib
import tempfile
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from puter_client.core.binary_input import sniff_image_type
from puter_client.services.chat.content import build_user_content, coerce_image, text_part
from tests.support.hypothesis_profiles import examples

SIGNATURES = [
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",
    b"GIF87a",
    b"GIF89a",
    b"RIFF\x00\x00\x00\x00WEBP",
    b"II*\x00",
    b"MM\x00*",
    b"\x00\x00\x00\x10ftypavif\x00\x00\x00\x00",
    b"\x00\x00\x00\x10ftypheic\x00\x00\x00\x00",
]


def assert_valid_image_part(part: dict[str, Any]) -> None:
    """An image_url part whose url is http(s) with a host, or a base64 image data URL."""
    assert part["type"] == "image_url"
    url = part["image_url"]["url"]
    assert isinstance(url, str)
    if url[:8].lower().startswith(("http://", "https://")):
        assert urlsplit(url).hostname
        return
    header, comma, payload = url.partition(",")
    media_type, *params = header[5:].split(";")
    assert header[:5].lower() == "data:" and comma
    assert media_type.strip().lower().startswith("image/")
    assert params and params[-1].strip().lower() == "base64"
    assert base64.b64decode(payload, validate=True)


def decoded(part: dict[str, Any]) -> tuple[str, bytes]:
    header, _, payload = part["image_url"]["url"].partition(",")
    return header[5:].split(";")[0], base64.b64decode(payload)


# --- strategies -------------------------------------------------------------------------

image_bytes = st.builds(bytes.__add__, st.sampled_from(SIGNATURES), st.binary(max_size=64))
image_mimes = st.from_regex(r"image/[a-z0-9][a-z0-9.+-]{0,15}", fullmatch=True)
hosts = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?(\.[a-z]{2,6}){0,2}", fullmatch=True)
http_urls = st.builds(
    "{}://{}/{}".format,
    st.sampled_from(["http", "https", "HTTPS", "Http"]),
    hosts,
    st.from_regex(r"[A-Za-z0-9._~/?=&-]{0,30}", fullmatch=True),
)
data_urls = st.builds(
    lambda mime, data: f"data:{mime};base64,{base64.b64encode(data).decode()}",
    image_mimes,
    st.binary(min_size=1, max_size=64),
)
urls = http_urls | data_urls
ready_parts = urls.map(lambda url: {"type": "image_url", "image_url": {"url": url}})

scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=30)
    | st.binary(max_size=30)
)
junk = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=8), children, max_size=3)
    ),
    max_leaves=8,
)
near_misses = st.one_of(
    st.builds("data:{}".format, st.text(max_size=40)),
    st.builds("data:image/png;base64,{}".format, st.text(max_size=40)),
    st.builds("https://{}".format, st.text(max_size=40)),
    st.builds("{}:{}".format, st.from_regex(r"[a-z]{2,8}", fullmatch=True), st.text(max_size=20)),
    st.tuples(st.binary(max_size=20), st.text(max_size=20)),
    st.tuples(junk, image_mimes),
    st.builds(io.BytesIO, st.binary(max_size=30)),
    st.builds(io.StringIO, st.text(max_size=30)),
    st.fixed_dictionaries({"type": st.just("image_url"), "image_url": junk}),
    st.fixed_dictionaries(
        {"type": st.just("image_url"), "image_url": st.fixed_dictionaries({"url": junk})}
    ),
)
anything = junk | near_misses


@pytest.fixture(scope="module")
def scratch_dir() -> Iterator[pathlib.Path]:
    """An empty working directory, so that junk strings resolve to nothing of ours."""
    cwd = os.getcwd()
    with tempfile.TemporaryDirectory() as directory:
        os.chdir(directory)
        try:
            yield pathlib.Path(directory)
        finally:
            os.chdir(cwd)


# --- properties -------------------------------------------------------------------------


@given(image_bytes, st.sampled_from([bytes, bytearray, memoryview, io.BytesIO]))
def test_image_data_in_any_container_becomes_its_own_data_url(data: bytes, wrap: Any) -> None:
    part = coerce_image(wrap(data), 0)
    assert_valid_image_part(part)
    assert decoded(part) == (sniff_image_type(data), data)
    json.dumps(part)


@given(st.binary(min_size=1, max_size=64), image_mimes, st.booleans())
def test_data_with_a_named_type_becomes_a_data_url_of_that_type(
    data: bytes, mime: str, as_file: bool
) -> None:
    part = coerce_image((io.BytesIO(data) if as_file else data, mime), 0)
    assert_valid_image_part(part)
    assert decoded(part) == (mime, data)


@given(urls)
def test_http_and_data_urls_pass_through_unchanged(url: str) -> None:
    part = coerce_image(url, 0)
    assert_valid_image_part(part)
    assert part["image_url"]["url"] == url


@given(ready_parts)
def test_ready_image_parts_come_back_equal_but_copied(part: dict[str, Any]) -> None:
    result = coerce_image(part, 0)
    assert result == part and result is not part


_counter = itertools.count()


@settings(deadline=None, max_examples=examples(50))
@given(image_bytes)
def test_image_files_become_data_urls_of_their_bytes(
    scratch_dir: pathlib.Path, data: bytes
) -> None:
    path = scratch_dir / f"image-{next(_counter)}"
    path.write_bytes(data)
    part = coerce_image(str(path), 0)
    assert_valid_image_part(part)
    assert decoded(part)[1] == data


@settings(deadline=None)
@given(anything, st.integers(0, 99))
def test_any_other_input_gives_a_valid_part_or_a_value_error_naming_the_item(
    scratch_dir: pathlib.Path, item: Any, index: int
) -> None:
    try:
        part = coerce_image(item, index)
    except ValueError as exc:
        assert str(exc).startswith(f"images[{index}]: ")
    else:
        assert_valid_image_part(part)


@settings(deadline=None)
@given(st.none() | st.text(max_size=20), st.none() | st.lists(anything, max_size=3) | anything)
def test_build_user_content_gives_valid_content_or_a_value_error(
    scratch_dir: pathlib.Path, prompt: str | None, images: Any
) -> None:
    try:
        content = build_user_content(prompt, images)
    except ValueError:
        return
    if isinstance(content, str):
        assert content == prompt and not content.isspace()
        return
    image_parts = content[1:] if content[0]["type"] == "text" else content  # type: ignore[index]
    for part in image_parts:
        assert_valid_image_part(part)  # type: ignore[arg-type]


@given(st.text(min_size=1).filter(lambda text: not text.isspace()), st.lists(urls, min_size=1))
def test_a_visible_prompt_leads_and_every_image_follows_in_order(
    prompt: str, images: list[str]
) -> None:
    content = build_user_content(prompt, images)
    assert content[0] == text_part(prompt)
    assert [part["image_url"]["url"] for part in content[1:]] == images  # type: ignore[index]
