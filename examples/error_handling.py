"""Error handling: typed exceptions for auth and API failures."""

from __future__ import annotations

import os

from puter import PuterAI
from puter.exceptions import PuterAPIError, PuterAuthError


def main() -> None:
    try:
        client = PuterAI(username=os.environ.get("PUTER_USERNAME"), password="wrong-password")
        client.login()
    except PuterAuthError as e:
        print(f"Authentication failed: {e}")

    with PuterAI() as client:
        client.login()
        try:
            client.chat("Hello!", model="no-such-model")
        except PuterAPIError as e:
            print(f"API call failed: {e}")
            print(f"  status_code={e.status_code} code={e.code}")
        print(f"History is untouched after the failure: {len(client.chat_history)} messages")

        try:
            client.chat()
        except ValueError as e:
            print(f"Nothing to send: {e}")

        response = client.chat("Hello!")
        print(response)


if __name__ == "__main__":
    main()
