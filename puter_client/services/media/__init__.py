"""``client.media``: images, speech, OCR, transcription and video, with typed results.

It builds on chat for one rule: an image given to OCR is read exactly as chat reads one;
and on fs for another: ``puter_output_path`` (a generated image or video saved into the
Puter file system) is checked as ``client.fs`` checks a remote path.
"""

BUILDS_ON: tuple[str, ...] = ("chat", "fs")
