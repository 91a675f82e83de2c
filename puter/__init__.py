"""Puter's AI API for Python: ``from puter import PuterAI, config, PuterConfig``.

This package is the public name; the implementation lives in ``puter_client``.
"""

from puter_client import __version__
from puter_client.ai import PuterAI
from puter_client.configuration import PuterConfig, config

__all__ = ["PuterAI", "PuterConfig", "__version__", "config"]
