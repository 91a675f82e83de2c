"""Checking ``is None`` alone leaves ``UNSET``; checking ``is UNSET`` alone leaves ``None``."""

from puter_client._generated import models
from puter_client.core._unset import UNSET


def refusal(message: models.ResultMessage) -> str:
    if message.refusal is None:
        return ""
    return message.refusal  # E: return-value


def stop_reason(message: models.ResultMessage) -> str:
    if message.stop_reason is UNSET:
        return ""
    return message.stop_reason  # E: return-value
