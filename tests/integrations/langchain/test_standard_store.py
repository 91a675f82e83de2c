"""LangChain's conformance suites for ``PuterByteStore`` (``langchain-tests``), sync and
async, against the emulator (reset before each test, so each store starts empty): once
with no namespace, once inside a namespace with other keys beside it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from langchain_tests.integration_tests import BaseStoreAsyncTests, BaseStoreSyncTests

from puter import PuterAI
from puter.langchain import PuterByteStore
from puter_client.emulator import PuterEmulator
from tests.support.emulated import connect

THREE_VALUES = (b"foo", b"\x00\xffbar\n", "b\u00fczz".encode())
NAMESPACE = "langchain/cache/"


def _client(emu: PuterEmulator) -> PuterAI:
    client = connect(emu)
    client.kv.set("unrelated", "not a byte store value")  # outside any namespace but ""
    return client


class TestPuterByteStoreSync(BaseStoreSyncTests[bytes]):
    """The sync suite, keys at the top of the key-value space."""

    @pytest.fixture
    def kv_store(self, v2_emu: PuterEmulator) -> Iterator[PuterByteStore]:
        with connect(v2_emu) as client:
            yield PuterByteStore(client)

    @pytest.fixture
    def three_values(self) -> tuple[bytes, bytes, bytes]:
        return THREE_VALUES


class TestPuterByteStoreAsync(BaseStoreAsyncTests[bytes]):
    """The async suite, keys at the top of the key-value space."""

    @pytest.fixture
    async def kv_store(self, v2_emu: PuterEmulator) -> AsyncIterator[PuterByteStore]:
        async with connect(v2_emu) as client:
            yield PuterByteStore(client)

    @pytest.fixture
    def three_values(self) -> tuple[bytes, bytes, bytes]:
        return THREE_VALUES


class TestNamespacedPuterByteStoreSync(BaseStoreSyncTests[bytes]):
    """The sync suite in a namespace, with a key of other data beside it."""

    @pytest.fixture
    def kv_store(self, v2_emu: PuterEmulator) -> Iterator[PuterByteStore]:
        with _client(v2_emu) as client:
            yield PuterByteStore(client, namespace=NAMESPACE)

    @pytest.fixture
    def three_values(self) -> tuple[bytes, bytes, bytes]:
        return THREE_VALUES


class TestNamespacedPuterByteStoreAsync(BaseStoreAsyncTests[bytes]):
    """The async suite in a namespace, with a key of other data beside it."""

    @pytest.fixture
    async def kv_store(self, v2_emu: PuterEmulator) -> AsyncIterator[PuterByteStore]:
        async with _client(v2_emu) as client:
            yield PuterByteStore(client, namespace=NAMESPACE)

    @pytest.fixture
    def three_values(self) -> tuple[bytes, bytes, bytes]:
        return THREE_VALUES
