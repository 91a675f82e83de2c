"""Chat arguments without the required ``messages``."""

from puter_client._generated import models

models.ChatCompleteArgs(model="gpt-5")  # E: call-arg
