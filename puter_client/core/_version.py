"""The version of puter-python-sdk (read by the package, the User-Agent and the CLI)."""

__version__ = "0.3.0"
