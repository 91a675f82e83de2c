"""The emulator's server core: state, auth, the wire format, faults, the request log."""
