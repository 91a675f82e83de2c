"""Access between accounts, shares, signed URLs, token reads and hosted folders, on the
wire (plain httpx), as the server answers them."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from puter_client.emulator import PuterEmulator
from tests.emulator.emulator_support import Api
from tests.emulator.services.fs.test_fs import get, post, write


@pytest.fixture
def people(puter_emulator: PuterEmulator) -> PuterEmulator:
    """The emulator with two more accounts, ``bob`` and ``carol``."""
    puter_emulator.add_user("bob", "bob-password")
    puter_emulator.add_user("carol", "carol-password")
    return puter_emulator


def share(api: Api, items: Any, recipients: Any, mode: str = "read", user: str = "alice") -> Any:
    body = {"items": items, "recipients": recipients, "mode": mode}
    return post(api, "/share", body, user).json()


def stat(api: Api, ref: dict[str, Any], user: str = "alice") -> httpx.Response:
    return post(api, "/stat", ref, user)


def read(api: Api, path: str, user: str) -> httpx.Response:
    return get(api, "/read", user, params={"file": path})


# ------------------------------------------------------------------ access between accounts


def test_another_accounts_file_is_not_seen_until_shared(api: Api, people: PuterEmulator) -> None:
    write(api, "~/Documents/a.txt", "secret")

    before = read(api, "/alice/Documents/a.txt", "bob")
    share(api, ["~/Documents/a.txt"], ["bob"])
    after = read(api, "/alice/Documents/a.txt", "bob")

    assert (before.status_code, before.json()) == (
        404,
        {"error": "Subject does not exist", "message": "Subject does not exist",
         "code": "subject_does_not_exist"},
    )  # fmt: skip
    assert (after.status_code, after.text) == (200, "secret")


def test_a_file_that_is_not_there_in_another_tree_is_not_found_by_path(
    api: Api, people: PuterEmulator
) -> None:
    answer = stat(api, {"path": "/alice/nothing.txt"}, "bob")

    assert (answer.status_code, answer.json()["code"]) == (404, "subject_does_not_exist")
    assert answer.json()["message"] == "Entry not found: path=/alice/nothing.txt"


def test_a_seen_entry_refuses_what_the_share_does_not_allow_with_403(
    api: Api, people: PuterEmulator
) -> None:
    write(api, "~/Documents/a.txt", "a")
    share(api, ["~/Documents/a.txt"], ["bob"], mode="see")

    seen = stat(api, {"path": "/alice/Documents/a.txt"}, "bob")
    refused = read(api, "/alice/Documents/a.txt", "bob")

    assert seen.status_code == 200
    assert (refused.status_code, refused.json()["message"], refused.json()["code"]) == (
        403, "Forbidden", "access_denied",
    )  # fmt: skip


def test_writing_into_another_accounts_tree_is_refused(api: Api, people: PuterEmulator) -> None:
    answer = write(api, "/alice/Documents/b.txt", "x", user="bob")

    assert (answer.status_code, answer.json()["code"]) == (404, "subject_does_not_exist")


def test_a_write_share_of_a_folder_lets_the_recipient_write_into_it(
    api: Api, people: PuterEmulator
) -> None:
    post(api, "/mkdir", {"path": "~/team"})
    share(api, ["~/team"], ["bob"], mode="write")

    written = write(api, "/alice/team/b.txt", "bob wrote", user="bob")
    made = post(api, "/mkdir", {"path": "/alice/team/sub"}, "bob")
    entry = stat(api, {"path": "~/team/b.txt"}).json()

    assert written.status_code == 200 and made.status_code == 200
    assert entry["owner"] == {"username": "alice"}  # the tree's owner stores it
    assert read(api, "~/team/b.txt", "alice").text == "bob wrote"


def test_someone_elses_entry_is_shown_masked_and_the_mask_is_read_back(
    api: Api, people: PuterEmulator
) -> None:
    post(api, "/mkdir", {"path": "~/team"})
    write(api, "~/team/doc.txt", "d")
    folder = stat(api, {"path": "~/team"}).json()
    share(api, ["~/team"], ["bob"])
    masked = f"/alice/{folder['uid']}/team"

    shown = stat(api, {"path": "/alice/team"}, "bob").json()
    listed = post(api, "/readdir", {"path": masked}, "bob").json()
    listed_v2 = post(api, "/fs/readdir", {"path": "/alice/team"}, "bob").json()

    assert (shown["path"], shown["dirname"]) == (masked, f"/alice/{folder['uid']}")
    assert [e["path"] for e in listed] == [f"{masked}/doc.txt"]  # under the proved root
    doc_uid = listed[0]["uid"]
    assert [e["path"] for e in listed_v2] == [f"/alice/{doc_uid}/doc.txt"]  # self-masked
    assert read(api, f"{masked}/doc.txt", "bob").text == "d"


def test_the_owner_sees_real_paths(api: Api, people: PuterEmulator) -> None:
    write(api, "~/Documents/a.txt", "a")
    share(api, ["~/Documents/a.txt"], ["bob"])

    assert stat(api, {"path": "~/Documents/a.txt"}).json()["path"] == "/alice/Documents/a.txt"


# ------------------------------------------------------------------ /share


def test_share_reports_every_pair_and_a_summary(api: Api, people: PuterEmulator) -> None:
    write(api, "~/a.txt", "a")

    answer = share(api, ["~/a.txt"], ["bob", "nobody_here", "alice"])

    assert answer["status"] == "mixed"
    results = answer["results"]
    assert [(r["recipient"], r["status"]) for r in results] == [
        ("bob", "success"), ("nobody_here", "error"), ("alice", "error"),
    ]  # fmt: skip
    assert set(results[0]) == {
        "recipient", "status", "uid", "mode", "path", "name", "uid_entry", "is_dir", "issuer",
        "holder", "created_at", "issued_by_app", "inherited_from", "modified", "size",
    }  # fmt: skip
    assert (results[1]["code"], results[1]["message"]) == (
        "user_does_not_exist", "Recipient does not exist",
    )  # fmt: skip
    assert results[2]["code"] == "cannot_share_with_self"


def test_share_refuses_an_unknown_mode_per_pair(api: Api, people: PuterEmulator) -> None:
    write(api, "~/a.txt", "a")

    answer = share(api, ["~/a.txt"], ["bob"], mode="admin")

    assert answer["status"] == "aborted"
    assert answer["results"][0]["code"] == "invalid_mode"


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        ({"items": ["~/a.txt"]}, "bad_request", "`recipients` is required"),
        ({"recipients": ["bob"]}, "bad_request", "`items` is required"),
        (
            {"items": ["~/a.txt"], "recipients": [f"u{n}" for n in range(11)]},
            "too_many_recipients",
            "at most 10 recipients per request",
        ),
        (
            {"items": [f"~/f{n}" for n in range(51)], "recipients": ["bob"]},
            "too_many_items",
            "at most 50 items per request",
        ),
    ],
)
def test_share_refuses_a_request_without_recipients_or_items(
    api: Api, people: PuterEmulator, body: dict[str, Any], code: str, message: str
) -> None:
    answer = post(api, "/share", body)

    assert answer.status_code == 400
    assert (answer.json()["code"], answer.json()["message"]) == (code, message)


def test_a_manage_holder_shares_on_but_may_not_hand_out_manage(
    api: Api, people: PuterEmulator
) -> None:
    write(api, "~/a.txt", "a")
    share(api, ["~/a.txt"], ["bob"], mode="manage")

    on = share(api, ["/alice/a.txt"], ["carol"], user="bob")
    manage = share(api, ["/alice/a.txt"], ["carol"], mode="manage", user="bob")
    back = share(api, ["/alice/a.txt"], ["alice"], user="bob")

    assert on["status"] == "success" and on["results"][0]["issuer"] == "bob"
    assert (manage["results"][0]["code"], manage["results"][0]["message"]) == (
        "forbidden", "Forbidden",
    )  # fmt: skip
    assert back["results"][0]["code"] == "cannot_share_with_owner"
    assert read(api, "/alice/a.txt", "carol").text == "a"


def test_revoking_a_delegate_revokes_what_they_shared_on(api: Api, people: PuterEmulator) -> None:
    write(api, "~/a.txt", "a")
    share(api, ["~/a.txt"], ["bob"], mode="manage")
    share(api, ["/alice/a.txt"], ["carol"], user="bob")

    answer = post(api, "/share/revoke", {"items": ["~/a.txt"], "recipients": ["bob"]}).json()

    assert (answer["status"], answer["revoked"]) == ("success", 2)
    assert answer["results"] == [{"recipient": "bob", "path": "/alice/a.txt", "status": "success"}]
    assert read(api, "/alice/a.txt", "carol").status_code == 404


def test_the_owner_cannot_be_revoked(api: Api, people: PuterEmulator) -> None:
    write(api, "~/a.txt", "a")

    answer = post(api, "/share/revoke", {"items": ["~/a.txt"], "recipients": ["alice"]}).json()

    assert answer["status"] == "aborted"
    assert answer["results"][0]["code"] == "cannot_revoke_owner"


def test_shares_of_an_item_list_inherited_own_and_pending(api: Api, people: PuterEmulator) -> None:
    write(api, "~/team/a.txt", "a", createMissingParents=True)
    share(api, ["~/team"], ["bob"], mode="write")
    share(api, ["~/team/a.txt"], ["carol", "friend@example.org"])

    items = get(api, "/share/shares", params={"path": "~/team/a.txt"}).json()["items"]

    assert [(i["holder"], i["inherited_from"], i.get("pending", False)) for i in items] == [
        ("bob", "/alice/team", False),
        ("carol", None, False),
        (None, None, True),
    ]
    assert items[2]["recipient_email"] == "friend@example.org"
    assert all("name" not in i for i in items)


def test_shares_of_an_item_need_a_uid_or_path_and_management(
    api: Api, people: PuterEmulator
) -> None:
    write(api, "~/a.txt", "a")
    share(api, ["~/a.txt"], ["bob"])

    neither = get(api, "/share/shares")
    not_manager = get(api, "/share/shares", "bob", params={"path": "/alice/a.txt"})

    assert (neither.status_code, neither.json()["message"]) == (
        400, "one of `uid` or `path` is required",
    )  # fmt: skip
    assert (not_manager.status_code, not_manager.json()["code"]) == (403, "forbidden")


def test_shared_with_me_pages_by_cursor_and_counts_on_request(
    api: Api, people: PuterEmulator
) -> None:
    for n in range(3):
        write(api, f"~/f{n}.txt", str(n))
    share(api, [f"~/f{n}.txt" for n in range(3)], ["bob"])

    first = get(api, "/share/shared-with-me", "bob", params={"limit": 2, "includeTotal": "true"})
    rest = get(api, "/share/shared-with-me", "bob", params={"cursor": first.json()["cursor"]})
    bad = get(api, "/share/shared-with-me", "bob", params={"limit": "0"})

    assert [i["name"] for i in first.json()["items"]] == ["f0.txt", "f1.txt"]
    assert first.json()["total"] == 3
    assert [i["name"] for i in rest.json()["items"]] == ["f2.txt"]
    assert "cursor" not in rest.json()
    assert (bad.status_code, bad.json()["message"]) == (400, "limit must be a positive number")


def test_a_trashed_share_is_not_listed(api: Api, people: PuterEmulator) -> None:
    write(api, "~/a.txt", "a")
    share(api, ["~/a.txt"], ["bob"])

    post(api, "/move", {"source": "~/a.txt", "destination": "~/Trash"})

    assert get(api, "/share/shared-with-me", "bob").json()["items"] == []


def test_an_unconfirmed_account_may_not_share(api: Api, people: PuterEmulator) -> None:
    answer = post(api, "/share", {"items": ["~/a"], "recipients": ["bob"]}, "unconfirmed_user")

    assert (answer.status_code, answer.json()["code"]) == (403, "email_confirmation_required")


# ------------------------------------------------------------------ /sign, /file, /writeFile


def test_sign_signs_what_it_can_and_answers_empty_objects_for_the_rest(api: Api) -> None:
    write(api, "~/a.txt", "a")

    answer = post(api, "/sign", {"items": [{"path": "~/a.txt"}, {"path": "~/no"}, {}]}).json()

    assert set(answer) == {"signatures"}
    assert answer["signatures"][1:] == [{}, {}]
    signed = answer["signatures"][0]
    assert "write_url" not in signed
    assert signed["url"] == signed["read_url"]
    assert signed["fsentry_name"] == "a.txt" and signed["path"] == "/alice/a.txt"


def test_sign_needs_items(api: Api) -> None:
    answer = post(api, "/sign", {"items": []})

    assert (answer.status_code, answer.json()["message"]) == (400, "`items` is required")


def test_sign_for_an_unknown_app_is_not_found(api: Api) -> None:
    write(api, "~/a.txt", "a")

    answer = post(api, "/sign", {"items": [{"path": "~/a.txt"}], "app_uid": "app-nope"})

    assert (answer.status_code, answer.json()["code"]) == (404, "not_found")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "`uid` is required for signature-based auth"),
        ({"uid": "x"}, "`signature` is required for signature-based auth"),
        ({"uid": "x", "signature": "ab"}, "`expires` is required for signature-based auth"),
        (
            {"uid": "x", "signature": "ab", "expires": "1"},
            "Authentication failed. Signature expired.",
        ),
        (
            # far ahead: the parameters are made when the suite is collected, long before
            {"uid": "x", "signature": "ab", "expires": str(int(time.time()) + 10**8)},
            "Authentication failed",
        ),
    ],
)
def test_the_signed_routes_refuse_a_missing_expired_or_wrong_signature(
    api: Api, query: dict[str, str], message: str
) -> None:
    answer = api.client.get(f"{api.emulator.api_base}/file", params=query)

    assert (answer.status_code, answer.json()["code"], answer.json()["message"]) == (
        403, "forbidden", message,
    )  # fmt: skip


def test_a_signed_read_honours_range_and_download(api: Api) -> None:
    write(api, "~/a.txt", "0123456789")
    url = post(api, "/sign", {"items": [{"path": "~/a.txt"}]}).json()["signatures"][0]["url"]

    part = api.client.get(url, headers={"Range": "bytes=2-4"})
    attachment = api.client.get(url + "&download=true")

    assert (part.status_code, part.text) == (206, "234")
    assert part.headers["content-range"] == "bytes 2-4/10"
    assert attachment.headers["content-disposition"] == 'attachment; filename="a.txt"'


def test_a_signed_url_of_a_suspended_owner_is_refused(
    api: Api, puter_emulator: PuterEmulator
) -> None:
    write(api, "~/a.txt", "a")
    url = post(api, "/sign", {"items": [{"path": "~/a.txt"}]}).json()["signatures"][0]["url"]

    puter_emulator.state.users["alice"].suspended = True
    answer = api.client.get(url)

    assert (answer.status_code, answer.json()["code"]) == (401, "account_suspended")


def test_a_write_signature_renames_for_the_owner_only(api: Api, people: PuterEmulator) -> None:
    write(api, "~/a.txt", "a")
    signed = post(api, "/sign", {"items": [{"path": "~/a.txt", "action": "write"}]}).json()
    url = signed["signatures"][0]["write_url"] + "&operation=rename"

    by_bob = api.client.post(url, json={"new_name": "b.txt"}, headers=api.auth("bob"))
    by_owner = api.client.post(url, json={"new_name": "b.txt"}, headers=api.auth("alice"))

    assert (by_bob.status_code, by_bob.json()["message"]) == (
        403, "'rename' via signed URL requires owner authentication",
    )  # fmt: skip
    assert by_owner.status_code == 200 and by_owner.json()["fsentry_name"] == "b.txt"


def test_a_read_signature_does_not_write(api: Api) -> None:
    write(api, "~/a.txt", "a")
    signed = post(api, "/sign", {"items": [{"path": "~/a.txt"}]}).json()["signatures"][0]
    url = signed["url"].replace("/file?", "/writeFile?")

    answer = api.client.post(url, files={"file": ("a.txt", b"x")}, headers=api.auth("alice"))

    assert (answer.status_code, answer.json()["message"]) == (403, "Authentication failed")


# ------------------------------------------------------------------ /token-read


def access_token(api: Api, permissions: list[Any], expires_in: Any = None) -> str:
    body: dict[str, Any] = {"permissions": permissions}
    if expires_in is not None:
        body["expiresIn"] = expires_in
    return str(post(api, "/auth/create-access-token", body).json()["token"])


def token_read(api: Api, uid: str, token: str) -> httpx.Response:
    return api.client.get(
        f"{api.emulator.api_base}/token-read", params={"uid": uid, "token": token}
    )


def test_a_token_reads_what_its_permissions_reach_and_nothing_else(api: Api) -> None:
    post(api, "/mkdir", {"path": "~/album"})
    inside = write(api, "~/album/a.txt", "a").json()["fsEntry"]["uid"]
    outside = write(api, "~/b.txt", "b").json()["fsEntry"]["uid"]
    folder = stat(api, {"path": "~/album"}).json()["uid"]
    token = access_token(api, [f"fs:{folder}:read"])

    assert token_read(api, inside, token).text == "a"
    assert token_read(api, outside, token).status_code == 404
    assert token_read(api, outside, access_token(api, ["full-api-access"])).text == "b"


def test_token_read_wants_an_access_token(api: Api) -> None:
    uid = write(api, "~/a.txt", "a").json()["fsEntry"]["uid"]

    session = token_read(api, uid, api.emulator.token_for("alice"))
    none = api.client.get(f"{api.emulator.api_base}/token-read", params={"uid": uid})

    for answer in (session, none):
        assert (answer.status_code, answer.json()["code"]) == (401, "token_auth_failed")


# ------------------------------------------------------------------ hosted folders


def create_site(api: Api, subdomain: str, root_dir: str) -> httpx.Response:
    body = {
        "interface": "puter-subdomains",
        "method": "create",
        "args": {"object": {"subdomain": subdomain, "root_dir": root_dir}},
    }
    return api.call(body)


def test_a_hosted_folders_entries_carry_its_sites(api: Api, puter_emulator: PuterEmulator) -> None:
    post(api, "/mkdir", {"path": "~/site"})
    create_site(api, "my-site", "~/site")
    port = puter_emulator.api_port
    address = f"http://my-site.{puter_emulator.state.options.static_hosting_domain}:{port}"

    v1 = stat(api, {"path": "~/site"}).json()
    v2 = post(api, "/fs/stat", {"path": "~/site"}).json()
    listed = post(api, "/fs/readdir", {"path": "~"}).json()

    assert [(s["subdomain"], s["address"]) for s in v1["subdomains"]] == [("my-site", address)]
    assert v1["has_website"] is True and v2["hasWebsite"] is True
    assert v2["subdomains"] == v1["subdomains"]
    site = next(e for e in listed if e["name"] == "site")
    assert site["hasWebsite"] is True
    assert next(e for e in listed if e["name"] == "Documents")["hasWebsite"] is False


def test_readdir_subdomains_answers_the_rows_with_the_folders_numeric_id(api: Api) -> None:
    post(api, "/mkdir", {"path": "~/site"})
    create_site(api, "my-site", "~/site")

    rows = post(api, "/readdir-subdomains", {"directory_ids": [1]}).json()
    folder = stat(api, {"id": rows[0]["root_dir_id"]}).json()

    assert [set(r) for r in rows] == [{"subdomain", "root_dir_id", "uuid", "ts"}]
    assert rows[0]["subdomain"] == "my-site"
    assert folder["path"] == "/alice/site"


def test_readdir_subdomains_accepts_the_token_in_the_body(api: Api) -> None:
    answer = api.client.post(
        f"{api.emulator.api_base}/readdir-subdomains",
        json={"auth_token": api.emulator.token_for("alice")},
    )

    assert (answer.status_code, answer.json()) == (200, [])


def test_a_write_signature_of_a_folder_uploads_a_new_file_into_it(api: Api) -> None:
    post(api, "/mkdir", {"path": "~/inbox"})
    signed = post(api, "/sign", {"items": [{"path": "~/inbox", "action": "write"}]}).json()
    url = signed["signatures"][0]["write_url"]

    answer = api.client.post(url, files={"file": ("x.bin", b"12345")}, headers=api.auth("alice"))
    listed = post(api, "/readdir", {"path": "~/inbox"}).json()

    assert answer.status_code == 200
    assert [(e["name"].startswith("upload-"), e["size"]) for e in listed] == [(True, 5)]
    assert answer.json()["fsentry_name"] == listed[0]["name"]


def test_a_write_signature_deletes_for_the_owner(api: Api) -> None:
    write(api, "~/a.txt", "a")
    signed = post(api, "/sign", {"items": [{"path": "~/a.txt", "action": "write"}]}).json()
    entry = signed["signatures"][0]

    answer = api.client.post(entry["write_url"] + "&operation=delete", headers=api.auth("alice"))

    assert answer.json() == {"ok": True, "uid": entry["uid"]}
    assert stat(api, {"path": "~/a.txt"}).status_code == 404
