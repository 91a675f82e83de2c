"""AI beyond chat against the emulator: images, speech, OCR, transcription, voice, video.

Every method runs blocking and async (the ``run`` fixture), keyed (the emulator's
deterministic providers) and in test mode; ``keyless`` answers as a server without
provider keys. Media URLs are served by the emulator itself (``local_media``), so that
fetching them stays offline.
"""

from __future__ import annotations

import base64
import io
import os
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterAPIError,
    PuterBadRequestError,
    PuterConnectionError,
    PuterServerError,
)
from puter_client.emulator import Drop, PuterEmulator
from puter_client.services.media.results import MediaFile
from tests.services.media.conftest import Run
from tests.support.emulated import alice, driver_calls

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(24)
SAMPLE_OCR = "test_mode is enabled; this is a sample OCR response."


def sent_args(emu: PuterEmulator) -> dict[str, Any]:
    """The ``args`` of the last driver call."""
    return driver_calls(emu)[-1].args


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


# ------------------------------------------------------------------------ txt2img


def test_txt2img_returns_the_generated_png(client: PuterAI, run: Run) -> None:
    image = run(client, "txt2img", "a red fox", model="gpt-image-1")

    assert image.content_type == "image/png"
    assert image.url.startswith("data:image/png;base64,")
    assert run(image, "read").startswith(b"\x89PNG\r\n\x1a\n")


def test_txt2img_sends_only_the_options_given(client: PuterAI, v2_emu: PuterEmulator) -> None:
    client.txt2img("a fox", width=512, height=256, quality="low")

    call = driver_calls(v2_emu)[-1].json
    assert call["interface"] == "puter-image-generation" and "driver" not in call
    assert call["args"] == {"prompt": "a fox", "width": 512, "height": 256, "quality": "low"}


def test_test_mode_goes_inside_args_only(client: PuterAI, v2_emu: PuterEmulator) -> None:
    client.txt2img("a fox", test_mode=True)

    call = driver_calls(v2_emu)[-1].json
    assert call["args"]["test_mode"] is True and "test_mode" not in call


def test_txt2img_test_mode_sample_is_fetched_without_the_token(
    client: PuterAI, v2_emu: PuterEmulator, run: Run
) -> None:
    image = run(client, "txt2img", "a fox", test_mode=True)

    assert image.url.endswith("/media-samples/image_example.png")
    assert run(image, "read").startswith(b"\x89PNG")
    fetch = v2_emu.requests_to("/media-samples/image_example.png")[-1]
    assert "authorization" not in fetch.headers


def test_a_generated_image_is_saved_whole(client: PuterAI, tmp_path: Path, run: Run) -> None:
    image = client.txt2img("a fox")

    saved = run(image, "save", tmp_path / "fox.png")

    assert saved == tmp_path / "fox.png" and saved.read_bytes() == image.read()
    assert files_in(tmp_path) == ["fox.png"]


# --------------------------------------------------------------------- txt2speech


def test_txt2speech_holds_raw_audio_as_bytes(client: PuterAI, run: Run) -> None:
    audio = run(client, "txt2speech", "Hello there", voice="Joanna")

    assert audio.url is None and audio.content_type == "audio/wav"
    with wave.open(io.BytesIO(run(audio, "read"))) as clip:
        assert clip.getnframes() > 0


def test_txt2speech_save_to_streams_the_audio_into_the_file(
    client: PuterAI, tmp_path: Path, run: Run
) -> None:
    target = tmp_path / "hello.wav"

    audio = run(client, "txt2speech", "Hello there", save_to=target)

    assert audio.path == target and audio.url is None
    assert target.read_bytes()[:4] == b"RIFF" and run(audio, "read") == target.read_bytes()
    assert files_in(tmp_path) == ["hello.wav"]


def test_txt2speech_test_mode_answers_the_sample_url(client: PuterAI, run: Run) -> None:
    audio = run(client, "txt2speech", "Hello", test_mode=True)

    assert audio.url.endswith("/media-samples/tts_example.mp3")
    assert audio.content_type == "audio/mpeg"  # the server says only "audio"
    assert run(audio, "read")[:2] == b"\xff\xfb"


def test_txt2speech_test_mode_with_save_to_downloads_the_sample(
    client: PuterAI, tmp_path: Path
) -> None:
    audio = client.txt2speech("Hello", test_mode=True, save_to=tmp_path / "s.mp3")

    assert audio.path == tmp_path / "s.mp3"
    assert (tmp_path / "s.mp3").read_bytes()[:2] == b"\xff\xfb"
    assert files_in(tmp_path) == ["s.mp3"]


# ---------------------------------------------------------------------------- OCR


def test_ocr_sends_the_image_as_a_data_url_and_types_the_blocks(
    client: PuterAI, v2_emu: PuterEmulator, run: Run
) -> None:
    result = run(client, "ocr", PNG)

    source = sent_args(v2_emu)["source"]
    assert source == "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert result.blocks[0].type == "text/textract:LINE" and result.blocks[0].confidence == 99.5
    assert result.text == result.blocks[0].text


def test_ocr_takes_every_form_chat_images_take(
    client: PuterAI, v2_emu: PuterEmulator, tmp_path: Path
) -> None:
    path = tmp_path / "scan.png"
    path.write_bytes(PNG)
    part = {"type": "image_url", "image_url": {"url": "https://example.com/scan.png"}}

    for image in (path, str(path), io.BytesIO(PNG), (PNG, "image/png"), part):
        client.ocr(image)
        assert sent_args(v2_emu)["source"].startswith(("data:image/png", "https://example.com"))


def test_img2txt_joins_the_block_texts(client: PuterAI, run: Run) -> None:
    assert run(client, "img2txt", PNG, test_mode=True) == SAMPLE_OCR


def test_ocr_with_mistral_keeps_the_whole_answer(client: PuterAI) -> None:
    result = client.ocr(PNG, provider="mistral")

    assert result.result.model == "mistral-ocr-latest" and result.result.pages


# ----------------------------------------------------------------- speech to text


def test_speech2txt_transcribes_with_words_and_timings(
    client: PuterAI, v2_emu: PuterEmulator, run: Run
) -> None:
    transcript = run(client, "speech2txt", WAV, language="en", prompt="names: Ada")

    assert transcript.text.startswith("Transcribed audio")
    assert transcript.language == "en" and transcript.duration == 2
    assert [w.text for w in transcript.words] == transcript.text.split()
    args = sent_args(v2_emu)
    assert args["file"].startswith("data:audio/wav;base64,")
    assert args["language"] == "en" and args["prompt"] == "names: Ada"
    assert driver_calls(v2_emu)[-1].method_name == "transcribe"


def test_speech2txt_translate_calls_the_translate_method(
    client: PuterAI, v2_emu: PuterEmulator, run: Run
) -> None:
    transcript = run(client, "speech2txt", WAV, translate=True, test_mode=True)

    assert transcript.model == "whisper-1" and transcript.text.startswith("Hello!")
    assert driver_calls(v2_emu)[-1].method_name == "translate"


def test_speech2txt_reads_the_xai_shape(client: PuterAI) -> None:
    transcript = client.speech2txt(WAV, provider="xai", test_mode=True)

    assert transcript.language == "English" and transcript.duration == 2


def test_an_audio_url_is_passed_through(client: PuterAI, v2_emu: PuterEmulator) -> None:
    client.speech2txt("https://example.com/talk.mp3")

    assert sent_args(v2_emu)["file"] == "https://example.com/talk.mp3"


# ------------------------------------------------------------ speech2speech, video


def test_speech2speech_answers_raw_audio(client: PuterAI, v2_emu: PuterEmulator, run: Run) -> None:
    audio = run(client, "speech2speech", WAV, voice="Rachel")

    assert audio.content_type == "audio/wav" and run(audio, "read")[:4] == b"RIFF"
    assert sent_args(v2_emu)["voice"] == "Rachel"


def test_speech2speech_test_mode_answers_the_sample(client: PuterAI, run: Run) -> None:
    audio = run(client, "speech2speech", WAV, test_mode=True)

    assert audio.content_type == "audio/mpeg" and run(audio, "read")[:2] == b"\xff\xfb"


def test_txt2vid_answers_a_video_url(client: PuterAI, v2_emu: PuterEmulator, run: Run) -> None:
    video = run(client, "txt2vid", "waves", seconds=4, size="1280x720")

    assert video.content_type == "video/mp4" and "/media-samples/generated/" in video.url
    assert run(video, "read")[4:8] == b"ftyp"
    assert sent_args(v2_emu) == {"prompt": "waves", "seconds": 4, "size": "1280x720"}


def test_txt2vid_test_mode_answers_the_sample(client: PuterAI, run: Run) -> None:
    video = run(client, "txt2vid", "waves", test_mode=True)

    assert video.url.endswith("/media-samples/txt2vid.mp4")


def test_without_local_media_the_urls_are_the_real_hosts(v2_emu: PuterEmulator, run: Run) -> None:
    with alice(rate_limit_requests=1000) as client:
        video = run(client, "txt2vid", "waves", test_mode=True)

    assert video.url == "https://assets.puter.site/txt2vid.mp4"


# ------------------------------------------------------------------------ keyless


KEYLESS = [
    ("txt2img", ("x",), {"test_mode": True}, PuterBadRequestError, 400, "Missing `model`"),
    ("txt2img", ("x",), {"model": "gpt-image-1"}, PuterBadRequestError, 400,
     "Model not found: gpt-image-1"),
    ("txt2speech", ("x",), {"test_mode": True}, PuterBadRequestError, 400,
     "TTS provider not configured: aws-polly. Available: "),
    ("ocr", (PNG,), {}, PuterServerError, 500, "No OCR provider configured"),
    ("img2txt", (PNG,), {"provider": "mistral"}, PuterServerError, 500,
     "Mistral OCR not configured"),
    ("speech2txt", (WAV,), {}, PuterServerError, 500, "OpenAI API key not configured"),
    ("speech2speech", (WAV,), {}, PuterServerError, 500, "ElevenLabs API key not configured"),
    ("txt2vid", ("x",), {"test_mode": True}, PuterServerError, 500, "Internal Server Error"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "args", "kwargs", "error", "status", "message"),
    KEYLESS,
    ids=[f"{m}-{i}" for i, (m, *_) in enumerate(KEYLESS)],
)
def test_a_keyless_server_raises_its_typed_error(
    client: PuterAI,
    v2_emu: PuterEmulator,
    run: Run,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    error: type[PuterAPIError],
    status: int,
    message: str,
) -> None:
    v2_emu.state.options.keyless = True

    with pytest.raises(error) as raised:
        run(client, method, *args, **kwargs)

    assert raised.value.status_code == status and raised.value.message == message
    assert raised.value.code == ("bad_request" if status == 400 else "internal_error")


@pytest.mark.parametrize(
    ("method", "args"), [("img2txt", (PNG,)), ("speech2txt", (WAV,)), ("speech2speech", (WAV,))]
)
def test_test_mode_works_without_keys_where_the_server_allows(
    client: PuterAI, v2_emu: PuterEmulator, run: Run, method: str, args: tuple[Any, ...]
) -> None:
    v2_emu.state.options.keyless = True

    assert run(client, method, *args, test_mode=True)


# ------------------------------------------------------------------------- faults


@pytest.mark.parametrize("status", [503, 429])
def test_busy_answers_are_retried(
    client: PuterAI, v2_emu: PuterEmulator, run: Run, status: int
) -> None:
    v2_emu.inject("/drivers/call", status=status, retry_after="0", times=2)

    assert run(client, "txt2speech", "Hello").read()[:4] == b"RIFF"
    assert [r.status for r in driver_calls(v2_emu)] == [status, status, 200]


def test_a_dropped_generation_is_not_repeated(client: PuterAI, v2_emu: PuterEmulator) -> None:
    v2_emu.inject("/drivers/call", Drop(), times=1)

    with pytest.raises(PuterConnectionError):
        client.txt2img("a fox")  # it may have been made (and paid for): not sent again
    assert len(driver_calls(v2_emu)) == 1


def test_a_dropped_recognition_is_retried(client: PuterAI, v2_emu: PuterEmulator) -> None:
    v2_emu.inject("/drivers/call", Drop(), times=1)

    assert client.img2txt(PNG, test_mode=True) == SAMPLE_OCR
    assert len(driver_calls(v2_emu)) == 2


def test_speech_cut_off_mid_body_leaves_no_file(
    client: PuterAI, v2_emu: PuterEmulator, tmp_path: Path, run: Run
) -> None:
    v2_emu.inject("/drivers/call", Drop(after_bytes=1000), times=1)

    with pytest.raises(PuterConnectionError):
        run(client, "txt2speech", "Hello there", save_to=tmp_path / "cut.wav")

    assert files_in(tmp_path) == []


def test_a_download_cut_off_mid_body_leaves_no_file(
    client: PuterAI, v2_emu: PuterEmulator, tmp_path: Path, run: Run
) -> None:
    audio = client.txt2speech("Hello", test_mode=True)
    v2_emu.inject("/media-samples/tts_example.mp3", Drop(after_bytes=100), times=None)

    with pytest.raises(PuterConnectionError):
        run(audio, "save", tmp_path / "sample.mp3")

    assert files_in(tmp_path) == []
    assert len(v2_emu.requests_to("/media-samples/tts_example.mp3")) == 4  # retried


def test_a_download_cut_off_once_is_retried_whole(
    client: PuterAI, v2_emu: PuterEmulator, tmp_path: Path
) -> None:
    audio = client.txt2speech("Hello", test_mode=True)
    v2_emu.inject("/media-samples/tts_example.mp3", Drop(after_bytes=100), times=1)

    saved = audio.save(tmp_path / "sample.mp3")

    assert saved.stat().st_size % 417 == 0 and files_in(tmp_path) == ["sample.mp3"]


def test_a_missing_download_raises_not_found(client: PuterAI, v2_emu: PuterEmulator) -> None:
    image = client.txt2img("a fox", test_mode=True)
    v2_emu.inject("/media-samples/image_example.png", status=404, times=None)

    with pytest.raises(PuterAPIError) as raised:
        image.read()

    assert raised.value.status_code == 404


# ------------------------------------------------------------------ bad input


def too_big(tmp_path: Path, size: int) -> Path:
    path = tmp_path / "big.wav"
    with path.open("wb") as file:
        file.write(WAV)
        file.truncate(size)  # sparse: nothing this big is ever read
    return path


BAD_INPUT: list[tuple[str, Callable[[Path], tuple[tuple[Any, ...], dict[str, Any]]], type, str]] = [
    ("txt2img", lambda _: (("",), {}), ValueError, "prompt must not be empty"),
    ("txt2img", lambda _: ((42,), {}), TypeError, "prompt must be a str"),
    ("txt2img", lambda _: (("x",), {"width": 512}), ValueError, "width and height go together"),
    ("txt2img", lambda _: (("x",), {"width": 0, "height": 5}), ValueError, "width must be > 0"),
    ("txt2img", lambda _: (("x",), {"test_mode": "yes"}), TypeError, "test_mode must be True"),
    ("txt2speech", lambda _: (("x" * 3001,), {}), ValueError, "the limit is 3,000"),
    ("txt2speech", lambda p: (("x",), {"save_to": p}), ValueError, "is a folder"),
    ("ocr", lambda _: ((b"not an image",), {}), ValueError, "image: not a recognised image"),
    ("ocr", lambda p: ((too_big(p, 11 << 20).with_suffix(".wav"),), {}), ValueError,
     "over the limit of 10,485,760 bytes"),
    ("speech2txt", lambda _: ((42,), {}), TypeError, "audio must be a file path"),
    ("speech2txt", lambda p: ((too_big(p, 26 << 20),), {}), ValueError, "(25 MB)"),
    ("speech2txt", lambda _: ((WAV,), {"translate": 1}), TypeError, "translate must be"),
    ("speech2speech", lambda _: ((PNG,), {}), ValueError, "audio: not a recognised audio"),
    ("txt2vid", lambda _: (("x",), {"seconds": float("nan")}), ValueError, "seconds must be"),
    ("txt2vid", lambda _: (("x",), {"model": " "}), ValueError, "model must not be empty"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("method", "make", "error", "message"),
    BAD_INPUT,
    ids=[f"{m}-{i}" for i, (m, *_) in enumerate(BAD_INPUT)],
)
def test_bad_input_is_refused_before_any_request(
    client: PuterAI,
    v2_emu: PuterEmulator,
    tmp_path: Path,
    run: Run,
    method: str,
    make: Callable[[Path], tuple[tuple[Any, ...], dict[str, Any]]],
    error: type[Exception],
    message: str,
) -> None:
    args, kwargs = make(tmp_path)

    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        run(client, method, *args, **kwargs)

    assert driver_calls(v2_emu) == []


def test_media_files_say_what_they_hold(client: PuterAI, tmp_path: Path) -> None:
    held = client.txt2speech("Hello")
    saved = client.txt2speech("Hello", save_to=tmp_path / "a.wav")

    assert isinstance(held, MediaFile)
    assert "8,044 bytes" in repr(held) and "a.wav" in repr(saved)
    assert os.fspath(saved.save(tmp_path / "a.wav")) == os.fspath(tmp_path / "a.wav")
