"""``make demo``: start the local Puter emulator, run every example against it, stop it.

Each example runs in its own interpreter with ``PUTER_API_BASE``, ``PUTER_LOGIN_URL``,
``PUTER_USERNAME`` and ``PUTER_PASSWORD`` pointing at the emulator, exactly as a user
would run it against puter.com with their own values.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

from puter_client.emulator import running_emulator

EXAMPLES = (
    "basic_usage",
    "model_switching",
    "async_operations",
    "vision",
    "streaming",
    "tool_calls",
    "configuration",
    "error_handling",
    "rate_limiting",
    "storage",
    "media",
    "batch",
    "pandas_puter",
    "langchain_chain",
    "hosting",
    "workers",
)
DEMO_USER = ("alice", "alice-password")


def main() -> int:
    with running_emulator() as emulator:
        print(f"Puter emulator: api_base={emulator.api_base} login_url={emulator.login_url}")
        env = {
            **os.environ,
            **emulator.env(),
            "PUTER_USERNAME": DEMO_USER[0],
            "PUTER_PASSWORD": DEMO_USER[1],
        }
        for name in EXAMPLES:
            print(f"\n=== examples/{name}.py " + "=" * (60 - len(name)), flush=True)
            started = time.monotonic()
            result = subprocess.run(
                [sys.executable, "-m", f"examples.{name}"], env=env, timeout=120, check=False
            )
            if result.returncode != 0:
                print(f"examples/{name}.py failed (exit code {result.returncode})")
                return 1
            print(f"--- ok in {time.monotonic() - started:.1f} s", flush=True)
    print("\nAll examples ran against the emulator.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
