"""A keyword the model does not have (the wire key is not the attribute name either)."""

from puter_client._generated import models

models.LoginRequest(user="alice", password="pw")  # E: call-arg
models.ModelDetails(id="gpt-5", puterId="openai:gpt-5")  # E: call-arg
