"""A service plan: what it holds, and one form per thing a caseworker records on it.

Every form sends the plan's ``expected_version`` as read when the page was
rendered; if someone changed the plan meanwhile, caseload answers 409 and the
page shows the refusal with the plan as it now is.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import RedirectResponse, Response

from contracts.caseload import (
    FollowUpCheckpoint,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
)
from services.web.client_pages import key_of, posted
from services.web.forms import Field, FormState, body_of, problem_banner, refused, render_fields
from services.web.layout import REFUSED, Visit, render, visit
from services.web.markup import text

Visitor = Annotated[Visit, Depends(visit)]
COMPONENTS = [c.value for c in PlanComponent]
OUTCOMES = [o.value for o in Outcome]


@dataclass(frozen=True)
class PlanAction:
    """A form on the plan page and the caseload command it sends."""

    name: str
    title: str
    path: str
    fields: list[Field]


ACTIONS = {
    action.name: action
    for action in (
        PlanAction(
            "items",
            "plan.add_service",
            "/items",
            [
                Field("component", "select", "plan.component", COMPONENTS, required=True),
                Field("added_on", "date", "plan.added_on", required=True),
                Field("started_on", "date", "plan.started_on_optional"),
                Field("sub_goal", "text", "plan.sub_goal"),
            ],
        ),
        PlanAction(
            "start",
            "plan.start_service",
            "/services/{component}/start",
            [
                Field("component", "select", "plan.component", COMPONENTS, required=True),
                Field("started_on", "date", "plan.started_on", required=True),
            ],
        ),
        PlanAction(
            "complete",
            "plan.complete_service",
            "/services/{component}/complete",
            [
                Field("component", "select", "plan.component", COMPONENTS, required=True),
                Field("completed_on", "date", "plan.completed_on", required=True),
            ],
        ),
        PlanAction(
            "referrals",
            "plan.record_referral",
            "/referrals",
            [
                Field(
                    "direction",
                    "select",
                    "plan.direction",
                    [d.value for d in ReferralDirection],
                    required=True,
                ),
                Field(
                    "category",
                    "select",
                    "plan.category",
                    [c.value for c in ReferralCategory],
                    required=True,
                ),
                Field("referred_on", "date", "plan.referred_on", required=True),
            ],
        ),
        PlanAction(
            "closure",
            "plan.close",
            "/closure",
            [
                Field("exit_date", "date", "plan.exit_date", required=True),
                Field("outcome", "select", "plan.outcome", OUTCOMES, required=True),
            ],
        ),
        PlanAction(
            "satisfaction",
            "plan.satisfaction",
            "/satisfaction",
            [
                Field("rating", "select", "plan.rating", ["1", "2", "3", "4", "5"], required=True),
                Field("recorded_on", "date", "plan.recorded_on", required=True),
            ],
        ),
        PlanAction(
            "follow-ups",
            "plan.follow_up",
            "/follow-ups",
            [
                Field(
                    "checkpoint",
                    "select",
                    "plan.checkpoint",
                    [str(int(c)) for c in FollowUpCheckpoint],
                    required=True,
                ),
                Field("outcome", "select", "plan.outcome", OUTCOMES, required=True),
                Field("recorded_on", "date", "plan.recorded_on", required=True),
            ],
        ),
    )
}
INT_FIELDS = {"rating", "checkpoint"}


def plan_router() -> APIRouter:
    """Routes under ``/plans``."""
    router = APIRouter(include_in_schema=False)

    @router.get("/plans/{plan_id}")
    async def plan(v: Visitor, plan_id: str) -> Response:
        return await _plan_page(v, plan_id)

    @router.post("/plans/{plan_id}/{action_name}")
    async def act(v: Visitor, plan_id: str, action_name: str) -> Response:
        action = ACTIONS.get(action_name)
        if action is None:
            return Response(status_code=404)
        form = await posted(v.request)
        body = body_of(action.fields, form)
        for name in INT_FIELDS & set(body):
            body[name] = int(body[name]) if str(body[name]).isdigit() else body[name]
        component = str(body.pop("component", "")) if "{component}" in action.path else None
        body["expected_version"] = int((form.get("expected_version") or ["0"])[0] or 0)
        path = f"/service-plans/{plan_id}" + action.path.format(component=component or "none")
        answer = await v.calls.command("caseload", path, v.token, key_of(form), body)
        if answer.ok:
            return RedirectResponse(f"/plans/{plan_id}#{action.name}", status_code=303)
        state = refused(form, answer, v.words)
        return await _plan_page(v, plan_id, {action.name: state}, status=REFUSED)

    return router


async def _plan_page(
    v: Visit, plan_id: str, states: dict[str, FormState] | None = None, status: int = 200
) -> Response:
    answer = await v.calls.get("caseload", f"/service-plans/{plan_id}", v.token)
    if not answer.ok:
        missing = f'<p class="error">{text(answer.problem)}</p>'
        return render(v, "page.not_found", missing, status=404)
    plan = answer.body
    items = "".join(
        f"<tr><td>{text(v.words.get('choice.' + i['component'], i['component']))}</td>"
        f"<td>{text(i['added_on'])}</td><td>{text(i.get('started_on') or '')}</td>"
        f"<td>{text(i.get('completed_on') or '')}</td></tr>"
        for i in plan["items"]
    )
    referrals = (
        "".join(
            f"<li>{text(r['direction'])} · {text(r['category'])} · {text(r['referred_on'])}</li>"
            for r in plan["referrals"]
        )
        or f"<li>{v.t('plan.no_referrals')}</li>"
    )
    exit_ = plan.get("exit")
    facts = (
        '<dl class="facts">'
        f"<dt>{v.t('plan.status')}</dt><dd>{v.t('status.' + plan['status'])}</dd>"
        f"<dt>{v.t('plan.opened_on')}</dt><dd>{text(plan['opened_on'])}</dd>"
        f"<dt>{v.t('plan.assisted')}</dt><dd>"
        f"{v.t('yes') if plan.get('is_assisted_participant') else v.t('no')}</dd>"
        + (
            f"<dt>{v.t('plan.exit_date')}</dt><dd>{text(exit_['exit_date'])} · "
            f"{text(v.words.get('choice.' + exit_['outcome'], exit_['outcome']))}</dd>"
            if exit_
            else ""
        )
        + (
            f"<dt>{v.t('plan.rating')}</dt><dd>{text(plan['satisfaction']['rating'])}</dd>"
            if plan.get("satisfaction")
            else ""
        )
        + "".join(
            f"<dt>{v.t('plan.follow_up')} {text(f['checkpoint'])}</dt>"
            f"<dd>{text(v.words.get('choice.' + f['outcome'], f['outcome']))}</dd>"
            for f in plan.get("follow_ups", [])
        )
        + "</dl>"
    )
    table = (
        f"<table><caption>{v.t('plan.services')}</caption><thead><tr>"
        f'<th scope="col">{v.t("plan.component")}</th><th scope="col">{v.t("plan.added_on")}</th>'
        f'<th scope="col">{v.t("plan.started_on")}</th>'
        f'<th scope="col">{v.t("plan.completed_on")}</th>'
        f"</tr></thead><tbody>{items}</tbody></table>"
    )
    states = {**_chosen_from_link(v), **(states or {})}
    forms = "".join(
        _action_form(v, plan, action, states.get(action.name))
        for action in ACTIONS.values()
        if _applies(action.name, plan)
    )
    # A refusal whose form the plan no longer offers (a colleague closed it meanwhile)
    # is shown on top rather than lost with its form.
    orphans = "".join(
        problem_banner(state, v.words)
        for name, state in states.items()
        if name in ACTIONS and not _applies(name, plan)
    )
    body = (
        f'{orphans}<p><a href="/clients/{text(plan["client_id"])}">'
        f"{v.t('plan.back_to_client')}</a></p>"
        f"{facts}{table}<h2>{v.t('plan.referrals')}</h2><ul>{referrals}</ul>{forms}"
    )
    return render(v, "page.plan", body, status=status, goal=plan["goal"])


def _chosen_from_link(v: Visit) -> dict[str, FormState]:
    """A worklist's link to a follow-up (``?checkpoint=3``) opens its form with it chosen."""
    checkpoint = v.request.query_params.get("checkpoint", "")
    if checkpoint not in ACTIONS["follow-ups"].fields[0].choices:
        return {}
    return {"follow-ups": FormState(values={"checkpoint": checkpoint})}


def _applies(action: str, plan: dict) -> bool:
    closed = plan["status"] == "closed"
    if action in ("follow-ups",):
        return closed
    if action == "satisfaction":
        return closed and not plan.get("satisfaction")
    return not closed


def _action_form(v: Visit, plan: dict, action: PlanAction, state: FormState | None) -> str:
    state = state or FormState()
    return (
        f'<section class="action" id="{action.name}" aria-labelledby="{action.name}-title">'
        f'<h2 id="{action.name}-title">{v.t(action.title)}</h2>{problem_banner(state, v.words)}'
        f'<form class="command" method="post" '
        f'action="/plans/{text(plan["plan_id"])}/{action.name}">'
        f'<input type="hidden" name="expected_version" value="{int(plan["version"])}">'
        f"{render_fields(action.fields, state, v.words, prefix=action.name)}"
        f'<button type="submit">{v.t(action.title)}</button></form></section>'
    )
