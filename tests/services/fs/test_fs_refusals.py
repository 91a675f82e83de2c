"""Client-side refusals carry puter.js's code (``.code``) and stay ``ValueError`` /
``TypeError``; file-system ``OSError``s carry ``errno`` and ``filename``; nothing is sent
for a refused call. Blocking and async."""

from __future__ import annotations

import errno
from pathlib import Path, PurePosixPath
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter.exceptions import PuterInputError, PuterInputTypeError
from puter_client.emulator import PuterEmulator
from puter_client.services.fs.path import remote_path
from tests.services.fs.conftest import FsCall

# (method, args, kwargs) -> code, and whether it is a TypeError
REFUSALS: list[tuple[str, tuple[Any, ...], dict[str, Any], str, bool]] = [
    ("write", ("", "x"), {}, "NO_TARGET_PATH", False),
    ("write", ("~", "x"), {}, "NO_TARGET_PATH", False),
    ("write", ("a.txt", 3), {}, "field_invalid", True),
    ("write", ("a.txt", "x"), {"overwrite": "yes"}, "field_invalid", True),
    ("write", ("a.txt", "x"), {"content_type": ""}, "field_invalid", False),
    ("stat", ("",), {}, "NO_PATH_OR_UID", False),
    ("listdir", ("",), {}, "NO_PATH_OR_UID", False),
    ("read", (" a.txt",), {}, "field_invalid", False),
    ("read", ("a//b",), {}, "bad_request", False),
    ("read", ("../etc",), {}, "bad_request", False),
    ("read", (3,), {}, "field_invalid", True),
    ("read", ("a.txt",), {"offset": -1}, "field_invalid", False),
    ("read", ("a.txt",), {"length": 1.5}, "field_invalid", True),
    ("rename", ("a.txt", "x/y"), {}, "bad_request", False),
    ("rename", ("a.txt", ""), {}, "bad_request", False),
    ("rename", ("a.txt", 7), {}, "field_invalid", True),
    ("delete", ("a.txt",), {"recursive": 1}, "field_invalid", True),
    ("download", ("a.txt", 5), {}, "field_invalid", True),
]


@pytest.mark.parametrize(("method", "args", "kwargs", "code", "type_error"), REFUSALS)
def test_a_refusal_carries_puter_js_code_and_sends_nothing(
    fs: FsCall,
    v2_emu: PuterEmulator,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    code: str,
    type_error: bool,
) -> None:
    with pytest.raises(ValueError) as caught:
        fs(method, *args, **kwargs)

    assert isinstance(caught.value, PuterInputError)
    assert caught.value.code == code
    assert isinstance(caught.value, TypeError) == type_error
    assert isinstance(caught.value, PuterInputTypeError) == type_error
    assert [r for r in v2_emu.requests if r.host == "api"] == []


def test_file_not_found_carries_errno_and_the_path_sent(fs: FsCall) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        fs("read", "Documents/nope.txt")

    assert (caught.value.errno, caught.value.filename) == (errno.ENOENT, "~/Documents/nope.txt")
    assert caught.value.code == "subject_does_not_exist"  # type: ignore[attr-defined]
    assert str(caught.value).startswith("404 subject_does_not_exist: Entry not found")


@pytest.mark.parametrize(
    ("method", "args", "kind", "number", "filename"),
    [
        ("stat", ("nope",), FileNotFoundError, errno.ENOENT, "~/nope"),
        ("listdir", ("nope",), FileNotFoundError, errno.ENOENT, "~/nope"),
        ("delete", ("nope",), FileNotFoundError, errno.ENOENT, "~/nope"),
        ("mkdir", ("Documents",), FileExistsError, errno.EEXIST, "/alice/Documents"),
        ("write", ("Documents", "x"), IsADirectoryError, errno.EISDIR, "~/Documents"),
        ("read", ("Documents",), IsADirectoryError, errno.EISDIR, "~/Documents"),
        ("listdir", ("f.txt",), NotADirectoryError, errno.ENOTDIR, "~/f.txt"),
    ],
)
def test_os_errors_of_the_server_have_errno_and_filename(
    fs: FsCall, method: str, args: tuple[Any, ...], kind: type[OSError], number: int,
    filename: str,
) -> None:  # fmt: skip
    fs("write", "f.txt", "x")

    with pytest.raises(kind) as caught:
        fs(method, *args)

    assert (caught.value.errno, caught.value.filename) == (number, filename)


def test_a_missing_local_file_is_file_not_found_with_its_name(fs: FsCall, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as missing:
        fs("write", "a.txt", tmp_path / "nope.bin")
    with pytest.raises(IsADirectoryError) as folder:
        fs("write", "a.txt", tmp_path)

    assert (missing.value.errno, missing.value.filename) == (
        errno.ENOENT,
        str(tmp_path / "nope.bin"),
    )
    assert (folder.value.errno, folder.value.filename) == (errno.EISDIR, str(tmp_path))


_segment = st.text(alphabet="ab. /~", min_size=0, max_size=12)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.one_of(_segment, st.builds(PurePosixPath, _segment)))
def test_every_path_refusal_is_a_value_error_with_a_code(path: str | PurePosixPath) -> None:
    try:
        sent = remote_path(path)
    except PuterInputError as exc:
        assert isinstance(exc, ValueError)
        assert exc.code in ("NO_PATH_OR_UID", "field_invalid", "bad_request")
    else:
        assert sent.startswith(("/", "~"))
        assert "//" not in sent and ".." not in sent.split("/")
