"""``client.create_access_token``: API (access) tokens minted from a session."""

BUILDS_ON: tuple[str, ...] = ()
