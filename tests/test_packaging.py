"""The distribution a user installs: its name, licence, description and links.

Read from the installed metadata (``make venv`` installs the project), which the same
build backend writes into the wheel.
"""

from __future__ import annotations

import importlib.metadata
from pathlib import Path

import pytest

from puter_client.emulator._extra import INSTALL_HINT

ROOT = Path(__file__).resolve().parents[1]
DISTRIBUTION = "puter-client"


@pytest.fixture(scope="module")
def metadata() -> importlib.metadata.PackageMetadata:
    return importlib.metadata.metadata(DISTRIBUTION)


def test_the_distribution_is_not_the_other_projects_name(
    metadata: importlib.metadata.PackageMetadata,
) -> None:
    assert metadata["Name"] == DISTRIBUTION != "puter-python-sdk"


def test_the_distribution_installs_the_puter_import_name() -> None:
    import puter

    assert Path(puter.__file__).parent == ROOT / "puter"
    assert importlib.metadata.version(DISTRIBUTION) == puter.__version__


def test_the_licence_file_is_mit_and_part_of_the_distribution(
    metadata: importlib.metadata.PackageMetadata,
) -> None:
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License\n")
    assert metadata["License-Expression"] == "MIT"
    assert metadata.get_all("License-File") == ["LICENSE"]
    files = importlib.metadata.distribution(DISTRIBUTION).files or []
    assert any(f.name == "LICENSE" and "licenses" in f.parts for f in files)


@pytest.mark.parametrize(
    "service",
    [
        "chat",
        "key-value store",
        "file system",
        "images",
        "speech",
        "OCR",
        "transcription",
        "video",
        "account",
        "batch",
        "emulator",
    ],
)
def test_the_description_names_every_service(
    metadata: importlib.metadata.PackageMetadata, service: str
) -> None:
    assert service in metadata["Summary"]


def test_the_project_has_links_and_classifiers(
    metadata: importlib.metadata.PackageMetadata,
) -> None:
    assert metadata.get_all("Project-URL")
    classifiers = metadata.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers
    assert any(c.startswith("Development Status ::") for c in classifiers)


def test_the_changelog_has_an_unreleased_section() -> None:
    assert "\n## Unreleased\n" in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")


def test_install_hints_name_this_distribution() -> None:
    assert f"pip install '{DISTRIBUTION}[emulator]'" in INSTALL_HINT


def test_the_readme_says_how_it_relates_to_puter_python_sdk() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install puter-client" in readme
    assert "pip install puter-python-sdk" not in readme.replace(
        "`pip install puter-python-sdk` installs another", ""
    )
    assert "pip uninstall puter-python-sdk" in readme
