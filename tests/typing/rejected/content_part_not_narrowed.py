"""A content part is one of several classes: ``text`` exists only on ``TextPart``."""

from puter_client._generated import models


def text_of(part: models.ContentPart) -> str:
    return part.text  # E: union-attr
