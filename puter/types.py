"""The types applications annotate with: ``from puter.types import ChatCompletion, ...``.

Results (``ChatCompletion``, the streams, ``ToolRequest``, a batch's ``BatchResult``), the
messages and content parts of the wire protocol, and the typed events of a streamed reply.
Content parts and stream events are unions with a catch-all member: narrow them by class
(``isinstance`` or ``match``), not by their ``type`` string.
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
from puter_client.batch import BatchInput, BatchResult
from puter_client.chat import ChatArgs, ChatOptions, MessageInput
from puter_client.completion import ChatCompletion
from puter_client.media import ImageInput
from puter_client.streaming import AsyncChatStream, ChatStream
from puter_client.tools import ToolRequest

__all__ = [
    "UNSET",
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
    "FilePart",
    "ImageInput",
    "ImageUrl",
    "ImageUrlPart",
    "InputAudio",
    "InputAudioPart",
    "MessageInput",
    "ModelDetails",
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
]
