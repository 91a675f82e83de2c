"""Tests of the ``puter`` command line, run as the installed command (see conftest)."""
