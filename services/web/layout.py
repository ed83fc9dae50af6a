"""Who is visiting, in which language, and the page around every screen.

:func:`visit` is each page's dependency: the signed-in user (from the
session cookie of :mod:`chassis.web`), their token to call the services
with, and the catalogue of their language. Without a session it sends the
browser to ``/signin`` and back.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass

from fastapi import Request
from starlette.responses import HTMLResponse

from chassis.http import Principal, Role
from chassis.web import WEB_STATIC, chosen_language, language_switch, page, session_principal
from chassis.web.sessions import SESSION_COOKIE
from services.web.markup import text
from services.web.service_calls import ServiceCalls

STATIC = "/caseworker-static"
REFUSED = 200
"""Status of a page showing a refused form again: the refusal is the page's content (with
its messages next to the fields), not a failed load, so browsers log no error for it."""
HTMX = f"{STATIC}/htmx-2.0.8.min.js"
DECIDER_ROLES = frozenset({Role.MINISTRY_CONSULTANT, Role.ADMIN})
"""Roles that decide program cases: their navigation leads to what waits for them."""


class SignInFirst(Exception):
    """The visitor has no valid session: go to the sign-in page, then come back."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


@dataclass(frozen=True)
class Visit:
    """One request of a signed-in user."""

    request: Request
    principal: Principal
    token: str
    language: str
    words: Mapping[str, str]
    calls: ServiceCalls

    @property
    def decides(self) -> bool:
        """Whether the visitor decides program cases (the ministry's consultants, admins)."""
        return bool(self.principal.roles & DECIDER_ROLES)

    @property
    def works_caseload(self) -> bool:
        """Whether the visitor works clients and plans (everyone but a consultant alone)."""
        return not (self.principal.roles and self.principal.roles <= {Role.MINISTRY_CONSULTANT})

    @property
    def sites(self) -> list[str]:
        """The user's sites, sorted."""
        return sorted(self.principal.site_ids)

    def t(self, key: str, **values: object) -> str:
        """The message ``key`` in the visitor's language, escaped for HTML."""
        message = self.words.get(key, key)
        return text(message.format(**values) if values else message)


async def visit(request: Request) -> Visit:
    """The signed-in visit; :class:`SignInFirst` without a valid session."""
    principal = await session_principal(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    if principal is None or not token:
        raise SignInFirst(request.url.path + (f"?{request.url.query}" if request.url.query else ""))
    language = chosen_language(request)
    return Visit(
        request=request,
        principal=principal,
        token=token,
        language=language,
        words=request.app.state.caseworker_messages[language],
        calls=request.app.state.service_calls,
    )


def render(
    visit: Visit, title_key: str, body: str, status: int = 200, **values: object
) -> HTMLResponse:
    """A whole page: header with navigation, language switch and sign-out, then ``body``."""
    here = visit.request.url.path + (
        f"?{visit.request.url.query}" if visit.request.url.query else ""
    )
    title = visit.words.get(title_key, title_key).format(**values)
    header = (
        '<header class="bar"><p class="brand"><a href="/">EOCMS</a> · '
        f"{visit.t('app.name')}</p>"
        f'<nav aria-label="{visit.t("nav.label")}"><ul>{_navigation(visit)}</ul></nav>'
        f'<div class="who">{text(visit.principal.subject)} · '
        f"{language_switch(visit.language, visit.words, here)} "
        '<form class="inline" method="post" action="/signout">'
        f'<button class="link" type="submit">{visit.t("signout.submit")}</button></form></div>'
        "</header>"
    )
    document = page(
        language=visit.language,
        title=f"{title} · EOCMS",
        body=f'{header}<main id="main"><h1>{text(title)}</h1>{body}</main>',
        stylesheets=(f"{WEB_STATIC}/web.css", f"{STATIC}/caseworker.css"),
        scripts=(HTMX,),
    )
    document = document.replace(
        "<head>",
        '<head><meta name="htmx-config" content=\'{"includeIndicatorStyles":false,'
        '"allowEval":false,"allowScriptTags":false}\'>',
        1,
    )
    return HTMLResponse(document, status_code=status)


def _navigation(visit: Visit) -> str:
    links = []
    if visit.works_caseload:
        links += [("/", "nav.worklists"), ("/clients/find", "nav.find")]
        links += [("/clients/new", "nav.register"), ("/programs/second-career", "nav.programs")]
    if visit.decides:
        links.append(("/decisions", "nav.decisions"))
    return "".join(f'<li><a href="{path}">{visit.t(key)}</a></li>' for path, key in links)


def sign_in_url(next_path: str) -> str:
    """The sign-in page, coming back to ``next_path``."""
    return "/signin?" + urllib.parse.urlencode({"next": next_path})
