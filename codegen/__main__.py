"""Command line of the generator: ``python -m codegen [--check] [--schema PATH] [--out DIR]``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from codegen.pipeline import DEFAULT_OUTPUT_DIR, DEFAULT_SCHEMA, drifted_files, generate, write


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m codegen", description=__doc__)
    parser.add_argument("--check", action="store_true", help="fail if generated files drifted")
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUTPUT_DIR)
    args = parser.parse_args(argv)
    files = generate(args.schema)
    if args.check:
        drifted = drifted_files(files, args.out)
        for path in drifted:
            print(f"drifted: {path} (run `make generate`)", file=sys.stderr)
        if drifted:
            return 1
        print(f"generated code is up to date ({len(files)} files)")
        return 0
    for path in write(files, args.out):
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
