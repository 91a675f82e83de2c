"""Vision and custom multimodal payloads: images= and content_parts=."""

from __future__ import annotations

import base64
import tempfile
from pathlib import Path

from puter import PuterAI

# A 1x1 PNG, so the example needs no image file of its own.
TINY_PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


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


if __name__ == "__main__":
    main()
