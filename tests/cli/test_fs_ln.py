"""``puter fs ln``: a shortcut (Puter's kind of link) from the command line, and ``ls``
marking shortcuts with ``@`` as ``ls -F`` marks links."""

from __future__ import annotations

import json

import pytest

from .support import RunPuter

pytestmark = pytest.mark.usefixtures("logged_in")


def test_ln_makes_a_shortcut_and_prints_its_path(run_puter: RunPuter) -> None:
    run_puter("fs", "mkdir", "proj")

    made = run_puter("fs", "ln", "proj", "Desktop/proj")
    listed = run_puter("fs", "ls", "Desktop")

    assert (made.returncode, made.stdout, made.stderr) == (0, "/alice/Desktop/proj\n", "")
    assert listed.stdout.splitlines() == ["proj@"]


def test_ln_without_a_link_puts_it_in_home_under_the_target_name(run_puter: RunPuter) -> None:
    run_puter("fs", "mkdir", "Documents/notes")

    made = run_puter("fs", "ln", "Documents/notes", "--json")

    entry = json.loads(made.stdout)
    assert entry["path"] == "/alice/notes" and entry["is_shortcut"] is True
    assert isinstance(entry["shortcut_to"], int)


def test_ln_onto_a_taken_name_fails_unless_deduplicated(run_puter: RunPuter) -> None:
    run_puter("fs", "mkdir", "proj")
    run_puter("fs", "ln", "proj", "Desktop/p")

    taken = run_puter("fs", "ln", "proj", "Desktop/p")
    deduped = run_puter("fs", "ln", "--dedupe", "proj", "Desktop/p")

    assert taken.returncode != 0 and taken.stderr.startswith("puter: error: ")
    assert "Traceback" not in taken.stderr
    assert deduped.stdout == "/alice/Desktop/p (1)\n"


def test_ln_to_a_missing_target_is_one_error_line(run_puter: RunPuter) -> None:
    missing = run_puter("fs", "ln", "nope", "Desktop/nope")

    assert missing.returncode != 0
    assert missing.stderr.startswith("puter: error: ") and missing.stderr.count("\n") == 1
