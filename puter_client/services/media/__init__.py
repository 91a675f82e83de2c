"""``client.media``: images, speech, OCR, transcription and video, with typed results.

It builds on chat for one rule: an image given to OCR is read exactly as chat reads one.
"""

BUILDS_ON: tuple[str, ...] = ("chat",)
