"""Puter's cloud file system for fsspec (``puter://``): pandas, pyarrow, Dask, UPath.

Install with ``pip install 'puter-client[fsspec]'``; the ``puter`` protocol is
registered through the ``fsspec.specs`` entry point, so ``fsspec.filesystem("puter")``
and ``pandas.read_csv("puter://~/data.csv")`` need no import of this package.
"""

from __future__ import annotations

try:
    import fsspec  # noqa: F401
except ImportError as exc:  # pragma: no cover - depends on the installed extras
    raise ImportError("puter.fsspec needs fsspec: pip install 'puter-client[fsspec]'") from exc

from puter_client.integrations.fsspec.file import PuterAsyncFile, PuterFile
from puter_client.integrations.fsspec.filesystem import PuterFileSystem

__all__ = ["PuterAsyncFile", "PuterFile", "PuterFileSystem"]
