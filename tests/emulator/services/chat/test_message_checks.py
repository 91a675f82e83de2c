"""The emulator's chat driver refuses what the server's message normalization refuses."""

from __future__ import annotations

import pytest

from puter.exceptions import PuterBadRequestError
from puter_client._generated import endpoints
from puter_client.emulator import PuterEmulator
from tests.support.emulated import alice


@pytest.mark.parametrize("content", [None, ""])
def test_the_server_refuses_a_message_without_content_with_the_same_code(
    v2_emu: PuterEmulator, content: str | None
) -> None:
    with alice() as client:
        session = client._session
        body = {
            "interface": "puter-chat-completion",
            "driver": "ai-chat",
            "method": "complete",
            "args": {"model": "fake", "messages": [{"role": "user", "content": content}]},
        }
        with pytest.raises(PuterBadRequestError) as caught:
            session.run(
                session.send(endpoints.CHAT_COMPLETE, endpoints.parse_chat_complete, body=body)
            )

        assert caught.value.code == "bad_request"
        assert "each message must have a 'content' property" in caught.value.message


def test_an_assistant_turn_with_tool_calls_and_no_content_is_taken(v2_emu: PuterEmulator) -> None:
    tool_turn = {
        "role": "assistant",
        "tool_calls": [
            {"id": "c", "type": "function", "function": {"name": "f", "arguments": "{}"}}
        ],
    }
    messages = [{"role": "user", "content": "q"}, tool_turn, {"role": "user", "content": "go"}]
    with alice() as client:
        session = client._session
        body = {
            "interface": "puter-chat-completion",
            "driver": "ai-chat",
            "method": "complete",
            "args": {"model": "fake", "messages": messages},
        }
        answer = session.run(
            session.send(endpoints.CHAT_COMPLETE, endpoints.parse_chat_complete, body=body)
        )

        assert answer.success is True
