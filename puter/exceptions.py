"""The SDK's exceptions: ``from puter.exceptions import PuterError, PuterAuthError, ...``."""

from puter_client.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterBadRequestError,
    PuterConflictError,
    PuterConnectionError,
    PuterError,
    PuterInputError,
    PuterNotFoundError,
    PuterPayloadTooLargeError,
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
    "PuterConflictError",
    "PuterConnectionError",
    "PuterError",
    "PuterInputError",
    "PuterNotFoundError",
    "PuterPayloadTooLargeError",
    "PuterPaymentRequiredError",
    "PuterPermissionError",
    "PuterRateLimitError",
    "PuterResponseError",
    "PuterServerError",
    "PuterStreamError",
    "PuterTimeoutError",
]
