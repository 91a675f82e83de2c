"""``puter fs sign``, ``revoke-url``, ``share``, ``unshare``, ``shares`` against the
emulator, as a user runs them (alice logged in with a saved token; bob by credentials in
the environment)."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from puter_client.emulator import PuterEmulator

from .support import RunPuter

pytestmark = pytest.mark.usefixtures("logged_in")

BOB = {"PUTER_USERNAME": "bob", "PUTER_PASSWORD": "bob-password"}


@pytest.fixture
def report(run_puter: RunPuter, tmp_path: Path, emu: PuterEmulator) -> str:
    """``~/Documents/report.txt`` of alice, uploaded with ``puter fs put``; and a ``bob``."""
    local = tmp_path / "report.txt"
    local.write_text("quarterly numbers")
    emu.add_user("bob", "bob-password")
    assert run_puter("fs", "put", str(local), "Documents/").returncode == 0
    return "Documents/report.txt"


def test_sign_prints_a_url_that_reads_the_file_with_no_login(
    run_puter: RunPuter, report: str
) -> None:
    signed = run_puter("fs", "sign", report)

    assert (signed.returncode, signed.stderr) == (0, "")
    url = signed.stdout.strip()
    assert httpx.get(url).text == "quarterly numbers"


def test_sign_write_json_gives_both_urls(run_puter: RunPuter, report: str) -> None:
    signed = json.loads(run_puter("fs", "sign", report, "--write", "--json").stdout)

    assert set(signed) == {"url", "write_url", "expires", "path", "uid"}
    assert "/file?" in signed["url"] and "/writeFile?" in signed["write_url"]
    assert signed["path"] == "/alice/Documents/report.txt"
    assert signed["expires"] is None  # the owner's signature never expires


def test_sign_expires_makes_a_read_url_that_revoke_url_stops(
    run_puter: RunPuter, report: str
) -> None:
    url = run_puter("fs", "sign", report, "--expires", "1h").stdout.strip()
    assert httpx.get(url).text == "quarterly numbers"

    revoked = run_puter("fs", "revoke-url", url)

    assert (revoked.returncode, revoked.stdout, revoked.stderr) == (0, "", "")
    assert httpx.get(url).status_code == 401


def test_sign_write_with_expires_is_a_usage_error(run_puter: RunPuter) -> None:
    result = run_puter("fs", "sign", "a.txt", "--write", "--expires", "1h")

    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr
    assert "Traceback" not in result.stderr


def test_share_then_the_recipient_lists_and_reads_it(run_puter: RunPuter, report: str) -> None:
    shared = run_puter("fs", "share", report, "bob")
    listed = run_puter("fs", "shares", "--json", env=BOB)

    assert (shared.returncode, shared.stdout) == (
        0, "shared /alice/Documents/report.txt with bob (read)\n",
    )  # fmt: skip
    [held] = json.loads(listed.stdout)
    assert (held["name"], held["owner"], held["mode"]) == ("report.txt", "alice", "read")
    assert run_puter("fs", "cat", held["path"], env=BOB).stdout == "quarterly numbers"


def test_shares_of_a_path_names_who_can_reach_it_and_unshare_withdraws(
    run_puter: RunPuter, report: str
) -> None:
    run_puter("fs", "share", report, "bob", "--write")

    holders = run_puter("fs", "shares", report)
    withdrawn = run_puter("fs", "unshare", report, "bob", "--json")

    assert holders.stdout == "bob  write\n"
    assert json.loads(withdrawn.stdout) == {"revoked": 1}
    assert run_puter("fs", "shares", report).stdout == ""


def test_sharing_with_an_unknown_user_is_one_error_line(run_puter: RunPuter, report: str) -> None:
    result = run_puter("fs", "share", report, "nobody_here")

    assert result.returncode == 1
    assert result.stderr.startswith("puter: error: ")
    assert "user_does_not_exist" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
