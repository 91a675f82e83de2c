"""The SDK's exceptions: ``from puter.exceptions import PuterError, PuterAuthError, ...``."""

from puter_client.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterBadRequestError,
    PuterConnectionError,
    PuterError,
    PuterNotFoundError,
    PuterPaymentRequiredError,
    PuterPermissionError,
    PuterRateLimitError,
    PuterResponseError,
    PuterServerError,
    PuterStreamError,
    PuterTimeoutError,
)

__all__ = [
    "PuterAPIError",
    "PuterAuthError",
    "PuterBadRequestError",
    "PuterConnectionError",
    "PuterError",
    "PuterNotFoundError",
    "PuterPaymentRequiredError",
    "PuterPermissionError",
    "PuterRateLimitError",
    "PuterResponseError",
    "PuterServerError",
    "PuterStreamError",
    "PuterTimeoutError",
]
