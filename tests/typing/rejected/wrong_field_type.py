"""A string where the schema says integer."""

from puter_client._generated import models

models.ChatCompleteArgs(model="gpt-5", messages=[], max_tokens="5")  # E: arg-type
