"""``client.fs``: the Puter file system (paths, entries, uploads, byte answers into files)."""

BUILDS_ON: tuple[str, ...] = ()
