"""The chat stub needs its own call model, the base URL and a token, by keyword."""

import httpx

from puter_client._generated import endpoints, models

call = models.ChatCompleteCall(
    driver="ai-chat", args=models.ChatCompleteArgs(model="gpt-5", messages=[])
)
endpoints.build_chat_complete(call, base_url="https://api.puter.com")  # E: call-arg
endpoints.build_chat_complete(call, "https://api.puter.com", "tok")  # E: call-arg
endpoints.build_chat_complete(
    models.ChatModelsCall(driver="ai-chat", args=models.ChatModelsArgs()),  # E: arg-type
    base_url="https://api.puter.com",
    token="tok",
)
endpoints.build_list_models(base_url="https://api.puter.com", token="tok")  # E: call-arg


def reply_text(response: httpx.Response) -> str:
    return endpoints.parse_chat_complete(response).result.message.content  # E: return-value
