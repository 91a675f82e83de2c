"""An optional and nullable field may be ``UNSET`` or ``None``: use it only after narrowing."""

from puter_client._generated import models


def shout(result: models.ChatCompleteResult) -> str:
    return result.finish_reason.upper()  # E: union-attr
