"""The emulator's AI media drivers (images, speech, OCR, transcription, video).

It builds on fs for ``puter_output_path``: a generated image or video saved into the
caller's file system.
"""

BUILDS_ON: tuple[str, ...] = ("fs",)
