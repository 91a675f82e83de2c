"""The ``puter`` command line.

    puter chat "prompt" [--model M] [--image PATH]... [--audio PATH]... [--video PATH|URL]...
                        [--file PATH]... [--puter-file PATH]... [--no-stream] [--json]
    puter chat                      an interactive session (/help, /clear, /model NAME, /exit)
    puter models [--json]
    puter models -l [--provider NAME] [--json]   the models with their details
    puter models --providers        the providers, one a line
    puter login [--username NAME] [--password-stdin]
    puter logout

Endpoints come from ``--api-base``/``--login-url`` or ``PUTER_API_BASE``/``PUTER_LOGIN_URL``.
``puter login`` sets who the command line is on that server (``puter whoami`` says which
account, which server and why). ``PUTER_USERNAME`` and ``PUTER_PASSWORD`` in the
environment apply to the command they are given to only: their session token is kept in
the token file and reused by the next runs with them, but never replaces the account
``puter login`` chose.

Errors: every failure ends in `main`, which prints it as one ``puter: error: ...`` line
on stderr and returns 1 (2 for a usage error, 130 for Ctrl-C); no traceback is ever
shown. The commands just raise: `CliError` for their own failures, and whatever the
SDK, the token file or the operating system raises. Around every command, Ctrl-C is
remembered (so that one Python loses still ends the command) and anything else bound
for stderr (SDK log warnings, errors Python ignores) becomes a ``puter: warning:``
line. The SDK is imported inside the commands, so that a failure while it loads (a
bad ``PUTER_*`` variable) or a Ctrl-C during its import ends the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import json
import logging
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from importlib import import_module
from types import FrameType
from typing import TYPE_CHECKING, Any, NoReturn, TextIO

from puter_client.core._version import __version__
from puter_client.core.exceptions import PuterAuthError, PuterError

if TYPE_CHECKING:
    from _typeshed import SupportsWrite

    from puter_client.ai import PuterAI
    from puter_client.core.credentials import SavedLogin

__all__ = ["CliError", "main"]

EXIT_OK = 0
EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
#: The status of a command whose reader left early (``| head -1``): a shell's for SIGPIPE.
EXIT_BROKEN_PIPE = 141

#: The logger the SDK writes to.
SDK_LOGGER = "puter"


#: The modules adding each service's commands (``add_commands(commands)``).
SERVICE_COMMANDS = (
    "puter_client.cli.kv",
    "puter_client.cli.driver",
    "puter_client.cli.fs",
    "puter_client.cli.apps",
    "puter_client.cli.hosting",
    "puter_client.cli.workers",
    "puter_client.cli.media",
    "puter_client.cli.batch",
)


class CliError(Exception):
    """A failure of the command itself (bad input, nothing to do), reported as is."""


#: Whether failures are reported as one JSON object (``--json``) rather than a line.
_json_errors = False
#: A Ctrl-C seen while the command runs (`_ctrl_c_remembered`); a command that handles
#: one itself (the interactive chat) sets it back to False.
_ctrl_c_pressed = False


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status. Every failure is one line on stderr (one
    JSON object with ``--json``)."""
    global _json_errors
    arguments = list(sys.argv[1:] if argv is None else argv)
    _json_errors = "--json" in arguments[: _end_of_options(arguments)]
    try:
        with _ctrl_c_remembered(), _other_output_as_warnings():
            try:
                if sys.stdout is None:
                    raise CliError("standard output is closed")
                args = _parser().parse_args(arguments)
                _json_errors = bool(getattr(args, "json", False)) and not getattr(
                    args, "json_reads_input", False
                )
                return int(args.handler(args))
            finally:
                _flush_stdout()  # a closed pipe is reported here, not at exit
    except (KeyboardInterrupt, Exception) as exc:
        return _report(exc)


# ----------------------------------------------------------------- arguments


def _end_of_options(arguments: Sequence[str]) -> int:
    """Where ``--`` ends the options (the arguments after it are operands)."""
    return arguments.index("--") if "--" in arguments else len(arguments)


#: Options of the whole command that may also follow the subcommand
#: (``puter kv get k --api-base URL``): name -> add_argument keywords.
GLOBAL_OPTIONS: dict[str, dict[str, Any]] = {
    "--api-base": {
        "dest": "api_base",
        "help": "API origin (default: $PUTER_API_BASE or puter.com)",
    },
    "--login-url": {
        "dest": "login_url",
        "help": "login URL (default: $PUTER_LOGIN_URL or puter.com)",
    },
    "--json": {
        "dest": "json",
        "action": "store_true",
        "help": "print the result, and any error (on stderr), as JSON",
    },
}


#: Commands whose own ``--json`` is about their input (``kv set``: VALUE is JSON): their
#: errors stay plain lines.
JSON_READS_INPUT = frozenset({"puter kv set"})


def _everywhere(parser: argparse.ArgumentParser) -> None:
    """Let the global options follow any subcommand too.

    A subcommand's own copy has no default (``SUPPRESS``), so that an option given before
    the subcommand is not reset by it; a subcommand that already has ``--json`` keeps its
    help text, without a default of its own either.
    """
    from puter_client.cli.reference import subcommands

    for sub in subcommands(parser):
        if sub.prog in JSON_READS_INPUT:
            sub.set_defaults(json_reads_input=True)
        for action in sub._actions:
            if action.dest in ("api_base", "login_url", "json"):
                action.default = argparse.SUPPRESS
        for option, keywords in GLOBAL_OPTIONS.items():
            if option not in sub._option_string_actions:
                sub.add_argument(option, default=argparse.SUPPRESS, **keywords)


class _ArgumentParser(argparse.ArgumentParser):
    """argparse, with usage errors as one ``puter: error:`` line (status 2)."""

    def error(self, message: str) -> NoReturn:
        _fail(f"{message} (see '{self.prog} --help')", EXIT_USAGE)
        sys.exit(EXIT_USAGE)

    def _print_message(self, message: str, file: SupportsWrite[str] | None = None) -> None:
        # argparse ignores a failed write; --help into a closed pipe must fail like the rest
        if message and file is not None:
            file.write(message)


def _parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(prog="puter", description="Chat with Puter's AI models.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    for option, keywords in GLOBAL_OPTIONS.items():
        parser.add_argument(option, **keywords)
    commands = parser.add_subparsers(
        dest="command", required=True, metavar="COMMAND", help="what to do (each has --help)"
    )

    chat = commands.add_parser("chat", help="send a prompt, or chat interactively")
    chat.add_argument(
        "prompt",
        nargs="?",
        help="the message (text piped into standard input follows it as context); omit "
        "for an interactive session",
    )
    chat.add_argument("--model", "-m", help="the model (default: claude-opus-4)")
    chat.add_argument(
        "--image", "-i", action="append", default=[], metavar="PATH", help="attach an image"
    )
    chat.add_argument(
        "--audio", action="append", default=[], metavar="PATH", help="attach an audio clip"
    )
    chat.add_argument(
        "--video",
        action="append",
        default=[],
        metavar="PATH_OR_URL",
        help="attach a video (a file, or an http(s) URL the model fetches)",
    )
    chat.add_argument(
        "--file", action="append", default=[], metavar="PATH", help="attach a file (PDF, text...)"
    )
    chat.add_argument(
        "--puter-file",
        action="append",
        default=[],
        metavar="PATH",
        help="attach a file stored on Puter, e.g. ~/Documents/a.pdf (the server reads it)",
    )
    chat.add_argument("--no-stream", action="store_true", help="print the reply when complete")
    chat.add_argument("--json", action="store_true", help="print the whole reply as JSON")
    chat.set_defaults(handler=_chat)

    models = commands.add_parser("models", help="list the available models")
    models.add_argument("--json", action="store_true", help="print model -> provider as JSON")
    models.add_argument(
        "-l",
        "--long",
        action="store_true",
        help="the models with their details: context, max tokens, costs, capabilities",
    )
    models.add_argument("--provider", help="only this provider's models (with -l)")
    models.add_argument("--providers", action="store_true", help="list the providers")
    models.set_defaults(handler=_models)

    login = commands.add_parser("login", help="log in and save the token")
    login.add_argument("--username", "-u", help="the username (default: $PUTER_USERNAME)")
    login.add_argument(
        "--password-stdin", action="store_true", help="read the password from standard input"
    )
    login.add_argument(
        "--otp",
        metavar="CODE",
        help="the two-factor code, if the account has one (asked for on a terminal)",
    )
    login.set_defaults(handler=_login)

    logout = commands.add_parser("logout", help="forget the saved token")
    logout.set_defaults(handler=_logout)

    # Each service's commands live in a module of their own (cli_<service>.py), which
    # adds them here: ``add_commands(commands)``, handlers taking ``args`` like the above.
    for module in SERVICE_COMMANDS:
        import_module(module).add_commands(commands)
    _everywhere(parser)
    return parser


# ----------------------------------------------------------------- commands


def _chat_media(args: argparse.Namespace) -> dict[str, Any]:
    """The media of ``puter chat``'s options, as ``chat``'s keyword arguments."""
    from puter_client.services.chat.content import PuterPath

    files: list[Any] = [*args.file, *(PuterPath(path) for path in args.puter_file)]
    return {
        "images": list(args.image) or None,
        "audio": list(args.audio) or None,
        "videos": list(args.video) or None,
        "files": files or None,
    }


def _chat(args: argparse.Namespace) -> int:
    from puter_client.services.chat.chat import user_message

    if args.prompt is not None:
        args.prompt = _with_piped_context(args.prompt)
    media = _chat_media(args)
    with _client(args) as client:
        if args.model and not client.set_model(args.model):
            raise CliError(f"unknown model {args.model!r} (see 'puter models')")
        if args.prompt is None:
            if any(media.values()) or args.json:
                raise CliError("--image and --json need a prompt (so do the other attachments)")
            return _interactive(client, _stdin(), sys.stdout, stream=not args.no_stream)
        images = media.pop("images")
        if args.json:
            completion = client.complete([user_message(args.prompt, images, None, **media)])
            result = {
                "model": client.current_model,
                "text": completion.text,
                "finish_reason": completion.finish_reason,
                "usage": None if completion.usage is None else completion.usage.raw,
            }
            print(json.dumps(result))
            return EXIT_OK
        _reply(client, args.prompt, images, sys.stdout, stream=not args.no_stream, media=media)
    return EXIT_OK


def _with_piped_context(prompt: str) -> str:
    """``prompt``, followed by what is piped into standard input, if anything
    (``git diff | puter chat "Review this"``); a terminal's input is never read."""
    stdin = sys.stdin
    if stdin is None or stdin.closed or stdin.isatty():
        return prompt
    try:
        context = stdin.buffer.read() if hasattr(stdin, "buffer") else stdin.read().encode()
    except OSError:
        return prompt
    if not context.strip():
        return prompt
    try:
        text = context.decode("utf-8")
    except UnicodeDecodeError:
        raise CliError(
            "standard input is not UTF-8 text; pipe text, or attach an image with --image"
        ) from None
    return f"{prompt}\n\n{text.rstrip()}"


#: The commands of an interactive session, as ``/help`` lists them.
SESSION_COMMANDS = (
    ("/help", "list these commands"),
    ("/clear", "forget the conversation"),
    ("/model NAME", "chat with NAME from now on (/model alone shows the current one)"),
    ("/exit", "leave (so do Ctrl-D, and Ctrl-C twice at an empty prompt)"),
)


def _interactive(client: PuterAI, stdin: TextIO, stdout: TextIO, *, stream: bool) -> int:
    """Chat line by line; a failed turn is reported and the session goes on.

    On a terminal, Ctrl-C cancels the reply in progress (nothing is recorded) and returns
    to the prompt; at the prompt, a first Ctrl-C says how to leave and a second one
    leaves (status 130); ``/exit`` leaves with status 0. Elsewhere (a script's pipe) the
    status is `EXIT_ERROR` if any line failed, so that the script notices, and Ctrl-C
    ends the session like any command.
    """
    global _ctrl_c_pressed
    interactive = stdin.isatty()
    if interactive:
        print(f"Chatting with {client.current_model}. Type /help for the commands.")
    status = EXIT_OK
    interrupted_at_prompt = False
    while True:
        try:
            # The prompt is shown inside the try: a Ctrl-C that comes just after it shows
            # (before readline starts) is a Ctrl-C at the prompt too.
            if interactive:
                print("you> ", end="", flush=True)
                line = _typed_line(stdin)
            else:
                line = stdin.readline()
        except KeyboardInterrupt:
            if not interactive or interrupted_at_prompt:
                raise
            _ctrl_c_pressed = False  # handled here: not a reason to end the command
            interrupted_at_prompt = True
            print("\n(Ctrl-C again, /exit or Ctrl-D to leave)", file=stdout, flush=True)
            continue
        interrupted_at_prompt = False
        if not line:
            if interactive:
                print()  # the terminal's line after Ctrl-D
            return status
        text = line.strip()
        if not text:
            continue
        if text in ("/exit", "/quit"):
            return EXIT_OK if interactive else status
        if text == "/help":
            width = max(len(name) for name, _ in SESSION_COMMANDS)
            for name, what in SESSION_COMMANDS:
                print(f"  {name:<{width}}  {what}", file=stdout)
        elif text == "/clear":
            client.clear_chat_history()
            print("(history cleared)", file=stdout)
        elif text.startswith("/model"):
            name = text[len("/model") :].strip()
            if not name or client.set_model(name):
                print(f"(model: {client.current_model})", file=stdout)
            else:
                status = _fail(f"unknown model {name!r} (see 'puter models')")
        elif text.startswith("/"):
            status = _fail(f"unknown command {text.split()[0]!r} (type /help)")
        else:
            try:
                _reply(client, text, None, stdout, stream=stream)
            except KeyboardInterrupt:
                if not interactive:
                    raise
                _ctrl_c_pressed = False
                print("(reply cancelled)", file=stdout, flush=True)
            except (PuterError, ValueError) as exc:  # this turn failed, not the session
                status = _fail(_describe(exc))


def _typed_line(stdin: TextIO) -> str:
    """The next line typed at the prompt of a terminal.

    Python drops a ``KeyboardInterrupt`` raised inside a finalizer or a half-done import
    (see `_ctrl_c_remembered`); a Ctrl-C pressed just as the prompt shows could land
    there, and the session would wait for a line despite it. The terminal is therefore
    watched a fifth of a second at a time, and a Ctrl-C seen but never raised is raised
    here. Where there is no ``select`` on a terminal (Windows), it is a plain read.
    """
    if os.name != "posix":
        return stdin.readline()
    import select

    try:
        fd = stdin.fileno()
    except (OSError, ValueError):
        return stdin.readline()
    while True:
        if _ctrl_c_pressed:  # pressed, and lost on its way: raise it now
            raise KeyboardInterrupt
        ready, _, _ = select.select([fd], [], [], 0.2)
        if ready:
            return stdin.readline()


def _reply(
    client: PuterAI,
    prompt: str,
    images: list[str] | None,
    out: TextIO,
    *,
    stream: bool,
    media: dict[str, Any] | None = None,
) -> None:
    """Print the reply to ``prompt`` (with ``images`` and the other ``media``)."""
    more = media or {}
    if not stream:
        print(client.chat(prompt, images=images, **more), file=out)
        return
    line_open = False
    with client.chat_stream(prompt, images=images, **more) as reply:
        try:
            for delta in reply:
                line_open = True
                out.write(delta)
                out.flush()
        finally:  # end the line, also when the reply breaks off (an error, Ctrl-C)
            if line_open:
                out.write("\n")
                out.flush()


def show_record(
    record: Mapping[str, Any], *, as_json: bool, hidden: tuple[Any, ...] = (None,)
) -> int:
    """What an ``info`` command prints of one record: one JSON object with ``--json``,
    else ``key: value`` lines (lists joined by commas; values in ``hidden`` left out)."""
    if as_json:
        print(json.dumps(dict(record), ensure_ascii=False))
        return EXIT_OK
    for key, value in record.items():
        if value not in hidden:
            print(f"{key}: {', '.join(value) if isinstance(value, list) else value}")
    return EXIT_OK


def _models(args: argparse.Namespace) -> int:
    if args.providers:
        with _client(args, need_login=False) as client:
            providers = client.list_model_providers()
        print(json.dumps(providers, indent=2) if args.json else "\n".join(providers))
        return EXIT_OK
    if args.long or args.provider is not None:
        return _model_details(args)
    with _client(args, need_login=False) as client:
        available = client.available_models
    if args.json:
        print(json.dumps(available, indent=2, sort_keys=True))
    else:
        width = max((len(name) for name in available), default=0)
        for name, provider in sorted(available.items()):
            print(f"{name:<{width}}  {provider}")
    return EXIT_OK


def _model_details(args: argparse.Namespace) -> int:
    from puter_client.core.serialization import unstructure

    with _client(args, need_login=False) as client:
        details = client.list_models(args.provider)
    if args.json:
        print(json.dumps(unstructure(details), indent=2, ensure_ascii=False))
        return EXIT_OK
    rows = [("MODEL", "PROVIDER", "CONTEXT", "MAX OUT", "IN/OUT COST", "INPUT", "TOOLS")]
    for model in details:
        modalities = model.modalities
        rows.append(
            (
                model.id + (f" ({', '.join(model.aliases)})" if model.aliases else ""),
                model.provider or "",
                _count_text(model.context),
                _count_text(model.max_tokens),
                _cost_text(model),
                ",".join(modalities.input or ()) if modalities is not None else "",
                {True: "yes", False: "no"}.get(model.tool_call, "")
                if model.tool_call is not None
                else "",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return EXIT_OK


def _count_text(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else ""


def _cost_text(model: Any) -> str:
    """Input and output prices, in the units the server gives (per its ``tokens``)."""
    cost = model.cost if isinstance(model.cost, dict) else None
    if cost is not None and "input" in cost and "output" in cost:
        per = cost.get("tokens")
        unit = f" {cost.get('currency', '')}/{per:,}" if isinstance(per, int) else ""
        return f"{cost['input']}/{cost['output']}{unit}".rstrip()
    costs = model.costs if isinstance(model.costs, dict) else None
    if costs is not None:
        inp = costs.get(model.input_cost_key or "input-tokens")
        out = costs.get(model.output_cost_key or "output-tokens")
        if inp is not None and out is not None:
            return f"{inp}/{out} {model.costs_currency or ''}".rstrip()
    return ""


def _login(args: argparse.Namespace) -> int:
    from puter_client.ai import PuterAI
    from puter_client.core.credentials import SavedLogin, save_login

    username = _username(args)
    password = _password(args)
    with PuterAI(username=username, password=password, **_endpoints(args)) as client:
        try:
            client.login(otp_code=args.otp)
        except PuterAuthError as exc:
            if exc.code != "otp_required":
                raise
            if not _is_terminal(sys.stdin):  # the SDK's text speaks of login(otp_code=...)
                raise CliError(
                    "the account has two-factor authentication: give --otp CODE"
                ) from None
            code = _ask(input, "Two-factor code: ", "two-factor code").strip()
            if not code:
                raise CliError("no two-factor code given") from None
            client.login(otp_code=code)
        token = client.token
        api_base, login_url = client.config.api_base, client.config.login_url
    if token is None:  # pragma: no cover - login() returns only with a token
        raise CliError("the server returned no token")
    path = save_login(
        SavedLogin(token=token, api_base=api_base, username=username, login_url=login_url)
    )
    print(f"Logged in as {username} at {api_base}; token saved to {path}")
    return EXIT_OK


def _logout(args: argparse.Namespace) -> int:
    from puter_client.core.credentials import delete_login, token_path

    if delete_login():
        print(f"Logged out; removed {token_path()}")
    else:
        print("Not logged in.")
    return EXIT_OK


# ------------------------------------------------------------------ input


def _username(args: argparse.Namespace) -> str:
    """From ``--username`` or ``$PUTER_USERNAME``, else asked on a terminal."""
    username = args.username or os.environ.get("PUTER_USERNAME")
    if username:
        return str(username)
    if not _is_terminal(sys.stdin):
        raise CliError("give --username (or set PUTER_USERNAME)")
    username = _ask(input, "Username: ", "username").strip()
    if not username:
        raise CliError("no username given")
    return username


def _password(args: argparse.Namespace) -> str:
    """From standard input, ``$PUTER_PASSWORD`` or a terminal prompt (in that order)."""
    if args.password_stdin:
        password = _stdin().readline().rstrip("\r\n")
    elif os.environ.get("PUTER_PASSWORD"):
        password = os.environ["PUTER_PASSWORD"]
    elif _is_terminal(sys.stdin):
        password = _ask(getpass.getpass, "Password: ", "password")
    else:
        raise CliError(
            "no password: give --password-stdin, set PUTER_PASSWORD, or run it in a terminal"
        )
    if not password:
        raise CliError("no password given")
    return password


def _ask(prompt: Callable[[str], str], text: str, what: str) -> str:
    """The answer to a terminal prompt; the end of input (Ctrl-D) is a `CliError`."""
    try:
        return prompt(text)
    except EOFError:
        raise CliError(f"no {what} given") from None


def _stdin() -> TextIO:
    """Standard input; a `CliError` when it is closed (``<&-``)."""
    if sys.stdin is None:
        raise CliError("standard input is closed")
    return sys.stdin


def _is_terminal(stream: TextIO | None) -> bool:
    return stream is not None and not stream.closed and stream.isatty()


# ------------------------------------------------------------------ the SDK


def _endpoints(args: argparse.Namespace) -> dict[str, Any]:
    overrides: dict[str, Any] = {}
    if args.api_base:
        overrides["api_base"] = args.api_base
    if args.login_url:
        overrides["login_url"] = args.login_url
    return overrides


def _client(
    args: argparse.Namespace, *, need_login: bool = True, overrides: Mapping[str, Any] | None = None
) -> PuterAI:
    """The client of a command: saved token, else credentials from the environment.

    ``overrides`` are configuration overrides of this command (``rate_limit_requests``...).
    """
    from puter_client.ai import PuterAI
    from puter_client.core.configuration import config
    from puter_client.core.credentials import current_logins, load_login, token_path

    endpoints = _endpoints(args)
    api_base = str(endpoints.get("api_base", config.api_base)).rstrip("/")
    args.server = api_base
    if os.environ.get("PUTER_USERNAME") and os.environ.get("PUTER_PASSWORD"):
        # Credentials in the environment are for this command only: their token is kept
        # in the token file (runs in a row do not use up the server's logins) but never
        # becomes the account 'puter login' chose.
        args.login_source = "PUTER_USERNAME/PUTER_PASSWORD (this command only)"
        client = PuterAI(token_cache=True, **endpoints, **(overrides or {}))
        client.login()  # logged in, the catalog includes every model the account may use
        return client
    options = {**endpoints, **(overrides or {})}
    saved = load_login(api_base)
    if saved is not None:
        args.login_source = f"saved by 'puter login' ({token_path()})"
        args.saved_username = saved.username
        return PuterAI(token=saved.token, **options)
    client = PuterAI(**options)
    if need_login:
        raise PuterAuthError(_not_logged_in(api_base, current_logins()))
    return client


def _not_logged_in(api_base: str, elsewhere: Sequence[SavedLogin]) -> str:
    """Why no account serves ``api_base``, naming the servers that have one."""
    text = f"not logged in at {api_base}"
    if elsewhere:
        other = elsewhere[-1]
        who = f" as {other.username}" if other.username else ""
        return (
            f"{text}: the saved login{who} is for {other.api_base}; give "
            f"--api-base {other.api_base}, or run 'puter --api-base {api_base} login'"
        )
    return f"{text}: run 'puter login', or set PUTER_USERNAME and PUTER_PASSWORD"


# ------------------------------------------------------------------ around every command


@contextlib.contextmanager
def _ctrl_c_remembered() -> Iterator[None]:
    """Ctrl-C raises ``KeyboardInterrupt`` as usual, and is remembered until the end.

    Python can lose a ``KeyboardInterrupt``: CPython drops one raised while an import
    looks at a half-loaded lazy module, and only "ignores" one raised in a weakref
    callback. A remembered Ctrl-C still ends the command, in place of whatever it led to.
    Only Python's own handler is replaced (not an ignored SIGINT), in the main thread.
    """
    global _ctrl_c_pressed
    _ctrl_c_pressed = False

    def on_ctrl_c(signum: int, frame: FrameType | None) -> None:
        global _ctrl_c_pressed
        _ctrl_c_pressed = True
        raise KeyboardInterrupt

    installed = signal.getsignal(signal.SIGINT) is signal.default_int_handler
    if installed:
        try:
            signal.signal(signal.SIGINT, on_ctrl_c)
        except ValueError:  # not the main thread
            installed = False
    try:
        yield
    finally:
        if installed:
            signal.signal(signal.SIGINT, signal.default_int_handler)
        if _ctrl_c_pressed:  # a Ctrl-C the command handled itself was forgotten there
            raise KeyboardInterrupt


@contextlib.contextmanager
def _other_output_as_warnings() -> Iterator[None]:
    """While the command runs, what else reaches stderr is one ``puter: warning:`` line.

    That is the SDK's log warnings, and the errors Python can only ignore (raised in a
    ``__del__`` or a weakref callback); an ignored Ctrl-C is left to `_ctrl_c_remembered`.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(_OneLineWarning())
    logger = logging.getLogger(SDK_LOGGER)

    def unraisable(event: sys.UnraisableHookArgs) -> None:
        if not isinstance(event.exc_value, KeyboardInterrupt):
            ignored = f"ignored {event.exc_type.__name__}: {event.exc_value}"
            _write_stderr(_warning_line(ignored) + "\n")

    previous_hook = sys.unraisablehook
    sys.unraisablehook = unraisable
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        sys.unraisablehook = previous_hook


class _OneLineWarning(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return _warning_line(record.getMessage())


def _warning_line(message: str) -> str:
    return f"puter: warning: {_one_line(message)}"


# ------------------------------------------------------------------ reporting


def _report(exc: BaseException) -> int:
    """Print the failure ``exc`` as one ``puter: error:`` line; the exit status."""
    if isinstance(exc, BrokenPipeError):
        _discard_stdout()
    if isinstance(exc, KeyboardInterrupt):
        if _is_terminal(sys.stderr):
            _write_stderr("\n")  # off the line where the terminal echoed ^C
        return _fail("interrupted", EXIT_INTERRUPTED)
    if isinstance(exc, BrokenPipeError):  # the reader left early (| head -1): no error
        return EXIT_BROKEN_PIPE
    return _fail(_describe(exc), exc=exc)


def _describe(exc: BaseException) -> str:
    """What to tell the user about ``exc``."""
    if (
        isinstance(exc, OSError)
        and not isinstance(exc, PuterError)
        and exc.filename
        and exc.strerror
    ):
        return f"{exc.filename}: {exc.strerror}"
    if isinstance(exc, (CliError, PuterError, ValueError, OSError)):
        return str(exc) or type(exc).__name__
    return f"unexpected {type(exc).__name__}: {exc} (a bug in puter; please report it)"


def _fail(message: str, status: int = EXIT_ERROR, *, exc: BaseException | None = None) -> int:
    """Print ``puter: error: <message>`` as one line on stderr (with ``--json``, one JSON
    object: ``{"error": {"message", "type", "status_code", "code", "exit_status"}}``);
    return ``status``."""
    if _json_errors:
        error = {
            "message": _one_line(message),
            "type": type(exc).__name__ if exc is not None else "UsageError",
            "status_code": getattr(exc, "status_code", None),
            "code": getattr(exc, "code", None),
            "exit_status": status,
        }
        if isinstance(exc, KeyboardInterrupt) or status == EXIT_INTERRUPTED:
            error["type"] = "Interrupted"
        _write_stderr(json.dumps({"error": error}) + "\n")
        return status
    _write_stderr(f"puter: error: {_one_line(message)}\n")
    return status


def _write_stderr(text: str) -> None:
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):  # nowhere left to report to
            sys.stderr.write(text)
            sys.stderr.flush()


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _flush_stdout() -> None:
    if sys.stdout is not None:
        sys.stdout.flush()


def _discard_stdout() -> None:
    """Point the closed stdout at the null device, so that nothing fails at exit."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no stdout, or not a file (a test's)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, fd)
    finally:
        os.close(null)


if __name__ == "__main__":
    # Run as ``python -m``, this file is ``__main__``; the service modules import
    # ``puter_client.cli.main``, whose ``CliError`` must be the class ``main`` reports.
    from puter_client.cli.main import main as _main

    sys.exit(_main())
