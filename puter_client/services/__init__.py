"""One package per service of Puter, each holding its flows, input rules and result types.

A service imports ``puter_client.core``, ``puter_client._generated`` and only the
services named in its package's ``BUILDS_ON`` (checked by ``tests/test_layering.py``).
"""
