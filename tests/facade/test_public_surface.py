"""Point 1: the public names of the API reference import from ``puter`` (and ``puter_client``)."""

from __future__ import annotations

import importlib

import pytest


def test_the_client_and_configuration_import_from_puter() -> None:
    from puter import PuterAI, PuterConfig, config

    assert isinstance(PuterAI, type)
    assert isinstance(config, PuterConfig)


def test_the_exceptions_import_from_puter_exceptions() -> None:
    from puter.exceptions import PuterAPIError, PuterAuthError, PuterError

    assert issubclass(PuterAuthError, PuterError)
    assert issubclass(PuterAPIError, PuterError)
    assert not issubclass(PuterAuthError, PuterAPIError)
    assert not issubclass(PuterAPIError, PuterAuthError)


@pytest.mark.parametrize(
    "name", ["PuterAI", "PuterConfig", "config", "PuterError", "PuterAuthError", "PuterAPIError"]
)
def test_puter_client_exports_the_same_objects_as_puter(name: str) -> None:
    puter_client = importlib.import_module("puter_client")
    public = importlib.import_module("puter.exceptions" if name.endswith("Error") else "puter")

    assert getattr(puter_client, name) is getattr(public, name)


def test_config_is_one_puter_config_instance_in_both_packages() -> None:
    import puter
    import puter_client

    assert isinstance(puter.config, puter.PuterConfig)
    assert puter_client.config is puter.config


def test_the_version_is_the_documented_one() -> None:
    import puter

    assert puter.__version__ == "0.3.0"
