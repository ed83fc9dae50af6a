"""Browser sign-in routes: ``/signin`` (and its callback), ``/signout``, ``/language``.

Development mode (:func:`chassis.web.mode.development_mode`): ``GET /signin``
is a form to pick a role and sites (or every site of a region); ``POST
/signin`` mints a development token with :func:`chassis.http.mint_dev_token`
and starts the session. Otherwise ``GET /signin`` starts an OpenID Connect
authorization-code sign-in (:class:`chassis.web.oidc.OidcClient`) and
``GET /signin/callback`` finishes it; ``POST /signin`` is 404 there.

Any front end includes :func:`signin_router` with its own landing page and,
optionally, the sites to offer on the development form.
"""

from __future__ import annotations

import html
import urllib.parse
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict, dataclass

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from chassis.devmode import InsecureKeyMaterial
from chassis.http.dev_tokens import mint_dev_token
from chassis.http.principal import Role
from chassis.http.settings import AuthSettings
from chassis.web.i18n import LANGUAGES, chosen_language, remember_language, translate
from chassis.web.mode import development_mode
from chassis.web.oidc import OidcClient, PendingSignIn, SignInFailed
from chassis.web.pages import page
from chassis.web.sessions import end_session, set_session
from chassis.web.settings import DEV_ONLY_SESSION_SECRET, WebSettings
from chassis.web.signed import BadSignature, sign, unsign

PENDING_COOKIE = "eocms_signin"
_PENDING_TTL_S = 600


@dataclass(frozen=True)
class SiteChoice:
    """A site the development form offers, with its region."""

    site_id: str
    region: str


SiteDirectory = Callable[[], Awaitable[Sequence[SiteChoice]]]


def local_path(candidate: str | None, default: str) -> str:
    """``candidate`` if it is a path on this site (no open redirect), else ``default``."""
    if candidate and candidate.startswith("/") and not candidate.startswith("//"):
        return candidate
    return default


def oidc_client_from(web: WebSettings) -> OidcClient | None:
    """The identity provider client the settings describe, or None when they name none."""
    if not (web.oidc_discovery_url and web.oidc_client_id and web.oidc_client_secret):
        return None
    return OidcClient(
        web.oidc_discovery_url,
        web.oidc_client_id,
        web.oidc_client_secret.get_secret_value(),
        scopes=web.oidc_scopes,
    )


def refuse_public_session_secret(web: WebSettings) -> None:
    """Outside development the sign-in state must be signed with a secret of this deployment."""
    secret = web.session_secret.get_secret_value()
    if secret == DEV_ONLY_SESSION_SECRET or len(secret.encode()) < 32:
        raise InsecureKeyMaterial(
            "WEB_SESSION_SECRET must be a random secret of at least 32 bytes outside "
            "development mode (the built-in one is public)"
        )


def signin_router(
    *,
    auth: AuthSettings,
    web: WebSettings,
    messages: Mapping[str, Mapping[str, str]],
    landing: str,
    sites: SiteDirectory | None = None,
    oidc: OidcClient | None = None,
) -> APIRouter:
    """The sign-in routes for a front end whose home page is ``landing``."""
    router = APIRouter(include_in_schema=False)
    development = development_mode(auth)
    secure = not development
    provider = None if development else (oidc or oidc_client_from(web))
    if provider is not None:
        refuse_public_session_secret(web)

    def texts(request: Request) -> tuple[str, Mapping[str, str]]:
        language = chosen_language(request)
        return language, messages[language]

    @router.get("/signin")
    async def signin_page(request: Request) -> Response:
        next_path = local_path(request.query_params.get("next"), landing)
        language, words = texts(request)
        if development:
            choices = list(await sites()) if sites else []
            return HTMLResponse(_dev_form(language, words, choices, next_path))
        if provider is None:
            return _failure(language, words, "no identity provider is configured", next_path)
        try:
            url, pending = await provider.begin(_callback_url(request, web), next_path)
        except SignInFailed as error:
            return _failure(language, words, str(error), next_path)
        response = RedirectResponse(url, status_code=303)
        response.set_cookie(
            PENDING_COOKIE,
            sign(asdict(pending), web.session_secret.get_secret_value(), ttl_s=_PENDING_TTL_S),
            max_age=_PENDING_TTL_S,
            path="/signin",
            httponly=True,
            samesite="lax",
            secure=secure,
        )
        return response

    @router.post("/signin")
    async def signin_dev(request: Request) -> Response:
        if not development:
            return Response(status_code=404)
        form = urllib.parse.parse_qs((await request.body()).decode("utf-8", "replace"))
        role = (form.get("role") or [""])[0]
        if role not in {r.value for r in Role}:
            return Response("unknown role", status_code=422)
        chosen = set(form.get("site_ids", []))
        region = (form.get("region") or [""])[0]
        if region and sites:
            chosen |= {s.site_id for s in await sites() if s.region == region}
        subject = ((form.get("name") or [""])[0].strip() or f"dev-{role}")[:80]
        token = mint_dev_token(auth, subject=subject, roles=[role], site_ids=sorted(chosen))
        next_path = local_path((form.get("next") or [""])[0], landing)
        response = RedirectResponse(next_path, status_code=303)
        lifetime = min(auth.token_ttl, web.session_ttl_s)
        set_session(response, token, max_age_s=lifetime, secure=secure)
        return response

    @router.get("/signin/callback")
    async def signin_callback(request: Request) -> Response:
        language, words = texts(request)
        if provider is None:
            return Response(status_code=404)
        params = request.query_params
        try:
            saved = unsign(
                request.cookies.get(PENDING_COOKIE, ""), web.session_secret.get_secret_value()
            )
            pending = PendingSignIn(**saved)
        except (BadSignature, TypeError):
            return _failure(language, words, "the sign-in expired or was not started here", landing)
        if "error" in params:
            return _failure(language, words, params.get("error", ""), pending.next_path)
        try:
            token = await provider.finish(
                code=params.get("code", ""), state=params.get("state", ""), pending=pending
            )
        except SignInFailed as error:
            return _failure(language, words, str(error), pending.next_path)
        response = RedirectResponse(pending.next_path, status_code=303)
        response.delete_cookie(PENDING_COOKIE, path="/signin")
        set_session(response, token, max_age_s=web.session_ttl_s, secure=secure)
        return response

    @router.post("/signout")
    async def signout() -> Response:
        response = RedirectResponse("/signin", status_code=303)
        end_session(response, secure=secure)
        return response

    @router.get("/language")
    async def language(request: Request) -> Response:
        chosen = request.query_params.get("to", "en")
        chosen = chosen if chosen in LANGUAGES else "en"
        response = RedirectResponse(
            local_path(request.query_params.get("next"), landing), status_code=303
        )
        remember_language(response, chosen, secure=secure)
        return response

    return router


def _callback_url(request: Request, web: WebSettings) -> str:
    base = (web.public_url or str(request.base_url)).rstrip("/")
    return f"{base}/signin/callback"


def language_switch(language: str, words: Mapping[str, str], next_path: str) -> str:
    """A link to the other language, back to ``next_path``."""
    other = words["lang.switch_code"]
    query = urllib.parse.urlencode({"to": other, "next": next_path})
    return (
        f'<a href="/language?{html.escape(query)}" lang="{other}" hreflang="{other}">'
        f"{html.escape(words['lang.switch'])}</a>"
    )


def _dev_form(
    language: str, words: Mapping[str, str], choices: Sequence[SiteChoice], next_path: str
) -> str:
    roles = "".join(  # every role the tokens know; a role without a label shows its name
        f'<option value="{role.value}">{html.escape(words.get("role." + role.value, role.value))}'
        "</option>"
        for role in sorted(Role, key=lambda r: (r is not Role.MINISTRY_ANALYST, r.value))
    )
    sites = "".join(
        f'<option value="{html.escape(c.site_id)}">'
        f"{html.escape(c.site_id)} ({html.escape(c.region)})</option>"
        for c in choices
    )
    regions = "".join(
        f'<option value="{html.escape(r)}">{html.escape(r)}</option>'
        for r in sorted({c.region for c in choices})
    )
    e = html.escape
    here = "/signin?next=" + urllib.parse.quote(next_path)
    body = (
        f'<header class="bar"><h1>EOCMS · {e(words["signin.title"])}</h1>'
        f"{language_switch(language, words, here)}</header>"
        f'<main><p class="notice">{e(words["signin.dev_notice"])}</p>'
        '<form class="signin" method="post" action="/signin">'
        f'<input type="hidden" name="next" value="{e(next_path)}">'
        f'<label for="role">{e(words["signin.role"])}'
        f'<select id="role" name="role">{roles}</select></label>'
        f'<label for="site_ids">{e(words["signin.sites"])} <span class="hint" id="sites-hint">'
        f"{e(words['signin.sites_hint'])}</span>"
        '<select id="site_ids" name="site_ids" multiple size="5" '
        f'aria-describedby="sites-hint">{sites}</select></label>'
        f'<label for="region">{e(words["signin.region"])}<select id="region" name="region">'
        f'<option value="">{e(words["signin.region_none"])}</option>{regions}</select></label>'
        f'<label for="name">{e(words["signin.name"])}'
        '<input id="name" name="name" autocomplete="off"></label>'
        f'<button type="submit">{e(words["signin.submit"])}</button></form></main>'
    )
    return page(language=language, title=words["signin.title"], body=body)


def _failure(language: str, words: Mapping[str, str], reason: str, next_path: str) -> Response:
    e = html.escape
    again = "/signin?" + urllib.parse.urlencode({"next": next_path})
    body = (
        f'<header class="bar"><h1>EOCMS · {e(words["signin.title"])}</h1></header><main>'
        f'<p class="error" role="alert">{e(translate(words, "signin.failed", reason=reason))}</p>'
        f'<p><a href="{e(again)}">{e(words["signin.again"])}</a></p></main>'
    )
    return HTMLResponse(page(language=language, title=words["signin.title"], body=body), 401)
