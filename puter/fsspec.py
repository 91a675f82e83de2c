"""``puter://`` for fsspec: ``from puter.fsspec import PuterFileSystem``.

Needs the ``fsspec`` extra (``pip install 'puter-client[fsspec]'``). See
``docs/fsspec.md``.
"""

from puter_client.integrations.fsspec import PuterAsyncFile, PuterFile, PuterFileSystem

__all__ = ["PuterAsyncFile", "PuterFile", "PuterFileSystem"]
