"""Small, valid, deterministic media files made with the standard library (PNG, WAV, MP3,
MP4)."""

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


# An MPEG-1 Layer III frame header: 128 kbit/s, 44.1 kHz, no padding, mono. With all-zero
# side information and data, each frame decodes to 1152 samples of silence.
_MP3_HEADER = b"\xff\xfb\x90\xc4"
_MP3_FRAME_BYTES = 144 * 128_000 // 44_100  # 417


def mp3(frames: int = 20) -> bytes:
    """About ``frames`` x 26 ms of silent MP3 (constant bit rate, no ID3 tag)."""
    return (_MP3_HEADER + bytes(_MP3_FRAME_BYTES - len(_MP3_HEADER))) * frames


def mp4() -> bytes:
    """An MP4 (ISO-BMFF) file: an ``ftyp`` box and an empty ``mdat`` box, no track."""
    ftyp = b"ftyp" + b"isom" + struct.pack(">I", 0x200) + b"isomiso2mp41"
    return struct.pack(">I", 8 + len(ftyp)) + ftyp + struct.pack(">I", 8) + b"mdat"
