"""Signed and shared access against the emulator, blocking and async: signed URLs read
with plain httpx and no token, read URLs and their revocation, shares between two
accounts (the second one a temporary account made with ``POST /signup``), and the
account's hosted folders."""

from __future__ import annotations

import asyncio
import errno
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from puter import PuterAI
from puter.exceptions import (
    PuterAuthError,
    PuterBadRequestError,
    PuterInputError,
    PuterNotFoundError,
    PuterPermissionError,
)
from puter.types import PuterShareError, Share, SignedURL, Uid
from puter_client.emulator import PuterEmulator
from tests.services.fs.conftest import FsCall
from tests.support.emulated import alice

Bob = tuple[str, FsCall]


def temporary_account(emu: PuterEmulator) -> tuple[str, PuterAI]:
    """A new temporary account, as puter.js's guests get one: ``POST /signup``."""
    answer = httpx.post(f"{emu.web_origin}/signup", json={"is_temp": True}, timeout=10)
    answer.raise_for_status()
    body = answer.json()
    client = PuterAI(
        token=body["token"], api_base=emu.api_base, login_url=emu.login_url, retry_delay=0.01
    )
    return body["user"]["username"], client


@pytest.fixture
def bob(v2_emu: PuterEmulator, fs_call: Callable[[PuterAI], FsCall]) -> Bob:
    """A second account (a temporary one) and its file system, run as ``fs`` is."""
    name, client = temporary_account(v2_emu)
    return name, fs_call(client)


def later(emu: PuterEmulator, seconds: float) -> None:
    """Move the emulator's clock ``seconds`` ahead (restored by the next reset)."""
    emu.state.clock = lambda: time.time() + seconds


def api_requests(emu: PuterEmulator) -> list[Any]:
    return [r for r in emu.requests if r.host == "api"]


# ------------------------------------------------------------------------ signed URLs


def test_a_signed_url_is_read_with_plain_httpx_and_no_token(fs: FsCall) -> None:
    fs("write", "Documents/report.txt", "quarterly numbers")

    signed = fs("sign", "Documents/report.txt")

    answer = httpx.get(signed.url)
    assert (answer.status_code, answer.text) == (200, "quarterly numbers")
    assert "authorization" not in {k.lower() for k in answer.request.headers}
    assert httpx.get(signed.url, headers={"Range": "bytes=10-16"}).text == "numbers"


def test_a_signed_url_describes_the_entry_and_never_expires_for_its_owner(fs: FsCall) -> None:
    entry = fs("write", "Documents/report.txt", "data")

    signed = fs("sign", Uid(entry.uid))

    assert isinstance(signed, SignedURL)
    assert (signed.uid, signed.name, signed.path) == (entry.uid, "report.txt", entry.path)
    assert (signed.is_dir, signed.size, signed.content_type) == (False, 4, "text/plain")
    assert signed.expires is not None and signed.expires > time.time() + 10**12
    assert signed.expires_at is None  # past year 9999: never
    assert signed.write_url is None and not signed.writable


def test_the_repr_of_a_signed_url_holds_no_signature(fs: FsCall) -> None:
    fs("write", "a.txt", "x")

    signed = fs("sign", "a.txt", write=True)

    assert signed.signature and signed.signature not in repr(signed)
    assert "signature=" not in repr(signed) and "http" not in repr(signed)


def test_a_tampered_signature_is_refused_as_the_server_refuses_it(fs: FsCall) -> None:
    fs("write", "a.txt", "secret")
    signed = fs("sign", "a.txt")
    assert signed.signature is not None
    forged = signed.url.replace(signed.signature, "0" * len(signed.signature))

    answer = httpx.get(forged)

    assert answer.status_code == 403
    assert answer.json()["code"] == "forbidden"
    assert answer.json()["message"] == "Authentication failed"


def test_a_signature_over_someone_elses_file_lasts_an_hour_then_is_refused(
    fs: FsCall, bob: Bob, v2_emu: PuterEmulator
) -> None:
    name, bob_fs = bob
    fs("write", "Documents/shared.txt", "for bob")
    fs("share", "Documents/shared.txt", name)
    path = bob_fs("list_shared")[0].path

    signed = bob_fs("sign", path)

    assert signed.expires is not None and abs(signed.expires - (time.time() + 3600)) < 120
    assert httpx.get(signed.url).text == "for bob"
    later(v2_emu, 3700)
    expired = httpx.get(signed.url)
    assert expired.status_code == 403
    assert expired.json()["message"] == "Authentication failed. Signature expired."


def test_a_write_signature_is_given_only_where_the_signer_may_write(fs: FsCall, bob: Bob) -> None:
    name, bob_fs = bob
    fs("write", "Documents/read-only.txt", "r")
    fs("share", "Documents/read-only.txt", name, mode="read")

    own = fs("sign", "Documents/read-only.txt", write=True)
    theirs = bob_fs("sign", bob_fs("list_shared")[0].path, write=True)

    assert own.writable and own.write_url is not None and "/writeFile?" in own.write_url
    assert not theirs.writable  # signed for reading only, silently, as the server does
    assert httpx.get(theirs.url).text == "r"


def test_a_write_url_replaces_the_bytes_with_the_writers_token(
    fs: FsCall, v2_emu: PuterEmulator
) -> None:
    fs("write", "notes.txt", "old")
    signed = fs("sign", "notes.txt", write=True)
    token = {"Authorization": f"Bearer {v2_emu.token_for('alice')}"}

    anonymous = httpx.post(signed.write_url, files={"file": ("notes.txt", b"x")})
    written = httpx.post(signed.write_url, files={"file": ("notes.txt", b"new")}, headers=token)

    assert anonymous.status_code == 401
    assert written.status_code == 200 and written.json()["uid"] == signed.uid
    assert fs("read_text", "notes.txt") == "new"


def test_a_signed_folder_url_lists_its_children_with_read_urls(fs: FsCall) -> None:
    fs("write", "album/a.txt", "A", create_parents=True)
    fs("write", "album/b.txt", "B")

    listing = httpx.get(fs("sign", "album").url).json()

    assert [child["fsentry_name"] for child in listing] == ["a.txt", "b.txt"]
    assert all("write_url" not in child for child in listing)
    assert httpx.get(listing[1]["read_url"]).text == "B"


def test_signing_nothing_is_file_not_found_with_the_path(fs: FsCall) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        fs("sign", "Documents/missing.txt")

    assert caught.value.errno == errno.ENOENT
    assert caught.value.filename == "~/Documents/missing.txt"


def test_sign_many_answers_none_where_nothing_was_signed(fs: FsCall) -> None:
    fs("write", "a.txt", "a")

    batch = fs("sign_many", ["a.txt", "missing.txt"])

    assert [s is not None for s in batch.items] == [True, False]
    assert batch.token is None
    assert httpx.get(batch.items[0].url).text == "a"


# ------------------------------------------------------------------------ read URLs


def test_a_read_url_reads_the_file_with_no_other_credential(fs: FsCall) -> None:
    fs("write", "photo.txt", "pixels")

    url = fs("get_read_url", "photo.txt", expires_in="1h")

    assert "/token-read?uid=" in url
    answer = httpx.get(url)
    assert (answer.status_code, answer.text) == (200, "pixels")
    assert answer.headers["content-type"].startswith("text/plain")


def test_a_read_url_reads_only_its_file(fs: FsCall, v2_emu: PuterEmulator) -> None:
    fs("write", "one.txt", "1")
    other = fs("write", "two.txt", "2")
    url = fs("get_read_url", "one.txt")

    stolen = httpx.get(url.replace("uid=", f"uid={other.uid}&was="))

    assert stolen.status_code == 404


def test_a_read_url_stops_working_when_it_expires(fs: FsCall, v2_emu: PuterEmulator) -> None:
    fs("write", "photo.txt", "pixels")
    url = fs("get_read_url", "photo.txt", expires_in=60)

    later(v2_emu, 120)

    assert httpx.get(url).status_code == 401


def test_a_revoked_read_url_is_refused(fs: FsCall, v2_emu: PuterEmulator) -> None:
    fs("write", "photo.txt", "pixels")
    url = fs("get_read_url", "photo.txt")

    fs("revoke_read_url", url)

    assert httpx.get(url).status_code == 401
    revoke = v2_emu.requests_to("/auth/revoke-access-token")[-1].json
    assert revoke["tokenOrUuid"] == httpx.URL(url).params["token"]  # the token, not the URL
    assert revoke["anti_csrf"]  # a fresh one-use token from the web host:
    assert [r.host for r in v2_emu.requests_to("/get-anticsrf-token")] == ["web"]


def test_a_read_url_can_be_revoked_by_its_token(fs: FsCall) -> None:
    fs("write", "photo.txt", "pixels")
    url = fs("get_read_url", "photo.txt")

    fs("revoke_read_url", httpx.URL(url).params["token"])

    assert httpx.get(url).status_code == 401


def test_revoking_someone_elses_read_url_is_not_found(fs: FsCall, bob: Bob) -> None:
    fs("write", "photo.txt", "pixels")
    url = fs("get_read_url", "photo.txt")

    with pytest.raises(PuterNotFoundError) as caught:
        bob[1]("revoke_read_url", url)

    assert caught.value.code == "not_found"
    assert httpx.get(url).status_code == 200


def test_an_access_token_may_not_revoke_read_urls(fs: FsCall, v2_emu: PuterEmulator) -> None:
    fs("write", "photo.txt", "pixels")
    url = fs("get_read_url", "photo.txt")
    token = PuterAI(
        token=v2_emu.token_for("alice"), api_base=v2_emu.api_base, login_url=v2_emu.login_url
    ).create_access_token(["full-api-access"])
    scoped = PuterAI(token=token, api_base=v2_emu.api_base, login_url=v2_emu.login_url)

    with pytest.raises(PuterAuthError) as caught:
        scoped.fs.revoke_read_url(url)

    assert caught.value.code == "session_required"


def test_a_folder_has_no_read_url(fs: FsCall) -> None:
    with pytest.raises(IsADirectoryError) as caught:
        fs("get_read_url", "Documents")

    assert caught.value.errno == errno.EISDIR
    assert caught.value.filename == "/alice/Documents"


# ------------------------------------------------------------------------ shares


def test_a_share_is_visible_to_a_second_account(fs: FsCall, bob: Bob) -> None:
    name, bob_fs = bob
    fs("write", "Documents/plan.txt", "the plan")
    with pytest.raises(FileNotFoundError):
        bob_fs("read", "/alice/Documents/plan.txt")  # not before it is shared

    made = fs("share", "Documents/plan.txt", name)
    seen = bob_fs("list_shared")

    assert [(s.holder, s.mode, s.recipient) for s in made] == [(name, "read", name)]
    assert len(seen) == 1 and isinstance(seen[0], Share)
    assert (seen[0].name, seen[0].owner, seen[0].issuer) == ("plan.txt", "alice", "alice")
    assert bob_fs("read_text", seen[0].path) == "the plan"
    assert bob_fs("read_text", "/alice/Documents/plan.txt") == "the plan"  # the real path too
    assert bob_fs("stat", seen[0].path).path == seen[0].path


def test_someone_elses_entry_is_shown_at_a_masked_path(fs: FsCall, bob: Bob) -> None:
    name, bob_fs = bob
    entry = fs("write", "Documents/plan.txt", "p")
    fs("share", "Documents/plan.txt", name)

    shared = bob_fs("list_shared")[0]

    assert shared.path == f"/alice/{entry.uid}/plan.txt"
    assert shared.entry_uid == entry.uid


def test_a_read_share_does_not_let_the_recipient_write(fs: FsCall, bob: Bob) -> None:
    name, bob_fs = bob
    fs("write", "Documents/plan.txt", "p")
    fs("share", "Documents/plan.txt", name, mode="read")

    with pytest.raises(PuterPermissionError) as caught:
        bob_fs("write", "/alice/Documents/plan.txt", "changed")

    assert (caught.value.status_code, caught.value.code) == (403, "access_denied")
    assert fs("read_text", "Documents/plan.txt") == "p"


def test_a_write_share_of_a_folder_lets_the_recipient_add_files(fs: FsCall, bob: Bob) -> None:
    name, bob_fs = bob
    fs("mkdir", "team")
    fs("share", "team", name, mode="write")

    bob_fs("write", "/alice/team/from-bob.txt", "hi")

    assert fs("read_text", "team/from-bob.txt") == "hi"
    assert [e.name for e in bob_fs("listdir", "/alice/team")] == ["from-bob.txt"]


def test_the_recipient_cannot_reach_outside_what_was_shared(fs: FsCall, bob: Bob) -> None:
    name, bob_fs = bob
    fs("write", "Documents/plan.txt", "p")
    fs("write", "Documents/diary.txt", "private")
    fs("share", "Documents/plan.txt", name)

    with pytest.raises(FileNotFoundError) as caught:
        bob_fs("read", "/alice/Documents/diary.txt")
    with pytest.raises(FileNotFoundError):
        bob_fs("listdir", "/alice/Documents")

    assert caught.value.filename == "/alice/Documents/diary.txt"


def test_unshare_withdraws_the_access(fs: FsCall, bob: Bob) -> None:
    name, bob_fs = bob
    fs("write", "Documents/plan.txt", "p")
    fs("share", "Documents/plan.txt", name)

    assert fs("unshare", "Documents/plan.txt", name) == 1
    assert fs("unshare", "Documents/plan.txt", name) == 0

    assert bob_fs("list_shared") == []
    with pytest.raises(FileNotFoundError):
        bob_fs("read", "/alice/Documents/plan.txt")


def test_a_recipient_leaves_a_share_by_naming_themselves(fs: FsCall, bob: Bob) -> None:
    name, bob_fs = bob
    fs("write", "Documents/plan.txt", "p")
    fs("share", "Documents/plan.txt", name)
    path = bob_fs("list_shared")[0].path

    assert bob_fs("unshare", path, name) == 1
    assert fs("get_shares", "Documents/plan.txt") == []


def test_get_shares_names_shares_inherited_from_a_folder(fs: FsCall, bob: Bob) -> None:
    name, _ = bob
    fs("write", "team/doc.txt", "d", create_parents=True)
    fs("share", "team", name, mode="write")

    shares = fs("get_shares", "team/doc.txt")
    own = fs("get_shares", "team")

    assert [(s.holder, s.mode, s.inherited_from) for s in shares] == [
        (name, "write", "/alice/team")
    ]
    assert [(s.holder, s.inherited_from) for s in own] == [(name, None)]


def test_an_e_mail_without_a_confirmed_account_gets_a_pending_invitation(fs: FsCall) -> None:
    fs("write", "a.txt", "a")

    made = fs("share", "a.txt", "friend@example.org")

    assert [(s.pending, s.recipient_email, s.holder) for s in made] == [
        (True, "friend@example.org", None)
    ]
    assert [s.pending for s in fs("get_shares", "a.txt")] == [True]


@pytest.mark.parametrize(
    ("recipient", "error", "code"),
    [
        ("nobody_here", PuterNotFoundError, "user_does_not_exist"),
        ("alice", PuterBadRequestError, "cannot_share_with_self"),
        ("not-an-address@", PuterBadRequestError, "email_not_allowed"),
    ],
)
def test_a_refused_share_of_one_pair_raises_its_error(
    fs: FsCall, recipient: str, error: type[Exception], code: str
) -> None:
    fs("write", "a.txt", "a")

    with pytest.raises(error) as caught:
        fs("share", "a.txt", recipient)

    assert getattr(caught.value, "code", None) == code


def test_sharing_what_does_not_exist_is_file_not_found(fs: FsCall, bob: Bob) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        fs("share", "missing.txt", bob[0])

    assert caught.value.filename == "/alice/missing.txt"


def test_a_recipient_with_read_access_may_not_share_it_on(fs: FsCall, bob: Bob) -> None:
    name, bob_fs = bob
    fs("write", "a.txt", "a")
    fs("share", "a.txt", name)

    with pytest.raises(PuterPermissionError) as caught:
        bob_fs("share", bob_fs("list_shared")[0].path, "alice")

    assert caught.value.code == "forbidden"


def test_a_partly_refused_share_keeps_the_others_and_names_the_failures(
    fs: FsCall, bob: Bob
) -> None:
    name, bob_fs = bob
    fs("write", "a.txt", "a")

    with pytest.raises(PuterShareError) as caught:
        fs("share", "a.txt", [name, "nobody_here"])

    assert [s.holder for s in caught.value.shares] == [name]
    assert [(f.recipient, f.error.code) for f in caught.value.failed] == [
        ("nobody_here", "user_does_not_exist")
    ]
    assert caught.value.code == "user_does_not_exist"
    assert [s.name for s in bob_fs("list_shared")] == ["a.txt"]


def test_list_shared_pages_hold_the_cursor_and_the_total(fs: FsCall, bob: Bob) -> None:
    name, bob_fs = bob
    for n in range(5):
        fs("write", f"f{n}.txt", str(n))
    fs("share", [f"f{n}.txt" for n in range(5)], name)

    first = bob_fs("list_shared_page", limit=2, include_total=True)
    second = bob_fs("list_shared_page", limit=2, cursor=first.cursor)

    assert ([s.name for s in first.items], first.total) == (["f0.txt", "f1.txt"], 5)
    assert [s.name for s in second.items] == ["f2.txt", "f3.txt"]
    assert [s.name for s in bob_fs("list_shared", limit=3)] == ["f0.txt", "f1.txt", "f2.txt"]
    assert len(bob_fs("list_shared")) == 5


def test_list_shared_pages_are_fetched_lazily(v2_emu: PuterEmulator, fs: FsCall) -> None:
    name, client = temporary_account(v2_emu)
    for n in range(3):
        fs("write", f"f{n}.txt", str(n))
    fs("share", [f"f{n}.txt" for n in range(3)], name)

    first = next(iter(client.fs.list_shared_pages(limit=1)))

    assert [s.name for s in first.items] == ["f0.txt"]
    assert len(v2_emu.requests_to("/share/shared-with-me")) == 1


def test_async_list_shared_pages_walk_every_page(v2_emu: PuterEmulator) -> None:
    name, client = temporary_account(v2_emu)
    owner = alice()
    for n in range(3):
        owner.fs.write(f"f{n}.txt", str(n))
    owner.fs.share([f"f{n}.txt" for n in range(3)], name)

    async def names() -> list[list[str]]:
        pages = client.fs.async_list_shared_pages(limit=2)
        return [[s.name or "" for s in page.items] async for page in pages]

    assert asyncio.run(names()) == [["f0.txt", "f1.txt"], ["f2.txt"]]


# ------------------------------------------------------------------------ hosting


def test_readdir_subdomains_names_the_folders_sites_serve(
    fs: FsCall, v2_emu: PuterEmulator
) -> None:
    fs("write", "site/index.html", "<h1>hi</h1>", create_parents=True)
    client = PuterAI(
        token=v2_emu.token_for("alice"), api_base=v2_emu.api_base, login_url=v2_emu.login_url
    )
    client.hosting.create("my-site", "site")

    hosted = fs("readdir_subdomains")
    entry = fs("stat", "site")

    assert [(h.subdomain, h.is_worker) for h in hosted] == [("my-site", False)]
    assert hosted[0].folder is not None and hosted[0].folder.path == "/alice/site"
    assert entry.has_website is True
    assert [s["subdomain"] for s in entry.subdomains] == ["my-site"]


def test_readdir_subdomains_of_an_account_without_sites_is_empty(fs: FsCall) -> None:
    assert fs("readdir_subdomains") == []


# ------------------------------------------------------------------------ refusals

REFUSALS: list[tuple[str, tuple[Any, ...], dict[str, Any], str]] = [
    ("share", ("a.txt", "bob"), {"mode": "admin"}, "invalid_mode"),
    ("share", ("a.txt", []), {}, "bad_request"),
    ("share", ("a.txt", [" "]), {}, "bad_request"),
    ("share", ("a.txt", [f"user{n}" for n in range(11)]), {}, "too_many_recipients"),
    ("share", ([f"f{n}" for n in range(51)], "bob"), {}, "too_many_items"),
    ("share", ([], "bob"), {}, "bad_request"),
    ("unshare", ("a.txt", 7), {}, "field_invalid"),
    ("get_shares", ("",), {}, "NO_PATH_OR_UID"),
    ("sign", ("a.txt",), {"write": "yes"}, "field_invalid"),
    ("sign_many", ("a.txt",), {}, "field_invalid"),
    ("get_read_url", ("a.txt",), {"expires_in": "3600"}, "invalid_arguments"),
    ("get_read_url", ("a.txt",), {"expires_in": -5}, "invalid_arguments"),
    ("get_read_url", ("a.txt",), {"expires_in": None}, "invalid_arguments"),
    ("revoke_read_url", ("",), {}, "bad_request"),
    ("revoke_read_url", ("https://api.puter.com/token-read?uid=x",), {}, "bad_request"),
    ("list_shared_page", (), {"limit": 0}, "invalid_request"),
]


@pytest.mark.parametrize(("method", "args", "kwargs", "code"), REFUSALS)
def test_bad_input_is_refused_with_a_code_before_any_request(
    fs: FsCall,
    v2_emu: PuterEmulator,
    method: str,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    code: str,
) -> None:
    with pytest.raises(PuterInputError) as caught:
        fs(method, *args, **kwargs)

    assert caught.value.code == code
    assert api_requests(v2_emu) == []
