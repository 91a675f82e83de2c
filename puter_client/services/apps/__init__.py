"""``client.apps``: apps registered on Puter (the ``puter-apps`` driver), typed."""

BUILDS_ON: tuple[str, ...] = ()
