"""The browser session: a cookie carrying the caller's bearer token, verified on every request.

The cookie holds the token the sign-in produced (a development token, or the
identity provider's access token), so a page's principal is exactly what the
service's :class:`~chassis.http.tokens.TokenVerifier` says of that token:
expiry, issuer, audience and signature are checked each time, and nothing is
kept on the server. The cookie is ``HttpOnly`` (scripts cannot read it),
``SameSite=Lax`` (not sent on cross-site form posts) and ``Secure`` outside
development mode. A request without the cookie may still send
``Authorization: Bearer`` (scripts, the demo).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from chassis.http.auth import authenticate, token_verifier
from chassis.http.principal import Principal
from chassis.http.tokens import InvalidToken

SESSION_COOKIE = "eocms_session"


def set_session(response: Response, token: str, *, max_age_s: int, secure: bool) -> None:
    """Start the session on ``response``."""
    response.set_cookie(
        SESSION_COOKIE, token, max_age=max_age_s, httponly=True, samesite="lax", secure=secure
    )


def end_session(response: Response, *, secure: bool) -> None:
    """Forget the session cookie."""
    response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=secure)


async def session_principal(request: Request) -> Principal | None:
    """The principal of the session cookie; None without a cookie or when it no longer verifies."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        return await token_verifier(request).verify(token)
    except InvalidToken:
        return None


async def browser_principal(request: Request) -> Principal:
    """The session's principal, else a bearer token's; a 401 problem otherwise."""
    principal = await session_principal(request)
    return principal if principal is not None else await authenticate(request)
