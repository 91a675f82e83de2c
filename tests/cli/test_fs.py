"""``puter fs ...`` against the emulator, as a user runs it (logged in with a saved token)."""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path

import pytest

from puter_client.cli.fs import human_size
from puter_client.core.credentials import SavedLogin

from .support import RunPuter

pytestmark = pytest.mark.usefixtures("logged_in")


def test_put_then_get_round_trips_a_file_without_progress_output_off_a_terminal(
    run_puter: RunPuter, tmp_path: Path
) -> None:
    local = tmp_path / "big.bin"
    local.write_bytes(bytes(range(256)) * 8192)  # 2 MiB: a bar on a terminal
    back = tmp_path / "back"
    back.mkdir()

    put = run_puter("fs", "put", str(local), "Documents/")
    get = run_puter("fs", "get", "Documents/big.bin", str(back))

    assert (put.returncode, put.stdout, put.stderr) == (0, "/alice/Documents/big.bin\n", "")
    assert (get.returncode, get.stderr) == (0, "")
    assert (back / "big.bin").read_bytes() == local.read_bytes()


def test_ls_lists_names_with_a_slash_for_folders_and_json_entries(run_puter: RunPuter) -> None:
    run_puter("fs", "mkdir", "proj")

    plain = run_puter("fs", "ls")
    as_json = json.loads(run_puter("fs", "ls", "--json").stdout)

    assert "proj/" in plain.stdout.splitlines()
    proj = next(e for e in as_json if e["name"] == "proj")
    assert proj["is_dir"] is True and proj["path"] == "/alice/proj"


def test_cat_prints_the_bytes(run_puter: RunPuter, tmp_path: Path) -> None:
    local = tmp_path / "hello.txt"
    local.write_text("hello\n")
    run_puter("fs", "put", str(local))

    assert run_puter("fs", "cat", "hello.txt").stdout == "hello\n"


def test_cat_json_gives_text_or_base64_never_lossy_text(
    run_puter: RunPuter, tmp_path: Path
) -> None:
    (tmp_path / "t.txt").write_text("héllo")
    (tmp_path / "b.bin").write_bytes(b"\xff\x00\xfe")
    run_puter("fs", "put", str(tmp_path / "t.txt"))
    run_puter("fs", "put", str(tmp_path / "b.bin"))

    text = json.loads(run_puter("fs", "cat", "t.txt", "--json").stdout)
    binary = json.loads(run_puter("fs", "cat", "b.bin", "--json").stdout)

    assert text == {"path": "t.txt", "text": "héllo"}
    assert binary == {"path": "b.bin", "base64": "/wD+"}


def test_mkdir_mv_cp_rm_and_stat(run_puter: RunPuter, tmp_path: Path) -> None:
    local = tmp_path / "a.txt"
    local.write_text("a")
    run_puter("fs", "put", str(local))

    assert run_puter("fs", "mkdir", "-p", "x/y").stdout == "/alice/x/y\n"
    assert run_puter("fs", "mv", "a.txt", "x/y").stdout == "/alice/x/y/a.txt\n"
    assert run_puter("fs", "cp", "x/y/a.txt", "x/b.txt").stdout == "/alice/x/b.txt\n"
    stat = json.loads(run_puter("fs", "stat", "x/b.txt", "--json").stdout)
    assert (stat["size"], stat["is_dir"]) == (1, False)
    assert run_puter("fs", "rm", "-r", "x").returncode == 0
    assert run_puter("fs", "stat", "x").returncode != 0


def test_df_reports_used_and_capacity_as_json(run_puter: RunPuter) -> None:
    usage = json.loads(run_puter("fs", "df", "--json").stdout)

    assert usage["used"] == 0 and usage["capacity"] > 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("fs", "cat", "nope.txt"), "Entry not found"),
        (("fs", "ls", "../up"), "'..'"),
        (("fs", "mkdir", "Documents"), "already exists"),
    ],
)
def test_a_failure_is_one_error_line(
    run_puter: RunPuter, args: tuple[str, ...], message: str
) -> None:
    result = run_puter(*args)

    assert result.returncode != 0
    assert result.stderr.startswith("puter: error: ") and result.stderr.count("\n") == 1
    assert message in result.stderr


def test_the_saved_token_is_used(run_puter: RunPuter, logged_in: SavedLogin) -> None:
    assert run_puter("fs", "ls").returncode == 0


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_large_transfer_shows_a_progress_bar_on_a_terminal_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from puter_client.cli import fs as cli_fs

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli_fs._bar(4 << 20, "big.bin") as advance:
        assert advance is not None
        advance(4 << 20)
    with cli_fs._bar(10, "small.txt") as small:
        assert small is None
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with cli_fs._bar(4 << 20, "big.bin") as piped:
        assert piped is None

    assert "big.bin" in terminal.getvalue() and "100%" in terminal.getvalue()


def test_a_rewound_upload_takes_its_progress_back() -> None:
    from puter_client.cli import fs as cli_fs

    steps: list[int] = []
    reader = cli_fs._CountingReader(io.BytesIO(b"abcdef"), steps.append)
    reader.seek(0, os.SEEK_END)
    reader.seek(0)
    reader.read(4)
    reader.seek(0)  # a retry sends it again

    assert steps == [4, -4]


def test_put_r_then_get_r_round_trips_a_folder(run_puter: RunPuter, tmp_path: Path) -> None:
    source = tmp_path / "photos"
    (source / "sub").mkdir(parents=True)
    (source / "a.txt").write_text("a")
    (source / "sub" / "b.bin").write_bytes(b"\x00" * 3)
    (source / "empty").mkdir()
    back = tmp_path / "back"
    back.mkdir()

    put = run_puter("fs", "put", "-r", str(source), "Documents")
    get = run_puter("fs", "get", "-r", "Documents/photos", str(back))

    assert (put.returncode, put.stderr) == (0, "")
    assert put.stdout == "/alice/Documents/photos (2 files, 4 bytes)\n"
    assert (get.returncode, get.stderr) == (0, "")
    assert (back / "photos" / "a.txt").read_text() == "a"
    assert (back / "photos" / "sub" / "b.bin").read_bytes() == b"\x00" * 3
    assert (back / "photos" / "empty").is_dir()


def test_put_of_a_folder_without_r_says_it_is_a_directory(
    run_puter: RunPuter, tmp_path: Path
) -> None:
    result = run_puter("fs", "put", str(tmp_path))

    assert result.returncode != 0
    assert (
        result.stderr
        == f"puter: error: {tmp_path} is a directory (use put -r to upload a folder)\n"
    )


def test_put_r_with_a_taken_file_and_no_overwrite_is_one_error_line(
    run_puter: RunPuter, tmp_path: Path
) -> None:
    source = tmp_path / "p"
    source.mkdir()
    (source / "a.txt").write_text("a")
    (source / "b.txt").write_text("b")
    run_puter("fs", "put", "-r", str(source), "Documents")

    again = run_puter("fs", "put", "-r", "--no-overwrite", str(source), "Documents")

    assert again.returncode != 0
    assert again.stderr.startswith("puter: error: 2 files failed, 0 done")
    assert again.stderr.count("\n") == 1


def test_a_folder_transfer_draws_one_bar_of_bytes_and_files_on_a_terminal(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from puter_client.cli import fs as cli_fs
    from puter_client.services.fs.transfer import TransferProgress

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with cli_fs._transfer_bar("photos") as progress:
        assert progress is not None
        progress(TransferProgress(0, 2048, 0, 2))
        progress(TransferProgress(2048, 2048, 2, 2))
    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with cli_fs._transfer_bar("photos") as piped:
        assert piped is None

    assert "photos" in terminal.getvalue() and "2/2 files" in terminal.getvalue()
    assert "100%" in terminal.getvalue()


def test_ls_hides_dot_names_unless_all_and_l_shows_size_and_time(
    run_puter: RunPuter, tmp_path: Path
) -> None:
    local = tmp_path / "a.txt"
    local.write_text("hello")
    run_puter("fs", "put", str(local), "d/a.txt", "-p")
    run_puter("fs", "put", str(local), "d/.hidden", "-p")
    run_puter("fs", "mkdir", "d/sub")

    plain = run_puter("fs", "ls", "d").stdout.splitlines()
    every = run_puter("fs", "ls", "-l", "--all", "d").stdout.splitlines()
    by_size = run_puter("fs", "ls", "--sort", "size", "--reverse", "d").stdout.splitlines()

    assert plain == ["a.txt", "sub/"]
    assert [line.split()[-1] for line in every] == [".hidden", "a.txt", "sub/"]
    assert every[1].split()[0] == "5" and every[2].split()[0] == "-"
    assert by_size == ["a.txt", "sub/"]


def test_ls_l_shows_sizes_human_readable_and_b_in_bytes(
    run_puter: RunPuter, tmp_path: Path
) -> None:
    local = tmp_path / "big.bin"
    local.write_bytes(b"x" * 1_536)
    run_puter("fs", "put", str(local), "d/big.bin", "-p")

    [human] = run_puter("fs", "ls", "-l", "d").stdout.splitlines()
    [exact] = run_puter("fs", "ls", "-l", "-b", "d").stdout.splitlines()

    assert human.split()[0] == "1.5K"
    assert exact.split()[0] == "1536"


def test_df_is_human_readable_unless_b(run_puter: RunPuter) -> None:
    human = run_puter("fs", "df").stdout.strip()
    exact = run_puter("fs", "df", "-b").stdout.strip()

    assert human.endswith(" used") and "bytes" not in human
    assert exact.endswith(" bytes used")


@pytest.mark.parametrize(
    ("count", "shown"),
    [(0, "0"), (1023, "1023"), (1024, "1.0K"), (1536, "1.5K"), (10 * 1024, "10K"),
     (20 * 1024**2, "20M"), (3 * 1024**3 + 1024**3 // 10, "3.1G"), (1024**6, "1024P")],
)  # fmt: skip
def test_sizes_are_shown_as_ls_h_shows_them(count: int, shown: str) -> None:
    assert human_size(count) == shown
