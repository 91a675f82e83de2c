"""Configuration: the global ``config`` object and per-client overrides."""

from __future__ import annotations

from puter import PuterAI, PuterConfig, config


def main() -> None:
    print(f"API Base: {config.api_base}")
    print(f"Timeout: {config.timeout}")
    print(f"Max Retries: {config.max_retries}")

    # Method 1: global configuration, for every client made afterwards.
    config.update(timeout=60, max_retries=5, rate_limit_requests=20)
    client = PuterAI()
    print(f"Client timeout (from config): {client.config.timeout}")

    # Method 2: client-specific configuration; the global config stays as it is.
    custom = PuterAI(timeout=120, max_retries=10, rate_limit_requests=100)
    print(f"Custom client timeout: {custom.config.timeout}, global: {config.timeout}")

    custom_config = PuterConfig()
    custom_config.update(timeout=120)
    print(f"Custom PuterConfig timeout: {custom_config.timeout}")

    try:
        PuterAI(timeout=-1)
    except ValueError as exc:
        print(f"Invalid value refused: {exc}")
    try:
        PuterAI(tiemout=5)  # type: ignore[call-arg]
    except TypeError as exc:
        print(f"Unknown option refused: {exc}")
    client.close()
    custom.close()


if __name__ == "__main__":
    main()
