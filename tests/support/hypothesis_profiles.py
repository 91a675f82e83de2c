"""Hypothesis profiles: ``ci`` (``make test``, the default) and ``nightly`` (``make
test-long``, or ``HYPOTHESIS_PROFILE=nightly``), which tries ten times as many examples.

A test that names its own ``max_examples`` writes ``max_examples=examples(n)``, so that
the nightly profile scales it too. Neither profile has a deadline: the suite runs on
two shared cores, where a slow example is load, not a bug.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

__all__ = ["PER_COMPONENT", "PROFILE", "examples"]

SCALE = {"ci": 1, "nightly": 10}

settings.register_profile(
    "ci",
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "nightly",
    deadline=None,
    print_blob=True,
    max_examples=1000,
    suppress_health_check=[HealthCheck.too_slow],
)

PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
if PROFILE not in SCALE:
    raise RuntimeError(f"HYPOTHESIS_PROFILE must be one of {sorted(SCALE)}, not {PROFILE!r}")
settings.load_profile(PROFILE)


def examples(count: int) -> int:
    """``count`` examples in the ``ci`` profile, ten times as many in ``nightly``."""
    return count * SCALE[PROFILE]


#: Examples of each property that runs once per schema component (about 200 components and
#: seven such properties, in tests/generated and tests/core/test_serialization_roundtrip.py):
#: every component meets every property on every run, each run with fresh random data, and
#: the nightly profile tries ten times as many.
PER_COMPONENT = examples(5)
