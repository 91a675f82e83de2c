"""Chat: the conversation (history, tools, streams), its content parts and the model catalog."""

BUILDS_ON: tuple[str, ...] = ()
