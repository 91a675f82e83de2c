"""One package per service the emulator answers, over its core."""
