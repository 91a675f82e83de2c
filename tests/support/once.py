"""A value computed once for a whole test run, whatever the number of xdist workers.

A module or session fixture runs once per worker; for an expensive one (running every
example in its own interpreter), each worker that gets one of its tests would run it
again. `once_per_run` keeps the JSON of the value in the run's temporary folder, which
every worker of the run shares, behind a file lock: the first worker computes it, the
others read it.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Callable
from typing import Any

import pytest

__all__ = ["once_per_run"]


def once_per_run(
    tmp_path_factory: pytest.TempPathFactory, name: str, compute: Callable[[], Any]
) -> Any:
    """``compute()``'s value (JSON-able), computed by one worker of this run only."""
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    stored = root / f"once-{name}.json"
    with (root / f"once-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if stored.exists():
            return json.loads(stored.read_text(encoding="utf-8"))
        value = compute()
        stored.write_text(json.dumps(value), encoding="utf-8")
        return value
