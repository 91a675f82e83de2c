"""``puter kv``: the key-value store from the command line.

    puter kv get KEY [--json]              the value (text as is, anything else as JSON)
    puter kv set KEY VALUE [--json]        store VALUE as text, or parsed as JSON (--json);
                                           VALUE "-" reads it from standard input
    puter kv del KEY                       forget KEY
    puter kv incr KEY [AMOUNT]             add AMOUNT (default 1); prints the new number
    puter kv keys [PREFIX] [--pattern P] [--json]
                                           the keys, one a line (or one JSON array)
    puter kv keys [--pattern P] --limit N [--cursor C] [--total] [--json]
                                           one page; the next page's cursor and the total
                                           on standard error (or in the JSON object)
    puter kv clear                         forget every key
    puter kv update KEY PATH=TEXT|PATH:=JSON... [--ttl SECONDS]
                                           set values at paths inside the value
    puter kv add KEY VALUE [--json] [--path PATH]
                                           append VALUE to the list (at PATH)
    puter kv remove KEY PATH...            remove paths from the value

``update``, ``add`` and ``remove`` print the whole new value as JSON.

Failures are raised and become one ``puter: error:`` line in ``cli.main``.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

__all__ = ["add_commands"]


def add_commands(commands: argparse._SubParsersAction[Any]) -> None:
    """Add ``puter kv ...`` to the ``puter`` parser's subcommands."""
    kv = commands.add_parser(
        "kv", help="the key-value store: get, set, del, incr, keys, update, add, remove, clear"
    )
    actions = kv.add_subparsers(
        dest="kv_command", required=True, metavar="ACTION", help="what to do in the key-value store"
    )

    get = actions.add_parser("get", help="print the value of a key (nothing if it is missing)")
    get.add_argument("key", help="the key")
    get.add_argument("--json", action="store_true", help="print it as JSON (null if missing)")
    get.set_defaults(handler=_get)

    set_ = actions.add_parser("set", help="store a value under a key")
    set_.add_argument("key", help="the key")
    set_.add_argument(
        "value", help='the value: text, or JSON with --json; "-" reads it from standard input'
    )
    set_.add_argument("--json", action="store_true", help="parse VALUE as JSON")
    set_.set_defaults(handler=_set)

    delete = actions.add_parser("del", help="forget a key")
    delete.add_argument("key", help="the key")
    delete.add_argument("--json", action="store_true", help="print the server's answer as JSON")
    delete.set_defaults(handler=_del)

    incr = actions.add_parser("incr", help="add to the number under a key; print the new one")
    incr.add_argument("key", help="the key (a missing one counts as 0)")
    incr.add_argument("amount", nargs="?", type=_number, default=1, help="default 1")
    incr.add_argument("--json", action="store_true", help="print the new number as JSON")
    incr.set_defaults(handler=_incr)

    keys = actions.add_parser("keys", help="list the keys (those starting with PREFIX)")
    keys.add_argument(
        "prefix", nargs="?", default="", help="list only keys starting with this (default: all)"
    )
    keys.add_argument(
        "--pattern", help='match as puter.js does: "user:*" (a trailing * is a wildcard)'
    )
    keys.add_argument("--limit", type=_count, help="one page of at most N keys")
    keys.add_argument("--cursor", help="the page starting at CURSOR (from the page before)")
    keys.add_argument(
        "--total", action="store_true", help="also tell how many keys match (metered)"
    )
    keys.add_argument("--json", action="store_true", help="print one JSON array (or object)")
    keys.set_defaults(handler=_keys)

    clear = actions.add_parser("clear", help="forget every key")
    clear.set_defaults(handler=_clear)

    update = actions.add_parser(
        "update", help="set values at paths inside the value of a key; print the new value"
    )
    update.add_argument("key", help="the key of an object value")
    update.add_argument(
        "assignments",
        nargs="+",
        metavar="PATH=TEXT|PATH:=JSON",
        help='a dot-separated path ("a.b", "list[0]") and its value: text after "=", '
        'JSON after ":="',
    )
    update.add_argument("--ttl", type=_number, help="expire the key SECONDS from now")
    update.set_defaults(handler=_update)

    add = actions.add_parser("add", help="append a value to a list inside the value of a key")
    add.add_argument("key", help="the key")
    add.add_argument("value", help="the value to append: text, or JSON with --json")
    add.add_argument("--json", action="store_true", help="parse VALUE as JSON")
    add.add_argument(
        "--path", default="", help="the list's path inside the value (default: the value)"
    )
    add.set_defaults(handler=_add)

    remove = actions.add_parser("remove", help="remove paths from the value of a key")
    remove.add_argument("key", help="the key of an object value")
    remove.add_argument(
        "paths", nargs="+", metavar="PATH", help="dotted paths inside the value to remove"
    )
    remove.set_defaults(handler=_remove)


def _get(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        value = client.kv.get(args.key)
    if args.json:
        print(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, str):
        print(value)
    elif value is not None:
        print(json.dumps(value, ensure_ascii=False))
    return 0


def _set(args: argparse.Namespace) -> int:
    from puter_client.cli.main import CliError, _client

    value: Any = args.value
    if value == "-":
        value = sys.stdin.read()
        if value.endswith("\n"):  # what `echo` and a here-string add
            value = value[:-1]
    if args.json:
        try:
            value = json.loads(value)
        except ValueError as exc:
            raise CliError(f"VALUE is not valid JSON ({exc})") from None
    with _client(args) as client:
        client.kv.set(args.key, value)
    return 0


def _del(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        deleted = client.kv.delete(args.key)
    if args.json:
        print(json.dumps(deleted))
    return 0


def _incr(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        number = client.kv.incr(args.key, args.amount)
    print(json.dumps(number))
    return 0


def _keys(args: argparse.Namespace) -> int:
    from puter_client.cli.main import CliError, _client

    one_page = args.limit is not None or args.cursor is not None or args.total
    if one_page:
        if args.prefix:
            raise CliError("a page takes --pattern, not PREFIX")
        return _key_page(args)
    with _client(args) as client:
        keys = client.kv.keys(args.prefix, pattern=args.pattern)
        if args.json:
            print(json.dumps(list(keys), ensure_ascii=False))
            return 0
        for key in keys:  # printed as the pages arrive
            sys.stdout.write(key + "\n")
    return 0


def _key_page(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client
    from puter_client.services.kv.kv import PAGE_SIZE

    with _client(args) as client:
        page = client.kv.list_keys(
            args.pattern,
            limit=args.limit or PAGE_SIZE,
            cursor=args.cursor,
            include_total=args.total,
        )
    if args.json:
        shown: dict[str, Any] = {"items": page.items, "cursor": page.cursor}
        if args.total:
            shown["total"] = page.total
        print(json.dumps(shown, ensure_ascii=False))
        return 0
    for key in page.items:
        sys.stdout.write(key + "\n")
    if page.cursor is not None:
        print(f"next page: --cursor {page.cursor}", file=sys.stderr)
    if args.total:
        print(f"total: {page.total}", file=sys.stderr)
    return 0


def _clear(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        client.kv.clear()
    return 0


def _count(text: str) -> int:
    """A page size: a whole number of at least 1."""
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1: {text!r}")
    return number


def _update(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    paths = dict(_assignment(text) for text in args.assignments)
    with _client(args) as client:
        value = client.kv.update(args.key, paths, ttl=args.ttl)
    print(json.dumps(value, ensure_ascii=False))
    return 0


def _assignment(text: str) -> tuple[str, Any]:
    """``PATH:=JSON`` or ``PATH=TEXT`` as ``(path, value)``."""
    from puter_client.cli.main import CliError

    path, equals, raw = text.partition("=")
    if not equals:
        raise CliError(f"{text!r} is not PATH=TEXT or PATH:=JSON")
    if path.endswith(":"):
        try:
            return path[:-1], json.loads(raw)
        except ValueError as exc:
            raise CliError(f"the value of {path[:-1]!r} is not valid JSON ({exc})") from None
    return path, raw


def _add(args: argparse.Namespace) -> int:
    from puter_client.cli.main import CliError, _client

    value: Any = args.value
    if args.json:
        try:
            value = json.loads(args.value)
        except ValueError as exc:
            raise CliError(f"VALUE is not valid JSON ({exc})") from None
    with _client(args) as client:
        new = client.kv.add(args.key, {args.path: value})
    print(json.dumps(new, ensure_ascii=False))
    return 0


def _remove(args: argparse.Namespace) -> int:
    from puter_client.cli.main import _client

    with _client(args) as client:
        new = client.kv.remove(args.key, *args.paths)
    print(json.dumps(new, ensure_ascii=False))
    return 0


def _number(text: str) -> int | float:
    """An amount: an integer, else a finite decimal number."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if number != number or number in (float("inf"), float("-inf")):
        raise argparse.ArgumentTypeError(f"not a finite number: {text!r}")
    return number
