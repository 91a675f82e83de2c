"""``client.drivers``: any method of any driver interface, the escape hatch."""

BUILDS_ON: tuple[str, ...] = ()
