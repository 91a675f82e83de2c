"""AI beyond chat: images, speech, OCR, transcription, video, and the account's usage."""

from __future__ import annotations

import tempfile
from pathlib import Path

from puter import PuterAI
from puter.exceptions import PuterAPIError


def main() -> None:
    with PuterAI() as client, tempfile.TemporaryDirectory() as tmp:
        client.login()
        folder = Path(tmp)

        image = client.txt2img("A lighthouse at dawn, watercolour", model="gpt-image-1")
        saved = image.save(folder / "lighthouse.png")
        print(f"image: {image.content_type}, {saved.stat().st_size:,} bytes")

        speech = client.txt2speech("Hello from Puter!", voice="Joanna", save_to=folder / "hi.wav")
        print(
            f"speech: {speech.content_type} streamed to {speech.path.name if speech.path else '-'}"
        )

        print("ocr:", client.img2txt(saved))
        print("ocr (test mode):", client.img2txt(saved, test_mode=True))

        transcript = client.speech2txt(folder / "hi.wav")
        words = len(transcript.words)
        print(f"transcript: {transcript.text!r} ({transcript.duration} s, {words} words)")

        video = client.txt2vid("Waves on a beach", seconds=4)
        print(f"video: {video.content_type} at {video.url}")

        try:
            client.txt2speech("x" * 5000)
        except ValueError as exc:
            print(f"refused before any request: {exc}")
        try:
            client.txt2img("A cat", model="no-such-model")
        except PuterAPIError as exc:
            print(f"typed error: {exc.status_code} {exc.code}: {exc.message}")

        account = client.whoami()
        usage = client.usage()
        print(f"account: {account.username} (temporary: {account.is_temp})")
        print(
            f"usage this month: ${usage.total_usd:.4f}, left: ${usage.allowance_remaining_usd:.4f}"
        )
        for usage_type, row in sorted(usage.by_type.items()):
            print(f"  {usage_type}: {row.units:g} units, ${row.cost_usd:.6f}")


if __name__ == "__main__":
    main()
