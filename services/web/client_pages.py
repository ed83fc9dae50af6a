"""Find a client (as you type), register one, see one with their plans, open a plan."""

from __future__ import annotations

import urllib.parse
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from contracts.intake import DesignatedGroup, EducationLevel, IncomeSource, ReferralSource
from services.web.forms import Field, FormState, body_of, problem_banner, refused, render_fields
from services.web.layout import REFUSED, Visit, render, visit
from services.web.markup import text

Visitor = Annotated[Visit, Depends(visit)]

REGISTRATION = [
    Field("personal_details.given_name", "text", "client.given_name", required=True),
    Field("personal_details.family_name", "text", "client.family_name", required=True),
    Field("personal_details.date_of_birth", "date", "client.date_of_birth", required=True),
    Field("personal_details.sin", "text", "client.sin"),
    Field("personal_details.email", "text", "client.email"),
    Field("personal_details.phone", "text", "client.phone"),
    Field("registered_on", "date", "client.registered_on", required=True),
    Field(
        "profile.education_level",
        "select",
        "client.education_level",
        [e.value for e in EducationLevel],
        required=True,
    ),
    Field(
        "profile.income_source",
        "select",
        "client.income_source",
        [e.value for e in IncomeSource],
        required=True,
    ),
    Field("profile.months_out_of_work", "int", "client.months_out_of_work", required=True),
    Field("profile.years_out_of_school", "int", "client.years_out_of_school", required=True),
    Field("profile.hours_worked_per_week", "int", "client.hours_worked_per_week", required=True),
    Field("profile.interrupted_employment", "bool", "client.interrupted_employment"),
    Field("profile.no_canadian_work_experience", "bool", "client.no_canadian_work_experience"),
    Field("profile.in_full_time_education", "bool", "client.in_full_time_education"),
    Field(
        "profile.designated_groups",
        "multi",
        "client.designated_groups",
        [e.value for e in DesignatedGroup],
    ),
    Field(
        "profile.referral_source",
        "select",
        "client.referral_source",
        [e.value for e in ReferralSource],
        required=True,
    ),
]

OPEN_PLAN = [
    Field("goal", "text", "plan.goal", required=True),
    Field("opened_on", "date", "plan.opened_on", required=True),
    Field("self_employment", "bool", "plan.self_employment"),
]


async def posted(request: Request) -> dict[str, list[str]]:
    """The form's fields, every value of each."""
    return urllib.parse.parse_qs((await request.body()).decode("utf-8", "replace"))


def key_of(form: dict[str, list[str]]) -> str:
    """The idempotency key the form was rendered with."""
    return (form.get("idempotency_key") or [""])[0][:200] or "missing-key"


def client_router() -> APIRouter:
    """Routes under ``/clients``."""
    router = APIRouter(include_in_schema=False)

    @router.get("/clients/find")
    async def find(
        v: Visitor, name: str = "", date_of_birth: str = "", reference: str = ""
    ) -> Response:
        results = await _results(v, name, date_of_birth, reference)
        if v.request.headers.get("hx-request"):
            return HTMLResponse(results)
        form = (
            '<form class="search" method="get" action="/clients/find" role="search" '
            'hx-get="/clients/find" hx-target="#results" hx-push-url="true" '
            'hx-trigger="input changed delay:400ms from:input, submit">'
            f'<div class="field"><label for="q-name">{v.t("client.search_name")}</label>'
            f'<input id="q-name" name="name" value="{text(name)}" autocomplete="off"></div>'
            f'<div class="field"><label for="q-dob">{v.t("client.date_of_birth")}</label>'
            f'<input id="q-dob" type="date" name="date_of_birth" '
            f'value="{text(date_of_birth)}"></div>'
            f'<div class="field"><label for="q-ref">{v.t("client.reference")}</label>'
            f'<input id="q-ref" name="reference" value="{text(reference)}" '
            'autocomplete="off"></div>'
            f'<button type="submit">{v.t("client.search")}</button></form>'
            f'<div id="results" aria-live="polite">{results}</div>'
            f'<p><a href="/clients/new">{v.t("nav.register")}</a></p>'
        )
        return render(v, "page.find", form)

    @router.get("/clients/new")
    async def new_client(v: Visitor) -> Response:
        state = FormState(values={"registered_on": v.request.query_params.get("on", "")})
        return _registration(v, state)

    @router.post("/clients/new")
    async def register(v: Visitor) -> Response:
        form = await posted(v.request)
        body = body_of(REGISTRATION, form)
        body["site_id"] = (form.get("site_id") or [""])[0]
        answer = await v.calls.command("intake", "/clients", v.token, key_of(form), body)
        if answer.ok:
            return RedirectResponse(f"/clients/{answer.body['client_id']}", status_code=303)
        state = refused(form, answer, v.words)
        return _registration(v, state, status=REFUSED)

    @router.get("/clients/{client_id}")
    async def client(v: Visitor, client_id: str) -> Response:
        return await _client_page(v, client_id, FormState())

    @router.post("/clients/{client_id}/plans")
    async def open_plan(v: Visitor, client_id: str) -> Response:
        form = await posted(v.request)
        body = {**body_of(OPEN_PLAN, form), "client_id": client_id}
        body["site_id"] = (form.get("site_id") or [""])[0]
        key = key_of(form)
        answer = await v.calls.command("caseload", "/service-plans", v.token, key, body)
        if answer.ok:
            return RedirectResponse(f"/plans/{answer.body['plan_id']}", status_code=303)
        state = refused(form, answer, v.words)
        if answer.status == 503:  # not stored under the key: the same key may retry
            state.key, state.problem = key, v.words["plan.not_yet_known"]
        return await _client_page(v, client_id, state, status=REFUSED)

    return router


async def _results(v: Visit, name: str, date_of_birth: str, reference: str) -> str:
    if not (name.strip() or date_of_birth or reference.strip()):
        return f'<p class="note">{v.t("client.search_hint")}</p>'
    answer = await v.calls.get(
        "intake",
        "/clients",
        v.token,
        {"name": name.strip(), "date_of_birth": date_of_birth, "reference": reference.strip()},
    )
    if not answer.ok:
        messages = [v.words.get(f"error.{k}", m) for k, m in answer.field_errors.values()]
        return "".join(f'<p class="error">{text(m)}</p>' for m in messages or [answer.problem])
    rows = answer.body["items"]
    if not rows:
        return f'<p class="note">{v.t("client.none_found")}</p>'
    lines = "".join(
        f'<tr><td><a href="/clients/{text(r["client_id"])}">{text(r.get("given_name") or "")} '
        f"{text(r.get('family_name'))}</a></td><td>{text(r.get('date_of_birth'))}</td>"
        f"<td>{text(r['reference'])}</td><td>{text(r['site_id'])}</td></tr>"
        for r in rows
    )
    return (
        f"<table><caption>{v.t('client.results')}</caption><thead><tr>"
        f'<th scope="col">{v.t("client.name")}</th>'
        f'<th scope="col">{v.t("client.date_of_birth")}</th>'
        f'<th scope="col">{v.t("client.reference")}</th><th scope="col">{v.t("client.site")}</th>'
        f"</tr></thead><tbody>{lines}</tbody></table>"
    )


def site_select(v: Visit, state: FormState) -> str:
    """The site the command is for, among the user's sites."""
    chosen = state.values.get("site_id", v.sites[0] if v.sites else "")
    error = state.errors.get("site_id")
    options = "".join(
        f'<option value="{text(s)}"{" selected" if s == chosen else ""}>{text(s)}</option>'
        for s in v.sites
    )
    message = (
        f'<span class="field-error" id="f-site_id-error">{text(error)}</span>' if error else ""
    )
    return (
        f'<div class="field"><label for="f-site_id">{v.t("client.site")}</label>'
        f'<select id="f-site_id" name="site_id">{options}</select>{message}</div>'
    )


def _registration(v: Visit, state: FormState, status: int = 200) -> Response:
    form = (
        f"{problem_banner(state, v.words)}"
        '<form class="command" method="post" action="/clients/new">'
        f"{site_select(v, state)}{render_fields(REGISTRATION, state, v.words)}"
        f'<button type="submit">{v.t("client.register")}</button></form>'
    )
    return render(v, "page.register", form, status=status)


async def _client_page(v: Visit, client_id: str, state: FormState, status: int = 200) -> Response:
    answer = await v.calls.get("intake", f"/clients/{client_id}", v.token)
    if not answer.ok:
        missing = f'<p class="error">{text(answer.problem)}</p>'
        return render(v, "page.not_found", missing, status=404)
    client = answer.body
    details = client.get("personal_details") or {}
    plans = await v.calls.get("caseload", "/service-plans", v.token, {"client_id": client_id})
    applications = await v.calls.get(
        "programs", "/second-career/applications", v.token, {"client_id": client_id}
    )
    plan_rows = (
        "".join(
            f'<li><a href="/plans/{text(p["plan_id"])}">{text(p["goal"])}</a> · '
            f"{v.t('status.' + p['status'])} · {text(p['opened_on'])}</li>"
            for p in (plans.body or {}).get("items", [])
        )
        or f"<li>{v.t('plan.none')}</li>"
    )
    application_rows = (
        "".join(
            f'<li><a href="/second-career/{text(a["resource_id"])}">{v.t("sc.application")}</a> · '
            f"{v.t('sc.status.' + a['status'])} · {text(a.get('since') or '')}</li>"
            for a in (applications.body or {}).get("items", [])
        )
        or f"<li>{v.t('sc.none')}</li>"
    )
    suitability = client.get("suitability") or {}
    eligibility = client.get("eligibility") or {}
    summary = (
        '<dl class="facts">'
        f"<dt>{v.t('client.reference')}</dt><dd>{text(client['reference'])}</dd>"
        f"<dt>{v.t('client.date_of_birth')}</dt><dd>{text(details.get('date_of_birth'))}</dd>"
        f"<dt>{v.t('client.site')}</dt><dd>{text(client['site_id'])}</dd>"
        f"<dt>{v.t('client.registered_on')}</dt><dd>{text(client['registered_on'])}</dd>"
        f"<dt>{v.t('client.suitability')}</dt>"
        f"<dd>{text(suitability.get('indicator_count'))} ({text(suitability.get('band'))})</dd>"
        f"<dt>{v.t('client.eligible')}</dt><dd>"
        f"{v.t('yes') if eligibility.get('eligible') else v.t('no')}</dd></dl>"
    )
    if not state.values:
        state.values = {"site_id": client["site_id"]}
    open_form = (
        f'<section aria-labelledby="open-plan"><h2 id="open-plan">{v.t("plan.open")}</h2>'
        f"{problem_banner(state, v.words)}"
        f'<form class="command" method="post" action="/clients/{text(client_id)}/plans">'
        f"{site_select(v, state)}{render_fields(OPEN_PLAN, state, v.words)}"
        f'<button type="submit">{v.t("plan.open")}</button></form></section>'
    )
    body = (
        f"{summary}<section aria-labelledby='plans'><h2 id='plans'>{v.t('plan.plans')}</h2>"
        f"<ul>{plan_rows}</ul></section>{open_form}"
        f"<section aria-labelledby='sc'><h2 id='sc'>{v.t('sc.title')}</h2>"
        f"<ul>{application_rows}</ul>"
        f'<p><a href="/clients/{text(client_id)}/second-career/new">{v.t("sc.prepare")}</a>'
        f"</p></section>"
    )
    name = f"{details.get('given_name', '')} {details.get('family_name', '')}".strip()
    return render(v, "page.client", body, status=status, name=name or client["reference"])
