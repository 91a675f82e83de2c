"""``ChatPuter`` against the emulator: what goes on the wire and what comes back, beyond
what LangChain's standard suites check (``test_standard_chat_model.py``).

The emulator replies ``You said: <text> (model=..., turns=..., images=..., audio=...)``,
calls the first tool offered (or the one ``tool_choice`` names) with arguments derived
from its schema, and after a tool result replies ``Tool result: <result>``; its request
log shows the messages each call sent.
"""

from __future__ import annotations

import base64
import inspect
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.tools import tool
from pydantic import BaseModel

from puter import PuterAI, config
from puter.exceptions import PuterPaymentRequiredError
from puter.langchain import ChatPuter
from puter_client.emulator import (
    PuterEmulator,
    expected_reply,
    expected_tool_reply,
    tool_arguments,
)
from tests.support.emulated import ALICE, ALICE_PASSWORD, PNG_1X1, chat_calls

MODELS = ("fake", "gpt-4o-mini")  # Claude-family and OpenAI-family replies


@tool
def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


@tool
def get_time(zone: str) -> str:
    """The time in a time zone."""
    return f"noon in {zone}"


class Person(BaseModel):
    """A person."""

    name: str
    age: int


@pytest.fixture
def emu(v2_emu: PuterEmulator) -> PuterEmulator:
    config.update(rate_limit_requests=100_000)
    return v2_emu


def chat(emu: PuterEmulator, model: str = "fake", **kwargs: Any) -> ChatPuter:
    return ChatPuter(model=model, token=emu.token_for("alice"), **kwargs)


def sent_messages(emu: PuterEmulator) -> Any:
    return chat_calls(emu)[-1].args["messages"]


# ----------------------------------------------------------------- invoke


@pytest.mark.parametrize("model", MODELS)
def test_invoke_returns_the_reply_with_usage_and_the_model_name(
    emu: PuterEmulator, model: str
) -> None:
    reply = chat(emu, model).invoke("Hello there")

    assert isinstance(reply, AIMessage)
    assert reply.content == expected_reply("Hello there", model)
    assert reply.usage_metadata is not None
    assert reply.usage_metadata["input_tokens"] == 2  # the emulator counts words
    assert reply.usage_metadata["output_tokens"] == len(reply.content.split())
    assert reply.response_metadata["model_name"] == model
    assert reply.response_metadata["finish_reason"] == "stop"
    assert reply.response_metadata["model_provider"] == "puter"
    assert reply.id


@pytest.mark.parametrize("model", MODELS)
async def test_ainvoke_returns_the_reply_with_usage(emu: PuterEmulator, model: str) -> None:
    reply = await chat(emu, model).ainvoke("Hello there")

    assert reply.content == expected_reply("Hello there", model)
    assert reply.usage_metadata is not None
    assert reply.usage_metadata["total_tokens"] > 0


def test_every_message_kind_goes_on_the_wire_as_puter_takes_it(emu: PuterEmulator) -> None:
    messages: list[BaseMessage] = [
        SystemMessage("Be brief."),
        HumanMessage("Weather in Paris?", name="ann"),
        AIMessage(
            "Let me look.",
            tool_calls=[{"name": "get_weather", "args": {"city": "Paris"}, "id": "c1"}],
        ),
        ToolMessage("sunny", tool_call_id="c1"),
    ]

    reply = chat(emu).invoke(messages)

    assert sent_messages(emu) == [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Weather in Paris?", "name": "ann"},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me look."},
                {"type": "tool_use", "id": "c1", "name": "get_weather", "input": {"city": "Paris"}},
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "sunny"},
    ]
    assert reply.content == expected_tool_reply("sunny")


def test_images_go_as_image_url_parts_whatever_langchain_form(emu: PuterEmulator) -> None:
    data = base64.b64encode(PNG_1X1).decode()
    message = HumanMessage(
        [
            {"type": "text", "text": "What are these?"},
            {"type": "image", "base64": data, "mime_type": "image/png"},
            {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}},
            {"type": "image", "url": "https://example.com/b.png"},
        ]
    )

    reply = chat(emu).invoke([message])

    assert reply.content == expected_reply("What are these?", "fake", images=3)
    parts = sent_messages(emu)[0]["content"]
    assert parts[1] == {"type": "image_url", "image_url": {"url": f"data:image/png;base64,{data}"}}
    assert parts[3] == {"type": "image_url", "image_url": {"url": "https://example.com/b.png"}}


def test_audio_goes_as_an_input_audio_part(emu: PuterEmulator) -> None:
    message = HumanMessage(
        [
            {"type": "text", "text": "Hear this"},
            {"type": "audio", "base64": "UklGRg==", "mime_type": "audio/wav"},
        ]
    )

    reply = chat(emu).invoke([message])

    assert reply.content == expected_reply("Hear this", "fake", audio=1)
    assert sent_messages(emu)[0]["content"][1] == {
        "type": "input_audio",
        "input_audio": {"data": "UklGRg==", "format": "wav"},
    }


def test_content_puter_cannot_take_is_refused_before_any_request(emu: PuterEmulator) -> None:
    pdf = HumanMessage([{"type": "file", "base64": "JVBERi0=", "mime_type": "application/pdf"}])

    with pytest.raises(ValueError, match="puter_path"):
        chat(emu).invoke([pdf])

    assert chat_calls(emu) == []


async def test_an_unknown_call_option_is_refused_before_any_request(emu: PuterEmulator) -> None:
    with pytest.raises(TypeError, match="frequency_penalty"):
        await chat(emu).ainvoke("Hi", frequency_penalty=1)

    assert chat_calls(emu) == []


def test_temperature_and_max_tokens_are_sent_only_when_set(emu: PuterEmulator) -> None:
    chat(emu).invoke("Hi")
    chat(emu, temperature=0.2, max_tokens=50).invoke("Hi")

    bare, tuned = (call.args for call in chat_calls(emu))
    assert "temperature" not in bare
    assert "max_tokens" not in bare
    assert (tuned["temperature"], tuned["max_tokens"]) == (0.2, 50)


def test_a_model_given_to_invoke_overrides_the_constructors(emu: PuterEmulator) -> None:
    reply = chat(emu, "fake").invoke("Hi", model="gpt-4o-mini")

    assert reply.content == expected_reply("Hi", "gpt-4o-mini")
    assert chat_calls(emu)[-1].args["model"] == "gpt-4o-mini"


def test_the_servers_refusal_surfaces_as_the_sdks_error(emu: PuterEmulator) -> None:
    broke = ChatPuter(model="gpt-4o-mini", token=emu.token_for("broke_user"))

    with pytest.raises(PuterPaymentRequiredError):
        broke.invoke("Hi")


# ---------------------------------------------------------------- stream


@pytest.mark.parametrize("model", MODELS)
def test_stream_yields_text_chunks_then_a_last_chunk_with_usage(
    emu: PuterEmulator, model: str
) -> None:
    chunks = list(chat(emu, model).stream("Hello there"))

    assert len(chunks) > 2
    assert all(isinstance(c, AIMessageChunk) for c in chunks)
    assert "".join(c.text for c in chunks) == expected_reply("Hello there", model)
    last = chunks[-1]
    assert last.chunk_position == "last"
    assert last.usage_metadata is not None
    assert last.response_metadata["model_name"] == model
    assert all(c.usage_metadata is None for c in chunks[:-1])


async def test_astream_yields_the_reply_as_chunks(emu: PuterEmulator) -> None:
    chunks = [c async for c in chat(emu).astream("Hello there")]

    assert "".join(c.text for c in chunks) == expected_reply("Hello there", "fake")
    assert chunks[-1].chunk_position == "last"
    assert chat_calls(emu)[-1].args["stream"] is True


def test_streaming_invoke_reports_each_token_to_the_callbacks(emu: PuterEmulator) -> None:
    tokens: list[str] = []

    class Collect(BaseCallbackHandler):
        def on_llm_new_token(self, token: Any, **kwargs: Any) -> None:
            tokens.append(token)

    reply = chat(emu, streaming=True).invoke("Hello there", config={"callbacks": [Collect()]})

    assert len(tokens) > 1
    assert "".join(tokens) == reply.content == expected_reply("Hello there", "fake")
    assert reply.usage_metadata is not None


# ------------------------------------------------------------------ stop


def test_stop_cuts_the_reply_before_the_stop_sequence(emu: PuterEmulator) -> None:
    reply = chat(emu).invoke("Hello there", stop=["(model"])

    assert reply.content == "You said: Hello there "
    assert "stop" not in chat_calls(emu)[-1].args  # Puter's API takes none


def test_stop_cuts_a_streamed_reply_too(emu: PuterEmulator) -> None:
    chunks = list(chat(emu, stop=["(model"]).stream("Hello there"))

    assert "".join(c.text for c in chunks) == "You said: Hello there "
    assert chunks[-1].usage_metadata is not None


# ----------------------------------------------------------------- tools


@pytest.mark.parametrize("model", MODELS)
def test_a_bound_tool_is_called_in_langchains_form(emu: PuterEmulator, model: str) -> None:
    reply = chat(emu, model).bind_tools([get_weather]).invoke("Paris")

    assert isinstance(reply, AIMessage)
    [call] = reply.tool_calls
    assert (call["name"], call["args"]) == ("get_weather", {"city": "Paris"})
    assert call["id"]
    assert reply.response_metadata["finish_reason"] == "tool_calls"
    [sent] = chat_calls(emu)[-1].args["tools"]
    assert sent["function"]["name"] == "get_weather"


@pytest.mark.parametrize("model", MODELS)
async def test_a_tool_call_and_its_result_make_a_round_trip(emu: PuterEmulator, model: str) -> None:
    llm = chat(emu, model).bind_tools([get_weather])
    question = HumanMessage("Paris")

    asked = await llm.ainvoke([question])
    assert isinstance(asked, AIMessage)
    result = await get_weather.ainvoke(asked.tool_calls[0])
    answer = await llm.ainvoke([question, asked, result])

    assert answer.content == expected_tool_reply("sunny in Paris")


def test_a_streamed_tool_call_aggregates_into_tool_calls(emu: PuterEmulator) -> None:
    chunks = list(chat(emu, "gpt-4o-mini").bind_tools([get_weather]).stream("Paris"))
    full = chunks[0]
    for chunk in chunks[1:]:
        full = full + chunk  # type: ignore[assignment]  # langchain-core's __add__ overloads

    assert isinstance(full, AIMessageChunk)
    assert [(c["name"], c["args"]) for c in full.tool_calls] == [("get_weather", {"city": "Paris"})]


@pytest.mark.parametrize(
    ("choice", "sent"),
    [
        ("any", "required"),
        ("required", "required"),
        ("auto", "auto"),
        ("get_time", {"type": "function", "function": {"name": "get_time"}}),
    ],
)
def test_tool_choice_is_sent_in_puters_form(emu: PuterEmulator, choice: str, sent: Any) -> None:
    chat(emu).bind_tools([get_weather, get_time], tool_choice=choice).invoke("Paris")

    assert chat_calls(emu)[-1].args["tool_choice"] == sent


def test_a_tool_choice_naming_the_second_tool_calls_it(emu: PuterEmulator) -> None:
    reply = chat(emu).bind_tools([get_weather, get_time], tool_choice="get_time").invoke("UTC")

    assert isinstance(reply, AIMessage)
    assert [c["name"] for c in reply.tool_calls] == ["get_time"]


def test_a_tool_choice_naming_no_bound_tool_is_refused(emu: PuterEmulator) -> None:
    with pytest.raises(ValueError, match="not a bound tool"):
        chat(emu).bind_tools([get_weather], tool_choice="get_time")


@pytest.mark.parametrize("model", MODELS)
def test_structured_output_is_read_from_a_forced_tool_call(emu: PuterEmulator, model: str) -> None:
    person = chat(emu, model).with_structured_output(Person).invoke("Ann")

    schema = Person.model_json_schema()
    assert person == Person(**tool_arguments(schema, "Ann"))
    assert chat_calls(emu)[-1].args["tool_choice"] == "required"


async def test_async_structured_output_with_the_raw_reply(emu: PuterEmulator) -> None:
    out = await chat(emu).with_structured_output(Person, include_raw=True).ainvoke("Ann")

    assert isinstance(out, dict)
    assert out["parsed"] == Person(name="Ann", age=1)
    assert out["parsing_error"] is None
    assert isinstance(out["raw"], AIMessage)


# ----------------------------------------------------- credentials and client


def test_username_and_password_log_in(emu: PuterEmulator) -> None:
    model = ChatPuter(model="fake", username=ALICE, password=ALICE_PASSWORD)

    assert model.invoke("Hi").content == expected_reply("Hi", "fake")
    assert model.puter_client.is_authenticated


def test_credentials_come_from_the_sdks_environment(
    emu: PuterEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PUTER_USERNAME", ALICE)
    monkeypatch.setenv("PUTER_PASSWORD", ALICE_PASSWORD)

    assert ChatPuter(model="fake").invoke("Hi").content == expected_reply("Hi", "fake")


def test_api_base_and_login_url_are_passed_to_the_client(emu: PuterEmulator) -> None:
    config.update(api_base="http://127.0.0.1:9", login_url="http://127.0.0.1:9/login")

    model = chat(emu, api_base=emu.api_base, login_url=emu.login_url, timeout=5, max_retries=1)

    assert model.invoke("Hi").content == expected_reply("Hi", "fake")
    assert model.puter_client.config.timeout == 5
    assert model.puter_client.config.max_retries == 1


def test_a_given_client_is_used(emu: PuterEmulator) -> None:
    with PuterAI(token=emu.token_for("alice")) as client:
        model = ChatPuter(model="fake", client=client)

        assert model.puter_client is client
        assert model.invoke("Hi").content == expected_reply("Hi", "fake")


def test_secrets_stay_out_of_the_repr() -> None:
    model = ChatPuter(model="fake", username=ALICE, password="hunter2-secret", api_key="tok-secret")

    assert "hunter2-secret" not in repr(model)
    assert "tok-secret" not in repr(model)
    assert "tok-secret" not in str(model.model_dump())


def test_bad_settings_fail_at_construction() -> None:
    with pytest.raises(ValueError):
        ChatPuter(model="fake", timeout=-1)


# ------------------------------------------------------------ older servers


@pytest.mark.parametrize("model", MODELS)
def test_an_older_server_answers_invoke_stream_and_tools_alike(
    legacy_emu: PuterEmulator, model: str
) -> None:
    config.update(rate_limit_requests=100_000)
    llm = ChatPuter(model=model, token=legacy_emu.token_for("alice"))

    reply = llm.invoke("Hello there")
    streamed = "".join(c.text for c in llm.stream("Hello there"))
    asked = llm.bind_tools([get_weather]).invoke("Paris")

    assert reply.content == streamed == expected_reply("Hello there", model)
    assert reply.usage_metadata is not None  # older servers' usage shapes too
    assert isinstance(asked, AIMessage)
    [call] = asked.tool_calls
    assert (call["name"], call["args"]) == ("get_weather", {"city": "Paris"})


def test_parallel_tool_calls_is_accepted_and_not_sent(emu: PuterEmulator) -> None:
    chat(emu).bind_tools([get_weather], parallel_tool_calls=False).invoke("Paris")

    assert "parallel_tool_calls" not in chat_calls(emu)[-1].args


def test_langchain_sees_that_generate_takes_a_run_manager() -> None:
    # BaseChatModel reads the signature of _generate/_agenerate on every call.
    model = ChatPuter(model="fake", token="t")

    for method in (model._generate, model._agenerate):
        parameters = inspect.signature(method).parameters
        assert list(parameters)[:3] == ["messages", "stop", "run_manager"]


async def test_invoke_and_ainvoke_call_the_bound_generate_methods(emu: PuterEmulator) -> None:
    model = chat(emu)

    assert model.invoke("one").content == expected_reply("one", "fake")
    assert (await model.ainvoke("two")).content == expected_reply("two", "fake")
