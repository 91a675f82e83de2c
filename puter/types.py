"""The types applications annotate with: ``from puter.types import ChatCompletion, ...``.

Results (``ChatCompletion``, the streams, ``ToolRequest``, a batch's ``BatchResult``; the
media files, OCR results and transcripts of the AI media calls; ``Account`` and ``Usage``),
the services reached as client attributes (``KeyValueStore``: ``client.kv``;
``FileSystem``: ``client.fs``, with ``FSEntry``, ``DiskUsage``, ``RemotePath``,
``UploadData``, ``Progress``), the messages and content parts of the wire protocol, and the
typed events of a streamed reply. Content parts and stream events are unions with a
catch-all member: narrow them by class (``isinstance`` or ``match``), not by their
``type`` string.
"""

from puter_client._generated.models import (
    ChatCompleteResult,
    ChatMessage,
    ContentPart,
    FilePart,
    ImageUrl,
    ImageUrlPart,
    InputAudio,
    InputAudioPart,
    ModelDetails,
    OcrBlock,
    ResultMessage,
    Role,
    StreamError,
    StreamLine,
    StreamReasoning,
    StreamText,
    StreamToolUse,
    StreamUnknown,
    StreamUsage,
    TextPart,
    Tool,
    ToolCall,
    ToolResultPart,
    ToolUsePart,
    TranscriptionWord,
    TtsEngine,
    TtsVoice,
    UnknownPart,
)
from puter_client.core._unset import UNSET, UnsetType
from puter_client.core.paging import Page
from puter_client.services.account.account import Account, Usage, UsageAmount
from puter_client.services.batch.batch import BatchInput, BatchResult
from puter_client.services.chat.chat import ChatArgs, ChatOptions, MessageInput
from puter_client.services.chat.completion import ChatCompletion
from puter_client.services.chat.content import ImageInput
from puter_client.services.chat.streaming import AsyncChatStream, ChatStream
from puter_client.services.chat.tools import ToolRequest
from puter_client.services.drivers.drivers import Drivers
from puter_client.services.fs.fs import (
    DiskUsage,
    FileSystem,
    FSEntry,
    Progress,
    RemotePath,
    UploadData,
)
from puter_client.services.kv.kv import KeyValueStore
from puter_client.services.media.media import (
    AudioInput,
    ImageOptions,
    OcrOptions,
    SpeechOptions,
    TranscriptionOptions,
    VideoOptions,
    VoiceOptions,
)
from puter_client.services.media.results import (
    Audio,
    GeneratedImage,
    GeneratedVideo,
    MediaFile,
    OcrResult,
    Transcription,
)

__all__ = [
    "UNSET",
    "Account",
    "AsyncChatStream",
    "Audio",
    "AudioInput",
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
    "FilePart",
    "FileSystem",
    "GeneratedImage",
    "GeneratedVideo",
    "ImageInput",
    "ImageOptions",
    "ImageUrl",
    "ImageUrlPart",
    "InputAudio",
    "InputAudioPart",
    "KeyValueStore",
    "MediaFile",
    "MessageInput",
    "ModelDetails",
    "OcrBlock",
    "OcrOptions",
    "OcrResult",
    "Page",
    "Progress",
    "RemotePath",
    "ResultMessage",
    "Role",
    "SpeechOptions",
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
    "Transcription",
    "TranscriptionOptions",
    "TranscriptionWord",
    "TtsEngine",
    "TtsVoice",
    "UnknownPart",
    "UnsetType",
    "UploadData",
    "Usage",
    "UsageAmount",
    "VideoOptions",
    "VoiceOptions",
]
