"""The live dashboard for analysts, ministry regional staff and site managers: ``/dashboard``.

Routes (outside the OpenAPI document; a browser session or a bearer token):

- ``GET /dashboard``: the page (signed-out readers go to ``/signin``). A shell
  whose script (``dashboard_assets/dashboard.js``, shared with the demo's
  offline file) draws the document below with the vendored chart library.
- ``GET /dashboard/data?fiscal_year=&period=``: the document
  (:func:`~services.reporting.entrypoints.dashboard_document.dashboard_document`),
  with an ``ETag``; the page polls it every few seconds with
  ``If-None-Match`` and redraws only on a change (304 otherwise), so new
  events show without a reload.
- ``GET /asyncapi`` (public, like ``/docs``): the event bus's AsyncAPI document as a page.
- ``GET /dashboard/download?format=csv|parquet&scope=&fiscal_year=&period=[&table=]``:
  the scope shown and its children: its measures (default), ``indicators`` or
  ``compliance`` worklist (:mod:`.dashboard_downloads`).

Who sees what is the API's rule (:func:`.dependencies.visible_sites`): analysts
and admins every site, site managers their token's sites; caseworkers 403.
"""

from __future__ import annotations

import hashlib
import html
import json
import urllib.parse
from collections.abc import Awaitable, Callable, Collection
from datetime import date
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.staticfiles import StaticFiles

from chassis.http import AuthSettings, Principal, ProblemException, ResourceNotFound
from chassis.http.problems import FORBIDDEN, VALIDATION_ERROR
from chassis.web import (
    CHART_SCRIPT,
    WEB_STATIC,
    SiteChoice,
    WebSettings,
    browser_principal,
    catalogue,
    chosen_language,
    language_switch,
    page,
    session_principal,
    signin_router,
    static_files,
)
from chassis.web.asyncapi_page import asyncapi_router
from chassis.web.paths import register_browser_paths
from contracts.asyncapi import asyncapi_document
from services.reporting.app.answer_cache import GenerationCache
from services.reporting.app.queries import InvalidReportQuery, sqs_table
from services.reporting.entrypoints.dashboard_compliance import summarise_compliance
from services.reporting.entrypoints.dashboard_document import dashboard_document
from services.reporting.entrypoints.dashboard_downloads import (
    TABLES,
    as_csv,
    as_parquet,
    shown_rows,
)
from services.reporting.entrypoints.dependencies import (
    INVALID_REPORT_QUERY,
    READER_ROLES,
    repository,
    today,
    visible_sites,
)

DASHBOARD_STATIC = "/dashboard/static"

DocumentFilter = Callable[[Principal, dict[str, Any]], dict[str, Any]]
"""THE SUPPRESSION SLOT. Small-cell suppression for the caller (analysts), when reporting's
domain offers it: given the caller and the dashboard document, returns the document to show
(e.g. numerators and denominators under the threshold replaced by null). Applied before the
page, the ETag and the downloads see the document, so nothing suppressed leaks through a
download. ``install_dashboard(suppression=...)`` plugs it in. The counts of the document are
``numerator``/``denominator`` of ``scopes[*].measures[*]`` and ``scopes[*].indicators[*]``,
``count`` of ``scopes[*].indicators[*]`` and of ``compliance.items[*]`` (and the response
rates' ``numerator``/``denominator`` there); the page and the downloads show a null count
(with its ``actual_percent``) as suppressed."""

ComplianceWorklist = Callable[[Request, Principal, str, date], Awaitable[dict[str, Any] | None]]
"""THE COMPLIANCE SLOT. Called with the request, the caller, the fiscal year and the day
the flags are as of (the period's end, today at the latest); answers the document's
``compliance`` for the caller: ``{"as_of", "items": [{"kind", "scope": "site:S001", ...}],
"business_plans": {"site:S001": "submitted-late"}}`` (a plan status, or "approved" /
"not-approved" in a year without a planning calendar), or None. Reporting's is
:func:`.dashboard_compliance.dashboard_compliance`; ``install_dashboard(compliance=...)``
plugs it in. It runs before the suppression slot, so a document filter sees its counts;
then every scope gets its summary (:func:`.dashboard_compliance.summarise_compliance`)."""
POLL_INTERVAL_MS = 5000


def dashboard_assets() -> Any:
    """The dashboard's own bundled files (script, style, message catalogues)."""
    return resources.files("services.reporting.entrypoints") / "dashboard_assets"


def embedded_json(value: Any) -> str:
    """JSON safe inside a ``<script type="application/json">`` element."""
    return json.dumps(value, sort_keys=True).replace("</", "<\\/")


def dashboard_messages() -> dict[str, dict[str, str]]:
    """Sign-in and dashboard labels in English and French."""
    return catalogue(dashboard_assets() / "messages")


def _reader(principal: Principal) -> Principal:
    if not principal.has_any_role(READER_ROLES):
        raise ProblemException(FORBIDDEN, "The dashboard is for analysts and site managers.")
    return principal


async def dashboard_reader(
    principal: Annotated[Principal, Depends(browser_principal)],
) -> Principal:
    """The caller (session cookie or bearer token), if it may read reporting's figures."""
    return _reader(principal)


Reader = Annotated[Principal, Depends(dashboard_reader)]


async def _default_fiscal_year(
    request: Request, visible: Collection[str] | None, fiscal_years: list[str]
) -> str:
    """The latest fiscal year with any data for the caller, else the latest there is."""
    for fiscal_year in sorted(fiscal_years, reverse=True):
        table = await sqs_table(
            repository(request), fiscal_year, "ytd", as_of=today(request), visible_sites=visible
        )
        if any(m.denominator for m in table.rollup.measures):
            return fiscal_year
    return max(fiscal_years)


def _documents(request: Request) -> GenerationCache[bytes]:
    """The process' cache of documents before the caller's compliance and filter."""
    state = request.app.state
    if getattr(state, "dashboard_documents", None) is None:
        state.dashboard_documents = GenerationCache[bytes](max_entries=64)
    return state.dashboard_documents  # type: ignore[no-any-return]


async def _document(request: Request, principal: Principal, fiscal_years: list[str]) -> dict:
    """The caller's document: reporting's figures (reused until the read model of the year
    changes), then the compliance slot, the suppression slot and the compliance summaries."""
    visible = visible_sites(principal)
    asked = request.query_params
    day = today(request)
    fiscal_year = asked.get("fiscal_year") or await _default_fiscal_year(
        request, visible, fiscal_years
    )
    period = asked.get("period") or "ytd"

    async def render() -> bytes:
        try:
            document = await dashboard_document(
                repository(request),
                fiscal_year,
                period,
                as_of=day,
                visible_sites=visible,
                fiscal_years=fiscal_years,
            )
        except InvalidReportQuery as error:
            raise ProblemException(INVALID_REPORT_QUERY, str(error)) from None
        return json.dumps(document).encode()

    key = (fiscal_year, period, day, None if visible is None else frozenset(visible))
    generation = await repository(request).generation(fiscal_year)
    document = json.loads(await _documents(request).get(key, generation, render))
    worklist: ComplianceWorklist | None = getattr(request.app.state, "dashboard_compliance", None)
    if worklist is not None:  # the compliance slot (see ComplianceWorklist)
        as_of = min(date.fromisoformat(document["period"]["end"]), day)
        document["compliance"] = await worklist(request, principal, fiscal_year, as_of)
    suppress: DocumentFilter | None = getattr(request.app.state, "dashboard_suppression", None)
    if suppress is not None:  # the suppression slot (see DocumentFilter)
        document = suppress(principal, document)
    summarise_compliance(document)
    return document


def _shell(request: Request, principal: Principal, messages: dict[str, dict[str, str]]) -> str:
    language = chosen_language(request)
    words = messages[language]
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    e = html.escape
    config = {
        "dataUrl": "/dashboard/data",
        "downloadUrl": "/dashboard/download",
        "pollMs": POLL_INTERVAL_MS,
        "language": language,
        "messages": words,
        "query": dict(request.query_params),
    }
    body = (
        f'<header class="bar"><h1>{e(words["dash.title"])}</h1><nav class="who">'
        f"<span>{e(principal.subject)}</span> {language_switch(language, words, here)} "
        '<form class="inline" method="post" action="/signout">'
        f'<button class="link" type="submit">{e(words["signout.submit"])}</button></form>'
        '</nav></header><main id="dashboard" aria-live="polite">'
        f"<noscript>{e(words['dash.noscript'])}</noscript></main>"
        '<script type="application/json" id="dashboard-config">'
        f"{embedded_json(config)}</script>"
    )
    return page(
        language=language,
        title=words["dash.title"],
        body=body,
        stylesheets=[f"{WEB_STATIC}/web.css", f"{DASHBOARD_STATIC}/dashboard.css"],
        scripts=[CHART_SCRIPT, f"{DASHBOARD_STATIC}/dashboard.js", f"{DASHBOARD_STATIC}/live.js"],
    )


def dashboard_router(fiscal_years: list[str], messages: dict[str, dict[str, str]]) -> APIRouter:
    """``/dashboard``, its data and its downloads."""
    router = APIRouter(include_in_schema=False)

    @router.get("/dashboard")
    async def dashboard_page(request: Request) -> Response:
        principal = await session_principal(request)
        if principal is None:
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            query = urllib.parse.urlencode({"next": target})
            return RedirectResponse(f"/signin?{query}", status_code=303)
        _reader(principal)
        return HTMLResponse(_shell(request, principal, messages))

    @router.get("/dashboard/data")
    async def dashboard_data(request: Request, principal: Reader) -> Response:
        document = await _document(request, principal, fiscal_years)
        body = json.dumps(document, sort_keys=True).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        headers = {"ETag": etag, "Cache-Control": "no-cache"}
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers=headers)
        return Response(body, media_type="application/json", headers=headers)

    @router.get("/dashboard/download")
    async def dashboard_download(request: Request, principal: Reader) -> Response:
        document = await _document(request, principal, fiscal_years)
        scope = request.query_params.get("scope") or document["root"]
        if scope not in document["scopes"]:
            raise ResourceNotFound("scope")
        kind = request.query_params.get("format", "csv")
        if kind not in ("csv", "parquet"):
            raise ProblemException(VALIDATION_ERROR, "format must be csv or parquet")
        table = request.query_params.get("table", "measures")
        if table not in TABLES:
            raise ProblemException(VALIDATION_ERROR, f"table must be one of {', '.join(TABLES)}")
        rows = shown_rows(document, scope, table)
        suffix = "" if table == "measures" else f"-{table}"
        name = f"eocms-{document['fiscal_year']}-{document['period']['label']}-{scope}{suffix}"
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in name)
        columns = TABLES[table]
        content, media = (
            (as_csv(rows, columns), "text/csv; charset=utf-8")
            if kind == "csv"
            else (as_parquet(rows, columns), "application/vnd.apache.parquet")
        )
        disposition = f'attachment; filename="{name}.{kind}"'
        return Response(content, media_type=media, headers={"Content-Disposition": disposition})

    return router


def install_dashboard(
    app: FastAPI,
    *,
    auth: AuthSettings,
    fiscal_years: list[str],
    web: WebSettings | None = None,
    compliance: ComplianceWorklist | None = None,
    suppression: DocumentFilter | None = None,
) -> None:
    """Add sign-in, the dashboard, their bundled assets and the AsyncAPI page to reporting's app.

    ``/asyncapi`` shows the event bus's contracts (topics, envelopes, payloads),
    rendered on the server; the services' subscribers are in ``eocms contracts
    asyncapi``'s fuller document (reporting imports no other service).
    """
    messages = dashboard_messages()
    app.state.dashboard_compliance = compliance
    app.state.dashboard_suppression = suppression

    async def sites() -> list[SiteChoice]:
        known = await app.state.reporting.sites()
        return [SiteChoice(site.site_id, site.region) for site in known]

    app.mount(WEB_STATIC, static_files(), name="web-static")
    app.mount(
        DASHBOARD_STATIC, StaticFiles(directory=str(dashboard_assets())), name="dashboard-static"
    )
    signin = signin_router(
        auth=auth, web=web or WebSettings(), messages=messages, landing="/dashboard", sites=sites
    )
    routers = [signin, dashboard_router(fiscal_years, messages), asyncapi_router(asyncapi_document)]
    for router in routers:
        app.include_router(router)
    register_browser_paths(
        app,
        exact={
            "/",
            *(getattr(route, "path", "/") for router in routers for route in router.routes),
        },
        prefixes=(f"{WEB_STATIC}/", f"{DASHBOARD_STATIC}/"),
    )

    @app.get("/", include_in_schema=False)
    async def home() -> RedirectResponse:
        return RedirectResponse("/dashboard", status_code=307)
