"""``python -m codegen --check``: any difference between schema and generated code fails CI.

Each test works on copies in a temporary directory: the real schema, and the output
generated from that copy (which differs from the committed output only in the header line
naming the schema; see ``test_a_copy_differs_from_the_committed_output_only_in_the_header``).
The command line runs in this process (``codegen.__main__.main``, its output captured),
except in one test that runs it as ``make check-generated`` does, as a subprocess; the
generator's models step then runs once per schema text.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen.__main__ import main as codegen_main
from codegen.pipeline import (
    DEFAULT_OUTPUT_DIR,
    DEFAULT_SCHEMA,
    ROOT,
    drifted_files,
    generate,
    write,
)


class Workspace:
    """A schema copy and the generated directory that matches it."""

    def __init__(self, root: Path) -> None:
        self.schema = root / "puter.openapi.yaml"
        self.out = root / "_generated"

    def drifted(self, result: subprocess.CompletedProcess[str]) -> set[str]:
        """Paths (relative to the output) of the ``drifted: <path> (...)`` lines on stderr."""
        return {
            Path(line.split()[1]).relative_to(self.out).as_posix()
            for line in result.stderr.splitlines()
            if line.startswith("drifted: ")
        }

    def files(self) -> dict[str, bytes]:
        """Every file of the output, by relative path."""
        return {
            p.relative_to(self.out).as_posix(): p.read_bytes()
            for p in self.out.rglob("*")
            if p.is_file()
        }

    def check(self) -> subprocess.CompletedProcess[str]:
        """``python -m codegen --check --schema <copy> --out <dir>``, in this process."""
        args = ["--check", "--schema", str(self.schema), "--out", str(self.out)]
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            status = codegen_main(args)
        return subprocess.CompletedProcess(args, status, out.getvalue(), err.getvalue())

    def edit_schema(self, old: str, new: str) -> None:
        replace_once(self.schema, old, new)


def run_codegen(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not unique in {path.name}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A schema copy and its generated output, made once; tests work on copies of it."""
    root = tmp_path_factory.mktemp("pristine")
    workspace = Workspace(root)
    shutil.copy(DEFAULT_SCHEMA, workspace.schema)
    write(generate(workspace.schema), workspace.out)
    return root


@pytest.fixture
def workspace(pristine: Path, tmp_path: Path) -> Workspace:
    shutil.copytree(pristine, tmp_path, dirs_exist_ok=True)
    return Workspace(tmp_path)


# ------------------------------------------------------------------ up to date


def test_check_passes_on_a_copy_of_the_committed_output(tmp_path: Path) -> None:
    out = tmp_path / "_generated"
    shutil.copytree(DEFAULT_OUTPUT_DIR, out, ignore=shutil.ignore_patterns("__pycache__"))
    result = run_codegen("--check", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "up to date" in result.stdout


def test_a_copy_differs_from_the_committed_output_only_in_the_header(pristine: Path) -> None:
    for committed in sorted(DEFAULT_OUTPUT_DIR.rglob("*.py")):
        name = committed.relative_to(DEFAULT_OUTPUT_DIR)
        copy = (Workspace(pristine).out / name).read_text(encoding="utf-8")
        ours = committed.read_text(encoding="utf-8")
        assert copy.splitlines()[1:] == ours.splitlines()[1:], name
        assert "from puter.openapi.yaml" in copy.splitlines()[0]


# ----------------------------------------------------------------------- drift


def test_a_one_character_schema_change_fails_naming_the_drifted_file(workspace: Workspace) -> None:
    workspace.edit_schema("description: A piece of text.", "description: A piece of text!")
    result = workspace.check()
    assert result.returncode != 0
    assert workspace.drifted(result) == {"models/chat.py"}
    assert "make generate" in result.stderr


def test_a_schema_change_of_an_operation_drifts_the_endpoints(workspace: Workspace) -> None:
    workspace.edit_schema(
        "summary: Names of the public chat models.", "summary: Names of the chat models."
    )
    result = workspace.check()
    assert result.returncode != 0
    assert workspace.drifted(result) == {"endpoints.py"}


def test_a_hand_edit_of_a_generated_file_fails_naming_that_file(workspace: Workspace) -> None:
    replace_once(
        workspace.out / "models" / "chat.py", '"""A piece of text."""', '"""A piece of text!"""'
    )
    result = workspace.check()
    assert result.returncode != 0
    assert workspace.drifted(result) == {"models/chat.py"}


def test_an_unexpected_python_file_fails_naming_it(workspace: Workspace) -> None:
    (workspace.out / "helpers.py").write_text("X = 1\n", encoding="utf-8")
    result = workspace.check()
    assert result.returncode != 0
    assert workspace.drifted(result) == {"helpers.py"}


def test_an_unexpected_python_file_in_the_models_package_fails_naming_it(
    workspace: Workspace,
) -> None:
    (workspace.out / "models" / "extra.py").write_text("X = 1\n", encoding="utf-8")
    result = workspace.check()
    assert result.returncode != 0
    assert workspace.drifted(result) == {"models/extra.py"}


def test_check_changes_no_file(workspace: Workspace) -> None:
    workspace.edit_schema("description: A piece of text.", "description: A piece of text!")
    before = workspace.files()
    workspace.check()
    assert workspace.files() == before


# ----------------------------------------------------- drifted_files, in process


@pytest.fixture(scope="module")
def expected_files(pristine: Path) -> dict[str, str]:
    out = Workspace(pristine).out
    return {p.relative_to(out).as_posix(): p.read_text(encoding="utf-8") for p in out.rglob("*.py")}


def test_a_missing_generated_file_is_drift(
    workspace: Workspace, expected_files: dict[str, str]
) -> None:
    (workspace.out / "__init__.py").unlink()
    assert drifted_files(expected_files, workspace.out) == [workspace.out / "__init__.py"]


def test_a_missing_output_directory_drifts_every_file(
    tmp_path: Path, expected_files: dict[str, str]
) -> None:
    missing = tmp_path / "nowhere"
    assert drifted_files(expected_files, missing) == sorted(missing / n for n in expected_files)


def test_files_that_are_not_python_are_not_drift(
    workspace: Workspace, expected_files: dict[str, str]
) -> None:
    (workspace.out / "py.typed").write_text("", encoding="utf-8")
    assert drifted_files(expected_files, workspace.out) == []


def test_write_then_check_is_up_to_date(
    workspace: Workspace, expected_files: dict[str, str]
) -> None:
    replace_once(workspace.out / "endpoints.py", "No I/O happens here.", "No I/O here.")
    (workspace.out / "models" / "chat.py").unlink()
    written = write(expected_files, workspace.out)
    assert sorted(p.relative_to(workspace.out).as_posix() for p in written) == [
        "endpoints.py",
        "models/chat.py",
    ]
    assert drifted_files(expected_files, workspace.out) == []


def test_write_deletes_a_generated_file_the_schema_no_longer_makes(
    workspace: Workspace, expected_files: dict[str, str]
) -> None:
    stale = workspace.out / "models.py"  # the single models module of earlier versions
    stale.write_text("X = 1\n", encoding="utf-8")
    write(expected_files, workspace.out)
    assert not stale.exists()
    assert drifted_files(expected_files, workspace.out) == []
