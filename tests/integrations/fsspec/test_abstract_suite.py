"""fsspec's own conformance suite (``fsspec.tests.abstract``), run as it ships against
the emulator: its copy, get, put, open and pipe test classes, with the fixtures class
they are made for. (fsspec's ``mv`` module holds no test class, only tests of the local
file system; ``test_fsspec.py`` checks ``mv`` here.) Tests that cannot pass are listed
in ``docs/fsspec.md``.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable

import pytest
from fsspec.tests.abstract import (
    AbstractCopyTests,
    AbstractFixtures,
    AbstractGetTests,
    AbstractOpenTests,
    AbstractPipeTests,
    AbstractPutTests,
)

from puter.fsspec import PuterFileSystem


class PuterFixtures(AbstractFixtures):  # type: ignore[misc]
    """The suite's fixtures for Puter: alice's file system, ``/``-joined paths."""

    @pytest.fixture
    def fs(self, v2_fs: PuterFileSystem) -> PuterFileSystem:
        return v2_fs

    @pytest.fixture
    def fs_join(self) -> Callable[..., str]:
        return posixpath.join

    @pytest.fixture
    def fs_path(self) -> str:
        return "/alice/fsspec-suite"


class TestPuterCopy(PuterFixtures, AbstractCopyTests):  # type: ignore[misc]
    """``cp`` within Puter."""


class TestPuterGet(PuterFixtures, AbstractGetTests):  # type: ignore[misc]
    """``get`` from Puter to the local disk."""


class TestPuterPut(PuterFixtures, AbstractPutTests):  # type: ignore[misc]
    """``put`` from the local disk to Puter."""


class TestPuterOpen(PuterFixtures, AbstractOpenTests):  # type: ignore[misc]
    """``open`` (exclusive creation)."""


class TestPuterPipe(PuterFixtures, AbstractPipeTests):  # type: ignore[misc]
    """``pipe_file`` (exclusive creation, overwrite)."""
