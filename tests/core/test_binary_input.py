"""binary_input: paths, bytes, file objects and URLs as data URLs of a kind (image, audio)."""

from __future__ import annotations

import base64
import io
import pathlib
from collections.abc import Callable

import pytest
from hypothesis import given
from hypothesis import strategies as st

from puter_client.core.binary_input import (
    AUDIO,
    IMAGE,
    InvalidInput,
    data_url_size,
    sniff_audio_type,
    to_url,
)

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(24)

# The smallest headers that identify each audio format (bodies are filler).
AUDIO_SAMPLES: dict[str, bytes] = {
    "audio/wav": WAV,
    "audio/mpeg": b"ID3\x04\x00\x00\x00\x00\x00\x00" + bytes(16),
    "audio/aac": b"\xff\xf1\x50\x80" + bytes(16),
    "audio/ogg": b"OggS\x00\x02" + bytes(20),
    "audio/flac": b"fLaC\x00\x00\x00\x22" + bytes(16),
    "audio/webm": b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81" + bytes(16),
    "audio/mp4": b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00" + bytes(16),
    "audio/aiff": b"FORM\x00\x00\x00\x20AIFF" + bytes(16),
    "audio/amr": b"#!AMR\n" + bytes(16),
    "audio/midi": b"MThd\x00\x00\x00\x06" + bytes(16),
}


def decoded(url: str) -> tuple[str, bytes]:
    header, _, payload = url.partition(",")
    return header[5:].split(";")[0], base64.b64decode(payload, validate=True)


@pytest.mark.parametrize(("mime", "data"), sorted(AUDIO_SAMPLES.items()))
def test_audio_formats_are_recognised_by_their_magic_bytes(mime: str, data: bytes) -> None:
    assert sniff_audio_type(data) == mime


def test_a_bare_mp3_frame_is_recognised() -> None:
    assert sniff_audio_type(b"\xff\xfb\x90\x64" + bytes(32)) == "audio/mpeg"


def test_an_image_is_not_audio() -> None:
    assert sniff_audio_type(b"\x89PNG\r\n\x1a\n" + bytes(16)) is None


def test_audio_bytes_become_an_audio_data_url() -> None:
    url = to_url(WAV, AUDIO)
    assert url is not None and decoded(url) == ("audio/wav", WAV)


def test_an_audio_file_is_read_by_path(tmp_path: pathlib.Path) -> None:
    clip = tmp_path / "clip.bin"
    clip.write_bytes(WAV)
    url = to_url(str(clip), AUDIO)
    assert url is not None and decoded(url) == ("audio/wav", WAV)


def test_the_extension_names_audio_the_magic_bytes_do_not_know(tmp_path: pathlib.Path) -> None:
    clip = tmp_path / "clip.mp3"
    clip.write_bytes(b"\x00" * 32)
    url = to_url(clip, AUDIO)
    assert url is not None and decoded(url)[0] == "audio/mpeg"


def test_an_image_given_as_audio_is_refused_with_the_audio_words() -> None:
    with pytest.raises(InvalidInput, match=r"not a recognised audio format; pass \(data, 'audio/"):
        to_url(b"\x89PNG\r\n\x1a\n" + bytes(16), AUDIO)


def test_an_audio_tuple_names_its_type() -> None:
    url = to_url((b"raw pcm", "audio/L16; rate=16000"), AUDIO)
    assert url is not None and decoded(url) == ("audio/l16", b"raw pcm")


def test_a_tuple_with_an_image_type_is_not_audio() -> None:
    with pytest.raises(InvalidInput, match=r"not an audio type \(audio/\.\.\.\)"):
        to_url((b"x", "image/png"), AUDIO)


def test_an_audio_data_url_is_passed_through_checked() -> None:
    url = "data:audio/wav;base64," + base64.b64encode(WAV).decode()
    assert to_url(url, AUDIO) == url
    with pytest.raises(InvalidInput, match=r"not audio/\*"):
        to_url(url.replace("audio/wav", "image/png"), AUDIO)


def test_an_http_url_is_passed_through_unfetched() -> None:
    assert to_url("https://example.com/talk.mp3", AUDIO) == "https://example.com/talk.mp3"


def test_an_empty_string_is_not_audio() -> None:
    with pytest.raises(InvalidInput, match="an empty string is not audio"):
        to_url("", AUDIO)


def test_a_directory_is_not_an_audio_file(tmp_path: pathlib.Path) -> None:
    with pytest.raises(InvalidInput, match="is a directory, not an audio file"):
        to_url(tmp_path, AUDIO)


def test_other_objects_are_left_to_the_caller() -> None:
    assert to_url(42, AUDIO) is None
    assert to_url({"url": "https://example.com/a.mp3"}, AUDIO) is None


@pytest.mark.parametrize(
    "make",
    [
        lambda data, path: data,
        lambda data, path: io.BytesIO(data),
        lambda data, path: path,
        lambda data, path: "data:audio/wav;base64," + base64.b64encode(data).decode(),
    ],
    ids=["bytes", "file object", "path", "data URL"],
)
def test_input_over_the_limit_is_refused_naming_the_limit(
    make: Callable[[bytes, pathlib.Path], object], tmp_path: pathlib.Path
) -> None:
    data = WAV + bytes(100)
    path = tmp_path / "big.wav"
    path.write_bytes(data)
    with pytest.raises(InvalidInput, match=r"over the limit of 64 bytes"):
        to_url(make(data, path), AUDIO, max_bytes=64)
    assert to_url(make(data, path), AUDIO, max_bytes=len(data)) is not None


def test_a_file_over_the_limit_is_refused_before_it_is_read(
    tmp_path: pathlib.Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "huge.wav"
    path.write_bytes(WAV + bytes(1000))

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the file was opened")

    monkeypatch.setattr("builtins.open", refuse)
    with pytest.raises(InvalidInput, match="over the limit"):
        to_url(path, AUDIO, max_bytes=100)


def test_image_kind_still_takes_images() -> None:
    url = to_url(b"\x89PNG\r\n\x1a\n" + bytes(8), IMAGE)
    assert url is not None and url.startswith("data:image/png;base64,")


@given(st.sampled_from(sorted(AUDIO_SAMPLES.values())), st.binary(max_size=200))
def test_audio_round_trips_through_its_data_url(head: bytes, tail: bytes) -> None:
    data = head + tail
    url = to_url(data, AUDIO)
    assert url is not None
    mime, payload = decoded(url)
    assert payload == data and mime == sniff_audio_type(data)
    assert data_url_size(url) == len(data)


def test_a_long_missing_path_is_named_whole_in_the_error(tmp_path: pathlib.Path) -> None:
    missing = tmp_path / ("deep-folder-name-" * 8) / "missing.png"
    with pytest.raises(ValueError) as error:
        to_url(missing.as_posix(), IMAGE)
    assert missing.as_posix() in str(error.value)


def test_a_long_data_url_is_shortened_in_the_error() -> None:
    url = "data:image/png;base64," + "A" * 5000 + "!"
    with pytest.raises(ValueError) as error:
        to_url(url, IMAGE)
    assert len(str(error.value)) < 400
