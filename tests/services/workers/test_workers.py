"""``client.workers`` against the emulator, blocking and async: a worker deployed from a
local file answers ``exec`` (route parameters, a custom status, JSON); the sandbox's kv
is the worker's own; ``user.puter`` only with the session; listings lazy; duplicates and
unknown names typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from puter import PuterAI
from puter.exceptions import PuterConflictError, PuterInputError, PuterNotFoundError
from puter.types import Worker, WorkerDeployment, WorkerResponse
from puter_client.emulator import LoggedRequest, PuterEmulator
from puter_client.emulator.services.hosting.hosting import add_row
from puter_client.services.workers.workers import checked_name
from tests.support.emulated import connect
from tests.support.faces import FACES, Face

SOURCE = """
router.get("/api/posts/:category/:id", async ({ params }) => ({ ...params }));
router.post("/api/echo", async ({ request }) => {
  const body = await request.json();
  return new Response(JSON.stringify({ got: body }), {
    status: 418, headers: { "Content-Type": "application/json" },
  });
});
router.get("/me/count", async ({ me }) => ({ count: await me.puter.kv.incr("count") }));
router.get("/who", async ({ user }) => ({ signed: Boolean(user && user.puter) }));
router.get("/user/set", async ({ user }) => {
  await user.puter.kv.set("from-worker", 1);
  return "ok";
});
router.get("/headers", async ({ request }) => ({
  auth: request.headers.get("puter-auth") !== null,
  noauth: request.headers.get("x-puter-no-auth"),
}));
"""


@pytest.fixture
def client(v2_emu: PuterEmulator) -> Iterator[PuterAI]:
    with connect(v2_emu) as c:
        yield c


@pytest.fixture(params=FACES)
def workers(request: pytest.FixtureRequest, client: PuterAI) -> Face:
    return Face(client.workers, request.param)


@pytest.fixture
def source_file(tmp_path: Path) -> Path:
    path = tmp_path / "hello.js"
    path.write_text(SOURCE)
    return path


def worker_calls(emu: PuterEmulator, method: str | None = None) -> list[LoggedRequest]:
    return [
        r
        for r in emu.requests_to("/drivers/call")
        if isinstance(r.json, dict)
        and r.json.get("interface") == "workers"
        and (method is None or r.json.get("method") == method)
    ]


# ------------------------------------------------------------------ deploy and exec


def test_a_worker_deployed_from_a_local_file_answers_with_its_route_parameters(
    workers: Face, source_file: Path
) -> None:
    deployment = workers.deploy("hello", source_file)

    answer = workers.exec("hello", "/api/posts/tech/42")

    assert isinstance(deployment, WorkerDeployment) and deployment.success
    assert isinstance(answer, WorkerResponse)
    assert (answer.status, answer.json()) == (200, {"category": "tech", "id": "42"})


def test_exec_answers_a_custom_status_and_a_json_body_as_a_response(
    workers: Face, source_file: Path
) -> None:
    workers.deploy("hello", source_file)

    answer = workers.exec("hello", "/api/echo", method="POST", json={"n": [1, 2]})

    assert answer.status == 418 and not answer.ok
    assert answer.json() == {"got": {"n": [1, 2]}}
    assert answer.headers["content-type"] == "application/json"


def test_deploy_of_code_as_text_writes_it_under_workers(workers: Face, client: PuterAI) -> None:
    workers.deploy("inline", 'router.get("/", () => "hi");')

    assert client.fs.read_text("~/Workers/inline.js") == 'router.get("/", () => "hi");'
    assert workers.exec("inline").text == "hi"


def test_create_answers_the_serving_url_and_records_the_deployment(
    workers: Face, client: PuterAI, v2_emu: PuterEmulator
) -> None:
    client.fs.write("~/w.js", SOURCE)

    deployment = workers.create("Hello", "w.js")

    assert deployment.url == f"http://hello.workers.puter.localhost:{v2_emu.api_port}"
    record = client.kv.get("user-workers")["hello"]
    assert record["url"] == deployment.url and record["filePath"] == "~/w.js"
    assert record["deployTime"] == record["createTime"] > 1_000_000_000_000


def test_exec_of_a_url_reaches_it_directly(workers: Face, source_file: Path) -> None:
    url = workers.deploy("hello", source_file).url

    assert workers.exec(url, "/api/posts/a/b").json() == {"category": "a", "id": "b"}


def test_exec_of_a_path_no_route_takes_answers_404_not_an_error(
    workers: Face, source_file: Path
) -> None:
    workers.deploy("hello", source_file)

    assert workers.exec("hello", "/nothing").status == 404


# ------------------------------------------------------------------ sandbox and kv


def test_a_sandboxed_workers_kv_is_invisible_to_the_deployer(
    workers: Face, client: PuterAI, source_file: Path
) -> None:
    workers.deploy("hello", source_file)

    assert workers.exec("hello", "/me/count").json() == {"count": 1}
    assert workers.exec("hello", "/me/count").json() == {"count": 2}
    assert client.kv.get("count") is None
    assert client.workers.get("hello").app_uid == client.apps.get("sandbox-hello").uid


def test_an_unsandboxed_workers_kv_is_the_deployers(
    workers: Face, client: PuterAI, source_file: Path
) -> None:
    workers.deploy("hello", source_file, sandbox=False)

    workers.exec("hello", "/me/count")

    assert client.kv.get("count") == 1
    assert client.workers.get("hello").app_uid is None


def test_user_puter_exists_only_when_the_session_is_sent(
    workers: Face, client: PuterAI, source_file: Path
) -> None:
    workers.deploy("hello", source_file)

    assert workers.exec("hello", "/who").json() == {"signed": True}
    assert workers.exec("hello", "/who", auth=False).json() == {"signed": False}
    assert workers.exec("hello", "/user/set").text == "ok"
    assert client.kv.get("from-worker") == 1


def test_x_puter_no_auth_is_removed_and_sends_no_session(workers: Face, source_file: Path) -> None:
    workers.deploy("hello", source_file)

    answer = workers.exec("hello", "/headers", headers={"x-puter-no-auth": "1"})

    assert answer.json() == {"auth": False, "noauth": None}


def test_a_bound_app_must_exist_before_anything_is_deployed(
    workers: Face, client: PuterAI, source_file: Path, v2_emu: PuterEmulator
) -> None:
    with pytest.raises(PuterNotFoundError) as caught:
        workers.deploy("hello", source_file, app="nope")

    assert caught.value.code == "app_not_found"
    assert worker_calls(v2_emu, "create") == []


def test_a_worker_bound_to_a_named_app_runs_as_it(
    workers: Face, client: PuterAI, source_file: Path
) -> None:
    app = client.apps.create("my-app", "https://example.com/")

    workers.deploy("hello", source_file, app="my-app")

    assert client.workers.get("hello").app_uid == app.uid


# ------------------------------------------------------------------ get, delete, list


def test_get_answers_the_worker_with_the_listing_url_quirk(
    workers: Face, source_file: Path
) -> None:
    workers.deploy("hello", source_file)

    worker = workers.get("HELLO")

    assert isinstance(worker, Worker)
    assert (worker.name, worker.url) == ("hello", "https://hello.puter.work")
    assert worker.file_path == "/alice/Workers/hello.js"


def test_get_of_an_unknown_worker_is_not_found(workers: Face) -> None:
    with pytest.raises(PuterNotFoundError):
        workers.get("nope")


def test_delete_removes_the_worker_and_its_record(
    workers: Face, client: PuterAI, source_file: Path
) -> None:
    workers.deploy("hello", source_file)

    workers.delete("hello")

    with pytest.raises(PuterNotFoundError):
        workers.get("hello")
    assert "hello" not in client.kv.get("user-workers")
    with pytest.raises(PuterNotFoundError):
        workers.delete("hello")


def test_list_and_pages_walk_every_worker(workers: Face, client: PuterAI) -> None:
    for name in ("a", "b", "c"):
        workers.deploy(name, "router.get('/', () => 'x');", sandbox=False)

    assert [w.name for w in workers.list()] == ["a", "b", "c"]
    pages = workers.pages(page_size=2, include_total=True)
    assert [[w.name for w in p.items] for p in pages] == [["a", "b"], ["c"]]
    assert pages[0].total == 3


def test_list_sends_nothing_until_iterated(client: PuterAI, v2_emu: PuterEmulator) -> None:
    client.workers.deploy("a", "router.get('/', () => 'x');", sandbox=False)
    before = len(worker_calls(v2_emu))

    listing = client.workers.list()
    assert len(worker_calls(v2_emu)) == before
    assert next(listing).name == "a"


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize("name", ["", "has space", "dot.name", "ü"])
def test_a_bad_name_is_refused_before_any_request(
    workers: Face, v2_emu: PuterEmulator, name: str
) -> None:
    with pytest.raises(PuterInputError) as caught:
        workers.deploy(name, "x")

    assert caught.value.code == "invalid_request"
    assert v2_emu.requests == []


def test_someone_elses_worker_name_is_a_conflict(
    workers: Face, v2_emu: PuterEmulator, source_file: Path
) -> None:
    other = v2_emu.state.find_user(username="otp_user")
    assert other is not None
    add_row(v2_emu.state, other, "workers.puter.taken", None, None)

    with pytest.raises(PuterConflictError):
        workers.deploy("taken", source_file, sandbox=False)


def test_json_and_content_together_are_refused(workers: Face) -> None:
    with pytest.raises(PuterInputError):
        workers.exec("hello", "/", json={}, content=b"x")


# ------------------------------------------------------------------ retries and names


def test_a_get_to_a_worker_is_retried_after_a_503(
    workers: Face, source_file: Path, v2_emu: PuterEmulator
) -> None:
    workers.deploy("hello", source_file)
    v2_emu.inject("/api/posts/a/b", status=503, times=1)

    answer = workers.exec("hello", "/api/posts/a/b")

    assert answer.status == 200
    assert len(v2_emu.requests_to("/api/posts/a/b")) == 2


def test_a_post_to_a_worker_is_never_repeated_and_its_503_is_an_answer(
    workers: Face, source_file: Path, v2_emu: PuterEmulator
) -> None:
    workers.deploy("hello", source_file)
    v2_emu.inject("/api/echo", status=503, times=1)

    answer = workers.exec("hello", "/api/echo", method="POST", json={})

    assert answer.status == 503
    assert len(v2_emu.requests_to("/api/echo")) == 1


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=12))
def test_a_name_is_accepted_lower_cased_exactly_when_the_server_would(name: str) -> None:
    valid = bool(name) and all(c.isascii() and (c.isalnum() or c in "_-") for c in name)
    if valid:
        assert checked_name(name) == name.lower()
    else:
        with pytest.raises(PuterInputError):
            checked_name(name)


def test_a_name_with_a_trailing_newline_is_refused() -> None:
    with pytest.raises(PuterInputError):
        checked_name("hello\n")
