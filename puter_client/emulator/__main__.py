"""``python -m puter_client.emulator``: serve the emulator until interrupted."""

from __future__ import annotations

import argparse
import dataclasses
import signal
import sys
import threading
from collections.abc import Sequence

from puter_client.emulator._extra import missing_extra
from puter_client.emulator.core.state import User, default_users

try:
    from puter_client.emulator.server import PuterEmulator
except ModuleNotFoundError as missing:  # no 'emulator' extra: say what to install
    if __name__ != "__main__":
        raise missing_extra(missing) from None
    sys.exit(f"python -m puter_client.emulator: error: {missing_extra(missing)}")


_PROG = "python -m puter_client.emulator"


def _user(text: str) -> User:
    username, sep, password = text.partition(":")
    if not sep or not username or not password:
        raise argparse.ArgumentTypeError(f"expected NAME:PASSWORD, got {text!r}")
    return User(username, password)


#: The API port when none is given (the web, login, port is the next one).
DEFAULT_PORT = 8765


def _accounts() -> str:
    lines = ", ".join(user.username for user in default_users())
    return f"built-in accounts (password: <username>-password): {lines}"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m puter_client.emulator",
        description=(
            "A local Puter server for tests and offline demos: the API on --port "
            f"(default {DEFAULT_PORT}), the web origin (login) on --web-port (default "
            f"{DEFAULT_PORT + 1})."
        ),
        epilog=(
            f"{_accounts()}; otp_user's two-factor code is 123456, broke_user has no "
            "credits, suspended_user is suspended, unconfirmed_user has not confirmed "
            "its e-mail."
        ),
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default: loopback)")
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"API host port (default {DEFAULT_PORT}; 0: any free port)",
    )
    parser.add_argument(
        "--web-port",
        type=int,
        default=None,
        help=f"web host (login) port (default: port+1, {DEFAULT_PORT + 1}; any free with --port 0)",
    )
    parser.add_argument(
        "--user",
        type=_user,
        action="append",
        default=[],
        metavar="NAME:PASSWORD",
        help="add an account (repeatable)",
    )
    parser.add_argument(
        "--tier",
        choices=("unlimited", "paid", "free", "temp"),
        default="free",
        help="the subscription tier of the --user accounts: the server's limits and "
        "allowance for it (default: free)",
    )
    parser.add_argument("--legacy", action="store_true", help="behave like the V1 server")
    parser.add_argument(
        "--default-model",
        metavar="MODEL",
        help="chat model for calls that name none (default: none, such calls answer 400)",
    )
    parser.add_argument(
        "--keyless",
        action="store_true",
        help="answer the AI media drivers as a server without provider keys does",
    )
    parser.add_argument(
        "--local-media",
        action="store_true",
        help="serve the media files the drivers' URLs name from this emulator",
    )
    return parser


def emulator_from_args(argv: Sequence[str] | None = None) -> PuterEmulator:
    """The (unstarted) emulator the command line describes."""
    args = _parser().parse_args(argv)
    web_port = args.web_port if args.web_port is not None else (args.port + 1 if args.port else 0)
    return PuterEmulator(
        host=args.host,
        port=args.port,
        web_port=web_port,
        users=[*default_users(), *(dataclasses.replace(u, tier=args.tier) for u in args.user)],
        legacy=args.legacy,
        default_model=args.default_model,
        keyless=args.keyless,
        local_media=args.local_media,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Start, print the configuration lines, serve until SIGINT/SIGTERM."""
    emulator = emulator_from_args(argv)
    try:
        emulator.start()
    except OSError as exc:  # a busy or forbidden port: one line, what to do instead
        hint = "; choose another with --port N, or --port 0 for any free ports"
        print(f"{_PROG}: error: {exc.strerror or exc}{hint}", file=sys.stderr)
        return 1
    except RuntimeError as exc:
        print(f"{_PROG}: error: {exc}: {exc.__cause__}", file=sys.stderr)
        return 1
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    mode = "V1 (legacy)" if emulator.legacy else "V2"
    accounts = ", ".join(f"{u.username}:{u.password}" for u in emulator.state.users.values())
    for name, value in emulator.env().items():
        print(f"{name}={value}")
    print(f"# Puter emulator ({mode}); accounts: {accounts}; Ctrl+C to stop", file=sys.stderr)
    sys.stdout.flush()
    try:
        while not stop.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
