"""Keep secrets out of text the SDK does not write itself.

httpcore logs response headers at DEBUG level, ``Set-Cookie`` session tokens included;
``redact_http_logs`` installs a filter that masks credential headers in those records.
``redact`` masks given secrets in any text (an exception message, say).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable

__all__ = ["REDACTED", "redact", "redact_http_logs"]

REDACTED = "[redacted]"
_HTTP_LOGGERS = ("httpcore.http11", "httpcore.http2", "httpcore.connection", "httpcore.proxy")
_SECRET_HEADER = re.compile(
    r"""(\(b['"](?:set-cookie|cookie|authorization|proxy-authorization)['"],\s*)"""
    r"""b(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""",
    re.IGNORECASE,
)


class _SecretHeaderFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if _SECRET_HEADER.search(message):
            record.msg = _SECRET_HEADER.sub(rf"\1b'{REDACTED}'", message)
            record.args = ()
        return True


_filter = _SecretHeaderFilter()


def redact_http_logs() -> None:
    """Mask credential headers in httpcore's debug records (idempotent)."""
    for name in _HTTP_LOGGERS:
        logger = logging.getLogger(name)
        if _filter not in logger.filters:
            logger.addFilter(_filter)


def redact(text: str, secrets: Iterable[str | None]) -> str:
    """``text`` with every non-empty secret replaced by ``[redacted]``."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text
