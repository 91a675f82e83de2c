"""The cattrs converter on hand-picked cases: each rule of serialization.py, one test each.

The Hypothesis round trips in tests/property/ cover every component; these tests pin down the
individual rules with readable examples: wire-key renames, ``UNSET`` vs ``None`` vs absent,
discriminated unions (with their catch-all), strict primitives, extra keys, error paths and
discriminator tags that are never dropped on output.
"""

from __future__ import annotations

import copy
import json
import typing
from typing import Any, Literal, get_origin

import attrs
import pytest

from puter_client._generated import models
from puter_client.core._unset import UNSET, UnsetType
from puter_client.core.serialization import ModelValidationError, structure, unstructure


def errors_of(data: Any, cl: Any) -> list[str]:
    """The ``errors`` of the ``ModelValidationError`` that structuring ``data`` raises."""
    with pytest.raises(ModelValidationError) as caught:
        structure(data, cl)
    return caught.value.errors


def round_trip(data: Any, cl: Any) -> Any:
    return unstructure(structure(data, cl))


# ``structure`` is typed for classes (``type[T]``); a union alias goes through ``Any``.
CONTENT_PART: Any = models.ContentPart
STREAM_LINE: Any = models.StreamLine


def content_part(data: Any) -> models.ContentPart:
    part: models.ContentPart = structure(data, CONTENT_PART)
    return part


def stream_line(data: Any) -> models.StreamLine:
    line: models.StreamLine = structure(data, STREAM_LINE)
    return line


def reply(content: Any) -> dict[str, Any]:
    """A chat ``complete`` success envelope whose message has ``content``."""
    return {
        "success": True,
        "result": {"message": {"role": "assistant", "content": content}},
    }


# ------------------------------------------------------------------------- renames


def test_camel_case_wire_key_fills_the_snake_case_attribute() -> None:
    details = structure({"id": "gpt-5", "puterId": "openai:gpt-5"}, models.ModelDetails)
    assert details.puter_id == "openai:gpt-5"


def test_snake_case_attribute_is_written_under_its_camel_case_wire_key() -> None:
    details = models.ModelDetails(id="gpt-5", puter_id="openai:gpt-5")
    assert unstructure(details) == {"id": "gpt-5", "puterId": "openai:gpt-5"}


def test_error_code_is_renamed_in_both_directions() -> None:
    body = structure({"message": "flagged", "errorCode": "moderation"}, models.ErrorBody)
    assert body.error_code == "moderation"
    assert unstructure(body) == {"message": "flagged", "errorCode": "moderation"}


def test_the_python_name_on_the_wire_is_an_extra_key_not_the_field() -> None:
    details = structure({"id": "m", "puter_id": "p"}, models.ModelDetails)
    assert details.puter_id is None
    assert details.additional_properties == {"puter_id": "p"}
    assert unstructure(details) == {"id": "m", "puter_id": "p"}


# ------------------------------------------------------ UNSET vs None vs absent (P7)


def test_explicit_null_is_kept_as_none_and_written_back() -> None:
    data = {"message": {"role": "assistant"}, "finish_reason": None}
    result = structure(data, models.ChatCompleteResult)
    assert result.finish_reason is None
    assert unstructure(result) == data


def test_absent_optional_nullable_field_is_unset_and_stays_absent() -> None:
    data = {"message": {"role": "assistant"}}
    result = structure(data, models.ChatCompleteResult)
    assert result.finish_reason is UNSET
    assert "finish_reason" not in unstructure(result)


def test_null_content_and_absent_content_stay_apart_on_a_chat_message() -> None:
    assert unstructure(models.ChatMessage(role="assistant", content=None)) == {
        "role": "assistant",
        "content": None,
    }
    assert unstructure(models.ChatMessage(role="assistant")) == {"role": "assistant"}


def test_optional_fields_left_at_none_are_omitted() -> None:
    args = models.ChatCompleteArgs(model="gpt-5", messages=[])
    assert unstructure(args) == {"model": "gpt-5", "messages": []}


def test_schema_defaults_are_not_applied_on_the_client() -> None:
    assert round_trip({"model": "gpt-5", "messages": []}, models.ChatCompleteArgs) == {
        "model": "gpt-5",
        "messages": [],
    }


def test_untyped_field_keeps_null_apart_from_absent() -> None:
    assert round_trip(
        {"message": {"role": "assistant"}, "usage": None}, models.ChatCompleteResult
    ) == {
        "message": {"role": "assistant"},
        "usage": None,
    }


def test_unset_itself_is_never_serialized() -> None:
    with pytest.raises(TypeError, match="UNSET"):
        unstructure(UNSET)


def test_unset_is_falsy_and_reads_as_unset() -> None:
    assert not UNSET
    assert repr(UNSET) == "UNSET"
    assert isinstance(UNSET, UnsetType)


# ------------------------------------------------------------ discriminated unions


@pytest.mark.parametrize(
    ("data", "expected_class"),
    [
        ({"type": "text", "text": "hi"}, models.TextPart),
        ({"type": "image_url", "image_url": {"url": "https://x/cat.png"}}, models.ImageUrlPart),
        (
            {"type": "input_audio", "input_audio": {"data": "UklGR", "format": "wav"}},
            models.InputAudioPart,
        ),
        ({"type": "file", "puter_path": "/alice/cat.png"}, models.FilePart),
        ({"type": "tool_use", "id": "t1", "name": "f", "input": {}}, models.ToolUsePart),
        ({"type": "tool_result", "tool_use_id": "t1", "content": "42"}, models.ToolResultPart),
        ({"type": "video", "url": "https://x/v.mp4"}, models.UnknownPart),
    ],
)
def test_content_part_member_is_chosen_by_the_type_tag(
    data: dict[str, Any], expected_class: type[Any]
) -> None:
    assert type(content_part(data)) is expected_class


@pytest.mark.parametrize(
    ("data", "expected_class"),
    [
        ({"type": "text", "text": "Hel"}, models.StreamText),
        ({"type": "reasoning", "reasoning": "hmm"}, models.StreamReasoning),
        ({"type": "tool_use", "id": "t1", "name": "f", "input": {"a": 1}}, models.StreamToolUse),
        ({"type": "usage", "usage": {"input_tokens": 3}}, models.StreamUsage),
        ({"type": "error", "message": "upstream failed"}, models.StreamError),
        ({"type": "citation", "url": "https://x"}, models.StreamUnknown),
    ],
)
def test_stream_line_member_is_chosen_by_the_type_tag(
    data: dict[str, Any], expected_class: type[Any]
) -> None:
    assert type(stream_line(data)) is expected_class


def test_the_tag_decides_even_when_the_keys_fit_another_member() -> None:
    # Has the keys of a TextPart, but says it is a file: a FilePart with an extra key.
    part = content_part({"type": "file", "puter_path": "/a", "text": "hi"})
    assert part == models.FilePart(puter_path="/a", additional_properties={"text": "hi"})


def test_a_known_tag_with_a_bad_body_is_an_error_not_the_catch_all() -> None:
    assert errors_of({"type": "text"}, CONTENT_PART) == ["required field missing @ $.text"]


def test_unknown_part_keeps_its_keys_and_writes_them_back_unchanged() -> None:
    data = {"type": "video", "url": "https://x/v.mp4", "seconds": 12, "meta": {"fps": 29.97}}
    part = content_part(data)
    assert part == models.UnknownPart(
        type="video",
        additional_properties={"url": "https://x/v.mp4", "seconds": 12, "meta": {"fps": 29.97}},
    )
    assert unstructure(part) == data


def test_unknown_stream_line_keeps_its_keys_and_writes_them_back_unchanged() -> None:
    data = {"type": "citation", "index": 0, "source": None}
    line = stream_line(data)
    assert line == models.StreamUnknown(
        type="citation", additional_properties={"index": 0, "source": None}
    )
    assert unstructure(line) == data


def test_unknown_parts_inside_a_message_survive_the_round_trip() -> None:
    data = reply([{"type": "text", "text": "see"}, {"type": "video", "url": "v.mp4"}])
    assert round_trip(data, models.ChatCompleteResponse) == data


def test_a_part_without_a_type_is_an_error_at_its_path() -> None:
    assert errors_of(reply([{"text": "hi"}]), models.ChatCompleteResponse) == [
        "expected a string 'type' key, got null @ $.result.message.content[0]"
    ]


def test_a_part_with_a_non_string_type_is_an_error() -> None:
    assert errors_of({"type": 3}, CONTENT_PART) == ["expected a string 'type' key, got integer @ $"]


def test_content_may_be_text_or_parts_or_null() -> None:
    assert structure(reply("hi"), models.ChatCompleteResponse).result.message.content == "hi"
    assert structure(reply(None), models.ChatCompleteResponse).result.message.content is None
    parts = structure(reply([{"type": "text", "text": "hi"}]), models.ChatCompleteResponse)
    assert parts.result.message.content == [models.TextPart(text="hi")]


def test_nested_tool_result_parts_are_structured_recursively() -> None:
    data = {
        "type": "tool_result",
        "tool_use_id": "t1",
        "content": [{"type": "text", "text": "ok"}, {"type": "chart", "points": [1, 2]}],
    }
    part = content_part(data)
    assert part == models.ToolResultPart(
        tool_use_id="t1",
        content=[
            models.TextPart(text="ok"),
            models.UnknownPart(type="chart", additional_properties={"points": [1, 2]}),
        ],
    )
    assert unstructure(part) == data


# ------------------------------------------------------------- discriminator tags (P2)

TAGGED_INSTANCES: list[Any] = [
    models.TextPart(text="hi"),
    models.ImageUrlPart(image_url=models.ImageUrl(url="u")),
    models.VideoUrlPart(video_url=models.VideoUrl(url="u")),
    models.InputAudioPart(input_audio=models.InputAudio()),
    models.FilePart(puter_path="/p"),
    models.ToolUsePart(id="t", name="n", input={}),
    models.ToolResultPart(tool_use_id="t"),
    models.ToolCall(id="c", function=models.FunctionCall(name="f", arguments="{}")),
    models.Tool(function=models.FunctionDefinition(name="f")),
    models.ChatCompleteCall(driver="ai-chat", args=models.ChatCompleteArgs(model="m", messages=[])),
    models.ChatModelsCall(driver="ai-chat", args=models.ChatModelsArgs()),
    models.KvGetCall(args=models.KvGetArgs(key="k")),
    models.KvGetManyCall(args=models.KvGetManyArgs(key=["k"])),
    models.KvSetCall(args=models.KvSetArgs(key="k", value=None)),
    models.KvBatchPutCall(args=models.KvBatchPutArgs(items=[])),
    models.KvDelCall(args=models.KvKeyArgs(key="k")),
    models.KvIncrCall(args=models.KvIncrArgs(key="k", path_and_amount_map={"": 1})),
    models.KvDecrCall(args=models.KvIncrArgs(key="k", path_and_amount_map={"": 1})),
    models.KvExpireCall(args=models.KvExpireArgs(key="k", ttl=1)),
    models.KvExpireAtCall(args=models.KvExpireAtArgs(key="k", timestamp=1)),
    models.KvListCall(args=models.KvListArgs()),
    models.KvFlushCall(args=models.KvFlushArgs()),
    models.KvUpdateCall(args=models.KvUpdateArgs(key="k", path_and_value_map={"a": 1})),
    models.KvAddCall(args=models.KvAddArgs(key="k", path_and_value_map={"": 1})),
    models.KvRemoveCall(args=models.KvRemoveArgs(key="k", paths=["a"])),
    models.ImageGenerateCall(driver="ai-image", args=models.ImageGenerateArgs(prompt="p")),
    models.TtsSynthesizeCall(driver="ai-tts", args=models.TtsSynthesizeArgs(text="t")),
    models.TtsListVoicesCall(driver="ai-tts", args=models.TtsListArgs()),
    models.TtsListEnginesCall(driver="ai-tts", args=models.TtsListArgs()),
    models.TtsListProvidersCall(driver="ai-tts", args=models.TtsListArgs()),
    models.OcrRecognizeCall(driver="ai-ocr", args=models.OcrRecognizeArgs()),
    models.SpeechTranscribeCall(driver="ai-speech2txt", args=models.SpeechToTextArgs()),
    models.SpeechTranslateCall(driver="ai-speech2txt", args=models.SpeechToTextArgs()),
    models.SpeechConvertCall(driver="ai-speech2speech", args=models.SpeechConvertArgs()),
    models.VideoGenerateCall(driver="ai-video", args=models.VideoGenerateArgs(prompt="p")),
    models.AppsCreateCall(args=models.AppsCreateArgs(object=models.AppFields())),
    models.AppsReadCall(args=models.AppsReadArgs(id=models.AppId(name="a"))),
    models.AppsUpdateCall(
        args=models.AppsUpdateArgs(id=models.AppId(name="a"), object=models.AppFields())
    ),
    models.AppsDeleteCall(args=models.AppsDeleteArgs(id=models.AppId(name="a"))),
    models.AppsSelectCall(args=models.AppsSelectArgs()),
    models.AppUsersCall(args=models.AppUsersArgs(app_uuid="app-1")),
    models.SitesCreateCall(args=models.SitesCreateArgs(object=models.SiteFields())),
    models.SitesReadCall(args=models.SitesReadArgs(id=models.SiteId(subdomain="s"))),
    models.SitesUpdateCall(
        args=models.SitesUpdateArgs(id=models.SiteId(subdomain="s"), object=models.SiteFields())
    ),
    models.SitesDeleteCall(args=models.SitesReadArgs(id=models.SiteId(subdomain="s"))),
    models.SitesSelectCall(args=models.SitesSelectArgs()),
    models.WorkersCreateCall(args=models.WorkersCreateArgs(file_path="~/w.js", worker_name="w")),
    models.WorkersGetCall(args=models.WorkersGetArgs(worker_name="w")),
    models.WorkersSelectCall(args=models.WorkersSelectArgs()),
    models.WorkersDestroyCall(args=models.WorkersDestroyArgs(worker_name="w")),
    models.LegacyFailure(error="boom"),
    models.StreamText(text="t"),
    models.StreamReasoning(reasoning="r"),
    models.StreamToolUse(id="t", name="n", input={}),
    models.StreamUsage(usage=None),
    models.StreamError(),
]


def literal_default_fields(cls: type[Any]) -> dict[str, Any]:
    """Wire key -> default of each field typed ``Literal[...]`` that has a default."""
    hints = typing.get_type_hints(cls)
    return {
        str(f.metadata.get("json", f.name)): f.default
        for f in attrs.fields(cls)
        if get_origin(hints[f.name]) is Literal and f.default is not attrs.NOTHING
    }


def test_every_class_with_a_literal_tag_is_checked_below() -> None:
    tagged = {
        cls
        for cls in (getattr(models, name) for name in models.__all__)
        if isinstance(cls, type) and attrs.has(cls) and literal_default_fields(cls)
    }
    assert tagged == {type(instance) for instance in TAGGED_INSTANCES}


@pytest.mark.parametrize("instance", TAGGED_INSTANCES, ids=lambda i: type(i).__name__)
def test_literal_tags_are_always_written_even_though_they_are_defaults(instance: Any) -> None:
    dumped = unstructure(instance)
    for key, tag in literal_default_fields(type(instance)).items():
        assert key in dumped
        assert dumped[key] is tag or (dumped[key] == tag and type(dumped[key]) is type(tag))


def test_a_false_literal_tag_is_written_as_false() -> None:
    assert unstructure(models.LegacyFailure(error="boom")) == {"success": False, "error": "boom"}


def test_a_wrong_literal_tag_is_rejected() -> None:
    assert errors_of({"success": 0, "error": "x"}, models.LegacyFailure) == [
        "expected one of [False], got 0 @ $.success"
    ]


# ----------------------------------------------------------------- strict primitives


@pytest.mark.parametrize(("value", "got"), [("1", "string"), (True, "boolean"), (1.0, "number")])
def test_an_integer_field_accepts_only_json_integers(value: Any, got: str) -> None:
    assert errors_of({"id": "m", "context": value}, models.ModelDetails) == [
        f"expected int or null, got {got} @ $.context"
    ]


@pytest.mark.parametrize("value", [1, "1", 1.5, [], {}])
def test_a_boolean_field_accepts_only_json_booleans(value: Any) -> None:
    errors = errors_of({"proceed": value}, models.LoginResponse)
    assert len(errors) == 1
    assert errors[0].startswith("expected boolean") and errors[0].endswith("@ $.proceed")


@pytest.mark.parametrize("value", [1, True, None, ["a"]])
def test_a_string_field_accepts_only_json_strings(value: Any) -> None:
    errors = errors_of({"password": value}, models.LoginRequest)
    assert len(errors) == 1
    assert errors[0].endswith("@ $.password")


def test_a_number_field_rejects_a_boolean() -> None:
    assert errors_of(
        {"model": "m", "messages": [], "temperature": True}, models.ChatCompleteArgs
    ) == ["expected float or null, got boolean @ $.temperature"]


def test_a_number_field_keeps_an_int_an_int() -> None:
    args = structure({"model": "m", "messages": [], "temperature": 1}, models.ChatCompleteArgs)
    assert type(args.temperature) is int
    assert type(unstructure(args)["temperature"]) is int


def test_a_number_field_keeps_a_large_int_exact() -> None:
    big = 2**53 + 1  # not representable as a float
    data = {"model": "m", "messages": [], "top_p": big}
    assert json.dumps(round_trip(data, models.ChatCompleteArgs)) == json.dumps(data)


def test_a_number_field_keeps_a_float_a_float() -> None:
    data = {"model": "m", "messages": [], "temperature": 1.0}
    assert type(round_trip(data, models.ChatCompleteArgs)["temperature"]) is float


def test_a_null_on_a_non_nullable_optional_field_is_read_as_absent() -> None:
    # Lenient on purpose: servers send it, and the field is optional anyway.
    assert round_trip({"proceed": True, "next_step": None}, models.LoginResponse) == {
        "proceed": True
    }


def test_a_role_must_be_one_of_the_literal_values() -> None:
    assert errors_of({"role": "User"}, models.ChatMessage) == [
        "expected one of ['system', 'user', 'assistant', 'tool'], got 'User' @ $.role"
    ]


def test_roles_come_out_as_plain_strings() -> None:
    dumped = unstructure(models.ChatMessage(role="user", content="hi"))
    assert type(dumped["role"]) is str


# ------------------------------------------------------------------------ extra keys


def test_login_request_rejects_an_unknown_key() -> None:
    assert errors_of({"password": "pw", "user": "alice"}, models.LoginRequest) == [
        "extra fields found (user) @ $"
    ]


def test_chat_models_args_rejects_any_key() -> None:
    assert errors_of({"filter": "all"}, models.ChatModelsArgs) == [
        "extra fields found (filter) @ $"
    ]


def test_a_class_without_additional_properties_ignores_unknown_keys() -> None:
    image = structure({"url": "https://x/cat.png", "width": 640}, models.ImageUrl)
    assert unstructure(image) == {"url": "https://x/cat.png"}


def test_a_class_with_additional_properties_keeps_unknown_keys() -> None:
    data = {"message": {"role": "assistant"}, "provider": "openai", "cost": {"usd": 0.01}}
    result = structure(data, models.ChatCompleteResult)
    assert result.additional_properties == {"provider": "openai", "cost": {"usd": 0.01}}
    assert unstructure(result) == data


def test_a_declared_field_wins_over_an_extra_key_of_the_same_name() -> None:
    part = models.UnknownPart(type="video", additional_properties={"type": "audio", "n": 1})
    assert unstructure(part) == {"type": "video", "n": 1}


def test_structure_does_not_mutate_its_input() -> None:
    data = reply([{"type": "video", "meta": {"a": [1]}}])
    pristine = copy.deepcopy(data)
    unstructure(structure(data, models.ChatCompleteResponse))
    assert data == pristine


# --------------------------------------------------------------------------- errors


def test_an_error_names_the_json_path_of_the_bad_value() -> None:
    assert errors_of(reply([{"type": "text", "text": 5}]), models.ChatCompleteResponse) == [
        "expected string, got integer @ $.result.message.content[0].text"
    ]


def test_a_missing_required_field_is_named_by_its_path() -> None:
    assert errors_of({"success": True, "result": {"message": {}}}, models.ChatCompleteResponse) == [
        "required field missing @ $.result.message.role"
    ]


def test_a_missing_field_is_named_by_its_wire_key() -> None:
    errors = errors_of({"models": [{"puterId": "p"}]}, models.ModelDetailsList)
    assert errors == ["required field missing @ $.models[0].id"]


def test_every_bad_value_is_reported_not_just_the_first() -> None:
    errors = errors_of({"models": ["a", 1, None]}, models.ModelList)
    assert errors == [
        "expected string, got integer @ $.models[1]",
        "expected string, got null @ $.models[2]",
    ]


def test_a_value_of_the_wrong_json_type_at_the_root_is_named_at_dollar() -> None:
    assert errors_of([], models.LoginResponse) == ["expected object, got array @ $"]


def test_the_error_is_a_value_error_naming_the_model() -> None:
    with pytest.raises(ValueError, match="does not fit ChatCompleteResponse") as caught:
        structure({"success": True}, models.ChatCompleteResponse)
    assert isinstance(caught.value, ModelValidationError)
    assert caught.value.type_name == "ChatCompleteResponse"
