"""Hosting: publish a local folder as a website with ``client.hosting``, then fetch it.

Reads PUTER_USERNAME / PUTER_PASSWORD (and PUTER_API_BASE / PUTER_LOGIN_URL,
PUTER_HOSTING_DOMAIN) from the environment. The site and its folder are removed at the
end.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import httpx

from puter import Puter

SUBDOMAIN = "hosting-example"
PAGE = "<!doctype html><title>Hello</title><h1>Hello from Python</h1>"


def fetch(url: str) -> httpx.Response:
    """GET a site URL. A ``*.localhost`` host (a local server) is loopback by RFC 6761,
    which glibc does not resolve: connect to 127.0.0.1 and keep the ``Host``."""
    target = httpx.URL(url)
    headers = {}
    if target.host.endswith(".localhost"):
        headers["Host"] = target.netloc.decode("ascii")
        target = target.copy_with(host="127.0.0.1")
    return httpx.get(target, headers=headers, timeout=30)


def main() -> None:
    with Puter() as client, tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        (folder / "index.html").write_text(PAGE)
        (folder / "css").mkdir()
        (folder / "css" / "style.css").write_text("h1 { color: teal }")

        site = client.hosting.publish(folder, SUBDOMAIN)  # upload, then create the site
        print("published:", site.subdomain, "from", site.root_dir.path if site.root_dir else None)
        print("url:", site.url)
        page = fetch(site.url)
        print("served:", page.status_code, page.text == PAGE)
        print("stylesheet:", fetch(site.url + "css/style.css").text)

        (folder / "index.html").write_text("<h1>Version 2</h1>")
        client.hosting.publish(folder, SUBDOMAIN)  # again: files replaced, site repointed
        print("after republish:", fetch(site.url).text)

        print("my sites:", [s.subdomain for s in client.hosting.list()])
        client.hosting.delete(SUBDOMAIN)
        client.fs.delete(f"~/Sites/{SUBDOMAIN}", recursive=True)
        print("sites left:", [s.subdomain for s in client.hosting.list()])


if __name__ == "__main__":
    main()
