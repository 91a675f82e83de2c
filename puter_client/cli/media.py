"""The ``puter`` commands of AI media and the account.

    puter image PROMPT [-o out.png] [--puter-output-path PATH] [--model M] [--provider P]
                       [--driver D] [--width W --height H] [--quality Q] [--test-mode] [--json]
    puter video PROMPT [-o out.mp4] [--puter-output-path PATH] [--model M] [--provider P]
                       [--driver D] [--seconds S] [--size WxH] [--test-mode] [--json]
    puter speak TEXT -o out.mp3 [--voice V] [--engine E] [--provider P] [--model M]
                                [--language L] [--test-mode] [--json]
    puter speak --list-voices [--provider P|all] [--engine E] [--json]
    puter speak --list-engines [--provider P|all] [--json]
    puter speak --list-providers [--json]
    puter ocr IMAGE [--provider P] [--model M] [--test-mode] [--json]
    puter transcribe AUDIO [--translate] [--provider P] [--model M] [--language L]
                           [--prompt TEXT] [--test-mode] [--json]
    puter whoami [--json]
    puter usage [--json]

Generated files are written whole or not at all (``-o``); ``--puter-output-path`` has the
server also save an image or video in your Puter file system (either or both are needed);
with ``--json`` each command prints one JSON object instead of text.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from puter_client.cli.main import EXIT_OK, CliError, _client

if TYPE_CHECKING:
    from puter_client.services.media.results import MediaFile

__all__ = ["add_commands"]


def add_commands(commands: Any) -> None:
    """Add the media and account commands to the ``puter`` subparsers ``commands``."""
    image = commands.add_parser("image", help="generate an image from a prompt")
    image.add_argument("prompt", help="what the image should show")
    _generated(image, "image.png", "gpt-image-1")
    image.add_argument("--width", type=int, help="width in pixels (with --height)")
    image.add_argument("--height", type=int, help="height in pixels (with --width)")
    image.add_argument("--quality", help="low, medium or high")
    _common(image, test_mode=True)
    image.set_defaults(handler=_image)

    video = commands.add_parser("video", help="generate a video from a prompt")
    video.add_argument("prompt", help="what the video should show")
    _generated(video, "video.mp4", "sora-2")
    video.add_argument("--seconds", type=float, help="the length in seconds")
    video.add_argument("--size", help="the frame size, e.g. 1280x720")
    _common(video, test_mode=True)
    video.set_defaults(handler=_video)

    speak = commands.add_parser("speak", help="turn text into speech")
    speak.add_argument("text", nargs="?", help="what to say (at most 3,000 characters)")
    speak.add_argument("--output", "-o", metavar="FILE", help="the file to write (not a folder)")
    listing = speak.add_mutually_exclusive_group()
    listing.add_argument(
        "--list-voices", action="store_true", help="list the voices (of --provider, --engine)"
    )
    listing.add_argument(
        "--list-engines", action="store_true", help="list the engines (of --provider)"
    )
    listing.add_argument(
        "--list-providers", action="store_true", help="list the configured providers"
    )
    speak.add_argument("--voice", help="the voice, e.g. Joanna")
    speak.add_argument("--engine", help="the engine, e.g. neural")
    speak.add_argument("--provider", help="the provider, e.g. aws-polly or openai")
    speak.add_argument("--model", "-m", help="the speech model")
    speak.add_argument("--language", help="the language code, e.g. en-US")
    _common(speak, test_mode=True)
    speak.set_defaults(handler=_speak)

    ocr = commands.add_parser("ocr", help="print the text of an image")
    ocr.add_argument("image", help="an image file or an http(s) URL")
    ocr.add_argument("--provider", help="aws-textract or mistral")
    ocr.add_argument("--model", "-m", help="the OCR model")
    _common(ocr, test_mode=True)
    ocr.set_defaults(handler=_ocr)

    transcribe = commands.add_parser("transcribe", help="print the text of a recording")
    transcribe.add_argument("audio", help="an audio file or an http(s) URL")
    transcribe.add_argument("--translate", action="store_true", help="translate into English")
    transcribe.add_argument("--provider", help="openai or xai")
    transcribe.add_argument("--model", "-m", help="the transcription model")
    transcribe.add_argument("--language", help="the language spoken, e.g. en")
    transcribe.add_argument("--prompt", help="text that guides the transcription")
    _common(transcribe, test_mode=True)
    transcribe.set_defaults(handler=_transcribe)

    whoami = commands.add_parser(
        "whoami", help="show the account and the server this command acts on, and why"
    )
    _common(whoami, test_mode=False)
    whoami.set_defaults(handler=_whoami)

    usage = commands.add_parser("usage", help="show this month's usage and allowance")
    _common(usage, test_mode=False)
    usage.set_defaults(handler=_usage)


def _generated(parser: argparse.ArgumentParser, example: str, model: str) -> None:
    """The options of a generated image or video: where it goes, who makes it."""
    parser.add_argument(
        "--output", "-o", metavar="FILE", help=f"the file to write, e.g. {example} (not a folder)"
    )
    parser.add_argument(
        "--puter-output-path",
        metavar="PATH",
        help=f"also have the server save it in your Puter file system, e.g. ~/{example}",
    )
    parser.add_argument("--model", "-m", help=f"the model, e.g. {model}")
    parser.add_argument("--provider", help="the provider, e.g. openai or xai")
    parser.add_argument("--driver", help="the driver (a provider's id), e.g. xai")


def _common(parser: argparse.ArgumentParser, *, test_mode: bool) -> None:
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    if test_mode:
        parser.add_argument(
            "--test-mode", action="store_true", help="ask for the server's free sample answer"
        )


# ------------------------------------------------------------------ commands


def _output(args: argparse.Namespace, example: str) -> Path:
    """``--output``, checked before anything is generated (a folder or a missing folder
    is refused, naming the real path)."""
    from puter_client.core.http.responses import local_target

    return local_target(args.output, example=example)


def _destinations(args: argparse.Namespace, kind: str, example: str) -> Path | None:
    """The local file to write (``--output``, checked before anything is generated), or
    None when only ``--puter-output-path`` is given; one of them is needed."""
    if args.output is None and args.puter_output_path is None:
        raise CliError(f"{kind} needs --output FILE or --puter-output-path PATH (or both)")
    return None if args.output is None else _output(args, example)


def _image(args: argparse.Namespace) -> int:
    target = _destinations(args, "image", "image.png")
    with _client(args) as client:
        image = client.txt2img(
            args.prompt, model=args.model, provider=args.provider, driver=args.driver,
            width=args.width, height=args.height, quality=args.quality,
            puter_output_path=args.puter_output_path, test_mode=args.test_mode,
        )  # fmt: skip
        path = image.save(target) if target is not None else None
    return _generated_result(image, path, args)


def _video(args: argparse.Namespace) -> int:
    target = _destinations(args, "video", "video.mp4")
    with _client(args) as client:
        video = client.txt2vid(
            args.prompt, model=args.model, provider=args.provider, driver=args.driver,
            seconds=args.seconds, size=args.size, puter_output_path=args.puter_output_path,
            test_mode=args.test_mode,
        )  # fmt: skip
        path = video.save(target) if target is not None else None
    return _generated_result(video, path, args)


def _generated_result(media: MediaFile, path: Path | None, args: argparse.Namespace) -> int:
    """What a generating command prints: the local file (as ``_saved``) and the Puter
    path the server saved it at."""
    stored = args.puter_output_path
    if path is not None and not (args.json and stored):
        _saved(media, path, args.json)
    elif args.json:
        url = media.url if media.url and not media.url.startswith("data:") else None
        size = path.stat().st_size if path is not None else None
        print(json.dumps({"path": None if path is None else str(path),
                          "content_type": media.content_type, "bytes": size, "url": url,
                          "puter_output_path": stored}))  # fmt: skip
    if stored and not args.json:
        print(f"Saved on Puter at {stored}")
    return EXIT_OK


#: Audio file extensions and the media types each may hold.
AUDIO_TYPES = {
    ".mp3": {"audio/mpeg", "audio/mp3"},
    ".wav": {"audio/wav", "audio/x-wav", "audio/wave", "audio/vnd.wave"},
    ".ogg": {"audio/ogg", "audio/opus"},
    ".opus": {"audio/opus", "audio/ogg"},
    ".flac": {"audio/flac", "audio/x-flac"},
    ".aac": {"audio/aac"},
    ".m4a": {"audio/mp4", "audio/x-m4a", "audio/m4a"},
    ".webm": {"audio/webm"},
}


def _extension_for(content_type: str) -> str | None:
    return next((ext for ext, types in AUDIO_TYPES.items() if content_type in types), None)


def _speak(args: argparse.Namespace) -> int:
    if args.list_voices or args.list_engines or args.list_providers:
        return _speech_listing(args)
    if args.text is None or args.output is None:
        raise CliError("speak needs TEXT and --output FILE (or --list-voices)")
    target = _output(args, "speech.mp3")
    allowed = AUDIO_TYPES.get(target.suffix.lower())
    if allowed is None:  # refused before anything is generated
        raise CliError(
            f"{target}: name an audio file ({', '.join(AUDIO_TYPES)}); the file is written "
            "only when the audio is of the type its extension says"
        )
    staged = target.with_name(f".{target.name}.{os.getpid()}.speak")
    try:
        with _client(args) as client:
            audio = client.txt2speech(
                args.text, voice=args.voice, engine=args.engine, provider=args.provider,
                model=args.model, language=args.language, test_mode=args.test_mode,
                save_to=staged,
            )  # fmt: skip
        if audio.content_type not in allowed:
            better = _extension_for(audio.content_type)
            hint = f": name the file {target.with_suffix(better).name}" if better else ""
            raise CliError(
                f"the server sent {audio.content_type}, not the {target.suffix} audio "
                f"{target.name} names; nothing written{hint}"
            )
        os.replace(staged, target)
    finally:
        with contextlib.suppress(OSError):
            staged.unlink()
    return _saved(audio, target, args.json)


def _speech_listing(args: argparse.Namespace) -> int:
    from puter_client.core.serialization import unstructure

    with _client(args) as client:
        if args.list_providers:
            providers = client.list_tts_providers()
            print(json.dumps(providers) if args.json else "\n".join(providers))
            return EXIT_OK
        if args.list_engines:
            rows: list[Any] = client.list_tts_engines(args.provider)
            lines = [
                f"{e.id}\t{e.provider or ''}\t{e.name or ''}"
                + (f"\t{e.pricing_per_million_chars}/M chars"
                   if e.pricing_per_million_chars is not None else "")
                for e in rows
            ]  # fmt: skip
        else:
            rows = client.list_voices(args.provider, engine=args.engine)
            lines = [
                f"{v.id}\t{v.provider or ''}\t"
                + (v.language.code or "" if v.language is not None else "")
                for v in rows
            ]
    if args.json:
        print(json.dumps(unstructure(rows), ensure_ascii=False))
    else:
        for line in lines:
            print(line.rstrip("\t"))
    return EXIT_OK


def _saved(media: MediaFile, path: Path, as_json: bool) -> int:
    size = path.stat().st_size
    if as_json:
        url = media.url if media.url and not media.url.startswith("data:") else None
        print(json.dumps({"path": str(path), "content_type": media.content_type,
                          "bytes": size, "url": url}))  # fmt: skip
    else:
        print(f"Saved {media.content_type} to {path} ({size:,} bytes)")
    return EXIT_OK


def _dollars(amount: Decimal) -> float:
    """A dollar amount as a JSON number: the decimal's own digits (a float's shortest
    repr round-trips them), not a string."""
    return float(amount)


def _ocr(args: argparse.Namespace) -> int:
    with _client(args) as client:
        result = client.ocr(
            args.image, provider=args.provider, model=args.model, test_mode=args.test_mode
        )
    if args.json:
        blocks = [
            {"type": b.type, "confidence": b.confidence, "text": b.text} for b in result.blocks
        ]
        print(json.dumps({"text": result.text, "blocks": blocks}))
    else:
        print(result.text)
    return EXIT_OK


def _transcribe(args: argparse.Namespace) -> int:
    with _client(args) as client:
        transcript = client.speech2txt(
            args.audio, translate=args.translate, provider=args.provider, model=args.model,
            language=args.language, prompt=args.prompt, test_mode=args.test_mode,
        )  # fmt: skip
    if args.json:
        words = [{"start": w.start, "end": w.end, "text": w.text} for w in transcript.words]
        print(json.dumps({"text": transcript.text, "language": transcript.language,
                          "duration": transcript.duration, "model": transcript.model,
                          "words": words}))  # fmt: skip
    else:
        print(transcript.text)
    return EXIT_OK


def _whoami(args: argparse.Namespace) -> int:
    from puter_client.core.serialization import unstructure

    with _client(args) as client:
        account = client.whoami()
    server, source = getattr(args, "server", None), getattr(args, "login_source", None)
    if args.json:
        print(json.dumps({**unstructure(account.whoami), "server": server, "login": source}))
        return EXIT_OK
    kind = "temporary account" if account.is_temp else "account"
    confirmed = "confirmed" if account.email_confirmed else "not confirmed"
    print(f"{account.username} ({kind}, uuid {account.uuid})")
    print(f"server: {server}")
    print(f"login: {source}")
    if account.email:
        print(f"e-mail: {account.email} ({confirmed})")
    if account.created is not None:
        print(f"created: {account.created:%Y-%m-%d %H:%M} UTC")
    return EXIT_OK


def _usage(args: argparse.Namespace) -> int:
    with _client(args) as client:
        usage = client.usage()
    if args.json:
        # Amounts in the server's unit (``unit``: micro-cents), and in US dollars as
        # decimal numbers (``*_usd``); ``units`` says which is which.
        print(json.dumps({
            "by_type": {name: {"units": row.units, "cost": row.cost,
                               "cost_usd": _dollars(row.cost_usd), "count": row.count}
                        for name, row in usage.by_type.items()},
            "total": usage.total, "total_usd": _dollars(usage.total_usd),
            "allowance_monthly": usage.allowance_monthly,
            "allowance_remaining": usage.allowance_remaining,
            "allowance_remaining_usd": _dollars(usage.allowance_remaining_usd),
            "unit": usage.unit,
            "units": {"total": usage.unit, "allowance_monthly": usage.unit,
                      "allowance_remaining": usage.unit, "by_type.cost": usage.unit,
                      "by_type.units": "the usage type's own unit (tokens, bytes, calls...)",
                      "total_usd": "USD", "allowance_remaining_usd": "USD",
                      "by_type.cost_usd": "USD"},
        }))  # fmt: skip
        return EXIT_OK
    width = max((len(name) for name in usage.by_type), default=0)
    for name, row in sorted(usage.by_type.items()):
        print(f"{name:<{width}}  {row.units:>12,g} units  ${row.cost_usd:.6f}  ({row.count} calls)")
    print(f"total this month: ${usage.total_usd:.6f}")
    print(f"allowance left:   ${usage.allowance_remaining_usd:.6f}")
    return EXIT_OK
