"""The types applications annotate with: ``from puter.types import ChatCompletion, ...``.

Results (``ChatCompletion``, the streams, ``ToolRequest``, ``TokenUsage`` (a reply's
``usage``), a batch's ``BatchResult``; the
media files, OCR results and transcripts of the AI media calls; ``Account`` and ``Usage``),
the services reached as client attributes (``KeyValueStore``: ``client.kv``;
``FileSystem``: ``client.fs``, with ``FSEntry``, ``DiskUsage``, ``RemotePath``,
``UploadData``, ``Progress``; ``upload``/``download_dir``'s ``TransferReport``,
``TransferProgress``, ``PuterTransferError``...; ``Apps``, ``Hosting``, ``Workers`` with
their results and the shared listing ``Page``), the messages and content parts of the
wire protocol (with ``PuterPath``, a file of the Puter file system given to chat or to the
media calls), and the typed events of a streamed reply. Content parts and stream events
are unions with a catch-all member: narrow them by class (``isinstance`` or ``match``), not
by their ``type`` string.
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
    VideoUrl,
    VideoUrlPart,
)
from puter_client.core._unset import UNSET, UnsetType
from puter_client.core.paging import Page
from puter_client.core.ratelimit import AccountTier, GroupLimits, LimitSource, RateLimits
from puter_client.services.account.account import Account, Usage, UsageAmount
from puter_client.services.apps.apps import AppChanges, AppFields, Apps
from puter_client.services.apps.results import App, AppOwner, AppUser, DeveloperProfile, NameCheck
from puter_client.services.batch.batch import BatchInput, BatchResult
from puter_client.services.chat.chat import ChatArgs, ChatOptions, MessageInput
from puter_client.services.chat.completion import ChatCompletion
from puter_client.services.chat.content import ImageInput, MediaInput, PuterPath
from puter_client.services.chat.streaming import AsyncChatStream, ChatStream
from puter_client.services.chat.tools import ToolRequest
from puter_client.services.chat.usage import TokenUsage
from puter_client.services.drivers.drivers import Drivers
from puter_client.services.fs.fs import (
    AsyncRemoteReader,
    AsyncRemoteWriter,
    DiskUsage,
    FailedTransfer,
    FileSystem,
    FSEntry,
    LocalPaths,
    Progress,
    PuterTransferError,
    RemotePath,
    RemoteWriter,
    SortBy,
    SortOrder,
    Target,
    TransferCallback,
    TransferProgress,
    TransferredFile,
    TransferReport,
    Uid,
    UploadData,
    WalkItem,
)
from puter_client.services.hosting.hosting import Hosting
from puter_client.services.hosting.results import Site
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
from puter_client.services.workers.results import Worker, WorkerDeployment, WorkerResponse
from puter_client.services.workers.workers import Workers, WorkerSource

__all__ = [
    "UNSET",
    "Account",
    "AccountTier",
    "App",
    "AppChanges",
    "AppFields",
    "AppOwner",
    "AppUser",
    "Apps",
    "AsyncChatStream",
    "AsyncRemoteReader",
    "AsyncRemoteWriter",
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
    "DeveloperProfile",
    "DiskUsage",
    "Drivers",
    "FSEntry",
    "FailedTransfer",
    "FilePart",
    "FileSystem",
    "GeneratedImage",
    "GeneratedVideo",
    "GroupLimits",
    "Hosting",
    "ImageInput",
    "ImageOptions",
    "ImageUrl",
    "ImageUrlPart",
    "InputAudio",
    "InputAudioPart",
    "KeyValueStore",
    "LimitSource",
    "LocalPaths",
    "MediaFile",
    "MediaInput",
    "MessageInput",
    "ModelDetails",
    "NameCheck",
    "OcrBlock",
    "OcrOptions",
    "OcrResult",
    "Page",
    "Progress",
    "PuterPath",
    "PuterTransferError",
    "RateLimits",
    "RemotePath",
    "RemoteWriter",
    "ResultMessage",
    "Role",
    "Site",
    "SortBy",
    "SortOrder",
    "SpeechOptions",
    "StreamError",
    "StreamLine",
    "StreamReasoning",
    "StreamText",
    "StreamToolUse",
    "StreamUnknown",
    "StreamUsage",
    "Target",
    "TextPart",
    "TokenUsage",
    "Tool",
    "ToolCall",
    "ToolRequest",
    "ToolResultPart",
    "ToolUsePart",
    "Transcription",
    "TranscriptionOptions",
    "TranscriptionWord",
    "TransferCallback",
    "TransferProgress",
    "TransferReport",
    "TransferredFile",
    "TtsEngine",
    "TtsVoice",
    "Uid",
    "UnknownPart",
    "UnsetType",
    "UploadData",
    "Usage",
    "UsageAmount",
    "VideoOptions",
    "VideoUrl",
    "VideoUrlPart",
    "VoiceOptions",
    "WalkItem",
    "Worker",
    "WorkerDeployment",
    "WorkerResponse",
    "WorkerSource",
    "Workers",
]
