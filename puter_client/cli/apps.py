"""``puter app``: your apps from the command line.

    puter app create NAME URL [--title T] [--description D] [--dedupe]   register an app
    puter app ls [--limit N]                 your apps, one a line: name, title, URL
    puter app info NAME                      one app, one field a line
    puter app update NAME [--name NEW] [--url URL] [--title T] [--description D]
    puter app rm NAME                        delete the app

Every command takes ``--json`` (the app, or a JSON array of apps). Failures are raised
and become one ``puter: error:`` line in ``cli.main``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from puter_client.services.apps.results import App

__all__ = ["add_commands", "app_json"]


def add_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``puter app ...`` to the ``puter`` parser's subcommands."""
    app = commands.add_parser("app", help="your apps: create, ls, info, update, rm")
    actions = app.add_subparsers(
        dest="app_command", required=True, metavar="ACTION", help="what to do with apps"
    )

    create = actions.add_parser("create", help="register an app opening URL")
    create.add_argument("name", help="the app's name (unique on the server)")
    create.add_argument("url", help="the page the app opens (http or https)")
    create.add_argument("--title", help="the title shown to users (default: NAME)")
    create.add_argument("--description", help="a description shown with the app")
    create.add_argument("--dedupe", action="store_true", help="pick NAME-xxxx if NAME is taken")
    create.set_defaults(handler=_create)

    ls = actions.add_parser("ls", help="list your apps")
    ls.add_argument("--limit", type=_positive, help="at most this many")
    ls.set_defaults(handler=_ls)

    info = actions.add_parser("info", help="show one app")
    info.add_argument("name", help="the app's name")
    info.set_defaults(handler=_info)

    update = actions.add_parser("update", help="change some fields of an app")
    update.add_argument("name", help="the app's name")
    update.add_argument("--name", dest="new_name", help="rename it")
    update.add_argument("--url", dest="index_url", help="the new index URL")
    update.add_argument("--title", help="the new title")
    update.add_argument("--description", help="the new description")
    update.set_defaults(handler=_update)

    rm = actions.add_parser("rm", help="delete an app")
    rm.add_argument("name", help="the app's name")
    rm.set_defaults(handler=_rm)

    for parser in (create, ls, info, update, rm):
        parser.add_argument("--json", action="store_true", help="print JSON")


def app_json(app: App) -> dict[str, Any]:
    """An app as a JSON-ready dict (times in ISO 8601)."""
    return {
        "uid": app.uid,
        "name": app.name,
        "title": app.title,
        "index_url": app.index_url,
        "description": app.description,
        "filetype_associations": app.filetype_associations,
        "created_at": _iso(app.created_at),
        "owner": None if app.owner is None else app.owner.username,
    }


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _show(app: App, as_json: bool) -> None:
    from puter_client.cli.main import show_record

    show_record(app_json(app), as_json=as_json, hidden=(None, [], ""))


def _create(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    fields = {} if args.description is None else {"description": args.description}
    with _client(args) as client:
        app = client.apps.create(args.name, args.url, args.title, dedupe_name=args.dedupe, **fields)
    _show(app, args.json)
    return 0


def _ls(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        if args.json:
            print(json.dumps([app_json(a) for a in client.apps.list(limit=args.limit)]))
            return 0
        for app in client.apps.list(limit=args.limit):  # printed as the pages arrive
            sys.stdout.write(f"{app.name}\t{app.title}\t{app.index_url or ''}\n")
    return 0


def _info(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        app = client.apps.get(args.name)
    _show(app, args.json)
    return 0


def _update(args: argparse.Namespace) -> int:
    from puter_client.cli.main import CliError, _client
    from puter_client.services.apps.apps import AppChanges

    changes: AppChanges = {}
    for key in ("new_name", "index_url", "title", "description"):
        value = getattr(args, key)
        if value is not None:
            changes[key] = value
    if not changes:
        raise CliError("nothing to change: give --name, --url, --title or --description")
    with _client(args) as client:
        app = client.apps.update(args.name, **changes)
    _show(app, args.json)
    return 0


def _rm(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        client.apps.delete(args.name)
    if args.json:
        print(json.dumps({"deleted": args.name}))
    return 0


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {text!r}")
    return number
