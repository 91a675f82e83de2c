"""The emulator's account routes: ``/whoami`` and usage (storage used comes from the file system)."""

BUILDS_ON: tuple[str, ...] = ("fs",)
