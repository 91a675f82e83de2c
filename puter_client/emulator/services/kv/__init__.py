"""The emulator's key-value store and its driver methods."""

BUILDS_ON: tuple[str, ...] = ()
