"""Rate limiting: requests are throttled on the client before they are sent."""

from __future__ import annotations

import time

from puter import PuterAI


def main() -> None:
    # 5 requests per 2 seconds (the login counts as one request too).
    with PuterAI(rate_limit_requests=5, rate_limit_period=2) as client:
        client.login()
        started = time.monotonic()
        for i in range(8):
            response = client.chat(f"Question {i + 1}")
            elapsed = time.monotonic() - started
            print(f"[{elapsed:4.1f}s] Response {i + 1}: {response[:50]}...")


if __name__ == "__main__":
    main()
