"""Puter where Python users already work: one package per ecosystem (``fsspec``,
``langchain``), each an optional extra built on the public client (``PuterAI``), imported
only where used. Nothing in the SDK imports them; ``puter.<name>`` re-exports them.
"""
