"""Audio, video and files as chat input (issue 20, item 6), blocking and async, against the
emulator: the content parts sent are puter.js's and the server's (``input_audio``,
``video_url``, ``file`` with ``puter_path``), local inputs are read and sent inline, files
of the Puter file system are named by path for the server to read, and bad input is
refused before any request."""

from __future__ import annotations

import asyncio
import base64
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter import PuterAI
from puter.exceptions import PuterInputError, PuterInputTypeError
from puter.types import PuterPath
from puter_client.emulator import PuterEmulator
from puter_client.services.chat.content import build_user_content, coerce_file
from tests.support.emulated import (
    PNG_1X1,
    alice,
    chat_calls,
    last_user_content,
    reply,
)
from tests.support.hypothesis_profiles import examples

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28)
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + bytes(32)
MP4 = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + bytes(16)
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
VIDEO_URL = "https://assets.puter.site/puppy.mp4"


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def send(client: PuterAI, face: str, prompt: str | None = "What is this?", **media: Any) -> str:
    if face == "sync":
        return client.chat(prompt, "fake", **media)
    return asyncio.run(client.async_chat(prompt, "fake", **media))


@pytest.fixture(params=["sync", "async"])
def face(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def sent(emu: PuterEmulator) -> Any:
    return last_user_content(chat_calls(emu)[-1])


# --- what is sent ------------------------------------------------------------------------


def test_a_local_audio_file_is_sent_as_an_input_audio_part(
    emu: PuterEmulator, face: str, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.wav"
    clip.write_bytes(WAV)
    with alice() as client:
        answer = send(client, face, audio=[clip])

    assert sent(emu) == [
        {"type": "text", "text": "What is this?"},
        {"type": "input_audio", "input_audio": {"data": b64(WAV), "format": "wav"}},
    ]
    assert answer == reply("What is this?", "fake", audio=1)


@pytest.mark.parametrize(
    ("item", "audio_format"),
    [
        (MP3, "mp3"),
        ((b"fLaC" + bytes(30), "audio/flac"), "flac"),
        ("data:audio/ogg;base64," + b64(b"OggS" + bytes(20)), "ogg"),
        (lambda: io.BytesIO(WAV), "wav"),
    ],
    ids=["mp3 bytes", "flac tuple", "ogg data URL", "wav file object"],
)
def test_audio_in_every_local_form_names_its_format(
    emu: PuterEmulator, item: Any, audio_format: str
) -> None:
    with alice() as client:
        client.chat("Transcribe", "fake", audio=[item() if callable(item) else item])

    part = sent(emu)[1]
    assert part["type"] == "input_audio"
    assert part["input_audio"]["format"] == audio_format


def test_a_video_url_is_sent_as_puter_js_sends_it(emu: PuterEmulator, face: str) -> None:
    with alice() as client:
        answer = send(client, face, videos=[VIDEO_URL])

    assert sent(emu)[1] == {"type": "video_url", "video_url": {"url": VIDEO_URL}}
    assert answer == reply("What is this?", "fake", videos=1)


def test_a_local_video_is_sent_as_a_data_url(emu: PuterEmulator, tmp_path: Path) -> None:
    movie = tmp_path / "movie.mp4"
    movie.write_bytes(MP4)
    with alice() as client:
        client.chat("What happens?", "fake", videos=[movie])

    assert sent(emu)[1] == {
        "type": "video_url",
        "video_url": {"url": "data:video/mp4;base64," + b64(MP4)},
    }


def test_a_local_pdf_is_sent_inline_as_a_file_part(
    emu: PuterEmulator, face: str, tmp_path: Path
) -> None:
    report = tmp_path / "report.pdf"
    report.write_bytes(PDF)
    with alice() as client:
        answer = send(client, face, "Summarise it", files=[report])

    assert sent(emu)[1] == {
        "type": "file",
        "puter_path": "data:application/pdf;base64," + b64(PDF),
    }
    assert answer == reply("Summarise it", "fake", files=1)


@pytest.mark.parametrize(
    ("name", "data", "media_type"),
    [
        ("notes.csv", b"a,b\n1,2\n", "text/csv"),
        ("notes", b"plain words\n", "text/plain"),
        ("blob", b"\x00\x01\x02\xff", "application/octet-stream"),
    ],
)
def test_a_local_file_has_the_type_its_bytes_or_name_tell(
    tmp_path: Path, name: str, data: bytes, media_type: str
) -> None:
    path = tmp_path / name
    path.write_bytes(data)

    part = coerce_file(path)

    assert part["puter_path"] == f"data:{media_type};base64,{b64(data)}"


def test_a_puter_path_is_sent_for_the_server_to_read(emu: PuterEmulator, face: str) -> None:
    with alice() as client:
        send(client, face, "Summarise it", files=[PuterPath("Documents/report.pdf")])

    assert sent(emu)[1] == {"type": "file", "puter_path": "~/Documents/report.pdf"}


def test_an_fs_entry_is_sent_by_its_path(emu: PuterEmulator) -> None:
    with alice() as client:
        entry = client.fs.write("~/Pictures/cat.png", PNG_1X1)
        client.chat("What is this?", "fake", images=[entry], audio=[PuterPath("/alice/a.wav")])

    assert sent(emu)[1:] == [
        {"type": "file", "puter_path": "/alice/Pictures/cat.png"},
        {"type": "file", "puter_path": "/alice/a.wav"},
    ]


def test_media_go_after_the_prompt_in_a_fixed_order(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat(
            "All of it",
            "fake",
            files=[PuterPath("~/a.pdf")],
            videos=[VIDEO_URL],
            audio=[WAV],
            images=[PNG_1X1],
        )

    assert [part["type"] for part in sent(emu)] == [
        "text",
        "image_url",
        "input_audio",
        "video_url",
        "file",
    ]


def test_media_without_a_prompt_send_only_the_media() -> None:
    assert build_user_content(None, audio=[WAV]) == [
        {"type": "input_audio", "input_audio": {"data": b64(WAV), "format": "wav"}}
    ]


def test_ready_part_dicts_are_checked_and_sent(emu: PuterEmulator) -> None:
    audio = {"type": "input_audio", "input_audio": {"data": b64(WAV), "format": "wav"}}
    video = {"type": "video_url", "video_url": {"url": VIDEO_URL}}
    file = {"type": "file", "puter_path": "/alice/Documents/a.pdf"}
    with alice() as client:
        client.chat("Look", "fake", audio=[audio], videos=[video], files=[file])

    assert sent(emu)[1:] == [audio, video, file]


def test_the_stream_and_the_history_carry_the_media(emu: PuterEmulator) -> None:
    with alice() as client, client.chat_stream("Hear", "fake", audio=[WAV]) as stream:
        text = "".join(stream)
        history = client.chat_history

    assert text == reply("Hear", "fake", audio=1)
    assert history[0]["content"][1]["type"] == "input_audio"


# --- refused before any request ---------------------------------------------------------


REFUSALS: list[tuple[str, dict[str, Any], type[Exception], str]] = [
    ("a lone audio path", {"audio": "clip.wav"}, ValueError, "audio must be a list"),
    ("a lone PuterPath", {"files": PuterPath("~/a.pdf")}, ValueError, "files must be a list"),
    ("an audio URL", {"audio": ["https://x.test/a.mp3"]}, ValueError, "does not fetch audio"),
    ("a file URL", {"files": ["https://x.test/a.pdf"]}, ValueError, "does not fetch file"),
    ("an image as audio", {"audio": [PNG_1X1]}, ValueError, r"audio\[0\]: not a recognised"),
    ("a video data URL of audio", {"videos": ["data:audio/wav;base64,AAAA"]}, ValueError,
     r"videos\[0\]"),
    ("an empty file", {"files": [b""]}, ValueError, r"files\[0\]: the file data is empty"),
    ("a missing local file", {"files": [Path("/nonexistent/a.pdf")]}, ValueError,
     "file not found"),
    ("an object", {"files": [object()]}, ValueError, "unsupported input of type object"),
    ("a part of another type", {"videos": [{"type": "image_url"}]}, ValueError,
     "must be a video part"),
    ("a file part without a path", {"files": [{"type": "file", "puter_path": ""}]},
     ValueError, "puter_path"),
    ("an audio part without data", {"audio": [{"type": "input_audio", "input_audio": {}}]},
     ValueError, "input_audio.data"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "kind", "message"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
def test_bad_media_are_refused_before_any_request(
    emu: PuterEmulator, face: str, args: dict[str, Any], kind: type[Exception], message: str
) -> None:
    with alice() as client, pytest.raises(kind, match=message) as caught:
        send(client, face, **args)

    assert caught.value.code == "invalid_arguments"  # type: ignore[attr-defined]
    assert chat_calls(emu) == []
    assert client.chat_history == []


def test_a_puter_path_the_server_would_refuse_is_refused_at_once() -> None:
    with pytest.raises(PuterInputError) as caught:
        PuterPath("~/a/../b.pdf")
    assert caught.value.code == "bad_request"
    with pytest.raises(PuterInputTypeError):
        PuterPath(5)  # type: ignore[arg-type]


def test_a_folder_entry_is_refused(emu: PuterEmulator) -> None:
    with alice() as client:
        folder = client.fs.stat("~/Documents")
        with pytest.raises(PuterInputError, match="is a folder"):
            client.chat("Read", "fake", files=[folder])

    assert chat_calls(emu) == []


def test_media_with_tool_results_are_refused(emu: PuterEmulator) -> None:
    with alice() as client, pytest.raises(PuterInputError, match="tool_results goes alone"):
        client.chat(None, "fake", tool_results={"call_1": "x"}, audio=[WAV])


# --- properties -------------------------------------------------------------------------


@given(data=st.binary(min_size=1, max_size=200))
@settings(max_examples=examples(25), suppress_health_check=[HealthCheck.too_slow])
def test_audio_bytes_round_trip_through_the_part(data: bytes) -> None:
    part = build_user_content(None, audio=[(data, "audio/wav")])[0]

    assert isinstance(part, dict)
    assert base64.b64decode(part["input_audio"]["data"]) == data


@given(data=st.binary(min_size=1, max_size=200), subtype=st.sampled_from(["pdf", "zip", "json"]))
@settings(max_examples=examples(25))
def test_file_bytes_round_trip_through_the_data_url(data: bytes, subtype: str) -> None:
    part = coerce_file((data, f"application/{subtype}"))

    header, _, payload = part["puter_path"].partition(",")
    assert header == f"data:application/{subtype};base64"
    assert base64.b64decode(payload) == data


@given(path=st.from_regex(r"[a-z][a-z0-9_-]{0,8}(/[a-z][a-z0-9_.-]{0,8}){0,3}", fullmatch=True))
@settings(max_examples=examples(25))
def test_a_relative_puter_path_is_sent_from_the_home_folder(path: str) -> None:
    assert coerce_file(PuterPath(path)) == {"type": "file", "puter_path": f"~/{path}"}
