"""The ``puter`` media and account commands: image, speak, ocr, transcribe, whoami, usage."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from puter_client.core.credentials import SavedLogin
from puter_client.emulator import Drop, PuterEmulator

from .support import PNG_1X1, RunPuter, assert_one_line_error

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(24)


def test_image_writes_the_generated_png(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    out = tmp_path / "fox.png"

    result = run_puter("image", "a red fox", "-o", str(out))

    assert (result.returncode, result.stderr) == (0, "")
    assert out.read_bytes().startswith(b"\x89PNG") and "image/png" in result.stdout


def test_image_test_mode_json_downloads_the_sample(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    emu.state.options.local_media = True
    out = tmp_path / "sample.png"

    result = run_puter("image", "x", "-o", str(out), "--test-mode", "--json")

    answer = json.loads(result.stdout)
    assert answer["url"].endswith("/media-samples/image_example.png")
    assert answer["bytes"] == out.stat().st_size and answer["content_type"] == "image/png"
    assert emu.requests_to("/drivers/call")[-1].args["test_mode"] is True


def test_speak_streams_the_audio_to_the_file(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    out = tmp_path / "hello.wav"

    result = run_puter("speak", "Hello there", "-o", str(out), "--json")

    assert json.loads(result.stdout)["content_type"] == "audio/wav"
    assert out.read_bytes()[:4] == b"RIFF"


def test_speak_list_voices_prints_one_voice_a_line_of_a_provider(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = run_puter("speak", "--list-voices", "--provider", "11labs")

    assert result.returncode == 0
    assert [line.split("\t")[:2] for line in result.stdout.splitlines()] == [
        ["Rachel", "elevenlabs"]
    ]
    assert emu.requests_to("/drivers/call")[-1].json["method"] == "list_voices"


def test_speak_list_engines_json_and_list_providers(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    engines = json.loads(run_puter("speak", "--list-engines", "--json").stdout)
    providers = run_puter("speak", "--list-providers").stdout.split()

    assert {engine["provider"] for engine in engines} == {"aws-polly"}
    assert "openai" in providers


def test_speak_without_text_and_output_is_one_error_line(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    result = run_puter("speak", "Hello")

    assert result.stderr == "puter: error: speak needs TEXT and --output FILE (or --list-voices)\n"


def test_speak_cut_off_fails_in_one_line_and_leaves_no_file(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    emu.inject("/drivers/call", Drop(after_bytes=1000), times=None)

    out = tmp_path / "audio"
    out.mkdir()

    result = run_puter("speak", "Hello there", "-o", str(out / "cut.wav"))

    assert_one_line_error(result, "could not reach the server")
    assert list(out.iterdir()) == []


def test_ocr_prints_the_text(run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path) -> None:
    scan = tmp_path / "scan.png"
    scan.write_bytes(PNG_1X1)

    result = run_puter("ocr", str(scan), "--test-mode")

    assert result.stdout == "test_mode is enabled; this is a sample OCR response.\n"


def test_ocr_json_has_the_blocks(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    scan = tmp_path / "scan.png"
    scan.write_bytes(PNG_1X1)

    answer = json.loads(run_puter("ocr", str(scan), "--json").stdout)

    assert answer["blocks"][0]["type"] == "text/textract:LINE"
    assert answer["text"] == answer["blocks"][0]["text"]


def test_transcribe_translate_json(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    clip = tmp_path / "clip.wav"
    clip.write_bytes(WAV)

    result = run_puter("transcribe", str(clip), "--translate", "--test-mode", "--json")

    answer = json.loads(result.stdout)
    assert answer["model"] == "whisper-1" and answer["words"][0]["text"] == "Hello!"
    assert emu.requests_to("/drivers/call")[-1].method_name == "translate"


def test_a_keyless_server_error_is_one_line(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    emu.state.options.keyless = True

    result = run_puter("speak", "Hi", "-o", str(tmp_path / "x.mp3"), "--test-mode")

    assert_one_line_error(result, "TTS provider not configured: aws-polly")


def test_a_bad_audio_file_is_refused_in_one_line(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not audio")

    assert_one_line_error(run_puter("transcribe", str(text)), "not a recognised audio format")


def test_whoami_prints_the_account(run_puter: RunPuter, logged_in: SavedLogin) -> None:
    result = run_puter("whoami")

    assert result.stdout.startswith("alice (account, uuid ")
    assert "alice@example.com (confirmed)" in result.stdout


def test_whoami_json_has_every_key(run_puter: RunPuter, logged_in: SavedLogin) -> None:
    answer = json.loads(run_puter("whoami", "--json").stdout)

    assert answer["username"] == "alice" and "directories" in answer and "created_ts" in answer


def test_usage_prints_dollars(run_puter: RunPuter, logged_in: SavedLogin) -> None:
    result = run_puter("usage")

    assert result.stdout.splitlines()[-2:] == [
        "total this month: $0.000000",
        "allowance left:   $0.500000",
    ]


def test_usage_json(run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin) -> None:
    answer = json.loads(run_puter("usage", "--json").stdout)

    assert answer["allowance_remaining_usd"] == 0.5 and answer["by_type"] == {}
    assert answer["units"]["allowance_remaining_usd"] == "USD"
    assert answer["units"]["allowance_remaining"] == answer["unit"] == "micro-cents"


def test_usage_json_gives_dollars_as_exact_decimal_numbers(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    assert run_puter("kv", "set", "greeting", "hello").returncode == 0

    answer = json.loads(run_puter("usage", "--json").stdout)

    assert answer["by_type"], answer
    for row in answer["by_type"].values():
        assert isinstance(row["cost_usd"], float)
        assert Decimal(repr(row["cost_usd"])) == Decimal(repr(row["cost"])) / 100_000_000
    assert answer["units"]["by_type.cost_usd"] == "USD"


def test_image_saved_only_on_puter_writes_no_local_file(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    result = run_puter("image", "a red fox", "--puter-output-path", "Pictures/fox.png")

    assert (result.returncode, result.stderr) == (0, "")
    assert result.stdout == "Saved on Puter at Pictures/fox.png\n"
    node = emu.state.fs.find("/alice/Pictures/fox.png")
    assert node is not None and node.content_type == "image/png"
    assert [p.name for p in tmp_path.iterdir()] == ["puter-config"]  # no image written here


def test_image_driver_hint_and_both_destinations_in_json(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    out = tmp_path / "fox.png"

    result = run_puter(
        "image", "a fox", "-o", str(out), "--driver", "xai",
        "--puter-output-path", "~/fox.png", "--json",
    )  # fmt: skip

    answer = json.loads(result.stdout)
    assert answer["path"] == str(out) and answer["puter_output_path"] == "~/fox.png"
    assert answer["bytes"] == out.stat().st_size
    assert emu.requests_to("/drivers/call")[-1].json["driver"] == "xai-image-generation"


def test_video_writes_the_generated_mp4(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    emu.state.options.local_media = True
    out = tmp_path / "waves.mp4"

    result = run_puter("video", "waves", "-o", str(out), "--seconds", "4")

    assert (result.returncode, result.stderr) == (0, "")
    assert out.read_bytes()[4:8] == b"ftyp" and "video/mp4" in result.stdout
    assert emu.requests_to("/drivers/call")[-1].args["seconds"] == 4


def test_image_without_any_destination_is_one_error_line(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    assert_one_line_error(run_puter("image", "a fox"), "--output FILE or --puter-output-path")


def test_image_at_the_root_of_puter_is_refused_in_one_line(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = run_puter("image", "a fox", "--puter-output-path", "/fox.png")

    assert_one_line_error(result, "puter_output_path", "root")
    assert emu.requests_to("/drivers/call") == []
