"""``puter site``: publish, ls, info and rm against the emulator, plain and ``--json``."""

from __future__ import annotations

import json
from pathlib import Path

from puter_client.core.credentials import SavedLogin
from tests.support.sites import fetch

from .support import RunPuter, assert_one_line_error


def test_publish_prints_the_url_that_serves_the_folder(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    (tmp_path / "index.html").write_text("<h1>from the cli</h1>")

    published = run_puter("site", "publish", str(tmp_path), "cli-site")

    assert published.returncode == 0, published.stderr
    url = published.stdout.strip()
    assert url.startswith("http://cli-site.site.puter.localhost:")
    assert fetch(url).text == "<h1>from the cli</h1>"


def test_ls_info_and_rm(run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text("x")
    run_puter("site", "publish", str(tmp_path), "cli-site")

    listed = json.loads(run_puter("site", "ls", "--json").stdout)
    info = run_puter("site", "info", "cli-site").stdout
    removed = run_puter("site", "rm", "cli-site")

    assert [s["subdomain"] for s in listed] == ["cli-site"]
    assert "root_dir: /alice/Sites/cli-site\n" in info
    assert removed.returncode == 0
    assert run_puter("site", "ls").stdout == ""


def test_publish_of_a_missing_folder_is_one_error_line(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    assert_one_line_error(run_puter("site", "publish", str(tmp_path / "nope"), "x"), "nope")
