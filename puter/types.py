"""The types applications annotate with: ``from puter.types import ChatCompletion, ...``.

Results (``ChatCompletion``, the streams, ``ToolRequest``), the messages and content parts
of the wire protocol, the typed events of a streamed reply, and the file system's types
(``FileSystem``, ``FSEntry``, ``DiskUsage``, ``RemotePath``, ``UploadData``,
``Progress``). Content parts and stream events are unions with a catch-all member: narrow
them by class (``isinstance`` or ``match``), not by their ``type`` string.
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
    UnknownPart,
)
from puter_client._unset import UNSET, UnsetType
from puter_client.chat import ChatArgs, ChatOptions, MessageInput
from puter_client.completion import ChatCompletion
from puter_client.fs import DiskUsage, FileSystem, FSEntry, Progress, RemotePath, UploadData
from puter_client.media import ImageInput
from puter_client.streaming import AsyncChatStream, ChatStream
from puter_client.tools import ToolRequest

__all__ = [
    "UNSET",
    "AsyncChatStream",
    "ChatArgs",
    "ChatCompleteResult",
    "ChatCompletion",
    "ChatMessage",
    "ChatOptions",
    "ChatStream",
    "ContentPart",
    "DiskUsage",
    "FSEntry",
    "FilePart",
    "FileSystem",
    "ImageInput",
    "ImageUrl",
    "ImageUrlPart",
    "InputAudio",
    "InputAudioPart",
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
]
