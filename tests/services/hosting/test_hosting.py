"""``client.hosting`` against the emulator, blocking and async: sites made, read,
repointed, deleted and listed; ``publish`` of a local folder served byte for byte; the
site URL from ``hosting_domain``; duplicates and unknown names typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterBadRequestError,
    PuterConflictError,
    PuterInputError,
    PuterNotFoundError,
)
from puter.types import Site
from puter_client.core.configuration import PuterConfig
from puter_client.emulator import LoggedRequest, PuterEmulator
from puter_client.services.hosting.hosting import site_url
from tests.support.faces import FACES, Face
from tests.support.sites import fetch


@pytest.fixture
def client(v2_emu: PuterEmulator) -> Iterator[PuterAI]:
    with PuterAI(
        token=v2_emu.token_for("alice"),
        api_base=v2_emu.api_base,
        login_url=v2_emu.login_url,
        hosting_domain=v2_emu.hosting_domain,
        retry_delay=0.01,
    ) as c:
        yield c


@pytest.fixture(params=FACES)
def hosting(request: pytest.FixtureRequest, client: PuterAI) -> Face:
    return Face(client.hosting, request.param)


def site_calls(emu: PuterEmulator, method: str | None = None) -> list[LoggedRequest]:
    return [
        r
        for r in emu.requests_to("/drivers/call")
        if isinstance(r.json, dict)
        and r.json.get("interface") == "puter-subdomains"
        and (method is None or r.json.get("method") == method)
    ]


@pytest.fixture
def folder(client: PuterAI) -> str:
    client.fs.mkdir("~/www", parents=True, exist_ok=True)
    client.fs.write("~/www/index.html", "<h1>hello</h1>")
    return "~/www"


def a_site_folder(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "css" / "deep").mkdir(parents=True)
    (site / "index.html").write_text("<!doctype html><h1>Hi</h1>")
    (site / "css" / "app.css").write_text("h1 { color: red }")
    (site / "css" / "deep" / "blob.bin").write_bytes(bytes(range(256)) * 40)
    return site


# ------------------------------------------------------------------ create, get, update, delete


def test_create_serves_the_folder_at_the_site_url(hosting: Face, folder: str) -> None:
    site = hosting.create("my-site", folder)

    assert isinstance(site, Site)
    assert site.subdomain == "my-site" and site.owner == "alice"
    assert site.root_dir is not None and site.root_dir.path == "/alice/www"
    assert fetch(site.url).text == "<h1>hello</h1>"


def test_a_full_puter_site_host_is_cut_to_its_label(
    hosting: Face, folder: str, v2_emu: PuterEmulator
) -> None:
    hosting.create("blog2.puter.site", folder)

    assert site_calls(v2_emu, "create")[-1].json["args"]["object"] == {
        "subdomain": "blog2",
        "root_dir": "~/www",
    }


def test_a_taken_subdomain_is_a_conflict(hosting: Face, folder: str) -> None:
    hosting.create("my-site", folder)

    with pytest.raises(PuterConflictError) as caught:
        hosting.create("my-site", folder)

    assert (caught.value.status_code, caught.value.code) == (409, "conflict")


def test_a_missing_folder_is_a_bad_request(hosting: Face) -> None:
    with pytest.raises(PuterBadRequestError, match="root_dir_id does not exist"):
        hosting.create("my-site", "~/nowhere")


def test_an_empty_subdomain_is_refused_before_any_request(
    hosting: Face, v2_emu: PuterEmulator
) -> None:
    with pytest.raises(PuterInputError) as caught:
        hosting.create("", "~/www")

    assert caught.value.code == "invalid_request"
    assert site_calls(v2_emu) == []


def test_get_of_an_unknown_site_is_not_found(hosting: Face) -> None:
    with pytest.raises(PuterNotFoundError):
        hosting.get("nothing-here")


def test_update_repoints_the_site_and_serving_follows(
    hosting: Face, client: PuterAI, folder: str
) -> None:
    hosting.create("my-site", folder)
    client.fs.mkdir("~/v2")
    client.fs.write("~/v2/index.html", "version 2")

    site = hosting.update("my-site", "~/v2")

    assert site.root_dir is not None and site.root_dir.path == "/alice/v2"
    assert fetch(site.url).text == "version 2"


def test_update_without_a_folder_disconnects_it(hosting: Face, folder: str) -> None:
    hosting.create("my-site", folder)

    site = hosting.update("my-site")

    assert site.root_dir is None
    assert fetch(site.url).status_code == 404


def test_delete_removes_the_site(hosting: Face, folder: str) -> None:
    hosting.create("my-site", folder)

    hosting.delete("my-site")

    with pytest.raises(PuterNotFoundError):
        hosting.get("my-site")
    with pytest.raises(PuterNotFoundError):
        hosting.delete("my-site")


# ------------------------------------------------------------------ listings


def test_list_walks_every_page_and_leaves_worker_rows_out(
    hosting: Face, folder: str, v2_emu: PuterEmulator
) -> None:
    for name in ("a", "b", "c"):
        hosting.create(name, folder)
    from puter_client.emulator.services.hosting.hosting import add_row

    alice = v2_emu.state.find_user(username="alice")
    assert alice is not None
    add_row(v2_emu.state, alice, "workers.puter.w", None, None)

    assert [s.subdomain for s in hosting.pages(page_size=2)[0].items] == ["a", "b"]
    assert [s.subdomain for s in hosting.list()] == ["a", "b", "c"]


def test_list_sends_nothing_until_iterated(
    client: PuterAI, folder: str, v2_emu: PuterEmulator
) -> None:
    client.hosting.create("a", folder)
    before = len(site_calls(v2_emu))

    listing = client.hosting.list()
    assert len(site_calls(v2_emu)) == before
    assert next(listing).subdomain == "a"
    assert len(site_calls(v2_emu, "select")) == 1


def test_page_answers_the_total(hosting: Face, folder: str) -> None:
    for name in ("a", "b", "c"):
        hosting.create(name, folder)

    page = hosting.page(limit=1, offset=1, include_total=True)

    assert ([s.subdomain for s in page.items], page.total) == (["b"], 3)


# ------------------------------------------------------------------ publish


def test_publish_serves_every_file_byte_for_byte(hosting: Face, tmp_path: Path) -> None:
    local = a_site_folder(tmp_path)

    site = hosting.publish(local, "my-site")

    assert site.root_dir is not None and site.root_dir.path == "/alice/Sites/my-site"
    for path in ("index.html", "css/app.css", "css/deep/blob.bin"):
        assert fetch(site.url, path).content == (local / path).read_bytes(), path
    assert fetch(site.url).content == (local / "index.html").read_bytes()


def test_publish_again_replaces_the_files_and_repoints_the_site(
    hosting: Face, tmp_path: Path, v2_emu: PuterEmulator
) -> None:
    local = a_site_folder(tmp_path)
    hosting.publish(local, "my-site")
    (local / "index.html").write_text("new")

    site = hosting.publish(local, "my-site", remote_dir="~/Sites/v2")

    assert fetch(site.url).text == "new"
    assert site.root_dir is not None and site.root_dir.path == "/alice/Sites/v2"
    assert len(site_calls(v2_emu, "create")) == 1
    assert len(site_calls(v2_emu, "update")) == 1


def test_publish_of_a_missing_folder_sends_nothing(
    hosting: Face, tmp_path: Path, v2_emu: PuterEmulator
) -> None:
    with pytest.raises(NotADirectoryError):
        hosting.publish(tmp_path / "nope", "my-site")

    assert v2_emu.requests == []


def test_publish_to_someone_elses_subdomain_is_a_conflict(
    hosting: Face, tmp_path: Path, v2_emu: PuterEmulator
) -> None:
    from puter_client.emulator.services.hosting.hosting import add_row

    other = v2_emu.state.find_user(username="otp_user")
    assert other is not None
    add_row(v2_emu.state, other, "taken", None, None)

    with pytest.raises(PuterConflictError):
        hosting.publish(a_site_folder(tmp_path), "taken")


def test_publish_keeps_at_most_concurrency_uploads_in_flight(
    hosting: Face, tmp_path: Path, v2_emu: PuterEmulator
) -> None:
    local = tmp_path / "many"
    local.mkdir()
    for i in range(12):
        (local / f"f{i}.txt").write_text(str(i))
    site = hosting.publish(local, "many", concurrency=3)

    uploads = v2_emu.requests_to("/fs/batchWrite")
    connections = {r.client for r in uploads}
    assert len(uploads) == 12
    assert len(connections) <= 3  # 12 uploads at once would open more connections
    assert fetch(site.url, "f11.txt").text == "11"


# ------------------------------------------------------------------ the site URL


@pytest.mark.parametrize(
    ("options", "url"),
    [
        ({}, "https://x.puter.site/"),
        ({"api_base": "http://api.puter.localhost:4100"}, "http://x.site.puter.localhost:4100/"),
        ({"hosting_domain": "example.org"}, "https://x.example.org/"),
        ({"hosting_domain": "http://site.test:8080"}, "http://x.site.test:8080/"),
    ],
)
def test_the_site_url_follows_the_hosting_domain(options: dict[str, str], url: str) -> None:
    config = PuterConfig(environ={}, **options)  # type: ignore[arg-type]

    assert site_url(config, "x") == url


def test_the_hosting_domain_comes_from_its_environment_variable() -> None:
    config = PuterConfig(environ={"PUTER_HOSTING_DOMAIN": "sites.example.org"})

    assert site_url(config, "x") == "https://x.sites.example.org/"


@pytest.mark.parametrize("bad", ["", "http://", "ftp://x.org", "x.org/path", "a b"])
def test_a_bad_hosting_domain_is_refused_naming_the_option(bad: str) -> None:
    with pytest.raises(ValueError, match="hosting_domain"):
        PuterConfig(environ={}, hosting_domain=bad)
