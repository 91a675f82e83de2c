"""What every service shares: configuration, credentials and the token cache, the
session, the transport with its retry policy and rate limiters, flows and their runners,
serialization, errors, binary input, and the private HTTP layer (``core.http``).

Nothing here imports a service, the command line or the facade.
"""
