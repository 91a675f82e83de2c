"""Shortcuts (Puter's desktop links): ``fs.mkshortcut`` makes one (``POST
/fs/mkshortcut``), listings and stats report them (``is_shortcut``, ``shortcut_to``), and
``entry.shortcut_target()`` fetches what one points to; blocking and async."""

from __future__ import annotations

import asyncio

import pytest

from puter.exceptions import PuterBadRequestError, PuterInputError
from puter.types import FSEntry, Uid
from puter_client.emulator import PuterEmulator
from tests.services.fs.conftest import FsCall


@pytest.fixture
def target(fs: FsCall) -> FSEntry:
    entry: FSEntry = fs("write", "Documents/report.txt", "the report")
    return entry


def test_a_shortcut_is_made_in_its_folder_and_points_to_its_target(
    fs: FsCall, target: FSEntry, v2_emu: PuterEmulator
) -> None:
    link = fs("mkshortcut", "Desktop/report", "Documents/report.txt")

    assert link.path == "/alice/Desktop/report" and link.is_shortcut and not link.is_dir
    assert link.shortcut_to is not None
    (sent,) = v2_emu.requests_to("/fs/mkshortcut")
    assert sent.json == {
        "parent": {"path": "~/Desktop"}, "name": "report",
        "target": {"path": "~/Documents/report.txt"}, "dedupe_name": False,
    }  # fmt: skip


def test_a_shortcut_target_may_be_named_by_uid_or_entry(
    fs: FsCall, target: FSEntry, v2_emu: PuterEmulator
) -> None:
    by_uid = fs("mkshortcut", "Desktop/a", Uid(target.uid))
    by_entry = fs("mkshortcut", "Desktop/b", target)

    assert by_uid.shortcut_to == by_entry.shortcut_to
    assert [r.json["target"] for r in v2_emu.requests_to("/fs/mkshortcut")] == [
        {"uid": target.uid}, {"uid": target.uid},
    ]  # fmt: skip


def test_listings_and_stats_report_shortcuts_in_both_shapes(fs: FsCall, target: FSEntry) -> None:
    link = fs("mkshortcut", "Desktop/report", target)

    (listed,) = fs("listdir", "Desktop")
    stat = fs("stat", "Desktop/report")

    assert (listed.shape, listed.is_shortcut, listed.shortcut_to) == ("v2", True, link.shortcut_to)
    assert (stat.shape, stat.is_shortcut, stat.shortcut_to) == ("v1", True, link.shortcut_to)
    assert stat.to_wire()["is_shortcut"] == 1  # v1 sends the integer, as the server does
    assert fs("stat", "Documents/report.txt").is_shortcut is False


def test_shortcut_target_fetches_the_entry_it_points_to(fs: FsCall, target: FSEntry) -> None:
    link = fs("mkshortcut", "Desktop/report", target)
    fs("move", "Documents/report.txt", "Pictures")  # the target's id follows it

    assert link.shortcut_target().path == "/alice/Pictures/report.txt"
    assert asyncio.run(link.async_shortcut_target()).read_text() == "the report"


def test_the_target_of_a_shortcut_whose_target_is_gone_is_not_found(
    fs: FsCall, target: FSEntry
) -> None:
    link = fs("mkshortcut", "Desktop/report", target)
    fs("delete", target)

    with pytest.raises(FileNotFoundError):
        link.shortcut_target()
    assert fs("stat", link).is_shortcut  # the shortcut itself stays


def test_an_entry_that_is_no_shortcut_has_no_target(target: FSEntry) -> None:
    with pytest.raises(PuterInputError) as caught:
        target.shortcut_target()

    assert caught.value.code == "shortcut_target_not_found"


def test_a_taken_name_is_file_exists_unless_deduplicated(fs: FsCall, target: FSEntry) -> None:
    fs("mkshortcut", "Desktop/report", target)

    with pytest.raises(FileExistsError):
        fs("mkshortcut", "Desktop/report", target)
    assert fs("mkshortcut", "Desktop/report", target, dedupe_name=True).name == "report (1)"


def test_a_missing_folder_or_target_is_file_not_found(fs: FsCall, target: FSEntry) -> None:
    with pytest.raises(FileNotFoundError):
        fs("mkshortcut", "Nowhere/report", target)
    with pytest.raises(FileNotFoundError):
        fs("mkshortcut", "Desktop/ghost", "Documents/ghost.txt")


def test_reading_a_shortcut_is_refused_by_the_server(fs: FsCall, target: FSEntry) -> None:
    fs("mkshortcut", "Desktop/report", target)

    with pytest.raises(PuterBadRequestError) as caught:
        fs("read", "Desktop/report")

    assert caught.value.code == "shortcut_target_not_found"


def test_a_copy_of_a_shortcut_is_a_shortcut_to_the_same_target(fs: FsCall, target: FSEntry) -> None:
    link = fs("mkshortcut", "Desktop/report", target)

    copied = fs("copy", link, "Documents")

    assert copied.is_shortcut and copied.shortcut_to == link.shortcut_to


def test_a_shortcut_to_a_folder_is_a_shortcut_not_a_folder(fs: FsCall) -> None:
    link = fs("mkshortcut", "Desktop/docs", "Documents")

    assert link.is_shortcut and not link.is_dir
    assert link.shortcut_target().is_dir


@pytest.mark.parametrize(
    ("path", "target", "code"),
    [
        ("", "Documents", "NO_TARGET_PATH"),
        ("~", "Documents", "NO_TARGET_PATH"),
        ("Desktop/../x", "Documents", "bad_request"),
        ("Desktop/x", "", "NO_PATH_OR_UID"),
        ("Desktop/x", 3, "field_invalid"),
    ],
)
def test_bad_input_is_refused_before_any_request(
    fs: FsCall, path: str, target: object, code: str, v2_emu: PuterEmulator
) -> None:
    with pytest.raises(PuterInputError) as caught:
        fs("mkshortcut", path, target)

    assert caught.value.code == code
    assert v2_emu.requests_to("/fs/mkshortcut") == []


def test_dedupe_name_must_be_a_bool(fs: FsCall) -> None:
    with pytest.raises(TypeError):
        fs("mkshortcut", "Desktop/x", "Documents", dedupe_name="yes")
