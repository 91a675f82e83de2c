"""Signed and shared access to the file system: signed URLs, read URLs, shares, sites.

- ``sign``/``sign_many`` (puter.js ``sign``, ``POST /sign``): URLs that read an entry (and
  write it, where the caller may) with no token. The server signs the owner's entries for
  good and someone else's for an hour, and silently leaves out what it cannot sign.
- ``get_read_url``/``revoke_read_url`` (``getReadURL``/``revokeReadURL``): a
  ``/token-read`` URL holding an access token that may only read that file, for a while;
  revoking it needs a web session and a one-use anti-CSRF token from the web host.
- ``share``/``unshare``/``get_shares``/``list_shared`` (``/share`` routes): access for
  other accounts, each (recipient, item) pair with its own outcome.
- ``readdir_subdomains`` (``/readdir-subdomains``): the account's sites and workers with
  the folders they serve.

Every input is checked before any request (``PuterInputError`` with the server's code);
signatures, tokens and URLs that carry them are secrets, never in a ``repr``.
"""

from __future__ import annotations

import errno
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any, Literal, get_args
from urllib.parse import parse_qs, quote, urlsplit

import attrs

from puter_client._generated import endpoints, models
from puter_client.core.exceptions import (
    PuterAPIError,
    PuterBadRequestError,
    PuterFileNotFoundError,
    PuterInputError,
    PuterInputTypeError,
    PuterNotFoundError,
    PuterPermissionError,
    PuterRateLimitError,
    PuterResponseError,
)
from puter_client.core.flow import Flow
from puter_client.core.paging import Page, checked_count, checked_cursor, checked_flag
from puter_client.core.serialization import unstructure
from puter_client.services.fs.entry import FSEntry
from puter_client.services.fs.path import Target, Uid, remote_target

if TYPE_CHECKING:
    from puter_client.core.session import Session
    from puter_client.services.fs.flows import FsFlows

__all__ = [
    "SHARE_MODES",
    "FailedShare",
    "HostedSubdomain",
    "PuterShareError",
    "Recipients",
    "Share",
    "ShareMode",
    "Sharing",
    "SignedBatch",
    "SignedURL",
]

ShareMode = Literal["see", "list", "read", "write", "manage"]
"""How much a share allows, weakest first; each mode implies the weaker ones, and
``manage`` also lets the holder share the item on."""
SHARE_MODES: tuple[ShareMode, ...] = get_args(ShareMode)

Recipients = str | Iterable[str]
"""Who a share is for: a username, or an e-mail address (with ``@``), or several."""

MAX_RECIPIENTS = 10
"""Recipients per share request at most (the server's limit)."""
MAX_ITEMS = 50
"""Items per share request at most (the server's limit)."""
SHARED_PAGE_SIZE = 200
"""Shares asked for per page of ``list_shared`` (the server's largest page)."""

_DURATION = re.compile(
    r"^\s*\d*\.?\d+\s*(milliseconds?|msecs?|ms|seconds?|secs?|s|minutes?|mins?|m|hours?|"
    r"hrs?|h|days?|d|weeks?|w|years?|yrs?|y)\s*$",
    re.IGNORECASE,
)
_STATUS_BY_CODE = {
    "subject_does_not_exist": 404,
    "user_does_not_exist": 404,
    "not_found": 404,
    "forbidden": 403,
    "access_denied": 403,
    "recipient_not_accepting_shares": 403,
    "share_daily_limit_reached": 429,
}
_CLASS_BY_STATUS: dict[int, type[PuterAPIError]] = {
    400: PuterBadRequestError,
    403: PuterPermissionError,
    404: PuterNotFoundError,
    429: PuterRateLimitError,
}


# ------------------------------------------------------------------------ results


def _moment(value: object) -> datetime | None:
    """An aware UTC datetime from unix seconds or ISO text; None when it is not one."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        try:
            return datetime.fromtimestamp(value, tz=timezone.utc)
        except (OverflowError, OSError, ValueError):
            return None
    if isinstance(value, str) and value:
        try:
            moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace(" ", "T", 1))
        except ValueError:
            return None
        return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
    return None


def _present(value: Any) -> Any:
    """``None`` for the generated models' absent marker."""
    return value if isinstance(value, (str, int, float, bool, list, dict)) else None


@attrs.frozen(kw_only=True)
class SignedURL:
    """A signed entry: URLs that read it (and ``write_url``, where you may write it) with
    no token, until ``expires``.

    ``url`` is a ``GET`` of the file's bytes (``Range`` works; ``&download=true`` makes it
    an attachment), or of a folder's listing with a signed URL for each child.
    ``write_url`` takes a multipart ``POST`` of new bytes, *with* a token of someone who
    may write the entry; it is ``None`` when the server granted reading only (it signs
    what you may not write for reading, without telling). The URLs and the signature
    are secrets: anyone holding them can read; they are left out of ``repr``.
    """

    uid: str
    name: str | None = None
    path: str | None = None
    is_dir: bool = False
    size: int | None = None
    content_type: str | None = None
    """The type the entry's name suggests (``None`` for folders and unknown names)."""
    expires: int | None = None
    """When the signature expires, unix seconds (the owner's last about 317,000 years)."""
    url: str = attrs.field(repr=False)
    write_url: str | None = attrs.field(default=None, repr=False)
    metadata_url: str | None = attrs.field(default=None, repr=False)
    signature: str | None = attrs.field(default=None, repr=False)
    created: datetime | None = None
    modified: datetime | None = None
    accessed: datetime | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    @property
    def writable(self) -> bool:
        """Whether the server gave a write URL."""
        return self.write_url is not None

    @property
    def expires_at(self) -> datetime | None:
        """``expires`` as an aware UTC datetime (``None`` past year 9999, i.e. never)."""
        return None if self.expires is None else _moment(self.expires)

    @classmethod
    def from_model(cls, model: models.SignedFile) -> SignedURL | None:
        """The signed entry of one of ``/sign``'s signatures (``None`` for ``{}``)."""
        url = model.read_url or model.url
        if model.uid is None or url is None:
            return None
        known = set(attrs.fields_dict(models.SignedFile)) - {"additional_properties"}
        return cls(
            uid=model.uid,
            name=model.fsentry_name,
            path=model.path,
            is_dir=bool(model.fsentry_is_dir),
            size=_present(model.fsentry_size),
            content_type=_present(model.fsentry_type),
            expires=model.expires,
            url=url,
            write_url=model.write_url,
            metadata_url=model.metadata_url,
            signature=model.signature,
            created=_moment(model.fsentry_created),
            modified=_moment(model.fsentry_modified),
            accessed=_moment(model.fsentry_accessed),
            extra={k: v for k, v in unstructure(model).items() if k not in known and k != "url"},
        )


@attrs.frozen
class SignedBatch:
    """What ``sign_many`` answers: one ``SignedURL`` per target (``None`` where the
    server signed nothing: no such entry, or one you may not read), and with ``app_uid``
    the app's ``token`` (a secret, left out of ``repr``)."""

    items: list[SignedURL | None]
    token: str | None = attrs.field(default=None, repr=False)


@attrs.frozen(kw_only=True)
class Share:
    """One share: ``mode`` access to the item at ``path`` (``entry_uid``), granted by
    ``issuer`` to ``holder``.

    ``path`` is the item as you are shown it: someone else's item is masked as
    ``/<owner>/<uid>/<name>`` (the folders above it are not yours to see), a path every
    file-system call accepts. ``pending`` shares are invitations to an e-mail address
    with no confirmed account (``recipient_email``; ``holder`` is ``None``): they grant
    nothing until the address is confirmed. ``inherited_from`` names the shared folder a
    share of something inside it comes from (``get_shares``). ``name``, ``content_type``,
    ``owner`` come with ``list_shared``; ``recipient`` (as you named them) with
    ``share``. Keys the server adds are kept in ``extra``.
    """

    uid: str
    mode: str
    path: str | None = None
    entry_uid: str | None = None
    is_dir: bool = False
    name: str | None = None
    content_type: str | None = None
    """The item's MIME type (``None`` for a folder), from ``list_shared``."""
    owner: str | None = None
    issuer: str | None = None
    holder: str | None = None
    pending: bool = False
    recipient_email: str | None = None
    inherited_from: str | None = None
    issued_by_app: str | None = None
    recipient: str | None = None
    thumbnail: str | None = attrs.field(default=None, repr=False)
    created_at: datetime | None = None
    modified: datetime | None = None
    size: int | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    @classmethod
    def from_model(cls, model: models.ShareRecord) -> Share:
        """The share of one record the share routes answer."""
        if model.uid is None or model.mode is None:
            raise PuterResponseError("a share without uid or mode", status_code=200)
        wire = unstructure(model)
        known = {
            "uid", "mode", "path", "uid_entry", "is_dir", "name", "type", "thumbnail",
            "owner", "issuer", "holder", "pending", "recipient_email", "inherited_from",
            "issued_by_app", "recipient", "created_at", "modified", "size", "status",
        }  # fmt: skip
        kind = _present(model.type)
        return cls(
            uid=model.uid,
            mode=model.mode,
            path=model.path,
            entry_uid=model.uid_entry,
            is_dir=bool(model.is_dir),
            name=_present(model.name),
            content_type=None if kind == "folder" else kind,
            owner=_present(model.owner),
            issuer=_present(model.issuer),
            holder=_present(model.holder),
            pending=model.pending is True,
            recipient_email=_present(model.recipient_email),
            inherited_from=_present(model.inherited_from),
            issued_by_app=_present(model.issued_by_app),
            recipient=model.recipient,
            thumbnail=_present(model.thumbnail),
            created_at=_moment(_present(model.created_at)),
            modified=_moment(_present(model.modified)),
            size=_present(model.size),
            extra={k: v for k, v in wire.items() if k not in known},
        )


@attrs.frozen
class FailedShare:
    """One (recipient, item) pair the server refused, and its error (``.code`` is the
    server's: ``user_does_not_exist``, ``cannot_share_with_self``, ``forbidden``...)."""

    recipient: str
    item: str
    error: PuterAPIError


class PuterShareError(PuterAPIError):
    """Some pairs of a ``share``/``unshare`` of several recipients or items failed; the
    others took effect. ``shares`` are those made (``share``), ``revoked`` the grants
    withdrawn (``unshare``), ``failed`` each refused pair; ``.code`` is the first
    failure's. A request of one pair raises that pair's error instead."""

    def __init__(
        self,
        message: str,
        *,
        failed: Sequence[FailedShare],
        shares: Sequence[Share] = (),
        revoked: int = 0,
    ) -> None:
        first = failed[0].error if failed else None
        super().__init__(message, code=None if first is None else first.code)
        self.failed = list(failed)
        self.shares = list(shares)
        self.revoked = revoked


@attrs.frozen(kw_only=True)
class HostedSubdomain:
    """One of the account's subdomains (a site, or a worker's ``workers.puter.<name>``)
    and the ``folder`` it serves (``None`` when it serves none, or it is gone)."""

    subdomain: str
    uid: str | None = None
    root_dir_id: int | None = None
    """The server's numeric id of the folder (``/stat`` accepts it as ``id``)."""
    created_at: datetime | None = None
    folder: FSEntry | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict, repr=False)

    @property
    def is_worker(self) -> bool:
        """Whether the row is a worker's rather than a site's."""
        return self.subdomain.startswith("workers.puter.")


# ------------------------------------------------------------------------ input


def _item(target: Target, argument: str) -> tuple[models.ShareItem, str]:
    """The wire item of a target, and how to name it in messages."""
    where = remote_target(target, argument)
    if isinstance(where, Uid):
        return models.ShareItem(uid=where.value), where.value
    return models.ShareItem(path=where), where


def _items(targets: Target | Sequence[Target], argument: str) -> list[tuple[models.ShareItem, str]]:
    if isinstance(targets, (str, PurePosixPath, Uid, FSEntry)):
        return [_item(targets, argument)]
    if not isinstance(targets, Sequence):
        raise PuterInputTypeError(
            f"{argument} must be a path, Uid, FSEntry or a sequence of them, not "
            f"{type(targets).__name__}",
            code="field_invalid",
        )
    items = [_item(t, argument) for t in targets]
    if not items:
        raise PuterInputError(f"{argument} must name at least one entry", code="bad_request")
    if len(items) > MAX_ITEMS:
        raise PuterInputError(
            f"at most {MAX_ITEMS} items per request, got {len(items)}", code="too_many_items"
        )
    return items


def _recipients(recipients: Recipients) -> list[models.ShareRecipient]:
    names = [recipients] if isinstance(recipients, str) else recipients
    if not isinstance(names, Iterable):
        raise PuterInputTypeError(
            f"recipients must be a username, an e-mail or several, not {type(recipients).__name__}",
            code="field_invalid",
        )
    found: list[models.ShareRecipient] = []
    for name in names:
        if not isinstance(name, str):
            raise PuterInputTypeError(
                f"a recipient must be a str (username or e-mail), not {type(name).__name__}",
                code="field_invalid",
            )
        value = name.strip()
        if not value:
            raise PuterInputError("a recipient must not be empty", code="bad_request")
        found.append(
            models.ShareRecipient(email=value)
            if "@" in value
            else models.ShareRecipient(username=value)
        )
    if not found:
        raise PuterInputError("recipients must name someone", code="bad_request")
    if len(found) > MAX_RECIPIENTS:
        raise PuterInputError(
            f"at most {MAX_RECIPIENTS} recipients per request, got {len(found)}",
            code="too_many_recipients",
        )
    return found


def _label(recipient: models.ShareRecipient) -> str:
    return recipient.email or recipient.username or ""


def _mode(mode: object) -> ShareMode:
    if not isinstance(mode, str):
        raise PuterInputTypeError(
            f"mode must be a str, not {type(mode).__name__}", code="invalid_mode"
        )
    for known in SHARE_MODES:
        if mode == known:
            return known
    raise PuterInputError(
        f"mode must be one of {', '.join(SHARE_MODES)}, not {mode!r}", code="invalid_mode"
    )


def expires_in_value(expires_in: object) -> float | int | str:
    """A lifetime as the server takes it: seconds (a number or ``timedelta``) or a
    duration with its unit (``"24h"``, ``"30d"``, ``"2 days"``)."""
    if isinstance(expires_in, timedelta):
        expires_in = expires_in.total_seconds()
    if isinstance(expires_in, bool) or not isinstance(expires_in, (int, float, str)):
        raise PuterInputTypeError(
            "expires_in must be seconds, a timedelta or a duration such as '24h', not "
            f"{type(expires_in).__name__}",
            code="invalid_arguments",
        )
    if isinstance(expires_in, str):
        if not _DURATION.match(expires_in):
            raise PuterInputError(
                f"expires_in must be a duration with its unit, such as '24h', '30d' or "
                f"'2 days' (a bare number in a string would be milliseconds), not "
                f"{expires_in!r}",
                code="invalid_arguments",
            )
        return expires_in.strip()
    if not math.isfinite(expires_in) or expires_in <= 0:
        raise PuterInputError(
            f"expires_in must be more than 0 seconds, not {expires_in!r}",
            code="invalid_arguments",
        )
    return int(expires_in) if float(expires_in).is_integer() else expires_in


def token_of_read_url(url_or_token: object) -> str:
    """The access token (or token uid) to revoke, from a read URL or as given."""
    if not isinstance(url_or_token, str):
        raise PuterInputTypeError(
            f"url_or_token must be a str, not {type(url_or_token).__name__}",
            code="bad_request",
        )
    value = url_or_token.strip()
    if "/token-read" in value:
        tokens = parse_qs(urlsplit(value).query).get("token", [])
        if not tokens or not tokens[0].strip():
            raise PuterInputError("the read URL holds no token", code="bad_request")
        value = tokens[0].strip()
    if not value:
        raise PuterInputError("url_or_token must not be empty", code="bad_request")
    return value


# ------------------------------------------------------------------------ outcomes


def _pair_error(record: models.ShareRecord) -> PuterAPIError:
    code = record.code or "share_failed"
    status = _STATUS_BY_CODE.get(code, 400)
    message = record.message or "Request failed"
    if code == "subject_does_not_exist":
        missing = PuterFileNotFoundError(message, status_code=status, code=code)
        missing.errno, missing.strerror = errno.ENOENT, "No such file or directory"
        if record.path:
            missing.filename = record.path
        return missing
    return _CLASS_BY_STATUS.get(status, PuterAPIError)(message, status_code=status, code=code)


def _failures(
    records: Sequence[models.ShareRecord], pairs: Sequence[tuple[str, str]]
) -> list[FailedShare]:
    return [
        FailedShare(recipient, item, _pair_error(record))
        for record, (recipient, item) in zip(records, pairs, strict=False)
        if record.status == "error"
    ]


def _check_count(records: Sequence[object], pairs: Sequence[object]) -> None:
    if len(records) != len(pairs):
        raise PuterResponseError(
            f"expected {len(pairs)} results (one per recipient and item), got {len(records)}",
            status_code=200,
        )


# ------------------------------------------------------------------------ flows


class Sharing:
    """The flows of signed and shared access over one client's session."""

    def __init__(self, session: Session, flows: FsFlows) -> None:
        self._session = session
        self._flows = flows

    # signing ----------------------------------------------------------------

    def sign(self, target: Target, *, write: bool) -> Flow[SignedURL]:
        item, named = self._sign_item(target, write)
        return self._sign_one(item, named)

    def _sign_one(self, item: models.SignItem, named: str) -> Flow[SignedURL]:
        batch = yield from self._sign([item], None)
        signed = batch.items[0] if batch.items else None
        if signed is None:
            error = PuterFileNotFoundError(
                f"nothing signed for {named}: no such entry, or one you may not read",
                code="subject_does_not_exist",
            )
            error.errno, error.strerror, error.filename = (
                errno.ENOENT, "No such file or directory", named,
            )  # fmt: skip
            raise error
        return signed

    def sign_many(
        self, targets: Sequence[Target], *, write: bool, app_uid: str | None
    ) -> Flow[SignedBatch]:
        if isinstance(targets, (str, PurePosixPath, Uid, FSEntry)) or not isinstance(
            targets, Sequence
        ):
            raise PuterInputTypeError(
                "targets must be a sequence of paths, Uids or FSEntry objects (sign() takes one)",
                code="field_invalid",
            )
        if not targets:
            raise PuterInputError("targets must name at least one entry", code="bad_request")
        items = [self._sign_item(t, write)[0] for t in targets]
        if app_uid is not None and (not isinstance(app_uid, str) or not app_uid.strip()):
            raise PuterInputError("app_uid must be a non-empty str or None", code="field_invalid")
        return self._sign(items, app_uid)

    @staticmethod
    def _sign_item(target: Target, write: bool) -> tuple[models.SignItem, str]:
        if not isinstance(write, bool):
            raise PuterInputTypeError(
                f"write must be a bool, not {type(write).__name__}", code="field_invalid"
            )
        where = remote_target(target, "target")
        action = "write" if write else "read"
        if isinstance(where, Uid):
            return models.SignItem(uid=where.value, action=action), where.value
        return models.SignItem(path=where, action=action), where

    def _sign(self, items: list[models.SignItem], app_uid: str | None) -> Flow[SignedBatch]:
        request = models.SignRequest(items=items)
        if app_uid is not None:
            request.app_uid = app_uid
        answer = yield from self._flows._send(
            endpoints.FS_SIGN, endpoints.parse_fs_sign, body=request
        )
        if len(answer.signatures) != len(items):
            raise PuterResponseError(
                f"expected {len(items)} signatures, got {len(answer.signatures)}",
                status_code=200,
            )
        signed = [SignedURL.from_model(s) for s in answer.signatures]
        return SignedBatch(signed, answer.token)

    # read URLs --------------------------------------------------------------

    def get_read_url(self, path: Target, *, expires_in: object) -> Flow[str]:
        where = remote_target(path)
        lifetime = expires_in_value(expires_in)
        return self._read_url(where, lifetime)

    def _read_url(self, where: str | Uid, lifetime: float | int | str) -> Flow[str]:
        entry = yield from self._flows._entry(
            endpoints.FS_STAT,
            endpoints.parse_fs_stat,
            models.StatRequest(uid=where.value)
            if isinstance(where, Uid)
            else models.StatRequest(path=where),
        )
        if entry.is_dir:
            raise IsADirectoryError(
                errno.EISDIR,
                "cannot make a read URL for a folder (puter.js: Cannot create readUrl "
                "for directory)",
                entry.path,
            )
        request = models.CreateAccessTokenRequest(
            permissions=[f"fs:{entry.uid}:read"], expires_in=lifetime
        )
        token = yield from self._session.send(
            _MINT, lambda r: endpoints.parse_create_access_token(r).token, body=request
        )
        base = self._session.config.api_base.rstrip("/")
        return f"{base}/token-read?uid={quote(entry.uid, safe='')}&token={quote(token, safe='')}"

    def revoke_read_url(self, url_or_token: str) -> Flow[None]:
        return self._revoke(token_of_read_url(url_or_token))

    def _revoke(self, token: str) -> Flow[None]:
        csrf = yield from self._session.send(
            endpoints.ANTI_CSRF_TOKEN, lambda r: endpoints.parse_anti_csrf_token(r).token
        )
        request = models.RevokeAccessTokenRequest(token_or_uuid=token, anti_csrf=csrf)
        yield from self._session.send(
            endpoints.REVOKE_ACCESS_TOKEN, endpoints.parse_revoke_access_token, body=request
        )
        return None

    # shares -----------------------------------------------------------------

    def share(
        self, targets: Target | Sequence[Target], recipients: Recipients, *, mode: object
    ) -> Flow[list[Share]]:
        items = _items(targets, "path")
        people = _recipients(recipients)
        request = models.ShareRequest(
            recipients=people, items=[i for i, _ in items], mode=_mode(mode)
        )
        pairs = [(_label(p), named) for p in people for _, named in items]
        return self._share(request, pairs)

    def _share(
        self, request: models.ShareRequest, pairs: list[tuple[str, str]]
    ) -> Flow[list[Share]]:
        answer = yield from self._flows._send(
            endpoints.FS_SHARE, endpoints.parse_fs_share, body=request
        )
        _check_count(answer.results, pairs)
        failed = _failures(answer.results, pairs)
        shares = [Share.from_model(r) for r in answer.results if r.status != "error"]
        if failed and len(pairs) == 1:
            raise failed[0].error
        if failed:
            raise PuterShareError(
                f"{len(failed)} of {len(pairs)} shares failed (first: {failed[0].recipient}, "
                f"{failed[0].item}: {failed[0].error})",
                failed=failed,
                shares=shares,
            )
        return shares

    def unshare(self, targets: Target | Sequence[Target], recipients: Recipients) -> Flow[int]:
        items = _items(targets, "path")
        people = _recipients(recipients)
        request = models.UnshareRequest(recipients=people, items=[i for i, _ in items])
        pairs = [(_label(p), named) for p in people for _, named in items]
        return self._unshare(request, pairs)

    def _unshare(self, request: models.UnshareRequest, pairs: list[tuple[str, str]]) -> Flow[int]:
        answer = yield from self._flows._send(
            endpoints.FS_UNSHARE, endpoints.parse_fs_unshare, body=request
        )
        _check_count(answer.results, pairs)
        failed = _failures(answer.results, pairs)
        revoked = answer.revoked or 0
        if failed and len(pairs) == 1:
            raise failed[0].error
        if failed:
            raise PuterShareError(
                f"{len(failed)} of {len(pairs)} unshares failed (first: {failed[0].recipient}, "
                f"{failed[0].item}: {failed[0].error})",
                failed=failed,
                revoked=revoked,
            )
        return revoked

    def get_shares(self, target: Target) -> Flow[list[Share]]:
        where = remote_target(target)
        params = {"uid": where.value} if isinstance(where, Uid) else {"path": where}
        return self._get_shares(params)

    def _get_shares(self, params: dict[str, str]) -> Flow[list[Share]]:
        answer = yield from self._flows._send(
            endpoints.FS_GET_SHARES, endpoints.parse_fs_get_shares, params=params
        )
        return [Share.from_model(r) for r in answer.items]

    def shared_page(
        self, *, cursor: str | None, limit: int | None, include_total: bool
    ) -> Flow[Page[Share]]:
        return self.shared_pages(limit=limit, include_total=include_total)(checked_cursor(cursor))

    def shared_pages(
        self, *, limit: int | None, include_total: bool
    ) -> Callable[[str | None], Flow[Page[Share]]]:
        """``page(cursor)`` of what others share with you (arguments checked now)."""
        size = None if limit is None else checked_count("limit", limit)
        total = checked_flag("include_total", include_total)

        def page(cursor: str | None) -> Flow[Page[Share]]:
            params: dict[str, str] = {}
            if size is not None:
                params["limit"] = str(size)
            if cursor is not None:
                params["cursor"] = cursor
            if total:
                params["includeTotal"] = "true"
            return self._shared_page(params)

        return page

    def _shared_page(self, params: dict[str, str]) -> Flow[Page[Share]]:
        answer = yield from self._flows._send(
            endpoints.FS_LIST_SHARED, endpoints.parse_fs_list_shared, params=params
        )
        items = [Share.from_model(r) for r in answer.items]
        return Page(items, answer.cursor or None, answer.total)

    def list_shared(self, *, limit: int | None) -> Flow[list[Share]]:
        if limit is not None:
            checked_count("limit", limit, minimum=0)
        page = self.shared_pages(limit=SHARED_PAGE_SIZE, include_total=False)
        return self._list_shared(page, limit)

    def _list_shared(
        self, page: Callable[[str | None], Flow[Page[Share]]], limit: int | None
    ) -> Flow[list[Share]]:
        shares: list[Share] = []
        cursor: str | None = None
        while limit is None or len(shares) < limit:
            fetched = yield from page(cursor)
            shares += fetched.items
            if fetched.cursor is None or fetched.cursor == cursor:
                break
            cursor = fetched.cursor
        return shares if limit is None else shares[:limit]

    # hosting ----------------------------------------------------------------

    def readdir_subdomains(self) -> Flow[list[HostedSubdomain]]:
        rows = yield from self._flows._send(
            endpoints.FS_READDIR_SUBDOMAINS,
            endpoints.parse_fs_readdir_subdomains,
            body=models.ReaddirSubdomainsRequest(),
        )
        folders: dict[int, FSEntry | None] = {}
        hosted: list[HostedSubdomain] = []
        for row in rows:
            number = _present(row.root_dir_id)
            folder = None
            if isinstance(number, int):
                if number not in folders:
                    folders[number] = yield from self._folder(number)
                folder = folders[number]
            wire = unstructure(row)
            hosted.append(
                HostedSubdomain(
                    subdomain=row.subdomain,
                    uid=row.uuid,
                    root_dir_id=number if isinstance(number, int) else None,
                    created_at=_moment(_present(row.ts)),
                    folder=folder,
                    extra={
                        k: v
                        for k, v in wire.items()
                        if k not in ("subdomain", "uuid", "root_dir_id", "ts")
                    },
                )
            )
        return hosted

    def _folder(self, number: int) -> Flow[FSEntry | None]:
        try:
            return (yield from self._flows._entry(
                endpoints.FS_STAT, endpoints.parse_fs_stat, models.StatRequest(id=number)
            ))  # fmt: skip
        except FileNotFoundError:
            return None


_MINT = attrs.evolve(endpoints.CREATE_ACCESS_TOKEN, rate_limit="auth.mint")
"""Minting a read URL's token: paced by the server's 20 tokens per hour."""
