"""The ``workers`` driver (``worker-service``) and the deployed workers it runs, each
request executed by an embedded JavaScript engine (``mini-racer``, in the ``emulator``
extra)."""

BUILDS_ON: tuple[str, ...] = ("apps", "fs", "hosting", "kv")
