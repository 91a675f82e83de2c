"""Tool calls: the model asks for a tool, we run it and send the result back."""

from __future__ import annotations

from typing import Any

from puter import PuterAI

WEATHER_TOOL = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The current weather in a city.",
        "parameters": {
            "type": "object",
            "properties": {"city": {"type": "string"}},
            "required": ["city"],
        },
    },
}


def get_weather(city: str) -> dict[str, Any]:
    """Our local tool (a real one would call a weather service)."""
    return {"city": city, "temperature_c": 18, "sky": "sunny"}


def main() -> None:
    with PuterAI() as client:
        client.login()
        for model in ("gpt-4o", "claude-opus-4"):
            client.clear_chat_history()
            reply = client.chat("What's the weather in Paris?", model=model, tools=[WEATHER_TOOL])
            calls = client.pending_tool_calls
            print(f"{model}: reply {reply!r}, tool calls: {[(c.name, c.arguments) for c in calls]}")

            results = {call.id: get_weather(**call.arguments) for call in calls}
            reply = client.chat(model=model, tool_results=results, tools=[WEATHER_TOOL])
            print(f"{model}: after the tool: {reply}")
            print(f"  history roles: {[m['role'] for m in client.chat_history]}")

        # The typed, stateless call: finish_reason, usage and tool calls with full types.
        completion = client.complete(
            [{"role": "user", "content": "Weather in Oslo?"}], model="gpt-4o", tools=[WEATHER_TOOL]
        )
        print(f"complete(): finish_reason={completion.finish_reason} calls={completion.tool_calls}")


if __name__ == "__main__":
    main()
