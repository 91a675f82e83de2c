"""Puter for LangChain (the ``langchain`` extra): ``ChatPuter`` and ``PuterByteStore``.

Import them as ``from puter.langchain import ChatPuter, PuterByteStore``. Both are
built on the public client (``PuterAI``): the chat model on ``complete`` and
``complete_stream``, the store on ``client.kv``. Without ``langchain-core`` installed,
importing this package raises ``ImportError`` naming the extra to install.
"""

from __future__ import annotations

try:
    import langchain_core  # noqa: F401
except ModuleNotFoundError as missing:  # pragma: no cover - depends on the environment
    raise ImportError(
        "puter.langchain needs LangChain: pip install 'puter-client[langchain]'"
    ) from missing

from puter_client.integrations.langchain.chat_model import ChatPuter
from puter_client.integrations.langchain.store import PuterByteStore

__all__ = ["ChatPuter", "PuterByteStore"]
