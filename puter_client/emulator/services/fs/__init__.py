"""The emulator's file system: the tree, its entries in both shapes, and the routes."""

BUILDS_ON: tuple[str, ...] = ()
