"""A role that is not one of the four literal roles."""

from puter_client._generated import models

models.ChatMessage(role="robot", content="Hi")  # E: arg-type
