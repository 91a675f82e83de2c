"""``fs.upload`` and ``fs.download_dir`` against the emulator, blocking and async: whole
folders both ways, puter.js's options, junk, partial failures, interruptions, progress,
and the bound on requests in flight."""

from __future__ import annotations

import errno
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter import PuterAI
from puter.exceptions import PuterConnectionError, PuterFileExistsError, PuterInputError
from puter.types import PuterTransferError, TransferProgress
from puter_client.emulator import Drop, PuterEmulator
from puter_client.emulator.core.ratelimit import RateLimit
from puter_client.services.fs import transfer
from puter_client.services.fs.flows import FsFlows
from tests.services.fs.conftest import FsCall
from tests.support.emulated import alice


def tree(root: Path, files: dict[str, bytes], folders: tuple[str, ...] = ()) -> Path:
    for relative, data in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    for folder in folders:
        (root / folder).mkdir(parents=True, exist_ok=True)
    return root


def local_files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def local_folders(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir()}


@pytest.fixture
def thousand(tmp_path: Path) -> Path:
    """1,000 small files (some empty) in nested folders, and an empty folder."""
    files = {
        f"d{i % 5}/s{i % 4}/f{i}.bin": os.urandom(i % 300) if i % 97 else b"" for i in range(1000)
    }
    return tree(tmp_path / "photos", files, folders=("empty/inner",))


@pytest.fixture
def roomy_fs(v2_emu: PuterEmulator, fs_call: Callable[[PuterAI], FsCall]) -> FsCall:
    """``fs`` of an account whose read limits allow a thousand reads a minute (the free
    tier's 300 would make the test wait minutes, as it would make a real download)."""
    v2_emu.state.options.rate_limits["fs.read"] = RateLimit(100_000, 60.0)
    return fs_call(alice(rate_limits={"fs.read": (100_000, 60.0)}))


def test_a_folder_of_a_thousand_files_goes_up_and_comes_back_byte_identical(
    roomy_fs: FsCall, thousand: Path, tmp_path: Path
) -> None:
    fs = roomy_fs
    report = fs("upload", thousand, "Documents")
    back = fs("download_dir", "Documents/photos", tmp_path / "back")

    assert len(report.files) == len(back.files) == 1000
    assert local_files(tmp_path / "back") == local_files(thousand)
    assert local_folders(tmp_path / "back") == local_folders(thousand)  # empty ones too
    assert report.bytes == back.bytes == sum(len(d) for d in local_files(thousand).values())


def test_files_go_in_batches_of_a_bounded_size(
    fs: FsCall, thousand: Path, v2_emu: PuterEmulator
) -> None:
    fs("upload", thousand, "Documents")

    batches = v2_emu.requests_to("/fs/batchWrite")
    assert len(batches) == 1000 // transfer.BATCH_FILES
    assert all(r.body_streamed and r.status == 200 for r in batches)


def test_no_more_requests_than_in_flight_run_at_once(
    fs: FsCall, thousand: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    running, most = 0, 0
    lock = threading.Lock()
    send = FsFlows._send

    def counted(self: FsFlows, *args: Any, **kwargs: Any) -> Any:
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            return (yield from send(self, *args, **kwargs))
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(FsFlows, "_send", counted)

    fs("upload", thousand, "Documents", in_flight=2)

    assert most <= 2


def test_several_sources_files_and_folders_land_in_the_remote_folder(
    fs: FsCall, tmp_path: Path
) -> None:
    a = tree(tmp_path / "a", {"x.txt": b"x"})
    single = tmp_path / "single.txt"
    single.write_bytes(b"one")

    report = fs("upload", [a, single], "Desktop")

    assert sorted(f.remote for f in report.files) == [
        "/alice/Desktop/a/x.txt", "/alice/Desktop/single.txt",
    ]  # fmt: skip
    assert fs("read", "Desktop/single.txt") == b"one"
    assert report.files[0].entry is not None and report.files[0].entry.size == 1


def test_ds_store_is_skipped_as_puter_js_does(fs: FsCall, tmp_path: Path) -> None:
    root = tree(tmp_path / "p", {"a.txt": b"a", ".DS_Store": b"junk", "sub/.ds_store": b"j"})

    report = fs("upload", root, "Documents")

    assert [p.name for p in report.skipped] == [".DS_Store", ".ds_store"]
    assert [e.name for e in fs("listdir", "Documents/p")] == ["a.txt", "sub"]
    assert fs("listdir", "Documents/p/sub") == []


def test_a_taken_folder_name_gets_a_free_one_by_default(fs: FsCall, tmp_path: Path) -> None:
    root = tree(tmp_path / "p", {"a.txt": b"a"})
    fs("upload", root, "Documents")

    second = fs("upload", root, "Documents")

    assert second.folders[0] == "/alice/Documents/p (1)"
    assert fs("read", "Documents/p (1)/a.txt") == b"a"


def test_overwrite_replaces_the_files_in_place(fs: FsCall, tmp_path: Path) -> None:
    root = tree(tmp_path / "p", {"a.txt": b"old"})
    fs("upload", root, "Documents")
    (root / "a.txt").write_bytes(b"new")

    report = fs("upload", root, "Documents", overwrite=True)

    assert [f.remote for f in report.files] == ["/alice/Documents/p/a.txt"]
    assert fs("read", "Documents/p/a.txt") == b"new"
    assert [e.name for e in fs("listdir", "Documents")] == ["p"]


def test_a_partial_failure_names_the_failed_files_and_keeps_the_others(
    fs: FsCall, tmp_path: Path
) -> None:
    fs("mkdir", "Documents/p")
    fs("write", "Documents/p/taken.txt", "remote")
    root = tree(tmp_path / "p", {"taken.txt": b"local", "free.txt": b"free", "z.txt": b"z"})

    with pytest.raises(PuterTransferError) as caught:
        fs("upload", root, "Documents", dedupe_name=False)

    report = caught.value.report
    (failed,) = report.failed
    assert (failed.local, failed.remote) == (root / "taken.txt", "/alice/Documents/p/taken.txt")
    assert isinstance(failed.error, PuterFileExistsError)
    assert sorted(f.remote.rpartition("/")[2] for f in report.files) == ["free.txt", "z.txt"]
    assert fs("read_text", "Documents/p/taken.txt") == "remote"
    assert fs("read", "Documents/p/free.txt") == b"free"


def test_uploading_to_the_root_is_refused_before_any_request(
    fs: FsCall, tmp_path: Path, v2_emu: PuterEmulator
) -> None:
    single = tmp_path / "a.txt"
    single.write_bytes(b"a")

    with pytest.raises(ValueError) as caught:
        fs("upload", single, "/")

    assert isinstance(caught.value, PuterInputError)
    assert caught.value.code == "cannot_write_to_root"
    assert v2_emu.requests_to("/fs/batchWrite") == []


def test_nothing_to_upload_is_empty_upload(fs: FsCall, tmp_path: Path) -> None:
    root = tree(tmp_path / "p", {".DS_Store": b"junk"})

    with pytest.raises(PuterInputError) as caught:
        fs("upload", [], "Documents")
    with pytest.raises(PuterInputError) as junk_only:
        fs("upload", root / ".DS_Store", "Documents")

    assert caught.value.code == junk_only.value.code == "EMPTY_UPLOAD"
    assert fs("upload", root, "Documents").files == ()  # an empty folder is something


def test_a_missing_local_source_is_file_not_found_with_its_name(fs: FsCall, tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        fs("upload", tmp_path / "nope", "Documents")

    assert (caught.value.errno, caught.value.filename) == (errno.ENOENT, str(tmp_path / "nope"))


def test_a_missing_remote_folder_is_made_only_with_create_parents(
    fs: FsCall, tmp_path: Path
) -> None:
    single = tmp_path / "a.txt"
    single.write_bytes(b"a")

    with pytest.raises(FileNotFoundError):
        fs("upload", single, "new/place")
    report = fs("upload", single, "new/place", create_parents=True)

    assert [f.remote for f in report.files] == ["/alice/new/place/a.txt"]


def test_progress_reaches_the_totals_and_files_only_go_up(fs: FsCall, tmp_path: Path) -> None:
    root = tree(tmp_path / "p", {f"f{i}": b"x" * 1000 for i in range(250)})
    seen: list[TransferProgress] = []

    fs("upload", root, "Documents", progress=seen.append)
    done = [p.files_done for p in seen]

    assert seen[-1] == TransferProgress(250_000, 250_000, 250, 250)
    assert done == sorted(done)


def test_an_interrupted_upload_leaves_nothing_that_looks_complete(
    fs: FsCall, tmp_path: Path
) -> None:
    root = tree(tmp_path / "p", {f"f{i}.bin": b"y" * 50_000 for i in range(20)})

    class Interrupt(Exception):
        pass

    def interrupt(state: TransferProgress) -> None:
        if state.bytes_done > 100_000:
            raise Interrupt

    with pytest.raises(Interrupt):
        fs("upload", root, "Documents", progress=interrupt)

    for entry in fs("listdir", "Documents/p"):  # whatever landed is whole
        assert fs("read", entry.path) == b"y" * 50_000
    assert len(fs("listdir", "Documents/p")) < 20


def test_the_explicit_path_form_of_write_sends_the_file_while_a_str_is_text(
    fs: FsCall, tmp_path: Path
) -> None:
    local = tmp_path / "cat.png"
    local.write_bytes(b"\x89PNG")

    fs("write", "a.png", local)
    fs("write", "b.txt", str(local))

    assert fs("read", "a.png") == b"\x89PNG"
    assert fs("read_text", "b.txt") == str(local)


# ------------------------------------------------------------------- downloads


def test_download_dir_fails_only_the_file_that_keeps_failing(
    fs: FsCall, v2_emu: PuterEmulator, tmp_path: Path
) -> None:
    fs("write", "Documents/p/a.bin", b"a" * 100_000, create_parents=True)
    fs("write", "Documents/p/b.bin", b"b" * 10, create_parents=True)
    v2_emu.inject("/read", Drop(after_bytes=5000), times=20)  # b.bin is shorter than that

    with pytest.raises(PuterTransferError) as caught:
        fs("download_dir", "Documents/p", tmp_path / "back", in_flight=1)

    (failed,) = caught.value.report.failed
    assert failed.remote == "/alice/Documents/p/a.bin"
    assert isinstance(failed.error, PuterConnectionError)
    assert sorted(p.name for p in (tmp_path / "back").iterdir()) == ["b.bin"]  # no .part


def test_download_dir_without_overwrite_keeps_local_files(fs: FsCall, tmp_path: Path) -> None:
    fs("write", "Documents/p/a.txt", "remote", create_parents=True)
    fs("write", "Documents/p/b.txt", "remote b", create_parents=True)
    back = tree(tmp_path / "back", {"a.txt": b"local"})

    with pytest.raises(PuterTransferError) as caught:
        fs("download_dir", "Documents/p", back, overwrite=False)

    assert isinstance(caught.value.report.failed[0].error, FileExistsError)
    assert local_files(back) == {"a.txt": b"local", "b.txt": b"remote b"}


def test_download_dir_of_a_file_is_not_a_directory(fs: FsCall, tmp_path: Path) -> None:
    fs("write", "a.txt", "a")

    with pytest.raises(NotADirectoryError):
        fs("download_dir", "a.txt", tmp_path / "back")


def test_download_dir_progress_reaches_the_totals(fs: FsCall, tmp_path: Path) -> None:
    fs("write", "Documents/p/a.bin", b"a" * 3000, create_parents=True)
    fs("write", "Documents/p/q/b.bin", b"b" * 7, create_parents=True)
    seen: list[TransferProgress] = []

    fs("download_dir", "Documents/p", tmp_path / "back", progress=seen.append)

    assert seen[-1] == TransferProgress(3007, 3007, 2, 2)


# ------------------------------------------------------------------- validation


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.one_of(st.integers(max_value=0), st.integers(min_value=65), st.booleans()))
def test_in_flight_out_of_range_is_refused_with_field_invalid(value: int) -> None:
    client = alice()

    with pytest.raises(PuterInputError) as caught:
        client.fs.upload(".", "Documents", in_flight=value)

    assert caught.value.code == "field_invalid"
    assert isinstance(caught.value, TypeError) == isinstance(value, bool)
