"""The ``puter-subdomains`` driver on the wire and sites served by ``Host`` header."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.emulator.emulator_support import Api

SUBDOMAINS = "puter-subdomains"


def call(api: Api, method: str, **args: Any) -> httpx.Response:
    return api.driver(SUBDOMAINS, method, args)


def result(api: Api, method: str, **args: Any) -> Any:
    response = call(api, method, **args)
    assert response.status_code == 200, response.text
    return response.json()["result"]


@pytest.fixture
def www(api: Api) -> str:
    state = api.emulator.state
    fs = state.fs
    fs.home("alice")
    folder = fs.mkdirs("/alice/www", "alice")
    writer = fs.blobs.writer()
    writer.write(b"<p>hi</p>")
    fs.put_file(
        folder, "index.html", writer.finish(), "alice", content_type="text/html", metadata=None
    )
    return "~/www"


def get_site(api: Api, host: str, path: str = "/") -> httpx.Response:
    return api.client.get(f"{api.emulator.api_base}{path}", headers={"Host": host})


def test_create_answers_the_row_with_its_v1_root_dir(api: Api, www: str) -> None:
    row = result(api, "create", object={"subdomain": "mysite", "root_dir": www})

    assert row["subdomain"] == "mysite" and row["domain"] == ""
    assert row["root_dir"]["path"] == "/alice/www" and row["root_dir"]["is_dir"] is True
    assert row["owner"]["username"] == "alice"


@pytest.mark.parametrize("name", ["Blog", "-x", "a_b", "www", "x" * 65])
def test_a_bad_or_reserved_subdomain_is_400(api: Api, www: str, name: str) -> None:
    response = call(api, "create", object={"subdomain": name, "root_dir": www})

    assert response.status_code == 400


def test_a_taken_subdomain_is_409_conflict(api: Api, www: str) -> None:
    result(api, "create", object={"subdomain": "mysite", "root_dir": www})

    response = call(api, "create", object={"subdomain": "mysite", "root_dir": www})

    assert (response.status_code, response.json()["code"]) == (409, "conflict")


def test_a_missing_root_dir_is_400_root_dir_id_does_not_exist(api: Api) -> None:
    response = call(api, "create", object={"subdomain": "mysite", "root_dir": "~/nope"})

    assert response.json()["message"] == "root_dir_id does not exist"


def test_the_site_is_served_by_host_header(api: Api, www: str) -> None:
    result(api, "create", object={"subdomain": "mysite", "root_dir": www})

    page = get_site(api, f"mysite.site.puter.localhost:{api.emulator.api_port}")

    assert (page.status_code, page.text) == (200, "<p>hi</p>")
    assert page.headers["content-type"].startswith("text/html")


def test_an_unknown_site_or_file_is_404(api: Api, www: str) -> None:
    result(api, "create", object={"subdomain": "mysite", "root_dir": www})

    assert get_site(api, "nope.site.puter.localhost").status_code == 404
    assert get_site(api, "mysite.site.puter.localhost", "/missing.css").status_code == 404


def test_select_without_paging_arguments_answers_a_bare_array(api: Api, www: str) -> None:
    result(api, "create", object={"subdomain": "mysite", "root_dir": www})

    assert [row["subdomain"] for row in result(api, "select")] == ["mysite"]


def test_read_of_an_unknown_subdomain_is_404(api: Api) -> None:
    response = call(api, "read", id={"subdomain": "nope"})

    assert (response.status_code, response.json()["code"]) == (404, "not_found")
