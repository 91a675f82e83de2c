"""The HTTP layer's byte side: answers dispatched on ``Content-Type``, byte answers
streamed into memory or file sinks (a file appears only once whole), and multipart
bodies streamed from files with an exact length that a retry can send again."""

from __future__ import annotations

import email.parser
import email.policy
import io
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from puter.exceptions import PuterConnectionError, PuterNotFoundError
from puter_client.core.flow import Send
from puter_client.core.http.content import BodyKind, body_kind
from puter_client.core.http.errors import error_from_response
from puter_client.core.http.multipart import FilePart, MultipartBody
from puter_client.core.http.responses import FileSink, MemorySink
from puter_client.core.ratelimit import RateLimiter
from puter_client.core.retry import RetryClass, RetryPolicy
from puter_client.core.transport import Transport

URL = "http://puter.test/read"
DATA = bytes(range(256)) * 1000
NO_WAIT = RetryPolicy(retry_delay=0.0)


# --- what an answer carries ------------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "kind"),
    [
        ("application/json", BodyKind.JSON),
        ("application/json; charset=utf-8", BodyKind.JSON),
        ("application/problem+json", BodyKind.JSON),
        ("application/x-ndjson", BodyKind.NDJSON),
        ("audio/mpeg", BodyKind.BYTES),
        ("application/octet-stream", BodyKind.BYTES),
        ("text/html", BodyKind.BYTES),
        ("", BodyKind.BYTES),
    ],
)
def test_an_answer_is_dispatched_on_its_content_type(content_type: str, kind: BodyKind) -> None:
    response = httpx.Response(200, headers={"Content-Type": content_type} if content_type else {})

    assert body_kind(response) is kind


# --- sinks ------------------------------------------------------------------------------


def test_a_file_sink_writes_beside_its_target_and_renames_only_when_whole(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    sink = FileSink(target)
    sink.reset()
    sink.write(b"half")

    assert not target.exists()
    sink.write(b" and the rest")
    sink.finish()
    assert target.read_bytes() == b"half and the rest"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_an_aborted_file_sink_leaves_no_file_behind(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"the previous version")
    sink = FileSink(target)
    sink.reset()
    sink.write(b"partial")
    sink.abort()

    assert target.read_bytes() == b"the previous version"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bin"]


def test_a_sink_reset_for_a_retry_drops_what_the_failed_attempt_wrote(tmp_path: Path) -> None:
    memory, file = MemorySink(), FileSink(tmp_path / "out.bin")
    for sink in (memory, file):
        sink.reset()
        sink.write(b"broken off")
        sink.reset()
        sink.write(b"whole")
        sink.finish()

    assert memory.data == b"whole"
    assert (tmp_path / "out.bin").read_bytes() == b"whole"


# --- the transport feeding sinks ---------------------------------------------------------


class Server:
    """A MockTransport answering from a list of handlers, one per attempt."""

    def __init__(self, *answers: Callable[[httpx.Request], httpx.Response]) -> None:
        self._answers = iter(answers)
        self.attempts = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.attempts += 1
        return next(self._answers)(request)


def octets(data: bytes = DATA) -> Callable[[httpx.Request], httpx.Response]:
    return lambda _: httpx.Response(
        200, headers={"Content-Type": "application/octet-stream"}, content=data
    )


def broken_off(_: httpx.Request) -> httpx.Response:
    def body() -> Iterator[bytes]:
        yield DATA[:1000]
        raise httpx.ReadError("connection reset")

    headers = {"Content-Type": "application/octet-stream"}
    return httpx.Response(200, headers=headers, stream=_Stream(body))


class _Stream(httpx.SyncByteStream):
    def __init__(self, make: Callable[[], Iterator[bytes]]) -> None:
        self._make = make

    def __iter__(self) -> Iterator[bytes]:
        return self._make()


def not_found(_: httpx.Request) -> httpx.Response:
    body = {"error": "x", "message": "Entry not found: path=/a", "code": "subject_does_not_exist"}
    return httpx.Response(404, json=body)


def fetch(server: Server, sink: MemorySink | FileSink, retry: RetryClass) -> httpx.Response:
    client = httpx.Client(transport=httpx.MockTransport(server))
    transport = Transport(timeout=5, limiter=RateLimiter(100, 1), http_client=client)
    step = Send(httpx.Request("GET", URL), NO_WAIT, retry, sink=sink)
    return transport.send(step)


def test_a_byte_answer_goes_into_the_sink(tmp_path: Path) -> None:
    sink = FileSink(tmp_path / "out.bin")

    response = fetch(Server(octets()), sink, RetryClass.IDEMPOTENT)

    assert response.status_code == 200
    assert (tmp_path / "out.bin").read_bytes() == DATA


def test_a_body_broken_off_is_read_again_into_a_clean_sink(tmp_path: Path) -> None:
    server = Server(broken_off, octets())
    sink = FileSink(tmp_path / "out.bin")

    fetch(server, sink, RetryClass.IDEMPOTENT)

    assert server.attempts == 2
    assert (tmp_path / "out.bin").read_bytes() == DATA


def test_a_body_that_keeps_breaking_off_leaves_no_file(tmp_path: Path) -> None:
    server = Server(*[broken_off] * 4)

    with pytest.raises(PuterConnectionError):
        fetch(server, FileSink(tmp_path / "out.bin"), RetryClass.IDEMPOTENT)

    assert list(tmp_path.iterdir()) == []


def test_an_unsafe_operation_does_not_read_a_broken_body_again() -> None:
    server = Server(broken_off, octets())

    with pytest.raises(PuterConnectionError):
        fetch(server, MemorySink(), RetryClass.UNSAFE)

    assert server.attempts == 1


def test_an_error_answer_is_read_whole_and_the_sink_gets_nothing(tmp_path: Path) -> None:
    sink = FileSink(tmp_path / "out.bin")

    response = fetch(Server(not_found), sink, RetryClass.IDEMPOTENT)

    assert response.status_code == 404
    assert isinstance(error_from_response(response), PuterNotFoundError)
    assert list(tmp_path.iterdir()) == []


async def test_the_async_transport_streams_into_a_sink(tmp_path: Path) -> None:
    async def answer(request: httpx.Request) -> httpx.Response:
        return octets()(request)

    client = httpx.AsyncClient(transport=httpx.MockTransport(answer))
    transport = Transport(timeout=5, limiter=RateLimiter(100, 1), async_http_client=client)
    step = Send(httpx.Request("GET", URL), NO_WAIT, sink=FileSink(tmp_path / "out.bin"))

    await transport.async_send(step)

    assert (tmp_path / "out.bin").read_bytes() == DATA


# --- multipart bodies --------------------------------------------------------------------


def parsed(body: MultipartBody) -> list[tuple[str | None, str | None, bytes]]:
    """(field name, filename, content) of each part, read back by the email parser."""
    raw = b"".join(body)
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        f"Content-Type: {body.content_type}\r\n\r\n".encode() + raw
    )
    parts = []
    for part in message.iter_parts():
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        name = part.get_param("name", header="content-disposition")
        assert name is None or isinstance(name, str)
        parts.append((name, part.get_filename(), payload))
    return parts


def test_a_multipart_body_holds_its_fields_then_its_files(tmp_path: Path) -> None:
    path = tmp_path / "local.bin"
    path.write_bytes(DATA)
    body = MultipartBody(
        [("manifest", '{"items":[]}')],
        [FilePart("file-0", "a.bin", DATA[:10]), FilePart("file-1", "local.bin", path)],
    )

    assert parsed(body) == [
        ("manifest", None, b'{"items":[]}'),
        ("file-0", "a.bin", DATA[:10]),
        ("file-1", "local.bin", DATA),
    ]


def test_a_multipart_body_can_be_sent_again_for_a_retry() -> None:
    stream = io.BytesIO(b"skipped" + DATA)
    stream.read(7)  # a file object is read from where it stands
    body = MultipartBody([], [FilePart("file-0", "x", stream)])

    first, second = b"".join(body), b"".join(body)

    assert first == second
    assert parsed(body) == [("file-0", "x", DATA)]


@given(
    fields=st.lists(st.tuples(st.text(min_size=1), st.text()), max_size=3),
    files=st.lists(st.tuples(st.text(min_size=1), st.binary()), max_size=3),
)
def test_the_declared_length_is_exactly_what_is_sent(
    fields: list[tuple[str, str]], files: list[tuple[str, bytes]]
) -> None:
    body = MultipartBody(fields, [FilePart(f"file-{i}", n, d) for i, (n, d) in enumerate(files)])

    assert body.length == len(b"".join(body))
