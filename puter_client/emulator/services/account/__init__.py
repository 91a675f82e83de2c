"""The emulator's account routes: ``/whoami`` and usage (storage used counts the files)."""

BUILDS_ON: tuple[str, ...] = ("fs",)
