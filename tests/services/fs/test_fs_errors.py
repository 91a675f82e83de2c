"""Every file-system error row of the protocol notes, as the class ``client.fs`` raises."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from puter_client.core.exceptions import (
    PuterAPIError,
    PuterBadRequestError,
    PuterConflictError,
    PuterFileExistsError,
    PuterFileNotFoundError,
    PuterIsADirectoryError,
    PuterNotADirectoryError,
    PuterPayloadTooLargeError,
    PuterPermissionError,
    PuterRateLimitError,
)
from puter_client.core.http.errors import error_from_response, file_system_error

# (status, code, message) as the notes show them -> the class and the builtin it also is
ROWS: list[tuple[int, str, str, type[PuterAPIError], type[Exception] | None]] = [
    (409, "item_with_same_name_exists",
     "A file already exists at this path and overwrite was not requested",
     PuterFileExistsError, FileExistsError),
    (404, "not_found", "Parent path does not exist: /admin/nope/dir",
     PuterFileNotFoundError, FileNotFoundError),
    (400, "cannot_write_to_root", "Cannot write to root path", PuterBadRequestError, None),
    (409, "cannot_overwrite_a_directory", "Cannot overwrite an existing directory",
     PuterIsADirectoryError, IsADirectoryError),
    (404, "subject_does_not_exist", "Subject does not exist",
     PuterFileNotFoundError, FileNotFoundError),
    (413, "storage_limit_reached", "Storage limit reached", PuterPayloadTooLargeError, None),
    (400, "bad_request", "Unsupported file content payload", PuterBadRequestError, None),
    (400, "bad_request", "Invalid file size", PuterBadRequestError, None),
    (415, "unsupported_media_type", "Unsupported content type for batchWrite",
     PuterAPIError, None),
    (404, "subject_does_not_exist", "Entry not found: path=/admin/Documents/nope.txt",
     PuterFileNotFoundError, FileNotFoundError),
    (400, "cannot_read_a_directory", "Cannot read a directory",
     PuterIsADirectoryError, IsADirectoryError),
    (400, "bad_request", "Missing entry reference (expected one of: path, uid, id)",
     PuterBadRequestError, None),
    (400, "dest_is_not_a_directory", "Target is not a directory",
     PuterNotADirectoryError, NotADirectoryError),
    (409, "conflict", "An entry already exists at /admin/Documents/hello.txt",
     PuterFileExistsError, FileExistsError),
    (400, "bad_request", "Name cannot contain a slash", PuterBadRequestError, None),
    (400, "dest_is_not_a_directory", "Destination parent is not a directory",
     PuterNotADirectoryError, NotADirectoryError),
    (409, "conflict", "Directory is not empty", PuterConflictError, None),
    (400, "bad_request", "Invalid path", PuterBadRequestError, None),
    (429, "too_many_requests", "Too many requests.", PuterRateLimitError, None),
    (403, "email_confirmation_required", "Email confirmation required.",
     PuterPermissionError, None),
]  # fmt: skip


def fs_error_of(status: int, code: str, message: str, **extra: Any) -> PuterAPIError:
    request = httpx.Request("POST", "https://api.puter.com/stat")
    body = {"error": message, "message": message, "code": code, **extra}
    error = error_from_response(httpx.Response(status, json=body, request=request))
    assert isinstance(error, PuterAPIError)
    return file_system_error(error)


@pytest.mark.parametrize(
    ("status", "code", "message", "cls", "builtin"), ROWS, ids=[f"{r[0]}-{r[2]}" for r in ROWS]
)
def test_each_error_row_is_its_typed_error_with_status_code_and_message(
    status: int, code: str, message: str, cls: type[PuterAPIError], builtin: type | None
) -> None:
    error = fs_error_of(status, code, message)

    assert type(error) is cls
    assert (error.status_code, error.code, error.message) == (status, code, message)
    assert error.method == "POST" and error.url == "https://api.puter.com/stat"
    if builtin is not None:
        assert isinstance(error, builtin) and isinstance(error, OSError)
    else:
        assert not isinstance(error, OSError)


def test_the_extra_fields_of_the_body_are_kept() -> None:
    error = fs_error_of(409, "item_with_same_name_exists", "exists", entry_name="hello.txt")

    assert error.body["entry_name"] == "hello.txt"


def test_a_file_not_found_error_is_still_a_not_found_error() -> None:
    from puter_client.core.exceptions import PuterNotFoundError

    assert issubclass(PuterFileNotFoundError, PuterNotFoundError)
    assert issubclass(PuterFileExistsError, PuterConflictError)
