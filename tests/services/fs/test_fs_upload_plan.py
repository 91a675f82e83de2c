"""How ``fs.upload`` reads a local folder (one ``scandir`` per folder, as ``os.walk``
goes): links to files are uploaded as files, links to folders made but not entered,
dangling links left out; blocking and async."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.services.fs.conftest import FsCall

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    (root / "b").mkdir(parents=True)
    (root / "a").mkdir()
    (root / "b" / "z.txt").write_text("z")
    (root / "a" / "y.txt").write_text("y")
    (root / "x.txt").write_text("x")
    outside = tmp_path / "outside"
    (outside / "deep").mkdir(parents=True)
    (outside / "deep" / "secret.txt").write_text("not uploaded")
    (outside / "linked.txt").write_text("linked")
    (root / "link.txt").symlink_to(outside / "linked.txt")
    (root / "linkdir").symlink_to(outside / "deep")
    (root / "dangling").symlink_to(tmp_path / "nowhere")
    return root


def test_a_link_to_a_file_is_uploaded_and_a_link_to_a_folder_is_not_entered(
    fs: FsCall, tree: Path
) -> None:
    report = fs("upload", tree, "Documents")

    assert [f.remote.removeprefix("/alice/Documents/tree/") for f in report.files] == [
        "a/y.txt", "b/z.txt", "link.txt", "x.txt",
    ]  # fmt: skip
    assert fs("read_text", "Documents/tree/link.txt") == "linked"
    assert fs("stat", "Documents/tree/linkdir").is_dir
    assert fs("listdir", "Documents/tree/linkdir") == []
    assert fs("exists", "Documents/tree/dangling") is False


def test_a_linked_folder_is_made_and_a_linked_file_counted_as_its_target(
    fs: FsCall, tree: Path
) -> None:
    report = fs("upload", tree, "Documents")

    assert sorted(report.folders) == [
        "/alice/Documents/tree", "/alice/Documents/tree/a", "/alice/Documents/tree/b",
        "/alice/Documents/tree/linkdir",
    ]  # fmt: skip
    assert report.bytes == len("xyz") + len("linked")
