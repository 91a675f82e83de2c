"""Which provider generates (``driver``/``provider`` hints of ``txt2img``/``txt2vid``) and
where the server also saves the result (``puter_output_path``), blocking and async, against
the emulator answering as the server's image and video drivers do (issue 20, item 6)."""

from __future__ import annotations

from typing import Any

import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterBadRequestError,
    PuterConflictError,
    PuterInputError,
    PuterInputTypeError,
    PuterPermissionError,
)
from puter_client.emulator import PuterEmulator
from puter_client.emulator.services.media.files import mp4, png
from tests.services.media.conftest import Run
from tests.support.emulated import alice, driver_calls


def last_call(emu: PuterEmulator) -> dict[str, Any]:
    call: dict[str, Any] = driver_calls(emu)[-1].json
    return call


def billed(client: PuterAI) -> set[str]:
    return {kind for kind in client.usage().by_type if not kind.startswith("storage")}


# --- which provider ---------------------------------------------------------------------


def test_without_a_hint_no_driver_is_named_and_the_default_provider_answers(
    client: PuterAI, v2_emu: PuterEmulator, run: Run
) -> None:
    run(client, "txt2img", "a fox")

    assert "driver" not in last_call(v2_emu)
    assert billed(client) == {"openai:gpt-image-1:image"}


@pytest.mark.parametrize("hint", ["xai", "XAI", "xai-image-generation"])
def test_a_driver_hint_names_the_provider_by_its_id(
    client: PuterAI, v2_emu: PuterEmulator, run: Run, hint: str
) -> None:
    run(client, "txt2img", "a fox", driver=hint)

    assert last_call(v2_emu)["driver"] == "xai-image-generation"
    assert billed(client) == {"xai:grok-imagine-image:image"}


def test_a_provider_hint_is_sent_in_the_arguments_by_its_id(
    client: PuterAI, v2_emu: PuterEmulator, run: Run
) -> None:
    run(client, "txt2img", "a fox", provider="gemini")

    assert last_call(v2_emu)["args"]["provider"] == "gemini-image-generation"
    assert billed(client) == {"gemini:gemini-2.5-flash-image-preview:image"}


def test_an_unknown_provider_name_is_sent_as_given(client: PuterAI, v2_emu: PuterEmulator) -> None:
    with pytest.raises(PuterBadRequestError, match="Missing `model`"):
        client.txt2img("a fox", provider="acme")

    assert last_call(v2_emu)["args"]["provider"] == "acme"


def test_naming_the_ai_image_driver_without_a_model_is_the_servers_400(
    client: PuterAI,
) -> None:
    # What puter.js sends for txt2img(prompt): the server then has no provider to ask.
    with pytest.raises(PuterBadRequestError, match="Missing `model`"):
        client.txt2img("a fox", driver="ai-image")

    assert client.txt2img("a fox", driver="ai-image", model="dall-e-3").url


def test_a_video_driver_hint_routes_to_that_provider(
    client: PuterAI, v2_emu: PuterEmulator, run: Run
) -> None:
    run(client, "txt2vid", "waves", driver="gemini")

    assert last_call(v2_emu)["driver"] == "gemini-video-generation"
    assert billed(client) == {"gemini:veo-3.0-generate-001:second"}


def test_a_video_without_a_hint_comes_from_the_default_provider(client: PuterAI, run: Run) -> None:
    run(client, "txt2vid", "waves")

    assert billed(client) == {"openai:sora-2:second"}


# --- puter_output_path ------------------------------------------------------------------


def test_an_image_is_also_saved_where_puter_output_path_says(
    client: PuterAI, v2_emu: PuterEmulator, run: Run
) -> None:
    image = run(client, "txt2img", "a fox", puter_output_path="Pictures/gen/fox.png")

    assert last_call(v2_emu)["args"]["puter_output_path"] == "~/Pictures/gen/fox.png"
    assert client.fs.read_bytes("~/Pictures/gen/fox.png") == image.read() == png("a fox")
    entry = client.fs.stat("~/Pictures/gen/fox.png")
    assert entry.content_type == "image/png"


def test_the_test_mode_sample_is_saved_too(client: PuterAI, run: Run) -> None:
    image = run(client, "txt2img", "a fox", test_mode=True, puter_output_path="~/sample.png")

    assert image.url.endswith("/image_example.png")
    assert client.fs.read_bytes("~/sample.png") == image.read()


def test_a_saved_file_replaces_one_of_the_same_name(client: PuterAI) -> None:
    client.fs.write("~/Pictures/fox.png", b"old")

    client.txt2img("a fox", puter_output_path="/alice/Pictures/fox.png")

    assert client.fs.read_bytes("~/Pictures/fox.png") == png("a fox")


def test_a_video_is_also_saved_where_puter_output_path_says(client: PuterAI, run: Run) -> None:
    video = run(client, "txt2vid", "waves", puter_output_path="~/Videos/waves.mp4")

    assert video.url.endswith(".mp4")
    assert client.fs.read_bytes("~/Videos/waves.mp4") == mp4()
    assert client.fs.stat("~/Videos/waves.mp4").content_type == "video/mp4"


def test_a_destination_outside_the_home_is_refused_before_anything_is_made(
    client: PuterAI, v2_emu: PuterEmulator
) -> None:
    v2_emu.add_user("bob", "bob-password")
    with pytest.raises(PuterPermissionError) as caught:
        client.txt2img("a fox", puter_output_path="/bob/Pictures/fox.png")

    assert caught.value.code == "access_denied"
    assert billed(client) == set()


def test_a_folder_at_the_destination_is_the_servers_409(client: PuterAI) -> None:
    client.fs.mkdir("~/Pictures/fox.png")

    with pytest.raises(PuterConflictError) as caught:
        client.txt2img("a fox", puter_output_path="~/Pictures/fox.png")

    assert caught.value.code == "cannot_overwrite_a_directory"


REFUSALS: list[tuple[str, Any, type[Exception], str]] = [
    ("the root", "/", PuterInputError, "cannot_write_to_root"),
    ("a top-level file", "/fox.png", PuterInputError, "cannot_write_to_root"),
    ("the home itself", "~", PuterInputError, "cannot_write_to_root"),
    ("a dot-dot segment", "~/a/../fox.png", PuterInputError, "bad_request"),
    ("a double slash", "~/a//fox.png", PuterInputError, "bad_request"),
    ("white space around", " ~/fox.png", PuterInputError, "field_invalid"),
    ("an empty path", "", PuterInputError, "invalid_arguments"),
    ("a number", 5, PuterInputTypeError, "field_invalid"),
]


@pytest.mark.parametrize(("path", "kind", "code"), [r[1:] for r in REFUSALS],
                         ids=[r[0] for r in REFUSALS])  # fmt: skip
@pytest.mark.parametrize("method", ["txt2img", "txt2vid"])
def test_a_bad_destination_is_refused_before_any_request(
    client: PuterAI, v2_emu: PuterEmulator, method: str, path: Any, kind: type[Exception], code: str
) -> None:
    with pytest.raises(kind) as caught:
        getattr(client, method)("a fox", puter_output_path=path)

    assert caught.value.code == code  # type: ignore[attr-defined]
    assert driver_calls(v2_emu) == []


@pytest.mark.parametrize("driver", ["", " ", 5])
def test_a_blank_or_odd_driver_hint_is_refused(client: PuterAI, driver: Any) -> None:
    with pytest.raises((PuterInputError, PuterInputTypeError)):
        client.txt2img("a fox", driver=driver)


def test_the_server_checks_the_destination_before_its_model(v2_emu: PuterEmulator) -> None:
    v2_emu.state.options.keyless = True
    with alice() as client, pytest.raises(PuterBadRequestError) as caught:
        client.drivers.call(
            "puter-image-generation",
            "generate",
            {"prompt": "x", "puter_output_path": "/alice/../x.png"},
        )

    assert caught.value.message == "Invalid path"  # not the keyless server's "Missing `model`"
    assert last_call(v2_emu)["args"]["puter_output_path"] == "/alice/../x.png"
