"""A whole-read answer is freed when its caller drops it, without the cyclic collector."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator

import httpx
import pytest

from puter import PuterAI
from puter_client.emulator import PuterEmulator


@pytest.fixture
def sent(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[weakref.ref[httpx.Response]]]:
    """Weak references to every response the client's httpx client hands back."""
    responses: list[weakref.ref[httpx.Response]] = []
    send = httpx.Client.send

    def recording(self: httpx.Client, *args: object, **kwargs: object) -> httpx.Response:
        response = send(self, *args, **kwargs)  # type: ignore[arg-type]
        responses.append(weakref.ref(response))
        return response

    monkeypatch.setattr(httpx.Client, "send", recording)
    yield responses


def test_a_large_read_leaves_no_response_alive_once_returned(
    v2_emu: PuterEmulator, sent: list[weakref.ref[httpx.Response]]
) -> None:
    with PuterAI(token=v2_emu.token_for("alice")) as client:
        client.fs.write("~/big.bin", b"x" * 3_000_000)
        gc.collect()
        gc.disable()  # only what reference counting frees is freed
        try:
            sent.clear()
            data = client.fs.read("~/big.bin", offset=0, length=2_000_000)
            alive = [ref for ref in sent if ref() is not None]
        finally:
            gc.enable()
    assert len(data) == 2_000_000
    assert sent
    assert alive == []
