"""``client.kv``: the key-value store, with its keys and values checked before any request."""

BUILDS_ON: tuple[str, ...] = ()
