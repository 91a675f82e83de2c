"""A folder named by ``Uid`` or by its ``FSEntry`` in the paging calls, ``walk``,
``glob(root=)``, ``upload`` and ``download_dir``; the listing routes take the uid
itself (no lookup of the path first). Blocking and async."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import pytest

from puter import PuterAI
from puter.exceptions import PuterInputError
from puter.types import FSEntry, Uid
from puter_client.emulator import PuterEmulator
from tests.services.fs.conftest import FsCall
from tests.support.emulated import alice


@pytest.fixture
def folder(fs: FsCall) -> FSEntry:
    for name in ("b.txt", "a.txt", "sub/c.txt", "sub/deep/d.md"):
        fs("write", f"Documents/tree/{name}", name, create_parents=True)
    entry: FSEntry = fs("stat", "Documents/tree")
    return entry


@pytest.fixture(params=["uid", "entry"])
def ref(request: pytest.FixtureRequest, folder: FSEntry) -> Uid | FSEntry:
    return Uid(folder.uid) if request.param == "uid" else folder


@pytest.fixture(params=["sync", "async"])
def client(request: pytest.FixtureRequest, v2_emu: PuterEmulator) -> Any:
    return request.param, alice()


def collect(mode_and_client: Any, name: str, *args: Any, **kwargs: Any) -> list[Any]:
    """``list(client.fs.<name>(...))``, or the async iterator collected."""
    mode, client = mode_and_client
    assert isinstance(client, PuterAI)
    if mode == "sync":
        return list(getattr(client.fs, name)(*args, **kwargs))

    async def gather() -> list[Any]:
        return [item async for item in getattr(client.fs, f"async_{name}")(*args, **kwargs)]

    return asyncio.run(gather())


def readdir_bodies(emu: PuterEmulator) -> list[Any]:
    return [r.json for r in emu.requests_to("/fs/readdir")]


def test_a_page_of_a_folder_named_by_uid_is_asked_for_by_uid(
    fs: FsCall, ref: Uid | FSEntry, folder: FSEntry, v2_emu: PuterEmulator
) -> None:
    stats_before = len(v2_emu.requests_to("/stat"))

    page = fs("listdir_page", ref, limit=1, include_total=True)

    assert [e.name for e in page.items] == ["a.txt"] and page.total == 3
    assert readdir_bodies(v2_emu)[-1] == {
        "uid": folder.uid, "cursor": None, "limit": 1, "includeTotal": True,
    }  # fmt: skip
    assert len(v2_emu.requests_to("/stat")) == stats_before  # no lookup of the path


def test_pages_and_names_of_a_folder_named_by_uid(
    client: Any, ref: Uid | FSEntry, folder: FSEntry
) -> None:
    pages = collect(client, "listdir_pages", ref, limit=2)
    names = collect(client, "iterdir", ref)

    assert [[e.name for e in p.items] for p in pages] == [["a.txt", "b.txt"], ["sub"]]
    assert names == ["a.txt", "b.txt", "sub"]


def test_listdir_by_uid_sends_the_uid_in_every_form(
    fs: FsCall, ref: Uid | FSEntry, folder: FSEntry, v2_emu: PuterEmulator
) -> None:
    recursive = fs("listdir", ref, recursive=True)
    offset = fs("listdir", ref, offset=1)

    assert [e.name for e in recursive] == ["a.txt", "b.txt", "sub", "c.txt", "deep", "d.md"]
    assert [e.name for e in offset] == ["b.txt", "sub"]
    assert readdir_bodies(v2_emu)[-2]["uid"] == folder.uid
    (unpaged,) = [r for r in v2_emu.requests_to("/fs/readdir") if r.method == "GET"]
    assert parse_qs(unpaged.query)["uid"] == [folder.uid]


def test_walk_from_a_folder_named_by_uid(client: Any, ref: Uid | FSEntry) -> None:
    walked = collect(client, "walk", ref)

    assert walked == [
        ("/alice/Documents/tree", ["sub"], ["a.txt", "b.txt"]),
        ("/alice/Documents/tree/sub", ["deep"], ["c.txt"]),
        ("/alice/Documents/tree/sub/deep", [], ["d.md"]),
    ]


def test_glob_under_a_root_named_by_path_uid_or_entry(client: Any, ref: Uid | FSEntry) -> None:
    assert collect(client, "glob", "**/*.txt", root=ref) == [
        "/alice/Documents/tree/a.txt", "/alice/Documents/tree/b.txt",
        "/alice/Documents/tree/sub/c.txt",
    ]  # fmt: skip
    assert collect(client, "glob", "sub/*/*.md", root=ref) == [
        "/alice/Documents/tree/sub/deep/d.md"
    ]
    assert collect(client, "glob", "*.txt", root="Documents/tree") == [
        "/alice/Documents/tree/a.txt", "/alice/Documents/tree/b.txt",
    ]  # fmt: skip


@pytest.mark.parametrize("pattern", ["/alice/*.txt", "~/*.txt", "no-wildcard", "../*"])
def test_glob_with_a_root_refuses_a_pattern_that_is_not_relative(
    fs: FsCall, folder: FSEntry, pattern: str
) -> None:
    with pytest.raises(PuterInputError) as caught:
        fs("glob", pattern, root=folder)

    assert caught.value.code in ("field_invalid", "bad_request")


def test_glob_and_walk_of_a_file_named_by_uid_are_not_a_directory(
    client: Any, fs: FsCall, folder: FSEntry
) -> None:
    file = fs("stat", "Documents/tree/a.txt")

    with pytest.raises(NotADirectoryError):
        collect(client, "walk", Uid(file.uid))
    with pytest.raises(NotADirectoryError):
        collect(client, "glob", "*", root=file)


def test_upload_into_and_download_from_a_folder_named_by_uid(
    fs: FsCall, ref: Uid | FSEntry, tmp_path: Path
) -> None:
    local = tmp_path / "up"
    local.mkdir()
    (local / "e.txt").write_text("e")

    report = fs("upload", local, ref)
    back = fs("download_dir", ref, tmp_path / "back")

    assert [f.remote for f in report.files] == ["/alice/Documents/tree/up/e.txt"]
    assert (tmp_path / "back" / "up" / "e.txt").read_text() == "e"
    assert (tmp_path / "back" / "sub" / "deep" / "d.md").read_text() == "sub/deep/d.md"
    assert len(back.files) == 5


def test_upload_to_a_missing_uid_is_file_not_found_even_with_create_parents(
    fs: FsCall, tmp_path: Path
) -> None:
    (tmp_path / "a.txt").write_text("a")

    with pytest.raises(FileNotFoundError):
        fs("upload", tmp_path / "a.txt", Uid("0b7c5e8e-0000-4000-8000-000000000000"),
           create_parents=True)  # fmt: skip


def test_a_listing_answer_that_is_not_entries_is_a_response_error(
    fs: FsCall, folder: FSEntry, v2_emu: PuterEmulator
) -> None:
    from puter.exceptions import PuterResponseError

    v2_emu.inject(
        "/fs/readdir",
        status=200,
        body=json.dumps({"items": [{"uid": "u", "path": "/x"}]}).encode(),
    )

    with pytest.raises(PuterResponseError) as caught:
        fs("listdir", folder)

    assert "fs_readdir" in str(caught.value)
