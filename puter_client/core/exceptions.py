"""The exception hierarchy of the SDK.

```
PuterError
├── PuterAuthError                     credentials missing or refused, token rejected
│   └── PuterLoginConnectionError      a login that got no answer (also PuterConnectionError)
│       └── PuterLoginTimeoutError     ... because it timed out (also PuterTimeoutError)
├── PuterInputError                    an input refused before sending (also a ValueError)
└── PuterAPIError                      any failed API call
    ├── PuterBadRequestError           400 / 422
    ├── PuterPaymentRequiredError      402 (insufficient funds)
    ├── PuterPermissionError           403
    ├── PuterNotFoundError             404
    │   └── PuterFileNotFoundError     no such file or directory (also FileNotFoundError)
    ├── PuterConflictError             409 (the entry already exists)
    │   └── PuterFileExistsError       a file-system entry exists (also FileExistsError)
    ├── PuterNotADirectoryError        a file where a directory is needed (also NotADirectoryError)
    ├── PuterIsADirectoryError         a directory where a file is needed (also IsADirectoryError)
    ├── PuterPayloadTooLargeError      413 (body or storage quota too large)
    ├── PuterRateLimitError            429
    ├── PuterServerError               5xx
    ├── PuterResponseError             the server's answer did not fit the protocol
    ├── PuterStreamError               an ``error`` line in a streamed reply
    └── PuterConnectionError           no HTTP answer at all
        └── PuterTimeoutError          the request timed out
```

Exception text never contains a password or a token: messages are built from the
server's ``message``/``code`` and the request's method and URL only. Which class an
answer becomes is decided in one place, ``puter_client.core.http.errors``.
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "PuterAPIError",
    "PuterAuthError",
    "PuterBadRequestError",
    "PuterConflictError",
    "PuterConnectionError",
    "PuterError",
    "PuterFileExistsError",
    "PuterFileNotFoundError",
    "PuterInputError",
    "PuterInputTypeError",
    "PuterIsADirectoryError",
    "PuterLoginConnectionError",
    "PuterLoginTimeoutError",
    "PuterNotADirectoryError",
    "PuterNotFoundError",
    "PuterPayloadTooLargeError",
    "PuterPaymentRequiredError",
    "PuterPermissionError",
    "PuterRateLimitError",
    "PuterRateLimitWarning",
    "PuterResponseError",
    "PuterServerError",
    "PuterStreamError",
    "PuterTimeoutError",
]


class PuterError(Exception):
    """Base class of every error the SDK raises on purpose.

    Attributes (``None`` where they do not apply):
        message: the server's message, or a description of the local failure.
        status_code: the HTTP status, or for a legacy ``success: false`` body the status
            it names; ``None`` when no HTTP answer arrived.
        code: the server's machine-readable ``code`` (e.g. ``insufficient_funds``).
        body: the decoded JSON body (or text) of the error answer, if any.
        method, url: the request that failed.
    """

    def __init__(
        self,
        message: str = "",
        *,
        status_code: int | None = None,
        code: str | None = None,
        body: Any = None,
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        self.message = message
        self.status_code = status_code
        self.code = code
        self.body = body
        self.method = method
        self.url = url
        super().__init__(self._describe())

    def _describe(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(status_code={self.status_code!r}, code={self.code!r}, "
            f"message={self.message!r})"
        )

    def __str__(self) -> str:
        # the text as described, also for the builtin OSError subclasses once their
        # ``errno``/``filename`` are set (``OSError.__str__`` would show "[Errno 2] ...")
        return str(self.args[0]) if self.args else ""


class PuterAuthError(PuterError):
    """Authentication failed: missing credentials, refused login, rejected token."""


class PuterInputError(PuterError, ValueError):
    """An input the SDK refused before sending anything; nothing was changed.

    ``code`` is the code puter.js gives the same refusal (``key_undefined``,
    ``NO_TARGET_PATH``, ``invalid_request``...), so a caller can branch on ``.code``
    whether the client or the server refused. It is a ``ValueError``, as every refusal of
    a bad value is; a refusal of a wrong type is ``PuterInputTypeError``. A batch records
    one as the error of the one item that was not a valid prompt (``invalid_item``).
    """


class PuterInputTypeError(PuterInputError, TypeError):
    """``PuterInputError`` for an argument of the wrong type: also a ``TypeError``."""


class PuterAPIError(PuterError):
    """An API call failed; the text names the status, code and request."""

    def _describe(self) -> str:
        parts = []
        if self.status_code is not None:
            parts.append(str(self.status_code))
        if self.code:
            parts.append(self.code)
        head = " ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        if self.method and self.url:
            text += f" ({self.method} {self.url})"
        return text


class PuterBadRequestError(PuterAPIError):
    """The server refused the request as invalid (400, 422)."""


class PuterPaymentRequiredError(PuterAPIError):
    """The account has no credits left (402 ``insufficient_funds``)."""


class PuterPermissionError(PuterAPIError):
    """The account may not do this (403), e.g. ``email_confirmation_required``."""


class PuterNotFoundError(PuterAPIError):
    """Unknown interface, method, driver or route (404)."""


class PuterConflictError(PuterAPIError):
    """The target already exists, or is in a state that forbids the change (409).

    Never retried: trying again cannot make an existing entry go away.
    """


class PuterFileNotFoundError(PuterNotFoundError, FileNotFoundError):
    """A file-system entry (or the parent a new one needs) does not exist (404)."""


class PuterFileExistsError(PuterConflictError, FileExistsError):
    """A file-system entry of that name already exists (409)."""


class PuterNotADirectoryError(PuterBadRequestError, NotADirectoryError):
    """A file was named where a directory is needed (400 ``dest_is_not_a_directory``)."""


class PuterIsADirectoryError(PuterAPIError, IsADirectoryError):
    """A directory was named where a file is needed: reading it (400
    ``cannot_read_a_directory``) or writing a file over it (409
    ``cannot_overwrite_a_directory``)."""


class PuterPayloadTooLargeError(PuterAPIError):
    """The request body is over the server's limit, or storage is full (413)."""


class PuterRateLimitError(PuterAPIError):
    """The server asked us to slow down (429)."""


class PuterServerError(PuterAPIError):
    """The server failed (5xx)."""


class PuterResponseError(PuterAPIError):
    """The server answered, but not in the shape the protocol describes."""


class PuterStreamError(PuterAPIError):
    """A streamed reply carried an ``error`` line."""


class PuterConnectionError(PuterAPIError):
    """No HTTP answer: connection refused, dropped or reset."""


class PuterTimeoutError(PuterConnectionError):
    """The request did not complete within the configured timeout."""


class PuterLoginConnectionError(PuterAuthError, PuterConnectionError):
    """A login that got no answer from the server (refused, dropped, unreachable).

    It is a ``PuterAuthError``, as the reference says a failed login is, and a
    ``PuterConnectionError``, as any call that reached no server is; its text names the
    URL tried and the cause, and ``__cause__`` is the connection error itself.
    """


class PuterLoginTimeoutError(PuterLoginConnectionError, PuterTimeoutError):
    """A login that timed out: ``PuterLoginConnectionError`` and ``PuterTimeoutError``."""


class PuterRateLimitWarning(UserWarning):
    """The client's own rate limit is holding calls for long (shown once per client):
    the message names the limit and how to raise it."""
