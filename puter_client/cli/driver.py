"""``puter driver``: any driver method from the command line.

    puter driver call INTERFACE METHOD [ARGS_JSON] [--driver NAME]
        call METHOD of INTERFACE with the JSON object ARGS_JSON ("-": read it from
        standard input; default {}); print the result as JSON (a file answer, such as
        speech audio, is written to standard output as its bytes)

Failures are raised and become one ``puter: error:`` line in ``cli.main``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["add_commands"]


def add_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``puter driver ...`` to the ``puter`` parser's subcommands."""
    driver = commands.add_parser("driver", help="call any driver method of the server")
    actions = driver.add_subparsers(
        dest="driver_command", required=True, metavar="ACTION", help="what to do with drivers"
    )

    call = actions.add_parser("call", help="call METHOD of INTERFACE; print the result as JSON")
    call.add_argument("interface", help="the driver interface, e.g. puter-kvstore")
    call.add_argument("method", help="the driver method, e.g. get")
    call.add_argument(
        "args",
        nargs="?",
        default="{}",
        metavar="ARGS_JSON",
        help='the arguments as one JSON object (default {}); "-" reads it from standard input',
    )
    call.add_argument("--driver", help="the implementation to use (default: the interface's)")
    call.set_defaults(handler=_call)


def _call(args: argparse.Namespace) -> int:
    from puter_client.cli.main import CliError, _client

    text = sys.stdin.read() if args.args == "-" else args.args
    try:
        arguments = json.loads(text)
    except ValueError as exc:
        raise CliError(f"ARGS_JSON is not valid JSON ({exc})") from None
    if not isinstance(arguments, dict):
        raise CliError(f"ARGS_JSON must be a JSON object, not {type(arguments).__name__}")
    with _client(args) as client:
        result = client.drivers.call(args.interface, args.method, arguments, driver=args.driver)
    if isinstance(result, bytes):
        sys.stdout.buffer.write(result)
        sys.stdout.flush()
        return 0
    print(json.dumps(result, ensure_ascii=False))
    return 0
