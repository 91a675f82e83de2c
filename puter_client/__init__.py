"""puter_client: the implementation package of puter-python-sdk (public name: ``puter``)."""

__version__ = "0.3.0"
