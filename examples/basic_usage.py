"""Basic usage: log in, chat, and hold a multi-turn conversation.

Reads PUTER_USERNAME / PUTER_PASSWORD (and PUTER_API_BASE / PUTER_LOGIN_URL) from the
environment.
"""

from __future__ import annotations

from puter import PuterAI


def main() -> None:
    with PuterAI() as client:
        client.login()

        response = client.chat("What is artificial intelligence?")
        print(response)

        # Multi-turn conversation: the history goes along with every call.
        client.chat("I'm learning about Python programming.")
        response = client.chat("Can you give me some tips for beginners?")
        print(response)
        print(f"History length: {len(client.chat_history)}")

        client.clear_chat_history()
        print(f"History length after clear_chat_history(): {len(client.chat_history)}")


if __name__ == "__main__":
    main()
