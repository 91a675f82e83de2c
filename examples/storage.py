"""Storage: Puter's cloud file system (``client.fs``) from Python.

Reads PUTER_USERNAME / PUTER_PASSWORD (and PUTER_API_BASE / PUTER_LOGIN_URL) from the
environment. Everything it creates lives under ~/sdk-example, removed at the end.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from puter import Puter
from puter.exceptions import PuterFileNotFoundError


# ------------------------------------------------------------------- file system (fs)
def file_system_demo(client: Puter) -> None:
    fs = client.fs
    fs.mkdir("sdk-example", exist_ok=True)  # relative paths live under ~/

    entry = fs.write("sdk-example/notes/hello.txt", "Hello, Puter!", create_parents=True)
    print(f"wrote {entry.path} ({entry.size} bytes)")
    print(f"read back: {fs.read_text('sdk-example/notes/hello.txt')}")
    print(f"bytes 7-11: {fs.read('sdk-example/notes/hello.txt', offset=7, length=5)!r}")

    with tempfile.TemporaryDirectory() as folder:
        local = Path(folder) / "data.bin"
        local.write_bytes(bytes(range(256)) * 4096)  # 1 MiB, streamed from disk
        fs.write("sdk-example/data.bin", local)
        copy = fs.download("sdk-example/data.bin", Path(folder) / "copy.bin")
        same = copy.read_bytes() == local.read_bytes()
        print(f"downloaded {copy.stat().st_size} bytes, same as sent: {same}")

    fs.copy("sdk-example/notes/hello.txt", "sdk-example/hello-copy.txt")
    fs.move("sdk-example/hello-copy.txt", "sdk-example/notes")  # into the folder
    fs.rename("sdk-example/notes/hello-copy.txt", "greeting.txt")
    print("notes:", [e.name for e in fs.listdir("sdk-example/notes")])

    try:
        fs.read("sdk-example/missing.txt")
    except FileNotFoundError as error:  # also a PuterFileNotFoundError, a PuterAPIError
        assert isinstance(error, PuterFileNotFoundError)
        print(f"missing file: {error.code}")

    fs.delete("sdk-example", recursive=True)  # permanent: nothing goes to the Trash
    print(f"still there after delete: {fs.exists('sdk-example')}")
    usage = fs.usage()
    print(f"storage: {usage.used} of {usage.capacity} bytes used")


def main() -> None:
    with Puter() as client:
        client.login()
        file_system_demo(client)


if __name__ == "__main__":
    main()
