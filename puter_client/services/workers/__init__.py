"""``client.workers``: serverless JavaScript workers (the ``workers`` driver): deployed
under a sandbox app by default, reached with ``exec``, deployed from a local file with
``deploy``."""

BUILDS_ON: tuple[str, ...] = ("account", "apps", "fs", "kv")
