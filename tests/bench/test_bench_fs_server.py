"""The bench server's file-system answers that the upload and listing rows need: one
written entry per manifest item, the folder a ``/mkdir`` or ``/stat`` asks for, and the
cursor pages of a large folder. Timings are never asserted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bench import workloads
from bench.server import ServerProcess

AUTH = workloads.raw_headers()


@pytest.fixture(scope="module")
def server() -> Iterator[ServerProcess]:
    with ServerProcess(stream_lines=1) as running:
        yield running


def test_a_batch_write_is_answered_with_one_entry_per_manifest_item(
    server: ServerProcess,
) -> None:
    items = [{"index": i, "fileMetadata": {"path": f"~/f{i}", "size": 1}} for i in range(3)]
    with httpx.Client() as client:
        answer = client.post(
            f"{server.url}/fs/batchWrite",
            data={"manifest": json.dumps({"items": items})},
            files=[(f"file-{i}", (f"f{i}", b"x", "text/plain")) for i in range(3)],
            headers=AUTH,
        )

    assert answer.status_code == 200 and len(answer.json()) == 3
    assert all("fsEntry" in result for result in answer.json())


def test_mkdir_and_stat_answer_the_folder_asked_for(server: ServerProcess) -> None:
    with httpx.Client() as client:
        made = client.post(f"{server.url}/mkdir", json={"parent": "~/bench-dir", "path": "a"})
        found = client.post(f"{server.url}/stat", json={"path": "~/bench-dir"})

    assert (made.json()["path"], made.json()["name"], made.json()["is_dir"]) == (
        "/bench/bench-dir/a", "a", True,
    )  # fmt: skip
    assert (found.json()["path"], found.json()["is_dir"]) == ("/bench/bench-dir", True)


def test_readdir_pages_follow_the_cursor_to_every_entry(server: ServerProcess) -> None:
    names: list[str] = []
    cursor: str | None = None
    with httpx.Client() as client:
        while True:
            page = client.post(
                f"{server.url}/fs/readdir", json=workloads.readdir_payload(cursor), headers=AUTH
            ).json()
            names += [item["name"] for item in page["items"]]
            cursor = page.get("cursor")
            if cursor is None:
                break

    assert len(names) == len(set(names)) == workloads.FS_LIST_ENTRIES


def test_the_sdk_lists_every_entry_of_the_bench_folder(server: ServerProcess) -> None:
    from puter import PuterAI

    with PuterAI(token=workloads.TOKEN, api_base=server.url, login_url=server.url) as client:
        entries = client.fs.listdir(workloads.FS_LIST_PATH)

    assert len(entries) == workloads.FS_LIST_ENTRIES
    assert entries[0].name == "file-00000.txt" and entries[0].size == 4096


def test_the_raw_listing_posts_the_body_the_sdk_posts() -> None:
    from puter import PuterAI

    bodies: list[bytes] = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/fs/readdir":
            bodies.append(request.content)
        return httpx.Response(200, json={"items": []})

    transport = httpx.MockTransport(handler)
    with (
        httpx.Client(transport=transport) as http,
        PuterAI(token=workloads.TOKEN, api_base="http://bench", http_client=http) as client,
    ):
        client.fs.listdir(workloads.FS_LIST_PATH)

    assert [json.loads(body) for body in bodies] == [workloads.readdir_payload(None)]


def test_write_tree_makes_the_files_asked_for(tmp_path: Path) -> None:
    root = workloads.write_tree(tmp_path / "t", 25, 3000, per_folder=10)

    files = sorted(p for p in root.rglob("*") if p.is_file())
    assert len(files) == 25 and {p.stat().st_size for p in files} == {3000}
    assert sorted(p.name for p in root.iterdir()) == ["part-000", "part-001", "part-002"]
