"""A content part whose ``type`` tag is not its own."""

from puter_client._generated import models

models.TextPart(type="image_url", text="Hi")  # E: arg-type
