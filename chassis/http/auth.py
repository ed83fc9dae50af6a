"""FastAPI dependencies for authentication and roles.

Every route a service app includes depends on :func:`current_principal` (the
app factory adds it), so no route is reachable without a valid bearer token;
health and metrics are mounted outside that. Routes then narrow access with
``Depends(require_roles(...))`` or :data:`ClientLevelPrincipal`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from chassis.http.principal import CLIENT_LEVEL_ROLES, Principal, Role
from chassis.http.problems import (
    CLIENT_LEVEL_FORBIDDEN,
    FORBIDDEN,
    UNAUTHENTICATED,
    ProblemException,
)
from chassis.http.replay_access import note_client_level, note_roles
from chassis.http.tokens import InvalidToken, TokenVerifier

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="bearerAuth",
    bearerFormat="JWT",
    description="A JWT: HS256 in development (`eocms token`), RS256 from the identity "
    "provider in production. Claims: sub, roles, provider_id, site_ids, exp, iss, aud.",
)


def token_verifier(request: Request) -> TokenVerifier:
    """The verifier the app factory stored on the application."""
    verifier = getattr(request.app.state, "token_verifier", None)
    if verifier is None:
        raise RuntimeError("no token verifier: build the app with create_service_app")
    return verifier


async def authenticate(request: Request) -> Principal:
    """Verify the request's bearer token once; later calls reuse the principal."""
    cached = getattr(request.state, "principal", None)
    if isinstance(cached, Principal):
        return cached
    credentials = await bearer_scheme(request)
    if credentials is None:
        raise _unauthenticated("a bearer token is required", error=None)
    principal = await _verify(request, credentials)
    request.state.principal = principal
    return principal


async def current_principal(
    request: Request,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)],
) -> Principal:
    """The caller, from a valid bearer token; 401 problem otherwise."""
    return await authenticate(request)


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]
"""A route parameter that is the authenticated caller."""


def require_roles(*roles: Role) -> Callable[..., Awaitable[Principal]]:
    """A dependency admitting principals with at least one of ``roles`` (403 otherwise).

    Admins are not implied: list ``Role.ADMIN`` where admins belong.
    """
    if not roles:
        raise ValueError("require_roles needs at least one role")
    allowed = ", ".join(sorted(role.value for role in roles))

    async def principal_with_role(principal: CurrentPrincipal) -> Principal:
        note_roles(roles)
        if not principal.has_any_role(roles):
            raise ProblemException(FORBIDDEN, f"This needs one of the roles: {allowed}.")
        return principal

    return principal_with_role


async def require_client_level_access(principal: CurrentPrincipal) -> Principal:
    """Admit roles that see client-level data; ministry analysts get aggregates only."""
    note_client_level()
    if not principal.has_any_role(CLIENT_LEVEL_ROLES):
        raise ProblemException(
            CLIENT_LEVEL_FORBIDDEN,
            "Client-level data is limited to caseworkers, site managers and admins; "
            "ministry analysts see aggregates only.",
        )
    return principal


ClientLevelPrincipal = Annotated[Principal, Depends(require_client_level_access)]
"""A route parameter: the caller, refused with 403 unless it may see client-level data."""


async def _verify(request: Request, credentials: HTTPAuthorizationCredentials) -> Principal:
    try:
        return await token_verifier(request).verify(credentials.credentials)
    except InvalidToken as error:
        raise _unauthenticated(str(error), error="invalid_token") from error


def _unauthenticated(detail: str, *, error: str | None) -> ProblemException:
    # RFC 6750: no error code when credentials are absent, invalid_token otherwise.
    challenge = 'Bearer realm="eocms"'
    if error:
        description = "".join(
            c for c in detail if c.isascii() and c.isprintable() and c not in '"\\'
        )
        challenge += f', error="{error}", error_description="{description}"'
    return ProblemException(
        UNAUTHENTICATED,
        detail[:1].upper() + detail[1:] + ".",
        headers={"WWW-Authenticate": challenge},
    )
