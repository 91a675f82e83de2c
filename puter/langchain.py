"""Puter for LangChain: ``from puter.langchain import ChatPuter, PuterByteStore``.

Needs the ``langchain`` extra: ``pip install 'puter-client[langchain]'``. See
``docs/langchain.md``.
"""

from puter_client.integrations.langchain import ChatPuter, PuterByteStore

__all__ = ["ChatPuter", "PuterByteStore"]
