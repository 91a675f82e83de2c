"""``puter fs ...``: the cloud file system from the command line.

``ls``, ``cat``, ``put``, ``get``, ``rm``, ``mkdir``, ``mv``, ``cp``, ``ln``, ``stat``, ``df``,
and for access by others ``sign``, ``revoke-url``, ``share``, ``unshare``, ``shares``; each
takes ``--json``. ``put`` and ``get`` of a large file show a progress bar on a terminal
(with the ``cli`` extra's tqdm; without it, or when stderr is not a terminal, nothing).
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Literal

from puter_client.cli.main import EXIT_OK, CliError, _client

if TYPE_CHECKING:
    from puter_client.services.fs.entry import FSEntry
    from puter_client.services.fs.sharing import Share, ShareMode
    from puter_client.services.fs.transfer import TransferProgress, TransferReport

__all__ = ["add_commands"]

PROGRESS_FROM_BYTES = 1 << 20
"""Files from this size on get a progress bar (on a terminal)."""


def add_commands(commands: Any) -> None:
    """Add ``puter fs`` and its subcommands to the ``puter`` parser's ``commands``."""
    fs = commands.add_parser("fs", help="the cloud file system (ls, cat, put, get, ...)")
    sub = fs.add_subparsers(
        dest="fs_command", required=True, metavar="COMMAND", help="what to do in the file system"
    )

    def add(name: str, handler: Callable[[argparse.Namespace], int], text: str) -> Any:
        parser = sub.add_parser(name, help=text, description=text)
        parser.add_argument("--json", action="store_true", help="print the result as JSON")
        parser.set_defaults(handler=handler)
        return parser

    ls = add(name="ls", handler=_ls, text="list a folder (a page at a time)")
    ls.add_argument("path", nargs="?", default="~", help="the folder (default: ~)")
    ls.add_argument("-l", dest="long", action="store_true", help="size, modified time, name")
    ls.add_argument(
        "-a", "--all", action="store_true", help="also names starting with '.' (hidden)"
    )
    ls.add_argument("--sort", choices=("name", "modified", "type", "size"), help="the order")
    ls.add_argument("--reverse", action="store_true", help="descending order")
    _bytes_option(ls)
    add("cat", _cat, "print a file's bytes").add_argument("path", help="the remote file")
    put = add("put", _put, "upload a local file (or, with -r, folders)")
    put.add_argument("local", help="the local file (with -r: files and folders)")
    put.add_argument(
        "remote",
        nargs="?",
        help="where (default: ~/<its name>; a path ending in / is a folder; with -r the "
        "remote folder to upload into, default ~)",
    )
    put.add_argument("--no-overwrite", action="store_true", help="fail if the file exists")
    put.add_argument("--parents", "-p", action="store_true", help="create missing folders")
    put.add_argument(
        "--recursive", "-r", action="store_true",
        help="upload a folder with everything in it (a taken name gets a free one, "
        "'photos (1)', unless --overwrite)",
    )  # fmt: skip
    put.add_argument("--overwrite", action="store_true", help="with -r: replace files that exist")
    get = add("get", _get, "download a file (or, with -r, a folder)")
    get.add_argument("remote", help="the remote file (a folder with -r)")
    get.add_argument("local", nargs="?", default=".", help="a local file or folder (default: .)")
    get.add_argument(
        "--recursive", "-r", action="store_true",
        help="download the folder REMOTE into LOCAL/<its name> when LOCAL is a folder, "
        "else as LOCAL",
    )  # fmt: skip
    rm = add("rm", _rm, "delete a file or folder for good")
    rm.add_argument("path", help="the remote file (a folder with -r)")
    rm.add_argument("--recursive", "-r", action="store_true", help="a folder with its contents")
    mkdir = add("mkdir", _mkdir, "create a folder")
    mkdir.add_argument("path", help="the remote folder to make")
    mkdir.add_argument(
        "--parents", "-p", action="store_true", help="with missing parents; no error if it exists"
    )
    for name, handler, text in (("mv", _mv, "move or rename"), ("cp", _cp, "copy")):
        parser = add(name, handler, text)
        parser.add_argument("src", help="the remote file or folder")
        parser.add_argument("dest", help="a folder, or a new path")
        parser.add_argument("--overwrite", action="store_true", help="replace a file there")
    ln = add("ln", _ln, "create a shortcut (Puter's kind of link, as ln -s makes one)")
    ln.add_argument("target", help="the remote file or folder the shortcut points to")
    ln.add_argument("link", nargs="?", help="the shortcut's path (default: ~/<the target's name>)")
    ln.add_argument(
        "--dedupe", action="store_true", help="a taken name gets a free one ('notes (1)')"
    )
    add("stat", _stat, "describe a file or folder").add_argument(
        "path", help="the remote file or folder"
    )
    _bytes_option(add("df", _df, "storage used and capacity"))
    _add_sharing(add)


def _add_sharing(add: Callable[[str, Callable[[argparse.Namespace], int], str], Any]) -> None:
    """``sign``, ``revoke-url``, ``share``, ``unshare``, ``shares``."""
    sign = add("sign", _sign, "print a URL that reads the entry with no login")
    sign.add_argument("path", help="the remote file or folder")
    lifetime = sign.add_mutually_exclusive_group()
    lifetime.add_argument(
        "--write", action="store_true",
        help="also print a URL that replaces the file's bytes (only where you may write it)",
    )  # fmt: skip
    lifetime.add_argument(
        "--expires", metavar="DURATION",
        help="a read URL that stops working after DURATION (seconds, or 30m, 24h, 7d...); "
        "without it the URL lasts for good (an hour for someone else's file)",
    )  # fmt: skip
    revoke = add("revoke-url", _revoke_url, "make a URL of 'sign --expires' stop working")
    revoke.add_argument("url", help="the URL (or the access token in it)")
    share = add("share", _share, "give other accounts access to a file or folder")
    share.add_argument("path", help="the remote file or folder")
    share.add_argument("users", nargs="+", metavar="USER", help="a username or an e-mail address")
    mode = share.add_mutually_exclusive_group()
    mode.add_argument("--write", action="store_true", help="let them change it too")
    mode.add_argument(
        "--mode", choices=("see", "list", "read", "write", "manage"),
        help="the access to give (default: read; manage lets them share it on)",
    )  # fmt: skip
    unshare = add("unshare", _unshare, "withdraw other accounts' access (your own: leave it)")
    unshare.add_argument("path", help="the remote file or folder (as 'shares' shows it)")
    unshare.add_argument("users", nargs="+", metavar="USER", help="a username or an e-mail")
    shares = add("shares", _shares, "who can reach PATH; without it, what others share with you")
    shares.add_argument("path", nargs="?", help="a remote file or folder you own or manage")


def _ls(args: argparse.Namespace) -> int:
    order: Literal["desc"] | None = "desc" if args.reverse else None
    with _client(args) as client:
        pages = client.fs.listdir_pages(args.path, sort_by=args.sort, sort_order=order)
        shown = (
            entry
            for page in pages
            for entry in page.items
            if args.all or not entry.name.startswith(".")
        )
        if args.json:
            return _print_json([_entry_json(e) for e in shown])
        for entry in shown:  # printed as each page arrives
            name = entry.name + ("/" if entry.is_dir else "@" if entry.is_shortcut else "")
            print(_long(entry, name, exact=args.bytes) if args.long else name)
    return EXIT_OK


def _bytes_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-b", "--bytes", action="store_true", help="sizes in bytes (default: 1.5K, 20M...)"
    )


def human_size(count: int) -> str:
    """``count`` bytes as ``ls -h`` shows them: ``512``, ``1.5K``, ``20M``, ``3.1G``."""
    size = float(count)
    for unit in ("", "K", "M", "G", "T", "P"):
        if size < 1024 or unit == "P":
            if not unit:
                return str(count)
            return f"{size:.1f}{unit}" if size < 10 else f"{size:.0f}{unit}"
        size /= 1024
    raise AssertionError("unreachable")


def _shown_size(count: int, *, exact: bool) -> str:
    return str(count) if exact else human_size(count)


def _long(entry: FSEntry, name: str, *, exact: bool) -> str:
    size = "-" if entry.is_dir or entry.size is None else _shown_size(entry.size, exact=exact)
    when = entry.modified.strftime("%Y-%m-%d %H:%M") if entry.modified else "-"
    return f"{size:>12}  {when}  {name}"


def _cat(args: argparse.Namespace) -> int:
    with _client(args) as client:
        data = client.fs.read(args.path)
    if args.json:
        return _print_json({"path": args.path, **_content_json(data)})
    sys.stdout.buffer.write(data)
    sys.stdout.flush()
    return EXIT_OK


def _content_json(data: bytes) -> dict[str, str]:
    """A file's bytes for ``--json``: ``text`` when they are UTF-8, else ``base64`` (never
    lossy text)."""
    try:
        return {"text": data.decode("utf-8")}
    except UnicodeDecodeError:
        return {"base64": base64.b64encode(data).decode("ascii")}


def _put(args: argparse.Namespace) -> int:
    local = Path(args.local)
    if args.recursive:
        return _put_tree(args, local)
    if local.is_dir():
        raise CliError(f"{args.local} is a directory (use put -r to upload a folder)")
    if not local.is_file():
        raise CliError(f"no such local file: {args.local}")
    remote = args.remote or local.name
    if remote.endswith("/"):
        remote += local.name
    size = local.stat().st_size
    with _client(args) as client, open(local, "rb") as file, _bar(size, local.name) as advance:
        data: Any = file if advance is None else _CountingReader(file, advance)
        entry = client.fs.write(
            remote, data, overwrite=not args.no_overwrite, create_parents=args.parents
        )
    return _print_json(_entry_json(entry)) if args.json else _print(entry.path)


def _put_tree(args: argparse.Namespace, local: Path) -> int:
    if not local.exists():
        raise CliError(f"no such local file or folder: {args.local}")
    with _client(args) as client, _transfer_bar(local.name) as progress:
        report = _reported(
            lambda: client.fs.upload(
                local, args.remote or "~", overwrite=args.overwrite,
                dedupe_name=not args.no_overwrite, create_parents=args.parents,
                progress=progress,
            )
        )  # fmt: skip
    top = report.folders[0] if report.folders else (report.files[0].remote if report.files else "")
    if args.json:
        return _print_json(_report_json(report))
    return _print(f"{top} ({len(report.files)} files, {report.bytes} bytes)")


def _get_tree(args: argparse.Namespace) -> int:
    local = Path(args.local)
    with _client(args) as client:
        entry = client.fs.stat(args.remote)
        if not entry.is_dir:
            raise CliError(f"{args.remote} is a file (get without -r downloads a file)")
        if local.is_dir():
            local = local / entry.name
        with _transfer_bar(entry.name) as progress:
            report = _reported(lambda: client.fs.download_dir(entry.path, local, progress=progress))
    if args.json:
        return _print_json(_report_json(report))
    return _print(f"{local} ({len(report.files)} files, {report.bytes} bytes)")


def _reported(run: Callable[[], TransferReport]) -> TransferReport:
    """The report of a transfer; its failed files as one error line."""
    from puter_client.services.fs.transfer import PuterTransferError

    try:
        return run()
    except PuterTransferError as exc:
        failed = exc.report.failed
        first = failed[0]
        raise CliError(
            f"{len(failed)} files failed, {len(exc.report.files)} done "
            f"(first: {first.remote}: {first.error})"
        ) from None


def _report_json(report: TransferReport) -> dict[str, Any]:
    return {
        "files": [
            {"local": str(f.local), "remote": f.remote, "size": f.size} for f in report.files
        ],
        "folders": list(report.folders),
        "skipped": [str(p) for p in report.skipped],
        "bytes": report.bytes,
    }


def _get(args: argparse.Namespace) -> int:
    if args.recursive:
        return _get_tree(args)
    with _client(args) as client:
        size = client.fs.stat(args.remote).size or 0
        with _bar(size, args.remote.rpartition("/")[2]) as advance:
            progress = None if advance is None else _Cumulative(advance)
            path = client.fs.download(args.remote, args.local, progress=progress)
    if args.json:
        return _print_json({"path": str(path), "size": path.stat().st_size})
    return _print(str(path))


def _rm(args: argparse.Namespace) -> int:
    with _client(args) as client:
        client.fs.delete(args.path, recursive=args.recursive)
    return _print_json({"deleted": args.path}) if args.json else EXIT_OK


def _mkdir(args: argparse.Namespace) -> int:
    with _client(args) as client:
        entry = client.fs.mkdir(args.path, parents=args.parents, exist_ok=args.parents)
    return _print_json(_entry_json(entry)) if args.json else _print(entry.path)


def _mv(args: argparse.Namespace) -> int:
    with _client(args) as client:
        entry = client.fs.move(args.src, args.dest, overwrite=args.overwrite)
    return _print_json(_entry_json(entry)) if args.json else _print(entry.path)


def _cp(args: argparse.Namespace) -> int:
    with _client(args) as client:
        entry = client.fs.copy(args.src, args.dest, overwrite=args.overwrite)
    return _print_json(_entry_json(entry)) if args.json else _print(entry.path)


def _ln(args: argparse.Namespace) -> int:
    link = args.link or f"~/{args.target.rstrip('/').rpartition('/')[2]}"
    with _client(args) as client:
        entry = client.fs.mkshortcut(link, args.target, dedupe_name=args.dedupe)
    return _print_json(_entry_json(entry)) if args.json else _print(entry.path)


def _stat(args: argparse.Namespace) -> int:
    with _client(args) as client:
        entry = client.fs.stat(args.path)
    described = _entry_json(entry)
    if args.json:
        return _print_json(described)
    for key, value in described.items():
        print(f"{key}: {'' if value is None else value}")
    return EXIT_OK


def _df(args: argparse.Namespace) -> int:
    with _client(args) as client:
        usage = client.fs.usage()
    if args.json:
        return _print_json({"used": usage.used, "capacity": usage.capacity})
    if args.bytes:
        return _print(f"{usage.used} of {usage.capacity} bytes used")
    return _print(f"{human_size(usage.used)} of {human_size(usage.capacity)} used")


def _sign(args: argparse.Namespace) -> int:
    with _client(args) as client:
        if args.expires is not None:
            url = client.fs.get_read_url(args.path, expires_in=_duration(args.expires))
            return (
                _print_json({"url": url, "expires_in": args.expires}) if args.json else _print(url)
            )
        signed = client.fs.sign(args.path, write=args.write)
    if args.write and signed.write_url is None:
        raise CliError(f"you may not write {args.path} (the server signed it for reading only)")
    if args.json:
        expires = signed.expires_at
        return _print_json(
            {
                "url": signed.url,
                "write_url": signed.write_url,
                "expires": None if expires is None else expires.isoformat(),
                "path": signed.path,
                "uid": signed.uid,
            }
        )
    print(signed.url)
    if signed.write_url is not None:
        print(signed.write_url)
    return EXIT_OK


def _duration(text: str) -> float | str:
    """``--expires``: plain digits are seconds, anything else a duration such as ``24h``."""
    plain = text.strip()
    return float(plain) if plain.replace(".", "", 1).isdigit() else text


def _revoke_url(args: argparse.Namespace) -> int:
    with _client(args) as client:
        client.fs.revoke_read_url(args.url)
    return _print_json({"revoked": True}) if args.json else EXIT_OK


def _share(args: argparse.Namespace) -> int:
    mode: ShareMode = "write" if args.write else args.mode or "read"
    with _client(args) as client:
        made = client.fs.share(args.path, args.users, mode=mode)
    if args.json:
        return _print_json([_share_json(s) for s in made])
    for share in made:
        if share.pending:
            print(f"invited {share.recipient_email} ({share.mode}): {share.path}")
        else:
            print(f"shared {share.path} with {share.holder} ({share.mode})")
    return EXIT_OK


def _unshare(args: argparse.Namespace) -> int:
    with _client(args) as client:
        revoked = client.fs.unshare(args.path, args.users)
    return _print_json({"revoked": revoked}) if args.json else _print(f"{revoked} revoked")


def _shares(args: argparse.Namespace) -> int:
    with _client(args) as client:
        found = client.fs.get_shares(args.path) if args.path else client.fs.list_shared()
    if args.json:
        return _print_json([_share_json(s) for s in found])
    for share in found:
        if args.path:
            who = share.holder or f"{share.recipient_email} (invited)"
            via = f"  (from {share.inherited_from})" if share.inherited_from else ""
            print(f"{who}  {share.mode}{via}")
        else:
            print(f"{share.owner or share.issuer}  {share.mode}  {share.path}")
    return EXIT_OK


def _share_json(share: Share) -> dict[str, Any]:
    return {
        "path": share.path,
        "name": share.name,
        "mode": share.mode,
        "owner": share.owner,
        "issuer": share.issuer,
        "holder": share.holder,
        "pending": share.pending,
        "recipient_email": share.recipient_email,
        "inherited_from": share.inherited_from,
        "entry_uid": share.entry_uid,
        "uid": share.uid,
    }


# ------------------------------------------------------------------------ output


def _entry_json(entry: FSEntry) -> dict[str, Any]:
    def when(moment: Any) -> str | None:
        return None if moment is None else moment.isoformat()

    return {
        "path": entry.path,
        "name": entry.name,
        "is_dir": entry.is_dir,
        "size": entry.size,
        "content_type": entry.content_type,
        "modified": when(entry.modified),
        "created": when(entry.created),
        "uid": entry.uid,
        "is_shortcut": entry.is_shortcut,
        "shortcut_to": entry.shortcut_to,
    }


def _print(text: str) -> int:
    print(text)
    return EXIT_OK


def _print_json(value: Any) -> int:
    print(json.dumps(value, indent=2, ensure_ascii=False))
    return EXIT_OK


# ---------------------------------------------------------------------- progress


@contextmanager
def _bar(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    """``advance(n)`` of a progress bar on stderr, or None: a small file, stderr not a
    terminal, or tqdm not installed."""
    if total < PROGRESS_FROM_BYTES or not (sys.stderr and sys.stderr.isatty()):
        yield None
        return
    try:
        from tqdm import tqdm  # the `cli` extra
    except ImportError:
        yield None
        return
    with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=label) as bar:

        def advance(n: int) -> None:
            bar.update(n)

        yield advance


@contextmanager
def _transfer_bar(label: str) -> Iterator[Callable[[TransferProgress], None] | None]:
    """A transfer's ``progress`` callback drawing a bar of bytes on stderr, or None (not
    a terminal, or tqdm not installed)."""
    if not (sys.stderr and sys.stderr.isatty()):
        yield None
        return
    try:
        from tqdm import tqdm  # the `cli` extra
    except ImportError:
        yield None
        return
    with tqdm(total=0, unit="B", unit_scale=True, unit_divisor=1024, desc=label) as bar:

        def progress(state: TransferProgress) -> None:
            with bar.get_lock():
                bar.total = state.bytes_total
                bar.set_postfix_str(f"{state.files_done}/{state.files_total} files", False)
                bar.update(state.bytes_done - bar.n)

        yield progress


class _Cumulative:
    """Turns 'bytes so far' (from 0 again after a retry) into steps of a bar."""

    def __init__(self, advance: Callable[[int], None]) -> None:
        self._advance = advance
        self._done = 0

    def __call__(self, done: int) -> None:
        self._advance(done - self._done)  # negative when a retry starts over
        self._done = done


class _CountingReader:
    """A binary file that reports the bytes read from it; a rewind (a retry sending it
    again) takes them back."""

    def __init__(self, file: IO[bytes], advance: Callable[[int], None]) -> None:
        self._file = file
        self._advance = advance
        self._reported = 0

    def read(self, size: int = -1) -> bytes:
        chunk = self._file.read(size)
        self._reported += len(chunk)
        self._advance(len(chunk))
        return chunk

    def seek(self, offset: int, whence: int = os.SEEK_SET) -> int:
        if whence == os.SEEK_SET and self._reported:
            self._advance(-self._reported)
            self._reported = 0
        return self._file.seek(offset, whence)

    def tell(self) -> int:
        return self._file.tell()

    def seekable(self) -> bool:
        return True
