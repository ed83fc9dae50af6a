"""The front end's one composition root: ``create_app`` wires sign-in, pages, assets and calls.

Nothing is created at import. The app is a service app of the chassis
(health, metrics, problem+json, correlation ids), but its pages are not bearer
routes: they read the browser session of :mod:`chassis.web` and redirect to
``/signin`` without one. The HTTP client to the services opens in the
lifespan and closes with it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

import httpx
from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from chassis.http import AuthSettings, create_service_app
from chassis.web import WEB_STATIC, SiteChoice, WebSettings, catalogue, signin_router, static_files
from chassis.web.paths import register_browser_paths
from services.web.client_pages import client_router
from services.web.decision_pages import decision_router
from services.web.layout import STATIC, SignInFirst, sign_in_url
from services.web.plan_pages import plan_router
from services.web.program_pages import program_router
from services.web.second_career_pages import second_career_router
from services.web.service_calls import ServiceCalls
from services.web.settings import CaseworkerWebSettings
from services.web.worklist_pages import worklist_router

DESCRIPTION = "The caseworkers' bilingual web front end (pages only; it calls the services' APIs)."


def create_app(
    settings: CaseworkerWebSettings | None = None,
    kafka: Any = None,
    *,
    auth: AuthSettings | None = None,
    web: WebSettings | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    **_ignored: Any,
) -> FastAPI:
    """The front end's app; ``kafka`` and the other service options are ignored (no bus).

    ``transport`` replaces the network under the HTTP client (tests).
    """
    del kafka
    settings = settings or CaseworkerWebSettings()
    auth = auth or AuthSettings()
    web = web or WebSettings()
    messages = catalogue(resources.files("services.web") / "messages")

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with httpx.AsyncClient(
            timeout=settings.request_timeout_s, transport=transport
        ) as client:
            app.state.service_calls = ServiceCalls(settings, client)
            yield

    app = create_service_app(
        title="EOCMS Caseworker",
        version="1.0.0",
        description=DESCRIPTION,
        settings=settings,  # type: ignore[arg-type]  (only its service_name is read)
        auth=auth,
        lifespan=lifespan,
    )
    app.state.caseworker_messages = messages
    sites = [SiteChoice(site.strip(), "dev") for site in settings.dev_sites.split(",") if site]

    async def dev_sites() -> list[SiteChoice]:
        return sites

    routers = [
        signin_router(auth=auth, web=web, messages=messages, landing="/", sites=dev_sites),
        worklist_router(),
        client_router(),
        plan_router(),
        second_career_router(),
        decision_router(),
        program_router(),
    ]
    for router in routers:
        app.include_router(router)
    app.mount(WEB_STATIC, static_files(), name="web-static")
    app.mount(
        STATIC, StaticFiles(directory=str(resources.files("services.web") / "static")), "static"
    )
    # Every page reads the browser session itself: the request guard lets them through.
    paths = [getattr(route, "path", "/") for router in routers for route in router.routes]
    register_browser_paths(
        app,
        exact={"/", *(path for path in paths if "{" not in path)},
        prefixes=(
            f"{WEB_STATIC}/",
            f"{STATIC}/",
            *sorted({path[: path.index("{")] for path in paths if "{" in path}),
        ),
    )

    async def sign_in_first(request: Request, error: Exception) -> Response:
        assert isinstance(error, SignInFirst)
        return RedirectResponse(sign_in_url(error.next_path), status_code=303)

    app.add_exception_handler(SignInFirst, sign_in_first)
    return app
