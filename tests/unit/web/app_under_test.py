"""A minimal front end for the sign-in tests: sign-in routes and one page needing a session."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, FastAPI

from chassis.http import (
    AuthSettings,
    Principal,
    install_problem_handlers,
    token_verifier_from_settings,
)
from chassis.web import SiteChoice, WebSettings, browser_principal, catalogue, signin_router
from chassis.web.oidc import OidcClient

SITES = [SiteChoice("S001", "east"), SiteChoice("S002", "east"), SiteChoice("S003", "west")]


async def _sites() -> list[SiteChoice]:
    return SITES


def front_end(auth: AuthSettings, web: WebSettings, oidc: OidcClient | None = None) -> FastAPI:
    """Sign-in routes plus ``GET /whoami`` (the session's principal)."""
    app = FastAPI()
    install_problem_handlers(app)
    app.state.token_verifier = token_verifier_from_settings(auth)
    app.include_router(
        signin_router(
            auth=auth, web=web, messages=catalogue(), landing="/whoami", sites=_sites, oidc=oidc
        )
    )

    @app.get("/whoami")
    async def whoami(
        principal: Annotated[Principal, Depends(browser_principal)],
    ) -> dict[str, object]:
        return {
            "sub": principal.subject,
            "roles": sorted(principal.roles),
            "site_ids": sorted(principal.site_ids),
        }

    return app
