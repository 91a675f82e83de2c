"""``client.batch``: many chat completions, bounded in flight, with a resumable JSONL journal."""

BUILDS_ON: tuple[str, ...] = ("chat",)
