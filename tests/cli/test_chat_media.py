"""``puter chat`` with audio, videos and files (issue 20, item 6): each option attaches its
part as ``chat(audio=, videos=, files=)`` does; a bad one is a single error line."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from puter_client.core.credentials import SavedLogin
from puter_client.emulator import PuterEmulator, expected_reply

from .support import MODEL, RunPuter, assert_one_line_error, chat_calls

WAV = b"RIFF\x24\x00\x00\x00WAVEfmt " + bytes(28)
PDF = b"%PDF-1.4\n"


def test_chat_attaches_audio_a_video_url_a_local_file_and_a_puter_file(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin, tmp_path: Path
) -> None:
    (tmp_path / "memo.wav").write_bytes(WAV)
    (tmp_path / "a.pdf").write_bytes(PDF)

    result = run_puter(
        "chat", "Look", "-m", "fake", "--audio", str(tmp_path / "memo.wav"),
        "--video", "https://assets.puter.site/puppy.mp4", "--file", str(tmp_path / "a.pdf"),
        "--puter-file", "Documents/b.pdf",
    )  # fmt: skip

    assert (result.returncode, result.stderr) == (0, "")
    # the test model's provider reads no file: the parts reach it as sent
    assert result.stdout == expected_reply("Look", "fake", audio=1, videos=1, files=2) + "\n"
    content = chat_calls(emu)[0].args["messages"][-1]["content"]
    assert content[1:] == [
        {"type": "input_audio", "input_audio": {"data": base64.b64encode(WAV).decode(),
                                                "format": "wav"}},
        {"type": "video_url", "video_url": {"url": "https://assets.puter.site/puppy.mp4"}},
        {"type": "file", "puter_path": "data:application/pdf;base64,"
                                       + base64.b64encode(PDF).decode()},
        {"type": "file", "puter_path": "~/Documents/b.pdf"},
    ]  # fmt: skip


def test_chat_json_takes_the_attachments_too(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    (tmp_path / "memo.wav").write_bytes(WAV)

    result = run_puter("chat", "Hear", "-m", MODEL, "--audio", str(tmp_path / "memo.wav"), "--json")

    assert json.loads(result.stdout)["text"] == expected_reply("Hear", MODEL, audio=1)


def test_an_audio_url_is_one_error_line_and_nothing_is_sent(
    run_puter: RunPuter, emu: PuterEmulator, logged_in: SavedLogin
) -> None:
    result = run_puter("chat", "Hear", "--audio", "https://example.com/a.mp3")

    assert_one_line_error(result, "audio[0]", "does not fetch audio URLs")
    assert chat_calls(emu) == []


def test_a_puter_file_path_the_server_refuses_is_one_error_line(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    assert_one_line_error(run_puter("chat", "Read", "--puter-file", "~/a/../b.pdf"), "'..'")


def test_attachments_without_a_prompt_are_one_error_line(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    (tmp_path / "a.pdf").write_bytes(PDF)

    result = run_puter("chat", "--file", str(tmp_path / "a.pdf"))

    assert_one_line_error(result, "need a prompt")
