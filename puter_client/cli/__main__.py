"""``python -m puter_client.cli``: the ``puter`` command."""

import sys

from puter_client.cli.main import main

sys.exit(main())
