"""``puter site``: your websites from the command line.

    puter site publish DIR NAME [--remote-dir PATH]   upload DIR and serve it; prints the URL
    puter site ls                                     your sites: name, URL, folder
    puter site info NAME                              one site, one field a line
    puter site rm NAME                                delete the site (its folder stays)

Every command takes ``--json``. Failures are raised and become one ``puter: error:``
line in ``cli.main``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from puter_client.services.hosting.results import Site

__all__ = ["add_commands", "site_json"]


def add_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``puter site ...`` to the ``puter`` parser's subcommands."""
    site = commands.add_parser("site", help="your websites: publish, ls, info, rm")
    actions = site.add_subparsers(
        dest="site_command", required=True, metavar="ACTION", help="what to do with sites"
    )

    publish = actions.add_parser("publish", help="upload a local folder and serve it")
    publish.add_argument("dir", help="the local folder (index.html is the home page)")
    publish.add_argument("name", help="the subdomain")
    publish.add_argument("--remote-dir", help="where to upload it (default ~/Sites/NAME)")
    publish.set_defaults(handler=_publish)

    ls = actions.add_parser("ls", help="list your sites")
    ls.set_defaults(handler=_ls)

    info = actions.add_parser("info", help="show one site")
    info.add_argument("name", help="the site's subdomain")
    info.set_defaults(handler=_info)

    rm = actions.add_parser("rm", help="delete a site (its folder stays)")
    rm.add_argument("name", help="the site's subdomain")
    rm.set_defaults(handler=_rm)

    for parser in (publish, ls, info, rm):
        parser.add_argument("--json", action="store_true", help="print JSON")


def site_json(site: Site) -> dict[str, Any]:
    """A site as a JSON-ready dict."""
    return {
        "uid": site.uid,
        "subdomain": site.subdomain,
        "url": site.url,
        "root_dir": None if site.root_dir is None else site.root_dir.path,
        "owner": site.owner,
        "created_at": None if site.created_at is None else site.created_at.isoformat(),
    }


def _publish(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        site = client.hosting.publish(args.dir, args.name, remote_dir=args.remote_dir)
    print(json.dumps(site_json(site)) if args.json else site.url)
    return 0


def _ls(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        if args.json:
            print(json.dumps([site_json(s) for s in client.hosting.list()]))
            return 0
        for site in client.hosting.list():
            folder = "" if site.root_dir is None else site.root_dir.path
            sys.stdout.write(f"{site.subdomain}\t{site.url}\t{folder}\n")
    return 0


def _info(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client, show_record

    with _client(args) as client:
        site = client.hosting.get(args.name)
    return show_record(site_json(site), as_json=args.json)


def _rm(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        client.hosting.delete(args.name)
    if args.json:
        print(json.dumps({"deleted": args.name}))
    return 0
