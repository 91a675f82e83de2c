"""The emulator's login routes (passwords, two-factor codes, sessions)."""

BUILDS_ON: tuple[str, ...] = ()
