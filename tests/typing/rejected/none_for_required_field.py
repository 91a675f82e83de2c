"""``None`` where a required field needs a value."""

from puter_client._generated import models

models.TextPart(text=None)  # E: arg-type
