"""``client.account``: who is logged in (``whoami``) and what the account has used."""

BUILDS_ON: tuple[str, ...] = ()
