"""The generated endpoint stubs: ``build_<op>`` requests and ``parse_<op>`` results and errors.

Every stub is pure: requests are inspected as built, responses are constructed with
``httpx.Response(status, content=..., request=...)``. No server is needed.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from codegen.schema import read_yaml
from puter_client._generated import endpoints, models
from puter_client.core._unset import UNSET
from puter_client.core.exceptions import (
    PuterAPIError,
    PuterAuthError,
    PuterBadRequestError,
    PuterError,
    PuterNotFoundError,
    PuterPaymentRequiredError,
    PuterPermissionError,
    PuterRateLimitError,
    PuterResponseError,
    PuterServerError,
)
from puter_client.core.http.operation import Operation, RetryClass

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schema" / "puter.openapi.yaml"
WEB = "https://puter.com"
API = "https://api.puter.com"
TOKEN = "tok-abc"


def body_of(request: httpx.Request) -> Any:
    return json.loads(request.content)


def chat_call(**args: Any) -> models.ChatCompleteCall:
    return models.ChatCompleteCall(
        driver="ai-chat",
        args=models.ChatCompleteArgs(
            model="gpt-5", messages=[models.ChatMessage(role="user", content="Hi")], **args
        ),
    )


def drivers_call_response(
    status: int, body: Any = None, *, content: bytes | None = None
) -> httpx.Response:
    """A read response to ``POST /drivers/call``."""
    request = endpoints.build_chat_complete(chat_call(), base_url=API, token=TOKEN)
    raw = content if content is not None else json.dumps(body).encode()
    return httpx.Response(status, content=raw, request=request)


def web_response(status: int, body: Any) -> httpx.Response:
    request = httpx.Request("POST", f"{WEB}/login")
    return httpx.Response(status, json=body, request=request)


def api_get_response(path: str, status: int, body: Any) -> httpx.Response:
    return httpx.Response(status, json=body, request=httpx.Request("GET", API + path))


SUCCESS = {
    "success": True,
    "service": {"name": "ai-chat"},
    "result": {
        "message": {"role": "assistant", "content": "Hello!", "refusal": None},
        "usage": {"prompt_tokens": 3, "completion_tokens": 2},
        "finish_reason": "stop",
        "via_ai_chat_service": True,
    },
    "metadata": {"service_used": "openai-completion"},
}


# ------------------------------------------------------- stubs match the schema


def schema_operations() -> Iterator[tuple[str, str, str, dict[str, Any], dict[str, Any] | None]]:
    """(name, HTTP method, path, operation, driver method) of every operation in the schema."""
    schema = read_yaml(SCHEMA_PATH)
    for path, item in schema["paths"].items():
        for method, op in item.items():
            methods = op.get("x-puter-driver-methods")
            if methods:
                for m in methods:
                    yield m["name"], method.upper(), path, op, m
            else:
                yield op["operationId"], method.upper(), path, op, None


OPERATIONS = list(schema_operations())
OPERATION_NAMES = [name for name, *_ in OPERATIONS]


@pytest.mark.parametrize(
    ("name", "method", "path", "op", "driver_method"), OPERATIONS, ids=OPERATION_NAMES
)
def test_every_schema_operation_has_an_operation_constant_that_matches_it(
    name: str, method: str, path: str, op: dict[str, Any], driver_method: dict[str, Any] | None
) -> None:
    where = driver_method or op  # a driver method's own extensions win over the operation's
    assert getattr(endpoints, name.upper()) == Operation(
        name=name,
        method=method,
        path=path,
        host=op["x-puter-host"],
        auth=op["x-puter-auth"],
        driver_method=driver_method["method"] if driver_method else None,
        retry=RetryClass(where.get("x-puter-retry", "idempotent")),
        rate_limit=where.get("x-puter-rate-limit", op.get("x-puter-rate-limit", "ai")),
    )


@pytest.mark.parametrize("name", OPERATION_NAMES)
def test_every_schema_operation_has_a_builder_and_a_parser(name: str) -> None:
    assert callable(getattr(endpoints, f"build_{name}"))
    assert callable(getattr(endpoints, f"parse_{name}"))


@pytest.mark.parametrize(
    ("name", "method", "path", "op", "driver_method"), OPERATIONS, ids=OPERATION_NAMES
)
def test_only_auth_operations_take_a_token(
    name: str, method: str, path: str, op: dict[str, Any], driver_method: str | None
) -> None:
    parameters = inspect.signature(getattr(endpoints, f"build_{name}")).parameters
    assert ("token" in parameters) is op["x-puter-auth"]


# ------------------------------------------------------------------- requests


def test_login_posts_the_credentials_as_json_to_the_web_origin() -> None:
    request = endpoints.build_login(
        models.LoginRequest(username="alice", password="pw"), base_url=WEB
    )
    assert (request.method, str(request.url)) == ("POST", "https://puter.com/login")
    assert body_of(request) == {"username": "alice", "password": "pw"}
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Accept"] == "application/json"
    assert "Authorization" not in request.headers


def test_login_otp_posts_token_and_code() -> None:
    request = endpoints.build_login_otp(
        models.OtpRequest(token="otp-jwt", code="123456"), base_url=WEB
    )
    assert (request.method, str(request.url)) == ("POST", "https://puter.com/login/otp")
    assert body_of(request) == {"token": "otp-jwt", "code": "123456"}


def test_whoami_gets_with_the_bearer_token_and_no_body() -> None:
    request = endpoints.build_whoami(base_url=API, token=TOKEN)
    assert (request.method, str(request.url)) == ("GET", "https://api.puter.com/whoami")
    assert request.headers["Authorization"] == "Bearer tok-abc"
    assert request.content == b""
    assert "Content-Type" not in request.headers


def test_list_models_is_public() -> None:
    request = endpoints.build_list_models(base_url=API)
    assert (request.method, str(request.url)) == (
        "GET",
        "https://api.puter.com/puterai/chat/models",
    )
    assert "Authorization" not in request.headers


def test_list_model_details_is_public() -> None:
    request = endpoints.build_list_model_details(base_url=API)
    assert str(request.url) == "https://api.puter.com/puterai/chat/models/details"
    assert "Authorization" not in request.headers


def test_chat_complete_posts_the_driver_call_with_the_bearer_token() -> None:
    request = endpoints.build_chat_complete(chat_call(max_tokens=5), base_url=API, token=TOKEN)
    assert (request.method, str(request.url)) == ("POST", "https://api.puter.com/drivers/call")
    assert request.headers["Authorization"] == "Bearer tok-abc"
    assert body_of(request) == {
        "interface": "puter-chat-completion",
        "driver": "ai-chat",
        "method": "complete",
        "args": {
            "model": "gpt-5",
            "messages": [{"role": "user", "content": "Hi"}],
            "max_tokens": 5,
        },
    }


def test_chat_models_posts_empty_args() -> None:
    call = models.ChatModelsCall(driver="ai-chat", args=models.ChatModelsArgs())
    request = endpoints.build_chat_models(call, base_url=API, token=TOKEN)
    assert str(request.url) == "https://api.puter.com/drivers/call"
    assert body_of(request) == {
        "interface": "puter-chat-completion",
        "driver": "ai-chat",
        "method": "models",
        "args": {},
    }


def test_a_builder_passes_extra_headers_through() -> None:
    request = endpoints.build_list_models(base_url=API, headers={"X-Request-Id": "r1"})
    assert request.headers["X-Request-Id"] == "r1"


def test_a_chat_request_with_parts_and_null_content_is_sent_as_given() -> None:
    messages = [
        models.ChatMessage(
            role="user",
            content=[
                models.TextPart(text="What is this?"),
                models.ImageUrlPart(image_url=models.ImageUrl(url="https://x/cat.png")),
            ],
        ),
        models.ChatMessage(role="assistant", content=None),
    ]
    call = models.ChatCompleteCall(
        driver="ai-chat", args=models.ChatCompleteArgs(model="m", messages=messages)
    )
    assert body_of(endpoints.build_chat_complete(call, base_url=API, token=TOKEN))["args"][
        "messages"
    ] == [
        {
            "role": "user",
            "content": [
                {"type": "text", "text": "What is this?"},
                {"type": "image_url", "image_url": {"url": "https://x/cat.png"}},
            ],
        },
        {"role": "assistant", "content": None},
    ]


# ---------------------------------------------------------------- successes


@pytest.mark.parametrize("status", [200, 202])
def test_login_accepts_200_and_202(status: int) -> None:
    response = web_response(status, {"proceed": True, "next_step": "otp", "otp_jwt_token": "j"})
    assert endpoints.parse_login(response) == models.LoginResponse(
        proceed=True, next_step="otp", otp_jwt_token="j"
    )


def test_whoami_keeps_the_keys_it_does_not_declare() -> None:
    response = api_get_response(
        "/whoami", 200, {"username": "alice", "email": None, "taskbar_items": []}
    )
    who = endpoints.parse_whoami(response)
    assert (who.username, who.email) == ("alice", None)
    assert who.additional_properties == {"taskbar_items": []}


def test_list_models_reads_the_names() -> None:
    response = api_get_response("/puterai/chat/models", 200, {"models": ["gpt-5"]})
    assert endpoints.parse_list_models(response).models == ["gpt-5"]


def test_list_model_details_reads_renamed_keys() -> None:
    body = {"models": [{"id": "gpt-5", "puterId": "openai:gpt-5", "context": 400000}]}
    response = api_get_response("/puterai/chat/models/details", 200, body)
    (details,) = endpoints.parse_list_model_details(response).models
    assert (details.puter_id, details.context) == ("openai:gpt-5", 400000)


def test_chat_complete_reads_a_success_envelope() -> None:
    parsed = endpoints.parse_chat_complete(drivers_call_response(200, SUCCESS))
    assert parsed.result.message.content == "Hello!"
    assert parsed.result.message.refusal is None
    assert parsed.result.message.tool_calls is UNSET
    assert parsed.result.usage == {"prompt_tokens": 3, "completion_tokens": 2}
    assert parsed.metadata == {"service_used": "openai-completion"}


def test_chat_models_reads_the_catalog() -> None:
    body = {"success": True, "result": [{"id": "fake", "provider": "test"}]}
    parsed = endpoints.parse_chat_models(drivers_call_response(200, body))
    assert parsed.result == [models.ModelDetails(id="fake", provider="test")]


# ------------------------------------------------------------------- errors

STATUS_CLASSES: list[tuple[int, type[PuterError]]] = [
    (400, PuterBadRequestError),
    (401, PuterAuthError),
    (402, PuterPaymentRequiredError),
    (403, PuterPermissionError),
    (404, PuterNotFoundError),
    (429, PuterRateLimitError),
    (500, PuterServerError),
    (503, PuterServerError),
]


@pytest.mark.parametrize(("status", "error_class"), STATUS_CLASSES)
def test_chat_complete_raises_the_error_class_of_the_status(
    status: int, error_class: type[PuterError]
) -> None:
    body = {"message": "it failed", "code": "some_code"}
    with pytest.raises(error_class) as caught:
        endpoints.parse_chat_complete(drivers_call_response(status, body))
    error: Any = caught.value  # PuterAuthError and PuterAPIError share these attributes
    assert (type(error), error.status_code, error.code, error.message) == (
        error_class,
        status,
        "some_code",
        "it failed",
    )


def test_a_chat_error_names_the_request_that_failed() -> None:
    body = {"message": "no credits left", "code": "insufficient_funds"}
    with pytest.raises(PuterPaymentRequiredError) as caught:
        endpoints.parse_chat_complete(drivers_call_response(402, body))
    assert caught.value.body == body
    assert (caught.value.method, caught.value.url) == ("POST", "https://api.puter.com/drivers/call")


def test_login_refused_with_401_is_an_auth_error() -> None:
    with pytest.raises(PuterAuthError) as caught:
        endpoints.parse_login(
            web_response(401, {"message": "Incorrect password.", "code": "bad_login"})
        )
    assert (caught.value.status_code, caught.value.message) == (401, "Incorrect password.")


def test_a_legacy_failure_with_200_raises_the_error_of_its_status() -> None:
    body = {
        "success": False,
        "error": {"code": "insufficient_funds", "message": "pay up", "status": 402},
    }
    with pytest.raises(PuterPaymentRequiredError) as caught:
        endpoints.parse_chat_complete(drivers_call_response(200, body))
    assert (caught.value.status_code, caught.value.code, caught.value.message) == (
        402,
        "insufficient_funds",
        "pay up",
    )
    assert caught.value.body == body


def test_a_legacy_failure_with_a_text_error_is_a_bad_request() -> None:
    body = {"success": False, "error": "Model not found: gpt-99"}
    with pytest.raises(PuterBadRequestError) as caught:
        endpoints.parse_chat_models(drivers_call_response(200, body))
    assert caught.value.message == "Model not found: gpt-99"


def test_an_html_page_with_200_is_a_response_error() -> None:
    with pytest.raises(PuterResponseError, match="not valid JSON") as caught:
        endpoints.parse_chat_complete(
            drivers_call_response(200, content=b"<html>Maintenance</html>")
        )
    assert caught.value.status_code == 200
    assert caught.value.url == "https://api.puter.com/drivers/call"


def test_an_html_page_with_502_is_a_server_error() -> None:
    with pytest.raises(PuterServerError) as caught:
        endpoints.parse_chat_complete(
            drivers_call_response(502, content=b"<html>Bad Gateway</html>")
        )
    assert caught.value.status_code == 502
    assert caught.value.body == "<html>Bad Gateway</html>"


def test_truncated_json_is_a_response_error() -> None:
    with pytest.raises(PuterResponseError, match="not valid JSON"):
        endpoints.parse_chat_complete(
            drivers_call_response(200, content=b'{"success": true, "resu')
        )


def test_a_success_of_the_wrong_shape_is_a_response_error_naming_the_path() -> None:
    body = {
        "success": True,
        "result": {"message": {"role": "assistant", "content": [{"type": "text", "text": 1}]}},
    }
    with pytest.raises(PuterResponseError) as caught:
        endpoints.parse_chat_complete(drivers_call_response(200, body))
    assert "$.result.message.content[0].text" in caught.value.message
    assert isinstance(caught.value, PuterAPIError)


def test_a_model_list_of_the_wrong_shape_names_the_path() -> None:
    response = api_get_response("/puterai/chat/models", 200, {"models": "gpt-5"})
    with pytest.raises(PuterResponseError, match=r"\$\.models"):
        endpoints.parse_list_models(response)


# ---------------------------------------------------------------- stream lines


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (b'{"type":"text","text":"Hel"}', models.StreamText(text="Hel")),
        (b'{"type":"reasoning","reasoning":"so"}', models.StreamReasoning(reasoning="so")),
        (
            b'{"type":"tool_use","id":"t1","name":"get_weather","input":{"city":"Oslo"}}',
            models.StreamToolUse(id="t1", name="get_weather", input={"city": "Oslo"}),
        ),
        (
            b'{"type":"usage","usage":{"input_tokens":3}}',
            models.StreamUsage(usage={"input_tokens": 3}),
        ),
        (b'{"type":"error","message":"overloaded"}', models.StreamError(message="overloaded")),
        (
            b'{"type":"citation","url":"https://x"}',
            models.StreamUnknown(type="citation", additional_properties={"url": "https://x"}),
        ),
    ],
)
def test_a_stream_line_is_parsed_by_its_type(line: bytes, expected: models.StreamLine) -> None:
    assert endpoints.parse_chat_complete_line(line) == expected


def test_a_stream_line_may_be_text_with_a_newline() -> None:
    assert endpoints.parse_chat_complete_line('{"type":"text","text":"é"}\n') == models.StreamText(
        text="é"
    )


def test_an_invalid_stream_line_is_a_response_error() -> None:
    with pytest.raises(PuterResponseError, match="not valid JSON"):
        endpoints.parse_chat_complete_line(b"data: {}")


def test_a_stream_line_without_a_type_is_a_response_error() -> None:
    with pytest.raises(PuterResponseError, match="'type'"):
        endpoints.parse_chat_complete_line(b'{"text":"Hel"}')
