"""The emulator's login routes (passwords, two-factor codes, sessions) and API tokens.

It builds on fs for what an access token may read (``GET /token-read``) and for the file
permissions one may carry.
"""

BUILDS_ON: tuple[str, ...] = ("fs",)
