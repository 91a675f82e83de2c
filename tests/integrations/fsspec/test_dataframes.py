"""pandas, pyarrow and Dask over ``puter://`` against the emulator: a CSV and a Parquet
round trip, a pyarrow dataset, and Dask reading a glob of CSV files with a local
scheduler of several processes (each worker gets the file system through its pickled
``storage_options``, which name the emulator on loopback).

pandas, pyarrow and Dask are imported by the tests that use them, not when the suite is
collected: each xdist worker collects every module, and they take a second to import."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

import pytest

from puter.fsspec import PuterFileSystem
from puter_client.emulator import PuterEmulator

if TYPE_CHECKING:
    import pandas as pd


def frame(rows: int = 50, start: int = 0) -> pd.DataFrame:
    import pandas as pd

    return pd.DataFrame(
        {
            "id": range(start, start + rows),
            "name": [f"row {i}" for i in range(start, start + rows)],
            "score": [i / 4 for i in range(start, start + rows)],
        }
    )


def test_pandas_round_trips_a_csv(v2_options: dict[str, Any]) -> None:
    import pandas as pd

    df = frame()
    df.to_csv("puter://~/frames/a.csv", index=False, storage_options=v2_options)
    back = pd.read_csv("puter://~/frames/a.csv", storage_options=v2_options)
    pd.testing.assert_frame_equal(back, df)


def test_pandas_round_trips_a_parquet_file(v2_options: dict[str, Any]) -> None:
    import pandas as pd

    df = frame()
    df.to_parquet("puter://~/frames/a.parquet", index=False, storage_options=v2_options)
    back = pd.read_parquet("puter://~/frames/a.parquet", storage_options=v2_options)
    pd.testing.assert_frame_equal(back, df)


def test_a_parquet_file_is_read_with_range_requests(
    v2_options: dict[str, Any], v2_emu: PuterEmulator
) -> None:
    import pandas as pd

    frame().to_parquet("puter://~/frames/a.parquet", index=False, storage_options=v2_options)
    pd.read_parquet("puter://~/frames/a.parquet", storage_options=v2_options)
    assert any(r.headers.get("range") for r in v2_emu.requests_to("/read"))


def test_a_pyarrow_dataset_reads_parquet_files_from_puter(
    v2_fs: PuterFileSystem, v2_options: dict[str, Any]
) -> None:
    import pandas as pd
    import pyarrow.dataset as pads

    for part in range(3):
        frame(10, start=10 * part).to_parquet(
            f"puter://~/ds/part-{part}.parquet", index=False, storage_options=v2_options
        )
    table = pads.dataset("/alice/ds", filesystem=v2_fs, format="parquet").to_table()
    back = table.to_pandas().sort_values("id", ignore_index=True)
    pd.testing.assert_frame_equal(back, frame(30))


@pytest.fixture
def csv_glob(v2_options: dict[str, Any]) -> str:
    for part in range(4):
        frame(25, start=25 * part).to_csv(
            f"puter://~/parts/part-{part}.csv", index=False, storage_options=v2_options
        )
    frame(5).to_csv("puter://~/parts/not-a-part.txt", index=False, storage_options=v2_options)
    return "puter://~/parts/*.csv"


def test_dask_reads_a_glob_of_csv_files_in_several_processes(
    csv_glob: str, v2_options: dict[str, Any], v2_emu: PuterEmulator
) -> None:
    import dask
    import dask.dataframe as dd
    import pandas as pd

    ddf = dd.read_csv(csv_glob, storage_options=v2_options)
    assert ddf.npartitions == 4
    tagged = ddf.map_partitions(lambda df: df.assign(pid=os.getpid()))
    logins = len(v2_emu.requests_to("/login"))
    with dask.config.set(scheduler="processes", num_workers=2):
        result = tagged.compute()
    assert set(result["pid"]).isdisjoint({os.getpid()})  # read by the worker processes
    assert len(v2_emu.requests_to("/login")) == logins  # they reused the session
    back = result.drop(columns="pid").sort_values("id", ignore_index=True)
    pd.testing.assert_frame_equal(back, frame(100), check_dtype=False)
