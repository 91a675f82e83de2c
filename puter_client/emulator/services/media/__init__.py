"""The emulator's AI media drivers (images, speech, OCR, transcription, video)."""

BUILDS_ON: tuple[str, ...] = ()
