"""``puter worker``: deploy, exec, ls, info and rm against the emulator."""

from __future__ import annotations

import json
from pathlib import Path

from puter_client.core.credentials import SavedLogin

from .support import RunPuter, assert_one_line_error

SOURCE = """
router.get("/hi/:who", ({ params }) => ({ hi: params.who }));
router.post("/echo", async ({ request }) => new Response(await request.text(), { status: 418 }));
"""


def test_deploy_then_exec_prints_the_workers_answer(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    (tmp_path / "w.js").write_text(SOURCE)

    deployed = run_puter("worker", "deploy", "hello", str(tmp_path / "w.js"))
    answered = run_puter("worker", "exec", "hello", "/hi/bob")

    assert deployed.returncode == 0, deployed.stderr
    assert deployed.stdout.startswith("http://hello.workers.puter.localhost:")
    assert json.loads(answered.stdout) == {"hi": "bob"}


def test_exec_of_a_json_body_posts_it_and_a_4xx_exits_1(
    run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path
) -> None:
    (tmp_path / "w.js").write_text(SOURCE)
    run_puter("worker", "deploy", "hello", str(tmp_path / "w.js"))

    answered = run_puter("worker", "exec", "hello", "/echo", "--json", '{"a": 1}')

    assert json.loads(answered.stdout) == {"a": 1}
    assert (answered.returncode, answered.stderr) == (1, "puter: the worker answered 418\n")


def test_ls_info_and_rm(run_puter: RunPuter, logged_in: SavedLogin, tmp_path: Path) -> None:
    (tmp_path / "w.js").write_text(SOURCE)
    run_puter("worker", "deploy", "hello", str(tmp_path / "w.js"), "--no-sandbox")

    listed = json.loads(run_puter("worker", "ls", "--json").stdout)
    info = run_puter("worker", "info", "hello").stdout
    removed = run_puter("worker", "rm", "hello")

    assert [w["name"] for w in listed] == ["hello"]
    assert "url: https://hello.puter.work\n" in info
    assert removed.returncode == 0
    assert run_puter("worker", "ls").stdout == ""


def test_info_of_an_unknown_worker_is_one_error_line(
    run_puter: RunPuter, logged_in: SavedLogin
) -> None:
    assert_one_line_error(run_puter("worker", "info", "nope"), "Worker not found")
