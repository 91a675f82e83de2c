"""pandas, pyarrow and Dask over ``puter://``: Puter's cloud file system through fsspec.

Needs ``pip install 'puter-client[fsspec]' pandas pyarrow 'dask[dataframe]'``. Reads
PUTER_USERNAME / PUTER_PASSWORD (and PUTER_API_BASE / PUTER_LOGIN_URL) from the
environment, so no ``storage_options`` are passed; give them
(``storage_options={"username": ..., "password": ...}``) to use other credentials.
Everything lives under ~/sdk-example-pandas, removed at the end.
"""

from __future__ import annotations

import dask.dataframe as dd
import fsspec
import pandas as pd

FOLDER = "puter://~/sdk-example-pandas"

SALES = pd.DataFrame(
    {
        "region": ["north", "north", "south", "south", "east", "east"],
        "month": ["2026-01", "2026-02", "2026-01", "2026-02", "2026-01", "2026-02"],
        "amount": [120.0, 135.5, 98.25, 101.0, 143.0, 150.75],
    }
)


def csv_files() -> None:
    """One CSV file per region, written and read back by pandas."""
    for region, rows in SALES.groupby("region"):
        rows.to_csv(f"{FOLDER}/csv/{region}.csv", index=False)
    north = pd.read_csv(f"{FOLDER}/csv/north.csv")
    print("north.csv read back:", north.to_dict("list"))


def parquet_file() -> None:
    """A Parquet file: pyarrow reads its footer and columns with ranged reads."""
    SALES.to_parquet(f"{FOLDER}/sales.parquet", index=False)
    back = pd.read_parquet(f"{FOLDER}/sales.parquet", columns=["region", "amount"])
    print("parquet columns read back:", list(back.columns), "rows:", len(back))
    print("same amounts:", back["amount"].equals(SALES["amount"]))


def file_system() -> None:
    """The file system itself: listings with fsspec's info keys, and a ranged read."""
    fs = fsspec.filesystem("puter")  # the same instance pandas used (same options)
    for info in fs.ls(f"{FOLDER}/csv"):
        print(f"{info['name'].rsplit('/', 1)[1]}: {info['type']}, {info['size']} bytes")
    with fs.open(f"{FOLDER}/csv/north.csv", "rb") as f:
        f.seek(len("region,month,amount\n"))
        print("bytes after the header:", f.read(13))  # one Range request
    print("csv files:", [name.rsplit("/", 1)[1] for name in fs.glob(f"{FOLDER}/csv/*.csv")])


def dask_glob() -> None:
    """Dask reads the glob of CSV files, one partition per file."""
    sales = dd.read_csv(f"{FOLDER}/csv/*.csv")
    totals = sales.groupby("region")["amount"].sum().compute().sort_index()
    print("partitions:", sales.npartitions)
    print("totals:", totals.to_dict())


def main() -> None:
    fs = fsspec.filesystem("puter")
    try:
        csv_files()
        parquet_file()
        file_system()
        dask_glob()
    finally:
        if fs.exists(FOLDER):
            fs.rm(FOLDER, recursive=True)
    print("left after cleanup:", fs.exists(FOLDER))


if __name__ == "__main__":
    main()
