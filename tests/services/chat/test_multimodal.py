"""Point 5: multimodal input through the facade. Local images (path, bytes, file object,
``(data, mime)``) become base64 ``data:`` URLs; http(s) and ``data:`` URLs and ready
``image_url`` parts pass untouched; ``content_parts`` is sent exactly as given. Bad input
raises ``ValueError`` naming the item, before any request."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter_client.emulator import PuterEmulator
from tests.support.emulated import (
    PNG_1X1,
    alice,
    chat_calls,
    last_user_content,
    reply,
    use_emulator,
)
from tests.support.hypothesis_profiles import examples

PNG_DATA_URL = "data:image/png;base64," + base64.b64encode(PNG_1X1).decode()
JPEG_BYTES = b"\xff\xd8\xff\xe0" + bytes(range(64))
JPEG_DATA_URL = "data:image/jpeg;base64," + base64.b64encode(JPEG_BYTES).decode()
FOOD_URL = "https://example.com/food.jpg?size=large#top"


def image_part(url: str) -> dict[str, Any]:
    return {"type": "image_url", "image_url": {"url": url}}


def text_part(text: str) -> dict[str, Any]:
    return {"type": "text", "text": text}


@pytest.fixture
def png_file(tmp_path: Path) -> Path:
    path = tmp_path / "dinner.png"
    path.write_bytes(PNG_1X1)
    return path


def sent_content(emu: PuterEmulator, prompt: str | None, images: list[Any]) -> Any:
    with alice() as client:
        client.chat(prompt, images=images)
    return last_user_content(chat_calls(emu)[-1])


def test_a_file_path_string_is_sent_as_a_data_url(emu: PuterEmulator, png_file: Path) -> None:
    content = sent_content(emu, "What is this?", [str(png_file)])

    assert content == [text_part("What is this?"), image_part(PNG_DATA_URL)]


def test_a_path_object_is_sent_as_a_data_url(emu: PuterEmulator, png_file: Path) -> None:
    assert sent_content(emu, "What is this?", [png_file])[1] == image_part(PNG_DATA_URL)


@pytest.mark.parametrize("data", [PNG_1X1, bytearray(PNG_1X1), memoryview(PNG_1X1)])
def test_image_bytes_are_sent_as_a_data_url(emu: PuterEmulator, data: Any) -> None:
    assert sent_content(emu, "What is this?", [data])[1] == image_part(PNG_DATA_URL)


def test_a_binary_file_object_is_sent_as_a_data_url(emu: PuterEmulator, png_file: Path) -> None:
    with png_file.open("rb") as opened:
        from_file = sent_content(emu, "What is this?", [opened])
    from_buffer = sent_content(emu, "What is this?", [io.BytesIO(PNG_1X1)])

    assert from_file[1] == from_buffer[1] == image_part(PNG_DATA_URL)


def test_a_data_and_mime_type_tuple_is_sent_with_that_type(emu: PuterEmulator) -> None:
    content = sent_content(emu, "What is this?", [(JPEG_BYTES, "image/jpeg")])

    assert content[1] == image_part(JPEG_DATA_URL)


def test_an_https_url_is_passed_through_untouched_and_never_fetched(emu: PuterEmulator) -> None:
    content = sent_content(emu, "What is in this bowl?", [FOOD_URL])

    assert content[1] == image_part(FOOD_URL)
    assert all(r.path == "/drivers/call" or r.host == "web" for r in emu.requests)


def test_an_http_url_is_passed_through_untouched(emu: PuterEmulator) -> None:
    url = "http://images.example.org/a%20b/cat.webp"

    assert sent_content(emu, "What is this?", [url])[1] == image_part(url)


def test_a_data_url_is_passed_through_untouched(emu: PuterEmulator) -> None:
    assert sent_content(emu, "What is this?", [JPEG_DATA_URL])[1] == image_part(JPEG_DATA_URL)


def test_a_ready_image_url_part_is_sent_as_given(emu: PuterEmulator) -> None:
    part = {"type": "image_url", "image_url": {"url": FOOD_URL, "detail": "high"}}

    assert sent_content(emu, "What is this?", [part])[1] == part


def test_several_images_follow_the_prompt_in_order(emu: PuterEmulator, png_file: Path) -> None:
    content = sent_content(emu, "Compare", [FOOD_URL, png_file, (JPEG_BYTES, "image/jpeg")])

    assert content == [
        text_part("Compare"),
        image_part(FOOD_URL),
        image_part(PNG_DATA_URL),
        image_part(JPEG_DATA_URL),
    ]


def test_images_without_a_prompt_are_sent_without_a_text_part(emu: PuterEmulator) -> None:
    assert sent_content(emu, None, [FOOD_URL]) == [image_part(FOOD_URL)]


def test_the_reply_counts_the_images_the_server_received(
    emu: PuterEmulator, png_file: Path
) -> None:
    with alice() as client:
        answer = client.chat("List every ingredient", images=[png_file, FOOD_URL])

    assert answer == reply("List every ingredient", images=2)


async def test_async_chat_coerces_images_the_same_way(emu: PuterEmulator, png_file: Path) -> None:
    async with alice() as client:
        answer = await client.async_chat("What is in this bowl?", images=[png_file, FOOD_URL])

    assert answer == reply("What is in this bowl?", images=2)
    assert last_user_content(chat_calls(emu)[-1])[1:] == [
        image_part(PNG_DATA_URL),
        image_part(FOOD_URL),
    ]


# --- content_parts --------------------------------------------------------------------

REFERENCE_AUDIO_PARTS: list[dict[str, Any]] = [
    {"type": "text", "text": "Transcribe this audio clip."},
    {"type": "input_audio", "audio": {"id": "file_audio_123"}},
]


def test_content_parts_are_sent_exactly_as_given(emu: PuterEmulator) -> None:
    with alice() as client:
        answer = client.chat(content_parts=REFERENCE_AUDIO_PARTS)

    assert last_user_content(chat_calls(emu)[-1]) == REFERENCE_AUDIO_PARTS
    assert answer == reply("Transcribe this audio clip.", audio=1)


def test_content_parts_override_the_prompt_and_the_images(emu: PuterEmulator) -> None:
    parts = [text_part("Count the objects"), image_part("data:image/png;base64,...")]

    with alice() as client:
        answer = client.chat("ignored prompt", images=[FOOD_URL], content_parts=parts)

    assert last_user_content(chat_calls(emu)[-1]) == parts
    assert answer == reply("Count the objects", images=1)


def test_content_parts_of_any_type_pass_through(emu: PuterEmulator) -> None:
    parts = [
        text_part("Look"),
        {"type": "file", "puter_path": "/alice/Desktop/cat.png"},
        {"type": "input_audio", "input_audio": {"data": "UklGRg==", "format": "wav"}},
        {"type": "vendor_specific", "payload": {"nested": [1, 2.5, None, True]}},
    ]

    with alice() as client:
        client.chat(content_parts=parts)

    assert last_user_content(chat_calls(emu)[-1]) == parts


async def test_async_chat_sends_content_parts_as_given(emu: PuterEmulator) -> None:
    async with alice() as client:
        await client.async_chat(content_parts=REFERENCE_AUDIO_PARTS)

    assert last_user_content(chat_calls(emu)[-1]) == REFERENCE_AUDIO_PARTS


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("images", "index"),
    [
        (["/no/such/dinner.jpg"], 0),
        ([FOOD_URL, b""], 1),
        ([FOOD_URL, FOOD_URL, b"not an image at all"], 2),
        (["ftp://example.com/cat.png"], 0),
        ([io.StringIO("text mode")], 0),
        ([(PNG_1X1, "text/plain")], 0),
        ([{"type": "text", "text": "not an image"}], 0),
        (["data:image/png;base64,%%%"], 0),
        ([FOOD_URL, 42], 1),
    ],
    ids=[
        "missing-file",
        "empty-bytes",
        "unknown-format",
        "ftp-url",
        "text-file-object",
        "non-image-mime",
        "non-image-dict",
        "bad-data-url",
        "int",
    ],
)
def test_a_bad_image_raises_value_error_naming_its_index_before_any_request(
    emu: PuterEmulator, images: list[Any], index: int
) -> None:
    with alice() as client, pytest.raises(ValueError, match=rf"images\[{index}\]"):
        client.chat("What is this?", images=images)

    assert emu.requests == []


def test_a_single_string_for_images_is_refused(emu: PuterEmulator, png_file: Path) -> None:
    with alice() as client, pytest.raises(ValueError, match="list"):
        client.chat("What is this?", images=str(png_file))

    assert emu.requests == []


@pytest.mark.parametrize(
    ("parts", "index"),
    [
        (["just text"], 0),
        ([text_part("ok"), {"text": "no type"}], 1),
        ([text_part("ok"), text_part("ok"), {"type": "text"}], 2),
        ([{"type": "text", "text": 5}], 0),
        ([{"type": "image_url"}], 0),
    ],
    ids=["not-a-dict", "no-type", "text-missing", "text-not-a-string", "image-url-missing"],
)
def test_a_bad_content_part_raises_value_error_naming_its_index_before_any_request(
    emu: PuterEmulator, parts: list[Any], index: int
) -> None:
    with alice() as client, pytest.raises(ValueError, match=rf"content_parts\[{index}\]"):
        client.chat(content_parts=parts)

    assert emu.requests == []


async def test_async_chat_refuses_a_bad_image_before_any_request(emu: PuterEmulator) -> None:
    async with alice() as client:
        with pytest.raises(ValueError, match=r"images\[0\]"):
            await client.async_chat("What is this?", images=["/no/such/dinner.jpg"])

    assert emu.requests == []


# --- a property over mixed inputs ------------------------------------------------------

_raw_images = st.binary(max_size=48).map(lambda tail: PNG_1X1[:16] + tail)
_image_inputs = st.one_of(
    _raw_images.map(lambda data: (data, data, "image/png")),
    _raw_images.map(lambda data: ((data, "image/gif"), data, "image/gif")),
    _raw_images.map(lambda data: (io.BytesIO(data), data, "image/png")),
    st.from_regex(r"https://img\.example\.com/[a-z0-9]{1,12}\.png", fullmatch=True).map(
        lambda url: (url, url, None)
    ),
)


@settings(
    max_examples=examples(15),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    prompt=st.one_of(st.none(), st.text(max_size=20)),
    inputs=st.lists(_image_inputs, min_size=1, max_size=4),
)
def test_every_image_arrives_in_order_as_its_url_or_its_exact_bytes(
    emulator_server: PuterEmulator, prompt: str | None, inputs: list[tuple[Any, Any, str | None]]
) -> None:
    emulator_server.reset(legacy=False)
    use_emulator(emulator_server)
    with alice() as client:
        answer = client.chat(prompt, images=[given_input for given_input, _, _ in inputs])

    content = last_user_content(chat_calls(emulator_server)[-1])
    has_text = prompt is not None and prompt.strip() != ""
    if has_text:
        assert content[0] == text_part(prompt or "")
    sent_images = content[1:] if has_text else content
    assert len(sent_images) == len(inputs)
    for part, (_, original, mime) in zip(sent_images, inputs, strict=True):
        url = part["image_url"]["url"]
        if mime is None:
            assert url == original
        else:
            header, payload = url.split(",", 1)
            assert header == f"data:{mime};base64"
            assert base64.b64decode(payload) == original
    assert answer == reply(prompt if has_text and prompt else "", images=len(inputs))
