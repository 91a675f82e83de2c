"""The ``puter-subdomains`` driver (``es:subdomain``) and the sites it serves under the
static hosting domain, by ``Host`` header."""

BUILDS_ON: tuple[str, ...] = ("fs", "apps")
