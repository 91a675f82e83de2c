"""``puter_path`` parts, read for the model as the server's chat providers read them: the
OpenAI file reader inlines images and audio and turns anything else into an error text,
Claude's uploads the file (image, document or container upload), the other providers pass
the part on; a file that cannot be read becomes an error text and the call goes on."""

from __future__ import annotations

import base64
from typing import Any

import httpx
import pytest

from puter_client.emulator import PuterEmulator, expected_reply
from puter_client.emulator.services.chat.files import error_text, resolve_file_parts
from tests.emulator.emulator_support import Api, reply_text

PNG = b"\x89PNG\r\n\x1a\n" + bytes(16)
MP3 = b"ID3\x03" + bytes(16)
PDF = b"%PDF-1.4\n"


def store(api: Api, path: str, data: bytes, content_type: str, user: str = "alice") -> None:
    body = {
        "fileMetadata": {
            "path": path,
            "size": len(data),
            "contentType": content_type,
            "createMissingParents": True,
        },
        "fileContent": {"base64": base64.b64encode(data).decode()},
    }
    response = api.client.post(
        f"{api.emulator.api_base}/fs/write", json=body, headers=api.auth(user)
    )
    assert response.status_code == 200, response.text


def ask(api: Api, model: str, *parts: dict[str, Any], text: str = "Look") -> str:
    content = [{"type": "text", "text": text}, *parts]
    response = api.chat([{"role": "user", "content": content}], model=model)
    assert response.status_code == 200, response.text
    return reply_text(response.json())


def resolved(emulator: PuterEmulator, provider: str, *parts: dict[str, Any]) -> list[Any]:
    user = emulator.state.users["alice"]
    messages = [{"role": "user", "content": list(parts)}]
    content: list[Any] = resolve_file_parts(emulator.state, user, provider, messages)[0]["content"]
    return content


def file(path: str) -> dict[str, Any]:
    return {"type": "file", "puter_path": path}


def test_an_openai_model_sees_a_stored_image_inline(api: Api) -> None:
    store(api, "/alice/Pictures/cat.png", PNG, "image/png")

    assert resolved(api.emulator, "openai-completion", file("~/Pictures/cat.png")) == [
        {
            "type": "image_url",
            "image_url": {"url": "data:image/png;base64," + base64.b64encode(PNG).decode()},
        }
    ]
    assert ask(api, "gpt-4o", file("~/Pictures/cat.png")) == expected_reply(
        "Look", "gpt-4o", images=1
    )


def test_an_openai_model_sees_stored_audio_with_its_subtype_as_format(api: Api) -> None:
    store(api, "/alice/Documents/clip.mp3", MP3, "audio/mpeg")

    (part,) = resolved(api.emulator, "openai-completion", file("/alice/Documents/clip.mp3"))

    assert part == {
        "type": "input_audio",
        "input_audio": {
            "data": "data:audio/mpeg;base64," + base64.b64encode(MP3).decode(),
            "format": "mpeg",
        },
    }


def test_an_openai_model_gets_an_error_text_for_a_pdf(api: Api) -> None:
    store(api, "/alice/Documents/a.pdf", PDF, "application/pdf")

    text = ask(api, "gpt-4o", file("/alice/Documents/a.pdf"))

    reason = error_text("input file has unsupported MIME type")
    assert text == expected_reply("Look" + reason, "gpt-4o")


def test_a_claude_model_gets_a_document_for_a_pdf_and_for_an_inline_file(api: Api) -> None:
    store(api, "/alice/Documents/a.pdf", PDF, "application/pdf")
    inline = "data:text/plain;base64," + base64.b64encode(b"notes").decode()

    parts = resolved(api.emulator, "claude", file("~/Documents/a.pdf"), file(inline))

    assert [p["type"] for p in parts] == ["document", "document"]
    assert all(p["source"]["type"] == "file" and "puter_path" not in p for p in parts)
    assert ask(api, "claude-opus-4", file("~/Documents/a.pdf")) == expected_reply(
        "Look", "claude-opus-4", files=1
    )


def test_a_claude_model_gets_an_image_block_and_an_upload_for_other_types(api: Api) -> None:
    store(api, "/alice/Pictures/cat.png", PNG, "image/png")
    store(api, "/alice/Documents/a.zip", b"PK\x03\x04", "application/zip")

    parts = resolved(
        api.emulator, "claude", file("/alice/Pictures/cat.png"), file("/alice/Documents/a.zip")
    )

    assert [p["type"] for p in parts] == ["image", "container_upload"]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/alice/Documents/missing.png", "Entry not found: path=/alice/Documents/missing.png"),
        ("~/Documents", "Expected a file, got a directory"),
        ("/bob/Documents/secret.png", "Subject does not exist"),
        ("data:image/png", "Invalid data URL"),
    ],
    ids=["missing", "a folder", "another user's", "a bad data URL"],
)
def test_a_file_that_cannot_be_read_is_an_error_text_and_the_call_goes_on(
    api: Api, path: str, reason: str
) -> None:
    api.emulator.add_user("bob", "bob-password")
    store(api, "/bob/Documents/secret.png", PNG, "image/png", user="bob")

    assert resolved(api.emulator, "openai-completion", file(path)) == [
        {"type": "text", "text": error_text(reason)}
    ]
    assert ask(api, "gpt-4o", file(path)) == expected_reply("Look" + error_text(reason), "gpt-4o")


def test_a_file_over_the_provider_limit_is_an_error_text(api: Api) -> None:
    big = "data:image/png;base64," + base64.b64encode(bytes(5_000_001)).decode()

    (part,) = resolved(api.emulator, "openai-completion", file(big))

    assert part["text"] == error_text("input file exceeded maximum of 5000000 bytes")
    assert resolved(api.emulator, "claude", file(big))[0]["type"] == "image"


def test_other_providers_get_the_part_as_sent(api: Api) -> None:
    part = file("/alice/Documents/a.pdf")

    assert resolved(api.emulator, "fake-chat", part) == [part]
    assert ask(api, "fake", part) == expected_reply("Look", "fake", files=1)


def test_a_video_part_is_counted_as_a_video(api: Api) -> None:
    video = {"type": "video_url", "video_url": {"url": "https://assets.puter.site/puppy.mp4"}}

    assert ask(api, "gpt-4o", video) == expected_reply("Look", "gpt-4o", videos=1)


def test_the_written_reply_names_videos_and_files_only_when_there_are_some() -> None:
    assert expected_reply("x", "m") == "You said: x (model=m, turns=1, images=0, audio=0)"
    assert expected_reply("x", "m", videos=2, files=1) == (
        "You said: x (model=m, turns=1, images=0, audio=0, videos=2, files=1)"
    )


def test_the_sent_messages_are_not_changed_by_the_reading(api: Api, client: httpx.Client) -> None:
    store(api, "/alice/Pictures/cat.png", PNG, "image/png")
    part = file("/alice/Pictures/cat.png")
    messages = [{"role": "user", "content": [part]}]

    resolve_file_parts(api.emulator.state, api.emulator.state.users["alice"], "claude", messages)

    assert messages == [{"role": "user", "content": [file("/alice/Pictures/cat.png")]}]
