"""The emulator's chat: the model catalog, deterministic replies and the chat driver.

It builds on fs for the files a message names by ``puter_path``, read for the model as
the server's providers read them.
"""

BUILDS_ON: tuple[str, ...] = ("fs",)
