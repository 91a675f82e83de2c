"""``chat_history`` behaves as the documented ``List[Dict[str, Any]]``: assignment and
in-place edits take effect and are what the next chat sends; every edit is validated
whole first and a bad one changes nothing; an edit through a list read before a chat
completed is refused rather than dropping that turn."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from puter import PuterAI
from puter_client.emulator import PuterEmulator
from tests.support.emulated import alice, chat_calls, reply
from tests.support.hypothesis_profiles import examples

SYSTEM = {"role": "system", "content": "Answer in French."}


def user(content: str) -> dict[str, Any]:
    return {"role": "user", "content": content}


def assistant(content: str) -> dict[str, Any]:
    return {"role": "assistant", "content": content}


def sent_messages(emu: PuterEmulator) -> list[dict[str, Any]]:
    """The messages the last chat request carried."""
    messages = chat_calls(emu)[-1].args["messages"]
    assert isinstance(messages, list)
    return messages


def two_turns(client: PuterAI) -> list[dict[str, Any]]:
    client.chat("One")
    client.chat("Two")
    return client.chat_history


def test_an_appended_system_message_is_sent_with_the_next_chat(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat_history.append(SYSTEM)
        client.chat("Hello")

        assert sent_messages(emu) == [SYSTEM, user("Hello")]
        assert client.chat_history[0] == SYSTEM


def test_deleting_a_slice_trims_what_the_next_chat_sends(emu: PuterEmulator) -> None:
    with alice() as client:
        two_turns(client)
        del client.chat_history[:-2]
        client.chat("Three")

        assert sent_messages(emu)[:2] == [user("Two"), assistant(reply("Two", turns=2))]
        assert len(client.chat_history) == 4


def test_assigning_a_saved_conversation_restores_it(emu: PuterEmulator) -> None:
    with alice() as client:
        saved = json.loads(json.dumps(two_turns(client)))
    with alice() as restored:
        restored.chat_history = saved
        restored.chat("Three")

        assert sent_messages(emu)[:4] == saved
        assert restored.chat_history[:4] == saved


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda h: h.extend([SYSTEM, user("x")]), lambda h: [*h, SYSTEM, user("x")]),
        (lambda h: h.insert(0, SYSTEM), lambda h: [SYSTEM, *h]),
        (lambda h: h.__setitem__(slice(0, 2), [SYSTEM]), lambda h: [SYSTEM, *h[2:]]),
        (lambda h: h.__setitem__(0, SYSTEM), lambda h: [SYSTEM, *h[1:]]),
        (lambda h: h.clear(), lambda h: []),
        (lambda h: h.pop(), lambda h: h[:-1]),
        (lambda h: h.remove(h[0]), lambda h: h[1:]),
        (lambda h: h.reverse(), lambda h: h[::-1]),
        (lambda h: h.__iadd__([SYSTEM]), lambda h: [*h, SYSTEM]),
    ],
    ids=["extend", "insert", "slice-assignment", "item-assignment", "clear", "pop", "remove",
         "reverse", "iadd"],
)  # fmt: skip
def test_an_in_place_edit_takes_effect_on_the_client(
    emu: PuterEmulator, edit: Any, expected: Any
) -> None:
    with alice() as client:
        before = two_turns(client)
        edit(client.chat_history)

        assert client.chat_history == expected(before)


def test_the_edited_list_itself_shows_the_edit(emu: PuterEmulator) -> None:
    with alice() as client:
        history = two_turns(client)
        history.append(SYSTEM)
        history.append(user("again"))

        assert history == client.chat_history
        assert history[-2:] == [SYSTEM, user("again")]


@pytest.mark.parametrize(
    ("bad", "error"),
    [
        ({"content": "no role"}, ValueError),
        ({"role": "wizard", "content": "x"}, ValueError),
        ({"role": "user", "content": 42}, ValueError),
        ({"role": "user", "content": math.nan}, ValueError),
        ({"role": "user", "content": "\ud800"}, ValueError),
        ("just a string", TypeError),
        (["role", "user"], TypeError),
    ],
    ids=["no-role", "unknown-role", "non-text-content", "nan", "lone-surrogate", "str", "list"],
)
def test_a_malformed_message_is_refused_and_changes_nothing(
    emu: PuterEmulator, bad: Any, error: type[Exception]
) -> None:
    with alice() as client:
        history = two_turns(client)
        before = list(history)

        with pytest.raises(error, match=r"chat_history\[4\]"):
            history.append(bad)

        assert history == before
        assert client.chat_history == before


def test_assigning_something_that_is_not_a_list_of_messages_changes_nothing(
    emu: PuterEmulator,
) -> None:
    with alice() as client:
        before = two_turns(client)

        with pytest.raises(TypeError, match="chat_history must be a list of messages"):
            client.chat_history = "Hello"  # type: ignore[assignment]
        with pytest.raises(ValueError, match=r"chat_history\[1\]"):
            client.chat_history = [SYSTEM, {"role": "nobody"}]

        assert client.chat_history == before


def test_an_edit_through_a_list_read_before_a_chat_completed_is_refused(
    emu: PuterEmulator,
) -> None:
    with alice() as client:
        stale = client.chat_history
        client.chat("Hello")

        with pytest.raises(RuntimeError, match=r"read client\.chat_history again"):
            stale.append(SYSTEM)

        assert client.chat_history == [user("Hello"), assistant(reply("Hello"))]


def test_a_failed_chat_leaves_an_edited_history_as_it_was(emu: PuterEmulator) -> None:
    emu.inject("/drivers/call", status=400)
    with alice() as client:
        client.chat_history = [SYSTEM]
        with pytest.raises(Exception, match="400"):
            client.chat("Hello")

        assert client.chat_history == [SYSTEM]


async def test_async_calls_send_the_edited_history(emu: PuterEmulator) -> None:
    async with alice() as client:
        client.chat_history.append(SYSTEM)
        await client.async_chat("Hello")

        assert sent_messages(emu) == [SYSTEM, user("Hello")]


def test_the_history_prints_and_serialises_as_a_plain_list(emu: PuterEmulator) -> None:
    with alice() as client:
        client.chat("Hello!")

        assert isinstance(client.chat_history, list)
        assert repr(client.chat_history) == repr([user("Hello!"), assistant(reply("Hello!"))])
        assert json.loads(json.dumps(client.chat_history)) == client.chat_history


# --- a property: any sequence of edits acts as on a plain list ---------------------------

MESSAGES = st.builds(
    lambda role, text: {"role": role, "content": text},
    st.sampled_from(["system", "user", "assistant"]),
    st.text(min_size=1, max_size=5),  # the server refuses an empty content
)
EDITS = st.one_of(
    st.tuples(st.just("append"), MESSAGES),
    st.tuples(st.just("insert"), st.integers(-3, 3), MESSAGES),
    st.tuples(st.just("delitem"), st.integers(-3, 3)),
    st.tuples(st.just("delslice"), st.integers(-3, 3), st.integers(-3, 3)),
    st.tuples(st.just("setslice"), st.integers(-3, 3), st.lists(MESSAGES, max_size=2)),
    st.tuples(st.just("extend"), st.lists(MESSAGES, max_size=2)),
    st.tuples(st.just("clear")),
)


def apply(edit: tuple[Any, ...], target: list[dict[str, Any]]) -> None:
    kind, *args = edit
    if kind == "append":
        target.append(args[0])
    elif kind == "insert":
        target.insert(args[0], args[1])
    elif kind == "delitem":
        if target:
            del target[args[0] % len(target)]
    elif kind == "delslice":
        del target[args[0] : args[1]]
    elif kind == "setslice":
        target[args[0] :] = args[1]
    elif kind == "extend":
        target.extend(args[0])
    else:
        target.clear()


@settings(max_examples=examples(100), deadline=None)
@given(edits=st.lists(EDITS, max_size=8))
def test_any_sequence_of_edits_acts_as_on_a_plain_list(edits: list[tuple[Any, ...]]) -> None:
    client = PuterAI(token="unused")  # edits make no request
    model: list[dict[str, Any]] = []
    history = client.chat_history
    for edit in edits:
        apply(edit, model)
        apply(edit, history)

        assert history == model
        assert client.chat_history == model
