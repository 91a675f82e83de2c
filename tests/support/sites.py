"""Fetching a site URL the way a browser would, including ``*.localhost`` hosts.

glibc does not resolve subdomains of ``localhost`` (RFC 6761 says they are loopback), so
such a URL is fetched from 127.0.0.1 at its port, keeping its ``Host`` header."""

from __future__ import annotations

import httpx

__all__ = ["fetch"]


def fetch(url: str, path: str = "") -> httpx.Response:
    """GET ``url`` + ``path`` (a ``*.localhost`` host reached on the loopback)."""
    target = httpx.URL(url).join(path)
    headers = {}
    if target.host.endswith(".localhost"):
        headers["Host"] = target.netloc.decode("ascii")
        target = target.copy_with(host="127.0.0.1")
    return httpx.get(target, headers=headers, timeout=10.0)
