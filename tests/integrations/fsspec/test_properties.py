"""Properties of ``puter://`` paths (pure) and of ranged reads (against the emulator):
every URL form names the path it should, and any byte range reads what slicing the
file's bytes gives."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from puter.fsspec import PuterFileSystem

names = st.text(
    st.characters(exclude_characters="/", exclude_categories=["Cs"]), min_size=1, max_size=12
).filter(lambda n: n not in (".", "..", "~") and n == n.strip())
relative_paths = st.lists(names, min_size=1, max_size=4).map("/".join)
ON_THE_EMULATOR = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
DATA = os.urandom(3000)
strip = PuterFileSystem._strip_protocol


@given(relative_paths)
def test_a_home_url_keeps_the_home_as_slash_tilde(path: str) -> None:
    assert strip(f"puter://~/{path}") == strip(f"~/{path}/") == f"/~/{path}"


@given(relative_paths)
def test_every_absolute_form_names_the_same_path(path: str) -> None:
    assert strip(f"puter:///{path}") == strip(f"puter://{path}") == strip(path) == f"/{path}"


@given(relative_paths)
def test_a_name_round_trips_through_its_url(path: str) -> None:
    fs = PuterFileSystem(token="t", api_base="http://127.0.0.1:9", skip_instance_cache=True)
    assert strip(fs.unstrip_protocol(f"/{path}")) == f"/{path}"


@ON_THE_EMULATOR
@given(relative_paths)
def test_an_instance_puts_the_home_folder_in_place_of_tilde(
    puter_fs: PuterFileSystem, path: str
) -> None:
    assert puter_fs._strip_protocol(f"puter://~/{path}") == f"/alice/{path}"


@pytest.fixture
def sample(puter_fs: PuterFileSystem) -> PuterFileSystem:
    puter_fs.pipe("~/sample.bin", DATA)
    return puter_fs


bounds = st.none() | st.integers(-len(DATA) - 10, len(DATA) + 10)


@ON_THE_EMULATOR
@given(bounds, bounds)
def test_cat_file_reads_what_slicing_gives(
    sample: PuterFileSystem, start: int | None, end: int | None
) -> None:
    assert sample.cat_file("~/sample.bin", start=start, end=end) == DATA[start:end]


@ON_THE_EMULATOR
@given(st.lists(st.tuples(st.integers(0, len(DATA) + 10), st.integers(0, 700)), max_size=6))
def test_seeks_and_reads_read_what_slicing_gives(
    sample: PuterFileSystem, reads: list[tuple[int, int]]
) -> None:
    with sample.open("~/sample.bin", block_size=256) as f:
        for offset, length in reads:
            f.seek(offset)
            assert f.read(length) == DATA[offset : offset + length]
