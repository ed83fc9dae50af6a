"""Preparing a client's Second Career application, and reading one back."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import RedirectResponse, Response

from contracts.rulebook.programs import LegalStatus
from services.web.client_pages import key_of, posted, site_select
from services.web.forms import Field, FormState, body_of, problem_banner, refused, render_fields
from services.web.layout import REFUSED, Visit, render, visit
from services.web.markup import text

Visitor = Annotated[Visit, Depends(visit)]
COST_CATEGORIES = (
    "tuition",
    "books",
    "transportation",
    "basic-living-allowance",
    "dependent-care",
    "disability-supports",
    "academic-upgrading",
)

APPLICATION = [
    Field("training_program", "text", "sc.training_program", required=True),
    Field("occupation", "text", "sc.occupation", required=True),
    Field("noc_code", "text", "sc.noc_code"),
    Field("training_weeks", "int", "sc.training_weeks", required=True),
    Field("academic_upgrading_weeks", "int", "sc.academic_upgrading_weeks"),
    *[
        Field(f"requested_costs_cents.{category}", "cents", f"sc.cost.{category}")
        for category in COST_CATEGORIES
    ],
    Field("facts.laid_off", "bool", "sc.laid_off"),
    Field("facts.laid_off_on", "date", "sc.laid_off_on"),
    Field("facts.hours_worked_per_week", "int", "sc.hours_worked_per_week", required=True),
    Field("facts.ontario_resident", "bool", "sc.ontario_resident"),
    Field(
        "facts.legal_status",
        "select",
        "sc.legal_status",
        [s.value for s in LegalStatus],
        required=True,
    ),
    Field("facts.occupation_in_demand", "bool", "sc.occupation_in_demand"),
    Field("submitted_on", "date", "sc.submitted_on", required=True),
]


def second_career_router() -> APIRouter:
    """``/clients/{id}/second-career/new`` and ``/second-career/{id}``."""
    router = APIRouter(include_in_schema=False)

    @router.get("/clients/{client_id}/second-career/new")
    async def prepare(v: Visitor, client_id: str) -> Response:
        return _form(v, client_id, FormState())

    @router.post("/clients/{client_id}/second-career/new")
    async def submit(v: Visitor, client_id: str) -> Response:
        form = await posted(v.request)
        body = {**body_of(APPLICATION, form), "client_id": client_id}
        body["site_id"] = (form.get("site_id") or [""])[0]
        body.setdefault("requested_costs_cents", {})
        answer = await v.calls.command(
            "programs", "/second-career/applications", v.token, key_of(form), body
        )
        if answer.ok:
            return RedirectResponse(
                f"/second-career/{answer.body['application_id']}", status_code=303
            )
        state = refused(form, answer, v.words)
        return _form(v, client_id, state, status=REFUSED)

    @router.get("/second-career/{application_id}")
    async def application(v: Visitor, application_id: str) -> Response:
        answer = await v.calls.get(
            "programs", f"/second-career/applications/{application_id}", v.token
        )
        if not answer.ok:
            return render(v, "page.not_found", f'<p class="error">{text(answer.problem)}</p>', 404)
        a = answer.body
        body = (
            '<dl class="facts">'
            f"<dt>{v.t('sc.status')}</dt><dd>{v.t('sc.status.' + a['status'])}</dd>"
            f"<dt>{v.t('sc.training_program')}</dt>"
            f"<dd>{text(a.get('training_program', ''))}</dd>"
            f"<dt>{v.t('sc.submitted_on')}</dt><dd>{text(a.get('submitted_on', ''))}</dd></dl>"
            f'<p><a href="/clients/{text(a["client_id"])}">{v.t("plan.back_to_client")}</a></p>'
        )
        return render(v, "page.application", body)

    return router


def _form(v: Visit, client_id: str, state: FormState, status: int = 200) -> Response:
    body = (
        f'<p class="note">{v.t("sc.explain")}</p>{problem_banner(state, v.words)}'
        f'<form class="command" method="post" '
        f'action="/clients/{text(client_id)}/second-career/new">'
        f"{site_select(v, state)}{render_fields(APPLICATION, state, v.words, prefix='sc')}"
        f'<button type="submit">{v.t("sc.submit")}</button></form>'
    )
    return render(v, "page.second_career", body, status=status)
