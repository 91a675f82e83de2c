"""JWT-shaped tokens signed with HMAC-SHA256 (standard library only)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from typing import Any


class MalformedToken(ValueError):
    """The string is not a token of ours at all (not three base64url JSON parts)."""


class BadSignature(ValueError):
    """The token is well formed but was not signed with our secret."""


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_HEADER = _b64encode(b'{"alg":"HS256","typ":"JWT"}')


class TokenSigner:
    """Issues and checks ``header.payload.signature`` tokens."""

    def __init__(self, secret: bytes) -> None:
        self._secret = secret

    def _sign(self, signing_input: str) -> str:
        digest = hmac.new(self._secret, signing_input.encode("ascii"), hashlib.sha256).digest()
        return _b64encode(digest)

    def issue(self, claims: dict[str, Any]) -> str:
        """A signed token carrying ``claims``."""
        payload = _b64encode(json.dumps(claims, separators=(",", ":")).encode())
        signing_input = f"{_HEADER}.{payload}"
        return f"{signing_input}.{self._sign(signing_input)}"

    def decode(self, token: str) -> dict[str, Any]:
        """The claims of ``token``; raises `MalformedToken` or `BadSignature`."""
        parts = token.split(".")
        if len(parts) != 3:
            raise MalformedToken("not a JWT")
        try:
            claims = json.loads(_b64decode(parts[1]))
        except (ValueError, UnicodeDecodeError) as exc:
            raise MalformedToken("undecodable payload") from exc
        if not isinstance(claims, dict):
            raise MalformedToken("payload is not an object")
        expected = self._sign(f"{parts[0]}.{parts[1]}")
        if not hmac.compare_digest(expected.encode(), parts[2].encode("utf-8", "replace")):
            raise BadSignature("signature mismatch")
        return claims
