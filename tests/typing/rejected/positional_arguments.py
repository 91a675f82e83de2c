"""Models are keyword-only: positional arguments are refused."""

from puter_client._generated import models

models.ImageUrl("https://example.com/cat.png")  # E: call-arg
