"""Configuration: ``from puter.config import config, PuterConfig``."""

from puter_client.config import PuterConfig, config

__all__ = ["PuterConfig", "config"]
