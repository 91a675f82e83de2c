"""Small, valid, deterministic media files made with the standard library (PNG, WAV)."""

from __future__ import annotations

import hashlib
import io
import math
import struct
import wave
import zlib


def _chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)


def png(seed: str, width: int = 32, height: int = 32) -> bytes:
    """A solid-colour RGB PNG whose colour is derived from ``seed``."""
    red, green, blue = hashlib.sha256(seed.encode()).digest()[:3]
    row = b"\x00" + bytes((red, green, blue)) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", zlib.compress(row * height))
        + _chunk(b"IEND", b"")
    )


def wav(seed: str, seconds: float = 0.5, rate: int = 8000) -> bytes:
    """A 16-bit mono sine tone whose pitch is derived from ``seed``."""
    pitch = 220 + hashlib.sha256(seed.encode()).digest()[0] * 2
    frames = b"".join(
        struct.pack("<h", int(12000 * math.sin(2 * math.pi * pitch * i / rate)))
        for i in range(int(seconds * rate))
    )
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(frames)
    return buffer.getvalue()
