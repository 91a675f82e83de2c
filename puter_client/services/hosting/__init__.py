"""``client.hosting``: sites served from folders (the ``puter-subdomains`` driver), and
``publish``, which uploads a local folder through ``client.fs`` first."""

BUILDS_ON: tuple[str, ...] = ("fs",)
