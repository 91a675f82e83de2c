"""LangChain on Puter: a prompt | model chain, a chain with a tool, streaming, and the
key-value store as a LangChain byte store.

Needs the ``langchain`` extra: ``pip install 'puter-client[langchain]'``.
Credentials come from ``PUTER_USERNAME`` / ``PUTER_PASSWORD``, as for ``PuterAI()``.
"""

from __future__ import annotations

from langchain_core.messages import BaseMessage
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.tools import tool

from puter.langchain import ChatPuter, PuterByteStore


@tool
def get_weather(city: str) -> str:
    """The current weather in a city."""
    return f"18 C and sunny in {city}"  # a real tool would call a weather service


PROMPT = ChatPromptTemplate.from_messages(
    [("system", "You are a helpful weather assistant."), ("human", "{question}")]
)


def main() -> None:
    llm = ChatPuter(model="gpt-4o-mini", temperature=0.2)

    # 1. A plain chain: prompt -> model -> text.
    chain = PROMPT | llm | StrOutputParser()
    print(f"chain: {chain.invoke({'question': 'Is it a good day for a walk?'})}")

    # 2. A chain with a tool: the model asks for it, we run it, the model answers.
    llm_with_tools = llm.bind_tools([get_weather])
    messages: list[BaseMessage] = PROMPT.invoke({"question": "Paris"}).to_messages()
    while True:
        ai = llm_with_tools.invoke(messages)
        messages.append(ai)
        if not ai.tool_calls:
            break
        for call in ai.tool_calls:
            print(f"tool call: {call['name']}({call['args']})")
            messages.append(get_weather.invoke(call))
    print(f"answer: {ai.content}")
    if ai.usage_metadata is not None:
        usage = ai.usage_metadata
        print(f"tokens: {usage['input_tokens']} in, {usage['output_tokens']} out")

    # 3. The same chain, streamed.
    pieces = list(chain.stream({"question": "Will it rain?"}))
    print(f"streamed in {len(pieces)} pieces: {''.join(pieces)}")

    # 4. Puter's key-value store as a LangChain ByteStore (caches, document stores).
    store = PuterByteStore(llm.puter_client, namespace="langchain-example/")
    store.mset([("greeting", b"hello"), ("data", bytes([0, 1, 2]))])
    print(f"store: {store.mget(['greeting', 'data', 'missing'])}")
    print(f"store keys: {sorted(store.yield_keys())}")
    store.mdelete(["greeting", "data"])
    print(f"store keys after mdelete: {list(store.yield_keys())}")


if __name__ == "__main__":
    main()
