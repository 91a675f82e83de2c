"""``stat`` with puter.js's options, blocking and async: folder sizes, versions, and the
flags sent only when asked."""

from __future__ import annotations

import pytest

from puter.exceptions import PuterInputError
from puter_client.emulator import PuterEmulator
from tests.services.fs.conftest import FsCall


def test_return_size_gives_a_folder_the_bytes_of_everything_in_it(fs: FsCall) -> None:
    fs("write", "d/a.bin", b"x" * 100, create_parents=True)
    fs("write", "d/sub/b.bin", b"y" * 23, create_parents=True)

    assert fs("stat", "d", return_size=True).size == 123
    assert fs("stat", "d").size == 0


def test_return_versions_adds_the_servers_empty_list(fs: FsCall) -> None:
    fs("write", "a.txt", "a")

    assert fs("stat", "a.txt", return_versions=True).extra["versions"] == []
    assert "versions" not in fs("stat", "a.txt").extra


def test_the_flags_are_sent_only_when_asked(fs: FsCall, v2_emu: PuterEmulator) -> None:
    fs("stat", "~", return_permissions=True, return_subdomains=True)
    fs("stat", "~")

    first, second = (r.json for r in v2_emu.requests_to("/stat"))
    assert first == {"path": "~", "return_permissions": True, "return_subdomains": True}
    assert second == {"path": "~"}


def test_a_flag_that_is_not_a_bool_is_refused(fs: FsCall) -> None:
    with pytest.raises(PuterInputError) as caught:
        fs("stat", "~", return_size="yes")

    assert caught.value.code == "field_invalid"
