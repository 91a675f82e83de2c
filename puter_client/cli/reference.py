"""The command line's reference page, written from its argparse parser.

The docs site (``mkdocs_hooks.py``) puts ``markdown(parser)`` where ``docs/cli.md`` holds
its marker, so the page is the parser: a new subcommand or option appears on it at the
next build, with the help text ``--help`` prints, and nothing is written twice.
``python -m puter_client.cli.reference`` prints the same Markdown.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

__all__ = ["markdown", "subcommands"]

#: Usage lines are wrapped at this width whatever the terminal, so a build is reproducible.
WIDTH = 88


def subcommands(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """Every parser under ``parser`` (depth first, in the order ``--help`` lists them)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            seen: set[int] = set()
            for sub in action.choices.values():
                if id(sub) in seen:  # an alias names the same parser again
                    continue
                seen.add(id(sub))
                yield sub
                yield from subcommands(sub)


def markdown(parser: argparse.ArgumentParser, *, level: int = 2) -> str:
    """The reference of ``parser`` and of every subcommand under it, as Markdown.

    Each command gets a heading (``level`` for the top one, one deeper per nesting), its
    description, its usage line, a table of its subcommands and one of its arguments.
    """
    helps = _help_by_parser(parser)
    sections = [_section(parser, level, helps=helps)]
    for sub in subcommands(parser):
        depth = sub.prog.count(" ") - parser.prog.count(" ")
        sections.append(_section(sub, level + min(depth, 6 - level), helps=helps))
    return "\n".join(sections)


def _help_by_parser(parser: argparse.ArgumentParser) -> dict[int, str]:
    """The one-line help each subparser was added with, by parser identity."""
    helps: dict[int, str] = {}
    for sub_parser in [parser, *subcommands(parser)]:
        for action in sub_parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    sub = action.choices[choice.dest]
                    helps.setdefault(id(sub), choice.help or "")
    return helps


def _section(parser: argparse.ArgumentParser, level: int, *, helps: dict[int, str]) -> str:
    lines = [f"{'#' * level} `{parser.prog}`", ""]
    text = parser.description or helps.get(id(parser), "")
    if text:
        lines += [_sentence(text), ""]
    lines += ["```text", _usage(parser).rstrip(), "```", ""]
    commands: list[tuple[str, str]] = []
    arguments: list[tuple[str, str]] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            if action.help and action.help is not argparse.SUPPRESS:
                lines += [f"`{action.metavar or action.dest}`: {action.help}", ""]
            for choice in action._choices_actions:
                commands.append((f"`{choice.dest}`", choice.help or ""))
        elif action.help is not argparse.SUPPRESS:
            arguments.append((_names(parser, action), _help(parser, action)))
    if commands:
        lines += _table(("command", "what it does"), commands)
    if arguments:
        lines += _table(("argument", "meaning"), arguments)
    if parser.epilog:
        lines += [parser.epilog, ""]
    return "\n".join(lines)


def _formatter(parser: argparse.ArgumentParser) -> argparse.HelpFormatter:
    return argparse.HelpFormatter(prog=parser.prog, width=WIDTH)


def _usage(parser: argparse.ArgumentParser) -> str:
    formatter = _formatter(parser)
    formatter.add_usage(parser.usage, parser._actions, parser._mutually_exclusive_groups)
    return formatter.format_help()


def _names(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    formatter = _formatter(parser)
    if not action.option_strings:
        return f"`{formatter._metavar_formatter(action, action.dest)(1)[0]}`"
    names = ", ".join(action.option_strings)
    if action.nargs != 0:
        names += " " + formatter._format_args(action, action.dest.upper())
    return f"`{names}`"


def _help(parser: argparse.ArgumentParser, action: argparse.Action) -> str:
    if not action.help:
        return ""
    formatter = _formatter(parser)
    return formatter._expand_help(action)


def _table(header: tuple[str, str], rows: list[tuple[str, str]]) -> list[str]:
    lines = [f"| {header[0]} | {header[1]} |", "| --- | --- |"]
    lines += [f"| {_cell(name)} | {_cell(text)} |" for name, text in rows]
    return [*lines, ""]


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?", ")")) else ".")


if __name__ == "__main__":  # pragma: no cover - the same text as the docs page
    from puter_client.cli.main import _parser

    print(markdown(_parser()))
