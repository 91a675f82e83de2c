"""Bearer-token checks of the API host."""

from __future__ import annotations

from puter_client.emulator.core.errors import ApiError
from puter_client.emulator.core.state import EmulatorState, User
from puter_client.emulator.core.tokens import BadSignature, MalformedToken


def _reauth(reason: str) -> ApiError:
    return ApiError(
        401, "reauth_required", "Please log in again.", extra={"reason": reason}, surface="api"
    )


def _auth_failed() -> ApiError:
    return ApiError(401, "token_auth_failed", "Authentication failed.", surface="api")


def scoped_token_refused() -> ApiError:
    """The 403 of a scoped access token on a route that takes none (the server's gate)."""
    return ApiError(
        403, "forbidden", "Access tokens are not allowed to access this resource", surface="api"
    )


def authenticate(
    state: EmulatorState, authorization: str | None, *, allow_scoped_token: bool = False
) -> User:
    """The user behind an ``Authorization: Bearer <token>`` header, or an `ApiError`.

    No token: ``token_missing``. Not one of our tokens (garbage, or a token without a
    ``type`` like the legacy ones): ``reauth_required`` with a ``reason``. Bad signature,
    wrong token type, revoked session, expired or revoked access token or deleted user:
    ``token_auth_failed``. Access tokens (``type: access-token``) authenticate as their
    user; a scoped one (minted without ``full-api-access``) only where
    ``allow_scoped_token`` (the server's ``allowAccessToken`` routes): every other route
    answers it 403 ``forbidden``, as the server's gate does, whatever its permissions.
    """
    scheme, _, token = (authorization or "").partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token:
        raise ApiError(401, "token_missing", "Missing authentication token.", surface="api")
    try:
        claims = state.signer.decode(token)
    except MalformedToken:
        raise _reauth("token_unparseable") from None
    except BadSignature:
        raise _auth_failed() from None
    kind = claims.get("type")
    if kind is None:
        raise _reauth("legacy_token")
    if kind == "access-token":
        user = _access_token_user(state, claims)
    else:
        session = claims.get("uuid")
        if kind != "session" or not isinstance(session, str):
            raise _auth_failed()
        user = state.session_user(session)
    if user is None:
        raise _auth_failed()
    if user.suspended:
        raise ApiError(403, "account_suspended", "Account suspended.", surface="api")
    if kind == "access-token" and not claims.get("full_access") and not allow_scoped_token:
        raise scoped_token_refused()
    return user


def _access_token_user(state: EmulatorState, claims: dict[str, object]) -> User | None:
    """The user of an access token (``POST /auth/create-access-token``) still valid."""
    expires = claims.get("exp")
    if isinstance(expires, int | float) and expires <= state.clock():
        raise _auth_failed()
    token_uid = claims.get("token_uid")
    if isinstance(token_uid, str) and state.access_token_revoked(token_uid):
        raise _auth_failed()
    owner = claims.get("user_uid")
    return next((u for u in list(state.users.values()) if u.uuid == owner), None)
