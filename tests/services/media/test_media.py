"""Chat content: prompts, images and custom parts as wire content parts."""

from __future__ import annotations

import base64
import io
import os
import pathlib
import tracemalloc
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

from puter_client.core.binary_input import _ENCODE_CHUNK, sniff_image_type
from puter_client.services.chat.content import (
    build_user_content,
    coerce_image,
    coerce_images,
    image_url_part,
    text_part,
)

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(64))
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(32)

# The smallest headers that identify each format (bodies are filler).
SAMPLES: dict[str, bytes] = {
    "image/png": PNG,
    "image/jpeg": JPEG,
    "image/gif": b"GIF89a" + bytes(20),
    "image/webp": b"RIFF\x24\x00\x00\x00WEBPVP8 " + bytes(20),
    "image/bmp": b"BM" + bytes(12) + (40).to_bytes(4, "little") + bytes(20),
    "image/tiff": b"II*\x00" + bytes(20),
    "image/x-icon": b"\x00\x00\x01\x00\x01\x00" + bytes(20),
    "image/heic": b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + bytes(8),
    "image/heif": b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00mif1miaf" + bytes(8),
    "image/avif": b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf" + bytes(8),
    "image/jp2": b"\x00\x00\x00\x0cjP  \r\n\x87\n" + bytes(20),
    "image/jxl": b"\xff\x0a" + bytes(20),
}


def data_url_bytes(part: dict[str, Any]) -> tuple[str, bytes]:
    """The media type and decoded payload of an image part holding a data URL."""
    header, _, payload = part["image_url"]["url"].partition(",")
    assert header.startswith("data:") and header.endswith(";base64")
    return header[5:-7], base64.b64decode(payload, validate=True)


@pytest.fixture
def png_file(tmp_path: pathlib.Path) -> pathlib.Path:
    path = tmp_path / "dinner.jpg"  # a misleading extension: the content decides
    path.write_bytes(PNG)
    return path


@pytest.fixture
def in_tmp(tmp_path: pathlib.Path) -> Iterator[pathlib.Path]:
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(cwd)


# --- build_user_content -----------------------------------------------------------------


def test_a_prompt_alone_is_sent_as_a_plain_string() -> None:
    assert build_user_content("Hello, how are you?") == "Hello, how are you?"


def test_a_prompt_with_images_becomes_a_text_part_followed_by_the_images() -> None:
    content = build_user_content(
        "What is in this bowl?", ["https://example.com/food.jpg", (JPEG, "image/jpeg")]
    )
    assert isinstance(content, list)
    assert content[0] == text_part("What is in this bowl?")
    assert content[1] == image_url_part("https://example.com/food.jpg")
    assert data_url_bytes(content[2]) == ("image/jpeg", JPEG)  # type: ignore[arg-type]


def test_images_without_a_prompt_become_only_image_parts() -> None:
    content = build_user_content(None, ["https://example.com/a.png"])
    assert content == [image_url_part("https://example.com/a.png")]


def test_a_blank_prompt_next_to_images_is_left_out() -> None:
    content = build_user_content("  \n", ["https://example.com/a.png"])
    assert content == [image_url_part("https://example.com/a.png")]


def test_content_parts_override_prompt_and_images_and_are_returned_as_given() -> None:
    parts: list[dict[str, Any]] = [
        {"type": "text", "text": "Transcribe this audio clip."},
        {"type": "input_audio", "audio": {"id": "file_audio_123"}},
    ]
    content = build_user_content("ignored", ["also ignored"], parts)
    assert content == parts
    assert content is not parts
    assert all(a is b for a, b in zip(content, parts, strict=True))


def test_attrs_model_instances_in_content_parts_are_passed_through() -> None:
    @attrs.define
    class TextPart:
        type: str
        text: str

    part = TextPart(type="text", text="hi")
    assert build_user_content(content_parts=[part]) == [part]


def test_content_parts_must_be_dicts_with_a_type() -> None:
    parts: list[dict[str, Any]] = [{"type": "text", "text": "hi"}, {"text": "no type"}]
    with pytest.raises(ValueError, match=r"content_parts\[1\]"):
        build_user_content(content_parts=parts)


def test_content_parts_items_must_be_dicts_or_models() -> None:
    parts: Any = ["just text"]
    with pytest.raises(ValueError, match=r"content_parts\[0\].*str"):
        build_user_content(content_parts=parts)


def test_content_parts_must_be_a_list_not_a_single_dict() -> None:
    parts: Any = {"type": "text", "text": "hi"}
    with pytest.raises(ValueError, match="content_parts must be a list"):
        build_user_content(content_parts=parts)


def test_empty_content_parts_are_nothing_to_send() -> None:
    with pytest.raises(ValueError, match="nothing to send"):
        build_user_content("a prompt that content_parts overrides", content_parts=[])


@pytest.mark.parametrize("prompt", [None, "", " \t\n"])
def test_no_visible_text_and_no_images_is_nothing_to_send(prompt: str | None) -> None:
    with pytest.raises(ValueError, match="nothing to send"):
        build_user_content(prompt, [])


def test_a_prompt_that_is_not_a_string_is_a_type_error() -> None:
    prompt: Any = 42
    with pytest.raises(TypeError, match="prompt"):
        build_user_content(prompt)


@pytest.mark.parametrize("images", ["cat.png", b"\x89PNG", pathlib.Path("cat.png")])
def test_a_single_image_instead_of_a_list_asks_for_a_list(images: Any) -> None:
    with pytest.raises(ValueError, match=r"images=\[\.\.\.\]"):
        build_user_content("hi", images)


def test_a_single_dict_instead_of_a_list_asks_for_a_list() -> None:
    images: Any = {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}
    with pytest.raises(ValueError, match="list"):
        coerce_images(images)


def test_images_must_be_a_sequence() -> None:
    images: Any = (item for item in ["https://example.com/a.png"])
    with pytest.raises(ValueError, match="list or tuple"):
        coerce_images(images)


def test_a_lone_data_and_mime_tuple_gets_a_hint_to_wrap_it() -> None:
    images: Any = (PNG, "image/png")
    with pytest.raises(ValueError, match=r"images=\[\(data, mime_type\)\]"):
        coerce_images(images)


def test_no_images_means_an_empty_list() -> None:
    assert coerce_images(None) == []


def test_errors_name_the_position_of_the_bad_item() -> None:
    images: list[Any] = ["https://example.com/a.png", PNG, 42]
    with pytest.raises(ValueError, match=r"^images\[2\]: "):
        coerce_images(images)


# --- local files ------------------------------------------------------------------------


def test_a_file_path_becomes_a_data_url_of_its_bytes(png_file: pathlib.Path) -> None:
    assert data_url_bytes(coerce_image(str(png_file), 0)) == ("image/png", PNG)


def test_a_path_object_is_read_like_a_string_path(png_file: pathlib.Path) -> None:
    assert data_url_bytes(coerce_image(png_file, 0)) == ("image/png", PNG)


def test_a_relative_path_is_resolved_against_the_working_directory(in_tmp: pathlib.Path) -> None:
    (in_tmp / "photo").write_bytes(JPEG)
    assert data_url_bytes(coerce_image("photo", 0))[0] == "image/jpeg"


def test_the_extension_decides_when_the_magic_bytes_are_unknown(tmp_path: pathlib.Path) -> None:
    svg = tmp_path / "logo.svg"
    svg.write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert data_url_bytes(coerce_image(svg, 0))[0] == "image/svg+xml"


def test_a_non_image_file_is_rejected_with_its_type(tmp_path: pathlib.Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("shopping list")
    with pytest.raises(ValueError, match=r"notes\.txt.*not a recognised image.*text/plain"):
        coerce_image(notes, 0)


def test_unrecognisable_data_without_an_extension_is_rejected(tmp_path: pathlib.Path) -> None:
    blob = tmp_path / "blob"
    blob.write_bytes(b"hello world")
    with pytest.raises(ValueError, match="not a recognised image format"):
        coerce_image(blob, 0)


def test_a_missing_file_is_reported_with_its_path(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match=r"file not found: .*missing\.png"):
        coerce_image(tmp_path / "missing.png", 0)


def test_a_string_that_is_neither_url_nor_file_says_so(in_tmp: pathlib.Path) -> None:
    with pytest.raises(ValueError, match=r"neither an http.*URL nor an existing file"):
        coerce_image("no-such-picture.png", 0)


def test_a_directory_is_rejected(tmp_path: pathlib.Path) -> None:
    with pytest.raises(ValueError, match="is a directory"):
        coerce_image(str(tmp_path), 0)


def test_an_empty_file_is_rejected(tmp_path: pathlib.Path) -> None:
    empty = tmp_path / "empty.png"
    empty.touch()
    with pytest.raises(ValueError, match="is empty"):
        coerce_image(empty, 0)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_special_file_is_rejected_without_reading_it(tmp_path: pathlib.Path) -> None:
    fifo = tmp_path / "pipe.png"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="not a regular file"):
        coerce_image(fifo, 0)


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0, reason="root reads anything")
def test_an_unreadable_file_is_rejected(png_file: pathlib.Path) -> None:
    png_file.chmod(0)
    with pytest.raises(ValueError, match="cannot read"):
        coerce_image(png_file, 0)


@pytest.mark.parametrize("path", ["bad\x00name.png", "x" * 10_000])
def test_impossible_paths_are_value_errors(path: str) -> None:
    with pytest.raises(ValueError, match=r"^images\[0\]: "):
        coerce_image(path, 0)


def test_long_inputs_are_shortened_in_error_messages() -> None:
    with pytest.raises(ValueError) as caught:
        coerce_image("Q" * 100_000, 0)
    assert len(str(caught.value)) < 300


def test_large_data_is_encoded_exactly_across_chunk_boundaries() -> None:
    data = PNG + bytes(range(256)) * ((2 * _ENCODE_CHUNK) // 256) + b"\x01"
    assert data_url_bytes(coerce_image(data, 0)) == ("image/png", data)


def test_a_file_is_encoded_without_holding_extra_full_size_copies(
    tmp_path: pathlib.Path,
) -> None:
    size = 6 * 1024 * 1024
    big = tmp_path / "big.png"
    big.write_bytes(PNG + bytes(size - len(PNG)))
    tracemalloc.start()
    try:
        part = coerce_image(big, 0)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(part["image_url"]["url"]) > size * 4 / 3
    assert peak < 2.9 * size  # the base64 buffer and the final string, nothing more


# --- bytes and file objects -------------------------------------------------------------


@pytest.mark.parametrize(("mime", "data"), SAMPLES.items())
def test_the_image_type_is_detected_from_magic_bytes(mime: str, data: bytes) -> None:
    assert sniff_image_type(data) == mime
    assert data_url_bytes(coerce_image(data, 0)) == (mime, data)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x00\x00\x18ftypisom\x00\x00\x00\x00isomiso2" + bytes(8),  # an MP4 video
        b"BM" + bytes(30),  # "BM" alone is not a bitmap header
        b"%PDF-1.7\n",
        b"\x00\x00\x01\x00\x00\x00",  # an icon header that holds no images
    ],
)
def test_look_alike_non_images_are_not_detected(data: bytes) -> None:
    assert sniff_image_type(data) is None


def test_bytearray_and_memoryview_are_accepted() -> None:
    assert data_url_bytes(coerce_image(bytearray(PNG), 0)) == ("image/png", PNG)
    assert data_url_bytes(coerce_image(memoryview(PNG), 0)) == ("image/png", PNG)


def test_a_strided_memoryview_is_accepted() -> None:
    doubled = bytes(b for byte in PNG for b in (byte, 0))
    assert data_url_bytes(coerce_image(memoryview(doubled)[::2], 0)) == ("image/png", PNG)


def test_empty_bytes_are_rejected() -> None:
    with pytest.raises(ValueError, match="empty"):
        coerce_image(b"", 0)


def test_a_binary_file_object_is_read_from_its_current_position(png_file: pathlib.Path) -> None:
    with png_file.open("rb") as file:
        assert data_url_bytes(coerce_image(file, 0)) == ("image/png", PNG)


def test_an_in_memory_binary_stream_is_accepted() -> None:
    stream = io.BytesIO(b"junk" + JPEG)
    stream.seek(4)
    assert data_url_bytes(coerce_image(stream, 0)) == ("image/jpeg", JPEG)


def test_a_file_object_name_gives_the_extension_fallback(tmp_path: pathlib.Path) -> None:
    svg = tmp_path / "logo.svg"
    svg.write_bytes(b"<svg/>")
    with svg.open("rb") as file:
        assert data_url_bytes(coerce_image(file, 0))[0] == "image/svg+xml"


def test_a_text_mode_file_object_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"text mode.*'rb'"):
        coerce_image(io.StringIO("not bytes"), 0)


def test_a_file_object_returning_text_is_rejected() -> None:
    class TextReader:
        def read(self) -> str:
            return "text"

    with pytest.raises(ValueError, match="returned text"):
        coerce_image(TextReader(), 0)


def test_a_file_object_that_fails_to_read_is_rejected() -> None:
    stream = io.BytesIO(PNG)
    stream.close()
    with pytest.raises(ValueError, match="could not read the file object"):
        coerce_image(stream, 0)


def test_an_exhausted_file_object_is_rejected() -> None:
    stream = io.BytesIO(PNG)
    stream.read()
    with pytest.raises(ValueError, match="returned no data"):
        coerce_image(stream, 0)


# --- (data, mime_type) tuples -----------------------------------------------------------


def test_a_tuple_names_the_type_of_its_data() -> None:
    assert data_url_bytes(coerce_image((b"raw pixels", "image/x-raw"), 0)) == (
        "image/x-raw",
        b"raw pixels",
    )


def test_a_tuple_type_is_normalised() -> None:
    assert data_url_bytes(coerce_image((PNG, " Image/PNG; q=1"), 0))[0] == "image/png"


def test_a_tuple_can_hold_a_binary_file_object() -> None:
    assert data_url_bytes(coerce_image((io.BytesIO(JPEG), "image/jpeg"), 0)) == (
        "image/jpeg",
        JPEG,
    )


@pytest.mark.parametrize("mime", ["text/plain", "image/", "png", "", "image/ png"])
def test_a_tuple_with_a_non_image_type_is_rejected(mime: str) -> None:
    with pytest.raises(ValueError, match="not an image type"):
        coerce_image((PNG, mime), 0)


@pytest.mark.parametrize(
    ("item", "message"),
    [
        (("cat.png", "image/png"), "must be bytes or a binary file"),
        ((PNG, None), "must be a str"),
        ((PNG,), "got 1 items"),
        ((PNG, "image/png", "extra"), "got 3 items"),
        ((b"", "image/png"), "empty"),
    ],
)
def test_malformed_tuples_are_rejected(item: tuple[object, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        coerce_image(item, 0)


# --- URLs -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["https://example.com/food.jpg", "http://127.0.0.1:8000/a.png?x=1", "HTTPS://EX.COM/A"]
)
def test_http_urls_are_passed_through_unchanged(url: str) -> None:
    assert coerce_image(url, 0) == image_url_part(url)


@pytest.mark.parametrize("url", ["https://", "http:///path", "https://a b/c", "https://x/\n"])
def test_malformed_http_urls_are_rejected(url: str) -> None:
    with pytest.raises(ValueError, match="URL"):
        coerce_image(url, 0)


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/cat.png",
        "file:///tmp/cat.png",
        "javascript:alert(1)",
        "blob:https://example.com/1234",
    ],
)
def test_other_url_schemes_are_rejected(url: str) -> None:
    with pytest.raises(ValueError, match="unsupported URL scheme"):
        coerce_image(url, 0)


def test_a_valid_data_url_is_passed_through_as_the_same_string() -> None:
    url = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert coerce_image(url, 0)["image_url"]["url"] is url


def test_data_url_parameters_before_base64_are_allowed() -> None:
    url = "data:image/png;name=cat.png;base64," + base64.b64encode(PNG).decode()
    assert coerce_image(url, 0) == image_url_part(url)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("data:text/plain;base64,aGk=", "not image/"),
        ("data:;base64,aGk=", "missing"),
        ("data:image/svg+xml,<svg/>", "base64"),
        ("data:image/png;base64,", "no data"),
        ("data:image/png;base64,aGk", "not valid base64"),
        ("data:image/png;base64,a*k=", "not valid base64"),
        ("data:image/png;base64,====", "not valid base64"),
        ("data:image/png;base64,aG=k", "not valid base64"),
        ("data:image/png", "no ','"),
    ],
)
def test_invalid_data_urls_are_rejected(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        coerce_image(url, 0)


# --- ready-made parts -------------------------------------------------------------------


def test_a_ready_image_part_is_copied_with_its_extra_fields() -> None:
    part = {"type": "image_url", "image_url": {"url": "https://example.com/a.png", "detail": "low"}}
    result = coerce_image(part, 0)
    assert result == part
    assert result is not part
    assert result["image_url"] is not part["image_url"]


def test_a_ready_image_part_with_a_bare_url_string_is_normalised() -> None:
    part = {"type": "image_url", "image_url": "https://example.com/a.png"}
    assert coerce_image(part, 0) == image_url_part("https://example.com/a.png")


@pytest.mark.parametrize(
    "part",
    [
        {"type": "text", "text": "hi"},
        {"type": "image_url"},
        {"type": "image_url", "image_url": {"url": 5}},
        {"type": "image_url", "image_url": {"url": "ftp://example.com/a.png"}},
        {"type": "image_url", "image_url": {"url": "data:text/plain;base64,aGk="}},
        {"image_url": {"url": "https://example.com/a.png"}},
    ],
)
def test_dicts_of_the_wrong_shape_are_rejected(part: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match=r"^images\[0\]: "):
        coerce_image(part, 0)


# --- everything else --------------------------------------------------------------------


@pytest.mark.parametrize("item", [42, 4.2, None, True, ["a.png"], {"a.png"}, object()])
def test_unsupported_types_are_rejected_with_the_expected_kinds(item: object) -> None:
    with pytest.raises(ValueError, match=r"unsupported image input.*expected a file path"):
        coerce_image(item, 0)


def test_an_empty_string_is_rejected() -> None:
    with pytest.raises(ValueError, match="empty string"):
        coerce_image("", 0)
