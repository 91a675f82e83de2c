"""The ``puter-apps`` driver (``es:app``), ``app-telemetry``, ``/apps/nameAvailable`` and
``/get-dev-profile``: apps registered by developers."""

BUILDS_ON: tuple[str, ...] = ()
