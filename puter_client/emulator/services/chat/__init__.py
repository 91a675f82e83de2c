"""The emulator's chat: the model catalog, deterministic replies and the chat driver."""

BUILDS_ON: tuple[str, ...] = ()
