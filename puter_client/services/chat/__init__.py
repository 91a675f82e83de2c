"""Chat: the conversation (history, tools, streams), its content parts and the model catalog.

It builds on fs for one rule: a file of the Puter file system given to chat
(``PuterPath``) is checked as ``client.fs`` checks a remote path.
"""

BUILDS_ON: tuple[str, ...] = ("fs",)
