"""Model switching: list the models, then ask the same question of several."""

from __future__ import annotations

from puter import PuterAI


def main() -> None:
    with PuterAI() as client:
        client.login()
        print(f"Current model: {client.current_model}")

        models = client.get_available_models()
        print(f"Available models: {len(models)}")
        for model in models[:5]:
            print(f"  • {model}")

        question = "Explain quantum computing in simple terms."
        for model in ["gpt-4", "claude-3.5-sonnet", "gemini-pro"]:
            if model in models:
                client.set_model(model)
                client.clear_chat_history()  # fresh conversation
                response = client.chat(question)
                print(f"\n{model} ({client.available_models[model]}):")
                print(response[:200] + "...")

        print(f"\nset_model('no-such-model') -> {client.set_model('no-such-model')}")
        print(f"Current model: {client.current_model}")


if __name__ == "__main__":
    main()
