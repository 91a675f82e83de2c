"""The command-line reference of the docs site, written from the argparse parsers."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest

import mkdocs_hooks
from puter_client.cli.main import _parser
from puter_client.cli.reference import markdown, subcommands
from puter_client.emulator.__main__ import _parser as emulator_parser

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _all_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    return [parser, *subcommands(parser)]


def test_every_subcommand_has_a_heading() -> None:
    page = markdown(_parser())
    headings = set(re.findall(r"^#+ `(.+)`$", page, flags=re.MULTILINE))
    expected = {sub.prog for sub in _all_parsers(_parser())}
    assert {"puter", "puter chat", "puter kv set", "puter fs put", "puter batch"} <= expected
    assert headings == expected


def test_every_option_of_every_command_is_listed() -> None:
    page = markdown(_parser())
    for parser in _all_parsers(_parser()):
        section = page.split(f"`{parser.prog}`\n", 1)[1]
        for action in parser._actions:
            for option in action.option_strings:
                assert option in section.split("\n#", 1)[0], (parser.prog, option)


def test_the_help_text_is_the_parsers_own() -> None:
    page = markdown(_parser())
    for parser in _all_parsers(_parser()):
        for action in parser._actions:
            if action.help and "%(" not in action.help and action.help != argparse.SUPPRESS:
                assert " ".join(action.help.split()) in page, (parser.prog, action.help)


def test_a_nested_command_is_one_level_deeper() -> None:
    page = markdown(_parser(), level=2)
    assert "\n### `puter kv`\n" in page
    assert "\n#### `puter kv set`\n" in page


def test_the_page_does_not_depend_on_the_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "30")
    narrow = markdown(_parser())
    monkeypatch.setenv("COLUMNS", "300")
    assert markdown(_parser()) == narrow


def test_a_pipe_in_help_text_does_not_break_the_table() -> None:
    parser = argparse.ArgumentParser(prog="tool")
    parser.add_argument("--mode", help="fast | slow")
    assert "| `--mode MODE` | fast \\| slow |" in markdown(parser)


def test_a_default_in_help_text_is_expanded() -> None:
    parser = argparse.ArgumentParser(prog="tool")
    parser.add_argument("--port", type=int, default=8765, help="the port (default %(default)s)")
    assert "the port (default 8765)" in markdown(parser)


def test_the_hook_replaces_the_cli_marker_with_the_reference() -> None:
    page = mkdocs_hooks.on_page_markdown("before\n<!-- cli-reference: puter -->\nafter")
    assert "<!-- cli-reference" not in page
    assert "### `puter chat`" in page
    assert page.startswith("before\n") and page.endswith("\nafter")


def test_the_hook_writes_the_emulators_reference() -> None:
    page = mkdocs_hooks.on_page_markdown("<!-- cli-reference: emulator -->")
    for action in emulator_parser()._actions:
        for option in action.option_strings:
            assert option in page


def test_the_hook_leaves_other_pages_alone() -> None:
    text = "# Chat\n\nNo marker here.\n"
    assert mkdocs_hooks.on_page_markdown(text) == text


@pytest.mark.parametrize(
    ("page", "marker"),
    [
        ("cli.md", "<!-- cli-reference: puter -->"),
        ("emulator.md", "<!-- cli-reference: emulator -->"),
    ],
)
def test_the_docs_pages_hold_their_markers(page: str, marker: str) -> None:
    assert marker in (DOCS / page).read_text(encoding="utf-8")


def test_no_help_text_shows_raw_markup() -> None:
    for parser in _all_parsers(_parser()):
        text = parser.format_help()
        assert "``" not in text, parser.prog


def test_every_argument_of_every_command_has_help() -> None:
    missing = [
        f"{parser.prog}: {action.dest}"
        for parser in _all_parsers(_parser())
        for action in parser._actions
        if not action.help
    ]
    assert missing == []
