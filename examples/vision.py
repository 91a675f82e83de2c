"""Vision and custom multimodal payloads: images=, audio=, files= and content_parts=."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from puter import PuterAI
from puter.types import PuterPath

# A 1x1 PNG, so the example needs no image file of its own.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
# The header of a WAV file with no samples: audio the SDK recognises as audio/wav.
TINY_WAV = b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00\x01\x00\x01\x00" + bytes(20)


def main() -> None:
    with PuterAI() as client, tempfile.TemporaryDirectory() as tmp:
        client.login()
        dinner = Path(tmp) / "dinner.png"
        dinner.write_bytes(TINY_PNG)

        response = client.chat("List every ingredient you see in this dish", images=[dinner])
        print(response)

        response = client.chat(
            "Compare these two pictures",
            images=[TINY_PNG, "https://example.com/food.jpg"],
        )
        print(response)

        response = client.chat(
            content_parts=[
                {"type": "text", "text": "Transcribe this audio clip."},
                {"type": "input_audio", "audio": {"id": "file_audio_123"}},
            ],
        )
        print(response)

        try:
            client.chat("What is this?", images=[Path(tmp) / "missing.jpg"])
        except ValueError as exc:
            print(f"Bad image refused before any request: {exc}")

        # Audio sent inline, and a file stored on Puter that the server reads for the model.
        memo = Path(tmp) / "memo.wav"
        memo.write_bytes(TINY_WAV)
        client.fs.write("~/Documents/shopping.txt", "Milk, eggs, bread")
        response = client.chat(
            "What do these say?", audio=[memo], files=[PuterPath("~/Documents/shopping.txt")]
        )
        print(response)
        client.fs.delete("~/Documents/shopping.txt")


if __name__ == "__main__":
    main()
