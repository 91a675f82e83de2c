"""The ``puter`` command line.

    puter chat "prompt" [--model M] [--image PATH]... [--no-stream] [--json]
    puter chat                      an interactive session (/clear, /model NAME, /exit)
    puter models [--json]
    puter login [--username NAME] [--password-stdin]
    puter logout

Endpoints come from ``--api-base``/``--login-url`` or ``PUTER_API_BASE``/``PUTER_LOGIN_URL``;
credentials from the token saved by ``puter login``, else ``PUTER_USERNAME`` and
``PUTER_PASSWORD``. Errors print one line to stderr and exit non-zero.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from puter_client import __version__
from puter_client.ai import PuterAI
from puter_client.chat import user_message
from puter_client.configuration import config
from puter_client.credentials import (
    InsecureTokenFileError,
    SavedLogin,
    delete_login,
    load_login,
    save_login,
    token_path,
)
from puter_client.exceptions import PuterAuthError, PuterError

__all__ = ["main"]

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


class CliError(Exception):
    """A failure to report as one line on stderr."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status."""
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except (CliError, PuterError, ValueError, TypeError, OSError) as exc:
        print(f"puter: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_ERROR


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="puter", description="Chat with Puter's AI models.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--api-base", help="API origin (default: $PUTER_API_BASE or puter.com)")
    parser.add_argument("--login-url", help="login URL (default: $PUTER_LOGIN_URL or puter.com)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    chat = commands.add_parser("chat", help="send a prompt, or chat interactively")
    chat.add_argument("prompt", nargs="?", help="the message; omit for an interactive session")
    chat.add_argument("--model", "-m", help="the model (default: claude-opus-4)")
    chat.add_argument(
        "--image", "-i", action="append", default=[], metavar="PATH", help="attach an image"
    )
    chat.add_argument("--no-stream", action="store_true", help="print the reply when complete")
    chat.add_argument("--json", action="store_true", help="print the whole reply as JSON")
    chat.set_defaults(handler=_chat)

    models = commands.add_parser("models", help="list the available models")
    models.add_argument("--json", action="store_true", help="print model -> provider as JSON")
    models.set_defaults(handler=_models)

    login = commands.add_parser("login", help="log in and save the token")
    login.add_argument("--username", "-u", help="the username (default: $PUTER_USERNAME)")
    login.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    login.add_argument("--otp", metavar="CODE", help="the two-factor code, if the account has one")
    login.set_defaults(handler=_login)

    logout = commands.add_parser("logout", help="forget the saved token")
    logout.set_defaults(handler=_logout)
    return parser


# ----------------------------------------------------------------- commands


def _chat(args: argparse.Namespace) -> int:
    with _client(args) as client:
        if args.model and not client.set_model(args.model):
            raise CliError(f"unknown model {args.model!r} (see 'puter models')")
        if args.prompt is None:
            if args.image or args.json:
                raise CliError("--image and --json need a prompt")
            return _interactive(client, sys.stdin, sys.stdout, stream=not args.no_stream)
        images = list(args.image) or None
        if args.json:
            completion = client.complete([user_message(args.prompt, images, None)])
            result = {
                "model": client.current_model,
                "text": completion.text,
                "finish_reason": completion.finish_reason,
                "usage": completion.usage,
            }
            print(json.dumps(result))
            return 0
        _reply(client, args.prompt, images, sys.stdout, stream=not args.no_stream)
    return 0


def _interactive(client: PuterAI, stdin: TextIO, stdout: TextIO, *, stream: bool) -> int:
    interactive = stdin.isatty()
    if interactive:
        print(f"Chatting with {client.current_model}. Commands: /clear, /model NAME, /exit.")
    while True:
        if interactive:
            print("you> ", end="", flush=True)
        line = stdin.readline()
        if not line:
            return 0
        text = line.strip()
        if not text:
            continue
        if text in ("/exit", "/quit"):
            return 0
        if text == "/clear":
            client.clear_chat_history()
            print("(history cleared)", file=stdout)
        elif text.startswith("/model"):
            name = text[len("/model") :].strip()
            if not name or client.set_model(name):
                print(f"(model: {client.current_model})", file=stdout)
            else:
                print(f"puter: error: unknown model {name!r}", file=sys.stderr)
        elif text.startswith("/"):
            print(f"puter: error: unknown command {text.split()[0]!r}", file=sys.stderr)
        else:
            try:
                _reply(client, text, None, stdout, stream=stream)
            except PuterError as exc:
                print(f"puter: error: {_one_line(exc)}", file=sys.stderr)


def _reply(
    client: PuterAI, prompt: str, images: list[str] | None, out: TextIO, *, stream: bool
) -> None:
    if not stream:
        print(client.chat(prompt, images=images), file=out)
        return
    with client.chat_stream(prompt, images=images) as reply:
        for delta in reply:
            out.write(delta)
            out.flush()
    out.write("\n")
    out.flush()


def _models(args: argparse.Namespace) -> int:
    with _client(args, need_login=False) as client:
        available = client.available_models
    if args.json:
        print(json.dumps(available, indent=2, sort_keys=True))
    else:
        width = max((len(name) for name in available), default=0)
        for name, provider in sorted(available.items()):
            print(f"{name:<{width}}  {provider}")
    return 0


def _login(args: argparse.Namespace) -> int:
    username = args.username or os.environ.get("PUTER_USERNAME")
    if not username:
        if not sys.stdin.isatty():
            raise CliError("give --username (or set PUTER_USERNAME)")
        username = input("Username: ").strip()
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = os.environ.get("PUTER_PASSWORD") or getpass.getpass("Password: ")
    with PuterAI(username=username, password=password, **_endpoints(args)) as client:
        client.login(otp_code=args.otp)
        token = client.token
        api_base = client.config.api_base
    if token is None:  # pragma: no cover - login() returns only with a token
        raise CliError("the server returned no token")
    path = save_login(SavedLogin(token=token, api_base=api_base, username=username))
    print(f"Logged in as {username}; token saved to {path}")
    return 0


def _logout(args: argparse.Namespace) -> int:
    if delete_login():
        print(f"Logged out; removed {token_path()}")
    else:
        print("Not logged in.")
    return 0


# ------------------------------------------------------------------ helpers


def _endpoints(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if args.api_base:
        overrides["api_base"] = args.api_base
    if args.login_url:
        overrides["login_url"] = args.login_url
    return overrides


def _client(args: argparse.Namespace, *, need_login: bool = True) -> PuterAI:
    endpoints = _endpoints(args)
    api_base = str(endpoints.get("api_base", config.api_base)).rstrip("/")
    try:
        saved = load_login(api_base)
    except InsecureTokenFileError as exc:
        raise CliError(str(exc)) from None
    if saved is not None:
        return PuterAI(token=saved.token, **endpoints)
    client = PuterAI(**endpoints)
    if os.environ.get("PUTER_USERNAME") and os.environ.get("PUTER_PASSWORD"):
        client.login()  # logged in, the catalog includes every model the account may use
    elif need_login:
        raise PuterAuthError(
            "not logged in: run 'puter login', or set PUTER_USERNAME and PUTER_PASSWORD"
        )
    return client


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


if __name__ == "__main__":
    sys.exit(main())
