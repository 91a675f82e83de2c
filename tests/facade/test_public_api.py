"""The public surface: the names each public module exports, and sync/async twins that
cannot drift apart.

The expected name lists are spelled out: adding a public name is a decision, made here
in the same commit; removing or renaming one breaks users and fails this test.
"""

from __future__ import annotations

import importlib
import inspect
from typing import Any

import pytest

import puter
import puter.exceptions
import puter.types
from puter import PuterAI
from puter.types import Audio, FileSystem, GeneratedImage, GeneratedVideo, MediaFile

EXPORTS: dict[str, set[str]] = {
    "puter": {"Puter", "PuterAI", "PuterConfig", "__version__", "config"},
    "puter.langchain": {"ChatPuter", "PuterByteStore"},
    "puter.exceptions": {
        "PuterAPIError",
        "PuterAuthError",
        "PuterBadRequestError",
        "PuterConflictError",
        "PuterConnectionError",
        "PuterError",
        "PuterFileExistsError",
        "PuterFileNotFoundError",
        "PuterInputError",
        "PuterInputTypeError",
        "PuterIsADirectoryError",
        "PuterLoginConnectionError",
        "PuterLoginTimeoutError",
        "PuterNotADirectoryError",
        "PuterNotFoundError",
        "PuterPayloadTooLargeError",
        "PuterPaymentRequiredError",
        "PuterPermissionError",
        "PuterRateLimitError",
        "PuterRateLimitWarning",
        "PuterResponseError",
        "PuterServerError",
        "PuterStreamError",
        "PuterTimeoutError",
    },
    "puter.fsspec": {"PuterAsyncFile", "PuterFile", "PuterFileSystem"},
    "puter.types": {
        "VoiceOptions",
        "VideoOptions",
        "TranscriptionOptions",
        "SpeechOptions",
        "OcrOptions",
        "ImageOptions",
        "UNSET",
        "AccountTier",
        "GroupLimits",
        "LimitSource",
        "RateLimits",
        "Account",
        "TokenUsage",
        "Audio",
        "AudioInput",
        "GeneratedImage",
        "GeneratedVideo",
        "MediaFile",
        "OcrBlock",
        "OcrResult",
        "Transcription",
        "TranscriptionWord",
        "TtsEngine",
        "TtsVoice",
        "Usage",
        "UsageAmount",
        "AsyncChatStream",
        "BatchInput",
        "BatchResult",
        "ChatArgs",
        "ChatCompleteResult",
        "ChatCompletion",
        "ChatMessage",
        "ChatOptions",
        "ChatStream",
        "ContentPart",
        "DiskUsage",
        "Drivers",
        "FSEntry",
        "FailedTransfer",
        "LocalPaths",
        "PuterTransferError",
        "FailedShare",
        "HostedSubdomain",
        "PuterShareError",
        "Recipients",
        "Share",
        "ShareMode",
        "SignedBatch",
        "SignedURL",
        "TransferCallback",
        "TransferProgress",
        "TransferReport",
        "TransferredFile",
        "Page",
        "SortBy",
        "SortOrder",
        "WalkItem",
        "Target",
        "Uid",
        "AsyncRemoteReader",
        "AsyncRemoteWriter",
        "RemoteWriter",
        "FilePart",
        "FileSystem",
        "ImageInput",
        "MediaInput",
        "PuterPath",
        "VideoUrl",
        "VideoUrlPart",
        "ImageUrl",
        "ImageUrlPart",
        "InputAudio",
        "InputAudioPart",
        "KeyValueStore",
        "App",
        "AppChanges",
        "AppFields",
        "AppOwner",
        "AppUser",
        "Apps",
        "DeveloperProfile",
        "NameCheck",
        "Hosting",
        "Site",
        "Worker",
        "WorkerDeployment",
        "WorkerResponse",
        "WorkerSource",
        "Workers",
        "MessageInput",
        "ModelDetails",
        "Progress",
        "RemotePath",
        "ResultMessage",
        "Role",
        "StreamError",
        "StreamLine",
        "StreamReasoning",
        "StreamText",
        "StreamToolUse",
        "StreamUnknown",
        "StreamUsage",
        "TextPart",
        "Tool",
        "ToolCall",
        "ToolRequest",
        "ToolResultPart",
        "ToolUsePart",
        "UnknownPart",
        "UnsetType",
        "UploadData",
    },
}


@pytest.mark.parametrize("module_name", sorted(EXPORTS))
def test_a_public_module_exports_exactly_its_documented_names(module_name: str) -> None:
    module = importlib.import_module(module_name)

    assert set(module.__all__) == EXPORTS[module_name]


@pytest.mark.parametrize("module_name", sorted(EXPORTS))
def test_every_exported_name_can_be_imported(module_name: str) -> None:
    module = importlib.import_module(module_name)

    for name in module.__all__:
        assert getattr(module, name) is not None, name


def test_the_file_system_has_its_documented_twins() -> None:
    names = {name for name, _, _ in TWINS}

    assert {
        f"FileSystem.{method}"
        for method in (
            "write", "read", "read_text", "download", "stat", "exists", "listdir", "mkdir",
            "rename", "move", "copy", "delete", "usage", "upload", "download_dir",
            "listdir_page", "listdir_pages", "iterdir", "walk", "glob",
            "read_bytes", "write_bytes", "write_text", "open",
        )
    } <= names  # fmt: skip


def test_puter_is_a_second_name_for_the_client() -> None:
    assert puter.Puter is PuterAI


def test_the_exceptions_are_the_implementation_packages_own() -> None:
    import puter_client.core.exceptions

    for name in puter.exceptions.__all__:
        assert getattr(puter.exceptions, name) is getattr(puter_client.core.exceptions, name)


# --- sync/async twins ----------------------------------------------------------------------


def public_objects() -> list[tuple[str, type[Any]]]:
    """The classes whose public methods come in ``x``/``async_x`` pairs."""
    return [
        ("PuterAI", PuterAI),
        ("KeyValueStore", puter.types.KeyValueStore),
        ("Drivers", puter.types.Drivers),
        ("FileSystem", FileSystem),
        ("Apps", puter.types.Apps),
        ("Hosting", puter.types.Hosting),
        ("Workers", puter.types.Workers),
        *((cls.__name__, cls) for cls in (MediaFile, GeneratedImage, Audio, GeneratedVideo)),
    ]


def twin_pairs() -> list[tuple[str, Any, Any]]:
    pairs = []
    for owner_name, owner in public_objects():
        for name, member in inspect.getmembers(owner):
            if name.startswith("async_") and callable(member):
                sync_name = name.removeprefix("async_")
                pairs.append((f"{owner_name}.{sync_name}", getattr(owner, sync_name), member))
    return pairs


TWINS = twin_pairs()


def test_the_client_has_its_documented_twins() -> None:
    names = {name for name, _, _ in TWINS}

    assert {
        "PuterAI.login",
        "PuterAI.chat",
        "PuterAI.chat_stream",
        "PuterAI.complete",
        "PuterAI.complete_stream",
        "PuterAI.batch",
        "PuterAI.get_available_models",
        "PuterAI.set_model",
        "PuterAI.txt2img",
        "PuterAI.txt2speech",
        "PuterAI.ocr",
        "PuterAI.img2txt",
        "PuterAI.speech2txt",
        "PuterAI.speech2speech",
        "PuterAI.txt2vid",
        "PuterAI.whoami",
        "PuterAI.usage",
        "GeneratedImage.read",
        "GeneratedImage.save",
        "Audio.read",
        "Audio.save",
        "GeneratedVideo.save",
    } <= names


def test_the_key_value_store_has_a_twin_for_every_method() -> None:
    names = {name for name, _, _ in TWINS if name.startswith("KeyValueStore.")}

    assert names == {
        f"KeyValueStore.{method}"
        for method in (
            "get",
            "get_many",
            "set",
            "set_many",
            "delete",
            "incr",
            "decr",
            "expire",
            "expire_at",
            "keys",
            "items",
            "flush",
            "update",
            "add",
            "remove",
            "list_keys",
            "list_items",
            "key_pages",
            "item_pages",
            "clear",
        )
    }


@pytest.mark.parametrize(("name", "sync", "async_"), TWINS, ids=[name for name, _, _ in TWINS])
def test_a_blocking_method_and_its_async_twin_take_identical_parameters(
    name: str, sync: Any, async_: Any
) -> None:
    sync_parameters = list(inspect.signature(sync).parameters.values())
    async_parameters = list(inspect.signature(async_).parameters.values())

    assert sync_parameters == async_parameters, name


def test_puter_types_exports_the_class_of_every_service_attribute() -> None:
    from puter_client._lazy import LazyService

    attributes = [
        name
        for name, value in vars(PuterAI).items()
        if isinstance(value, LazyService) and not name.startswith("_")
    ]
    assert {"kv", "fs"} <= set(attributes)
    with PuterAI(token="unused") as client:
        for name in attributes:
            service_class = type(getattr(client, name))
            assert getattr(puter.types, service_class.__name__, None) is service_class, name
            assert service_class.__name__ in puter.types.__all__
