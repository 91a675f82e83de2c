"""The media kinds beside images and audio: videos (``VIDEO``) and files of any type
(``FILE``), as chat's ``videos=`` and ``files=`` read them."""

from __future__ import annotations

import base64
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from puter_client.core.binary_input import (
    FILE,
    VIDEO,
    InvalidInput,
    any_file_type,
    sniff_document_type,
    sniff_video_type,
    to_url,
)
from tests.support.hypothesis_profiles import examples


def ftyp(brand: bytes, *compatible: bytes) -> bytes:
    body = b"ftyp" + brand + b"\x00\x00\x02\x00" + b"".join(compatible)
    return struct.pack(">I", 4 + len(body)) + body + bytes(16)


@pytest.mark.parametrize(
    ("head", "media_type"),
    [
        (ftyp(b"isom", b"iso2", b"mp41"), "video/mp4"),
        (ftyp(b"M4V "), "video/mp4"),
        (ftyp(b"qt  "), "video/quicktime"),
        (ftyp(b"3gp5"), "video/3gpp"),
        (ftyp(b"3g2a"), "video/3gpp2"),
        (b"\x1a\x45\xdf\xa3\x93\x42\x82\x88webm" + bytes(8), "video/webm"),
        (b"\x1a\x45\xdf\xa3\x93\x42\x82\x88matroska" + bytes(8), "video/x-matroska"),
        (b"RIFF\x00\x00\x00\x00AVI LIST" + bytes(8), "video/x-msvideo"),
        (b"FLV\x01\x05" + bytes(8), "video/x-flv"),
        (b"\x00\x00\x01\xba" + bytes(12), "video/mpeg"),
        (b"\x47" + bytes(187) + b"\x47" + bytes(20), "video/mp2t"),
        (b"\x30\x26\xb2\x75\x8e\x66\xcf\x11" + bytes(8), "video/x-ms-asf"),
    ],
)
def test_video_formats_are_sniffed(head: bytes, media_type: str) -> None:
    assert sniff_video_type(head) == media_type


@pytest.mark.parametrize(
    "head",
    [ftyp(b"heic"), ftyp(b"avif"), ftyp(b"M4A "), b"\x89PNG\r\n\x1a\n" + bytes(8), b"hello"],
    ids=["HEIC image", "AVIF image", "M4A audio", "PNG", "text"],
)
def test_images_audio_and_text_are_not_videos(head: bytes) -> None:
    assert sniff_video_type(head) is None


def test_a_video_must_be_a_video() -> None:
    with pytest.raises(InvalidInput, match="not a recognised video format"):
        to_url(b"\x89PNG\r\n\x1a\n" + bytes(8), VIDEO)
    with pytest.raises(InvalidInput, match="not video/"):
        to_url("data:image/png;base64,AAAA", VIDEO)


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (b"%PDF-1.7\n", "application/pdf"),
        (b"\x89PNG\r\n\x1a\n" + bytes(8), "image/png"),
        (ftyp(b"isom"), "video/mp4"),
        (b"ID3\x03" + bytes(8), "audio/mpeg"),
        ("naïve text\n".encode(), "text/plain"),
        (b"\x00\x01\x02\x03", "application/octet-stream"),
        (b"\xff\xfe\xfd", "application/octet-stream"),
    ],
)
def test_a_file_of_any_type_gets_the_type_its_bytes_tell(data: bytes, media_type: str) -> None:
    assert to_url(data, FILE) == f"data:{media_type};base64,{base64.b64encode(data).decode()}"


def test_text_cut_in_the_middle_of_a_character_is_still_text() -> None:
    head = ("é" * 200).encode()[:257]  # the sniffed head ends inside a character

    assert any_file_type(head) == "text/plain"


def test_the_name_tells_what_the_bytes_do_not(tmp_path: Path) -> None:
    path = tmp_path / "table.csv"
    path.write_bytes(b"a,b\n1,2\n")

    assert str(to_url(str(path), FILE)).startswith("data:text/csv;base64,")


def test_a_file_data_url_and_a_mime_type_take_any_type() -> None:
    assert to_url("data:application/zip;base64,UEsDBA==", FILE)
    assert to_url((b"x", "application/vnd.ms-excel"), FILE)
    with pytest.raises(InvalidInput, match="not a MIME type"):
        to_url((b"x", "pdf"), FILE)
    with pytest.raises(InvalidInput, match="not type/subtype"):
        to_url("data:pdf;base64,AAAA", FILE)


def test_only_pdf_and_images_are_told_by_their_bytes_before_the_name() -> None:
    assert sniff_document_type(b"%PDF-1.4") == "application/pdf"
    assert sniff_document_type(ftyp(b"isom")) is None


@given(data=st.binary(min_size=1, max_size=300))
@settings(max_examples=examples(40))
def test_any_bytes_make_a_file_data_url_that_decodes_back(data: bytes) -> None:
    url = to_url(data, FILE)

    assert url is not None
    header, _, payload = url.partition(",")
    assert header.startswith("data:") and header.endswith(";base64")
    assert base64.b64decode(payload) == data
