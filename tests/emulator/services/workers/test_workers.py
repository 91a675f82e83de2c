"""The ``workers`` driver on the wire and deployed workers run by ``Host`` header."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from puter_client.emulator.services.workers import workers as workers_module
from puter_client.emulator.services.workers.runtime import ENGINE_MISSING
from tests.emulator.emulator_support import Api

SOURCE = b'router.get("/hi/:who", ({ params }) => ({ hi: params.who }));'


def call(api: Api, method: str, **args: Any) -> httpx.Response:
    return api.driver("workers", method, args, driver="worker-service")


def result(api: Api, method: str, **args: Any) -> Any:
    response = call(api, method, **args)
    assert response.status_code == 200, response.text
    return response.json()["result"]


@pytest.fixture
def source(api: Api) -> str:
    fs = api.emulator.state.fs
    fs.home("alice")
    writer = fs.blobs.writer()
    writer.write(SOURCE)
    folder = fs.find("/alice")
    assert folder is not None
    fs.put_file(folder, "w.js", writer.finish(), "alice", content_type=None, metadata=None)
    return "~/w.js"


def run(api: Api, name: str, path: str) -> httpx.Response:
    host = f"{name}.workers.puter.localhost:{api.emulator.api_port}"
    return api.client.get(f"{api.emulator.api_base}{path}", headers={"Host": host})


def test_create_answers_the_local_serving_url(api: Api, source: str) -> None:
    answer = result(api, "create", workerName="Hi", filePath=source)

    port = api.emulator.api_port
    assert answer == {
        "success": True,
        "errors": [],
        "url": f"http://hi.workers.puter.localhost:{port}",
    }


def test_the_worker_runs_on_a_request_by_host_header(api: Api, source: str) -> None:
    result(api, "create", workerName="hi", filePath=source)

    answer = run(api, "hi", "/hi/bob")

    assert (answer.status_code, answer.json()) == (200, {"hi": "bob"})
    assert answer.headers["access-control-allow-origin"] == "*"


def test_get_file_paths_answers_the_puter_work_url_quirk(api: Api, source: str) -> None:
    result(api, "create", workerName="hi", filePath=source)

    [row] = result(api, "getFilePaths", workerName="hi")

    assert (row["name"], row["url"], row["file_path"]) == (
        "hi", "https://hi.puter.work", "/alice/w.js",
    )  # fmt: skip
    assert result(api, "getFilePaths", workerName="nope") == []


def test_get_file_paths_without_a_name_or_paging_is_a_bare_array(api: Api, source: str) -> None:
    result(api, "create", workerName="hi", filePath=source)

    assert [row["name"] for row in result(api, "getFilePaths")] == ["hi"]


def test_create_of_a_missing_file_is_404(api: Api) -> None:
    assert call(api, "create", workerName="hi", filePath="~/nope.js").status_code == 404


def test_create_of_a_bad_name_is_400(api: Api, source: str) -> None:
    response = call(api, "create", workerName="a b", filePath=source)

    assert response.json()["message"] == "Worker name must be alphanumeric (plus _ and -)"


def test_destroy_of_an_unknown_worker_is_404_worker_not_found(api: Api) -> None:
    response = call(api, "destroy", workerName="nope")

    assert (response.status_code, response.json()["message"]) == (404, "Worker not found")


def test_without_the_engine_a_worker_answers_one_line_503(
    api: Api, source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    result(api, "create", workerName="hi", filePath=source)
    monkeypatch.setattr(workers_module, "engine_available", lambda: False)

    answer = run(api, "hi", "/hi/bob")

    assert answer.status_code == 503
    assert answer.text == ENGINE_MISSING
    assert "\n" not in answer.text and "pip install" in answer.text


def test_a_worker_that_throws_answers_500_with_the_message(api: Api) -> None:
    fs = api.emulator.state.fs
    fs.home("alice")
    writer = fs.blobs.writer()
    writer.write(b'router.get("/", () => { throw new Error("kaput"); });')
    folder = fs.find("/alice")
    assert folder is not None
    fs.put_file(folder, "bad.js", writer.finish(), "alice", content_type=None, metadata=None)
    result(api, "create", workerName="bad", filePath="~/bad.js")

    answer = run(api, "bad", "/")

    assert (answer.status_code, answer.text) == (500, "kaput")
