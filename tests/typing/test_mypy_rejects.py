"""mypy --strict rejects misuse of the models and stubs, and accepts their documented use.

Each file in ``rejected/`` is a deliberately wrong snippet; every offending line ends with
``# E: <error-code>`` (several codes separated by commas), and mypy must report exactly those
``(line, code)`` pairs: no fewer (the mistake is caught) and no more (the snippet is wrong for
the reason it claims). ``rejected/`` is excluded from ``make typecheck``.

``app_models.py`` and the snippets in ``ACCEPTED`` must produce no error at all.

One mypy run checks everything (a session fixture), with its own cache directory.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

TYPING_DIR = Path(__file__).resolve().parent
ROOT = TYPING_DIR.parents[1]
REJECTED = sorted((TYPING_DIR / "rejected").glob("*.py"))
APP_MODELS = TYPING_DIR / "app_models.py"

MARKER = re.compile(r"#\s*E:\s*(?P<codes>[\w-]+(?:\s*,\s*[\w-]+)*)\s*$")
ERROR_LINE = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+): error: (?P<message>.*?)(?:  \[(?P<code>[\w-]+)\])?$"
)

Errors = set[tuple[int, str]]
"""``(line, error code)`` pairs."""

ACCEPTED: dict[str, str] = {
    # Unions with a catch-all member (`type: str`) narrow by class, not by the tag string:
    # typing cannot say "any string but these tags". isinstance and match are the idiom.
    "narrowing_a_content_part_by_its_class": """
from typing_extensions import assert_type

from puter_client._generated import models


def text_of(part: models.ContentPart) -> str:
    if isinstance(part, models.TextPart):
        assert_type(part, models.TextPart)
        return part.text
    return ""
""",
    "narrowing_a_stream_line_by_match": """
from puter_client._generated import models



def delta(line: models.StreamLine) -> str:
    match line:
        case models.StreamText(text=text):
            return text
        case models.StreamReasoning(reasoning=reasoning):
            return reasoning
        case _:
            return ""
""",
}


def expected_errors(path: Path) -> Errors:
    """The ``(line, code)`` pairs the ``# E:`` markers of a snippet announce."""
    expected: Errors = set()
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = MARKER.search(text)
        if match:
            expected |= {(number, code.strip()) for code in match["codes"].split(",")}
    return expected


@pytest.fixture(scope="session")
def mypy_output(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, list[tuple[int, str, str]]]:
    """File -> ``(line, code, message)`` of each error, from one ``mypy --strict`` run."""
    tmp = tmp_path_factory.mktemp("mypy")
    accepted = []
    for name, source in ACCEPTED.items():
        path = tmp / f"accepted_{name}.py"
        path.write_text(source.lstrip(), encoding="utf-8")
        accepted.append(path)
    files = [APP_MODELS, *REJECTED, *accepted]
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--show-error-codes",
            "--no-error-summary",
            "--no-pretty",
            "--no-color-output",
            "--cache-dir",
            str(tmp / "cache"),
            *map(str, files),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode in (0, 1), f"mypy crashed:\n{result.stdout}\n{result.stderr}"
    output: dict[Path, list[tuple[int, str, str]]] = {path: [] for path in files}
    for line in result.stdout.splitlines():
        match = ERROR_LINE.match(line)
        if match:
            path = (ROOT / match["path"]).resolve()
            assert path in output, f"an error in a file not under test: {line}"
            output[path].append((int(match["line"]), match["code"] or "unknown", match["message"]))
    return output


def errors_in(path: Path, output: dict[Path, list[tuple[int, str, str]]]) -> Errors:
    return {(line, code) for line, code, _ in output[path]}


def report(path: Path, output: dict[Path, list[tuple[int, str, str]]]) -> str:
    return "\n".join(
        f"{path.name}:{line}: {message}  [{code}]" for line, code, message in output[path]
    )


def test_there_are_rejected_snippets_and_each_announces_its_errors() -> None:
    assert len(REJECTED) >= 5
    assert [p.name for p in REJECTED if not expected_errors(p)] == []


def test_the_application_module_type_checks_cleanly(
    mypy_output: dict[Path, list[tuple[int, str, str]]],
) -> None:
    assert errors_in(APP_MODELS, mypy_output) == set(), report(APP_MODELS, mypy_output)


@pytest.mark.parametrize("snippet", REJECTED, ids=lambda p: p.stem)
def test_a_wrong_snippet_is_rejected_with_the_announced_errors(
    snippet: Path, mypy_output: dict[Path, list[tuple[int, str, str]]]
) -> None:
    assert sorted(errors_in(snippet, mypy_output)) == sorted(expected_errors(snippet)), report(
        snippet, mypy_output
    )


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_an_idiomatic_snippet_type_checks_cleanly(
    name: str, mypy_output: dict[Path, list[tuple[int, str, str]]]
) -> None:
    (path,) = [p for p in mypy_output if p.stem == f"accepted_{name}"]
    assert errors_in(path, mypy_output) == set(), report(path, mypy_output)
