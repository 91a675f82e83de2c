"""Runnable examples mirroring API_REFERENCE.md; ``make demo`` runs them on the emulator."""
