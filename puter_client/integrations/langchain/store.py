"""``PuterByteStore``: Puter's key-value store as a LangChain ``ByteStore``.

Bytes are kept as base64 text (the store holds JSON values) under ``namespace + key``;
``mset`` is one ``batchPut`` request, ``mget`` one ``get`` of many keys, ``yield_keys``
the store's lazy listing. Everything goes through ``client.kv``, so the SDK's input
checks, retries and rate limits apply.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import TYPE_CHECKING, Any

from langchain_core.stores import ByteStore

from puter import PuterAI

if TYPE_CHECKING:
    from puter_client.core.configuration import ConfigOptions

__all__ = ["PuterByteStore"]


class PuterByteStore(ByteStore):
    """A LangChain ``BaseStore[str, bytes]`` over Puter's key-value store.

    ``PuterByteStore(client)`` with a ``PuterAI``, or with ``PuterAI``'s credentials
    and endpoints (``username``, ``password``, ``token``, ``api_base``, ``login_url``).
    ``namespace`` is prepended to every key on the server, so that several stores (or
    other data) share one account's key-value space; keys given and listed are without
    it. A value is at most about 300 KB (the server's 399 KiB limit, less base64's
    third); a larger one raises ``ValueError`` before any request.
    """

    def __init__(
        self,
        client: PuterAI | None = None,
        *,
        namespace: str = "",
        username: str | None = None,
        password: str | None = None,
        token: str | None = None,
        api_base: str | None = None,
        login_url: str | None = None,
    ) -> None:
        if not isinstance(namespace, str):
            raise TypeError(f"namespace must be a str, not {type(namespace).__name__}")
        if client is None:
            overrides: ConfigOptions = {}
            if api_base is not None:
                overrides["api_base"] = api_base
            if login_url is not None:
                overrides["login_url"] = login_url
            client = PuterAI(username=username, password=password, token=token, **overrides)
        elif not isinstance(client, PuterAI):
            raise TypeError(f"client must be a PuterAI, not {type(client).__name__}")
        self.client = client
        self.namespace = namespace

    def __repr__(self) -> str:
        return f"PuterByteStore({self.client!r}, namespace={self.namespace!r})"

    # ------------------------------------------------------------------ blocking

    def mget(self, keys: Sequence[str]) -> list[bytes | None]:
        """The bytes stored under each of ``keys`` (None for a missing one), in order."""
        wanted = self._keys(keys)
        if not wanted:
            return []
        values = self.client.kv.get_many(wanted)
        return [_decoded(v, k) for k, v in zip(keys, values, strict=True)]

    def mset(self, key_value_pairs: Sequence[tuple[str, bytes]]) -> None:
        """Store each ``(key, bytes)`` pair, in one request."""
        mapping = self._mapping(key_value_pairs)
        if mapping:
            self.client.kv.set_many(mapping)

    def mdelete(self, keys: Sequence[str]) -> None:
        """Forget ``keys`` (missing ones are fine)."""
        for key in self._keys(keys):
            self.client.kv.delete(key)

    def yield_keys(self, *, prefix: str | None = None) -> Iterator[str]:
        """The keys starting with ``prefix`` (all when None), fetched lazily."""
        start = len(self.namespace)
        for key in self.client.kv.keys(self._prefix(prefix)):
            yield key[start:]

    # --------------------------------------------------------------------- async

    async def amget(self, keys: Sequence[str]) -> list[bytes | None]:
        """Async ``mget``."""
        wanted = self._keys(keys)
        if not wanted:
            return []
        values = await self.client.kv.async_get_many(wanted)
        return [_decoded(v, k) for k, v in zip(keys, values, strict=True)]

    async def amset(self, key_value_pairs: Sequence[tuple[str, bytes]]) -> None:
        """Async ``mset``."""
        mapping = self._mapping(key_value_pairs)
        if mapping:
            await self.client.kv.async_set_many(mapping)

    async def amdelete(self, keys: Sequence[str]) -> None:
        """Async ``mdelete``."""
        for key in self._keys(keys):
            await self.client.kv.async_delete(key)

    async def ayield_keys(self, *, prefix: str | None = None) -> AsyncIterator[str]:
        """Async ``yield_keys``."""
        start = len(self.namespace)
        async for key in self.client.kv.async_keys(self._prefix(prefix)):
            yield key[start:]

    # ------------------------------------------------------------- pure pieces

    def _keys(self, keys: Sequence[str]) -> list[str]:
        if isinstance(keys, (str, bytes)):
            raise TypeError("keys must be a sequence of str keys, not a single key")
        for key in keys:
            if not isinstance(key, str):
                raise TypeError(f"a key must be a str, not {type(key).__name__}")
        return [self.namespace + key for key in keys]

    def _mapping(self, pairs: Sequence[tuple[str, bytes]]) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for key, value in pairs:
            if not isinstance(value, (bytes, bytearray, memoryview)):
                raise TypeError(f"the value of {key!r} must be bytes, not {type(value).__name__}")
            [wire_key] = self._keys([key])
            mapping[wire_key] = base64.b64encode(value).decode("ascii")
        return mapping

    def _prefix(self, prefix: str | None) -> str:
        if prefix is not None and not isinstance(prefix, str):
            raise TypeError(f"prefix must be a str, not {type(prefix).__name__}")
        return self.namespace + (prefix or "")


def _decoded(value: Any, key: str) -> bytes | None:
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return base64.b64decode(value, validate=True)
        except binascii.Error:
            pass
    raise ValueError(f"the value under {key!r} was not stored by a PuterByteStore")
