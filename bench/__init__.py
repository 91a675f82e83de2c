"""Benchmarks of the SDK against raw httpx, measured side by side: ``python -m bench``.

See ``bench/RESULTS.md`` for what is measured and the latest numbers.
"""
