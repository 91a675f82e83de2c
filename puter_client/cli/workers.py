"""``puter worker``: your serverless workers from the command line.

    puter worker deploy NAME FILE [--no-sandbox] [--app APP]   deploy a local .js file
    puter worker ls                       your workers: name, file
    puter worker info NAME                one worker, one field a line
    puter worker rm NAME                  delete the worker (its file stays)
    puter worker exec NAME PATH [--method M] [--json BODY] [--no-auth]
                                          one request to the worker; prints its body

``deploy``, ``ls``, ``info`` and ``rm`` take ``--json`` (JSON output); ``exec``'s
``--json BODY`` is the JSON request body. ``exec`` exits with status 1 (and a line on
standard error) when the worker answers 4xx or 5xx. Failures are raised and become one
``puter: error:`` line in ``cli.main``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from puter_client.services.workers.results import Worker

__all__ = ["add_commands", "worker_json"]


def add_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``puter worker ...`` to the ``puter`` parser's subcommands."""
    worker = commands.add_parser("worker", help="your workers: deploy, ls, info, rm, exec")
    actions = worker.add_subparsers(
        dest="worker_command", required=True, metavar="ACTION", help="what to do with workers"
    )

    deploy = actions.add_parser("deploy", help="deploy a local .js file as a worker")
    deploy.add_argument("name", help="the worker's name")
    deploy.add_argument("file", type=Path, help="the local JavaScript file to deploy")
    deploy.add_argument("--no-sandbox", action="store_true", help="run as you, not its own app")
    deploy.add_argument("--app", help="run as your app APP")
    deploy.set_defaults(handler=_deploy)

    ls = actions.add_parser("ls", help="list your workers")
    ls.set_defaults(handler=_ls)

    info = actions.add_parser("info", help="show one worker")
    info.add_argument("name", help="the worker's name")
    info.set_defaults(handler=_info)

    rm = actions.add_parser("rm", help="delete a worker (its file stays)")
    rm.add_argument("name", help="the worker's name")
    rm.set_defaults(handler=_rm)

    for parser in (deploy, ls, info, rm):
        parser.add_argument("--json", action="store_true", help="print JSON")

    exec_ = actions.add_parser("exec", help="send one request to a worker; print its body")
    exec_.add_argument("name", help="the worker's name or URL")
    exec_.add_argument("path", nargs="?", default="/", help="the path to request (default: /)")
    exec_.add_argument("--method", default=None, help="default GET (POST with --json)")
    exec_.add_argument("--json", dest="body", metavar="BODY", help="a JSON request body")
    exec_.add_argument("--no-auth", action="store_true", help="do not send your session")
    exec_.set_defaults(handler=_exec)


def worker_json(worker: Worker) -> dict[str, Any]:
    """A worker as a JSON-ready dict."""
    return {
        "name": worker.name,
        "url": worker.url,
        "file_path": worker.file_path,
        "app_uid": worker.app_uid,
        "created_at": None if worker.created_at is None else worker.created_at.isoformat(),
    }


def _deploy(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    sandbox = False if args.no_sandbox else None
    with _client(args) as client:
        deployment = client.workers.deploy(args.name, args.file, app=args.app, sandbox=sandbox)
    if args.json:
        print(json.dumps({"success": deployment.success, "url": deployment.url}))
    else:
        print(deployment.url or "")
    return 0


def _ls(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        if args.json:
            print(json.dumps([worker_json(w) for w in client.workers.list()]))
            return 0
        for worker in client.workers.list():
            sys.stdout.write(f"{worker.name}\t{worker.file_path or ''}\n")
    return 0


def _info(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client, show_record

    with _client(args) as client:
        worker = client.workers.get(args.name)
    return show_record(worker_json(worker), as_json=args.json)


def _rm(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        client.workers.delete(args.name)
    if args.json:
        print(json.dumps({"deleted": args.name}))
    return 0


def _exec(args: argparse.Namespace) -> int:
    from puter_client.cli.main import CliError, _client

    body: Any = None
    if args.body is not None:
        try:
            body = json.loads(args.body)
        except ValueError as exc:
            raise CliError(f"BODY is not valid JSON ({exc})") from None
    method = args.method or ("POST" if args.body is not None else "GET")
    with _client(args) as client:
        answer = client.workers.exec(
            args.name, args.path, method=method, json=body, auth=not args.no_auth
        )
    sys.stdout.write(answer.text)
    if answer.text and not answer.text.endswith("\n"):
        sys.stdout.write("\n")
    if answer.status >= 400:
        sys.stderr.write(f"puter: the worker answered {answer.status}\n")
        return 1
    return 0
