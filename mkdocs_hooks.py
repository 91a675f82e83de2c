"""MkDocs hooks of the docs site (``mkdocs.yml``: ``hooks``).

Pages that describe a command line hold a marker; the build replaces it with the
reference written from that command's argparse parser (``puter_client.cli.reference``),
so the page cannot drift from ``--help``.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def _puter() -> argparse.ArgumentParser:
    from puter_client.cli.main import _parser

    return _parser()


def _emulator() -> argparse.ArgumentParser:
    from puter_client.emulator.__main__ import _parser

    return _parser()


#: marker -> the parser whose reference replaces it
MARKERS: dict[str, Callable[[], argparse.ArgumentParser]] = {
    "<!-- cli-reference: puter -->": _puter,
    "<!-- cli-reference: emulator -->": _emulator,
}


def on_page_markdown(markdown: str, **_: Any) -> str:
    """Replace each command-line marker on a page with that command's reference."""
    from puter_client.cli.reference import markdown as reference

    for marker, parser in MARKERS.items():
        if marker in markdown:
            markdown = markdown.replace(marker, reference(parser(), level=3))
    return markdown
