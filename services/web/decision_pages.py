"""What waits for the ministry's decision: one page shape over every kind of program case.

A :class:`CaseKind` says where programs lists a kind's cases waiting for the
caller's decision, where one case is read, what the page shows of it, and
which decisions (:class:`Decision`) may be taken on it with which fields. The
routes below serve every kind alike:

- ``/decisions``: each kind's oldest waiting cases (the consultant's home page);
- ``/decisions/{kind}``: one kind's cases, paged by programs' cursor;
- ``/decisions/{kind}/{case_id}``: a case with one form per decision;
- ``POST /decisions/{kind}/{case_id}/{decision}``: the command, then back to the case.

The kinds are Second Career applications, JCP projects and SEB cases. A
programs service that does not list a kind yet (404 on its list, during a
rolling upgrade) leaves that kind's section out of the home page.
Programs decides who may decide (the ministry's consultants of the region, or
an admin; never a provider's staff) and answers 403 otherwise; the page shows
that answer like any other refusal.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import RedirectResponse, Response

from contracts.programs import DenialReason
from services.web.client_pages import key_of, posted
from services.web.forms import Field, FormState, body_of, problem_banner, refused, render_fields
from services.web.layout import REFUSED, Visit, render, visit
from services.web.markup import text
from services.web.second_career_pages import COST_CATEGORIES

Visitor = Annotated[Visit, Depends(visit)]
HOME_ROWS = 10
PAGE_ROWS = 25

Facts = Callable[[Visit, dict], list[tuple[str, str]]]
"""A case's facts as ``(label key, value)`` pairs; values are plain text (escaped when shown)."""


@dataclass(frozen=True)
class Decision:
    """One decision on a case: its form's fields and the programs command it sends."""

    name: str
    title: str
    command_path: str
    """Programs' path, with ``{id}`` for the case."""
    fields: Sequence[Field]
    prefill: Callable[[dict, str], dict[str, str]] = lambda case, language: {}
    """The form's first values from the case as read, in a language (approve what was asked)."""
    defaults: Callable[[dict], dict] = lambda body: body
    """Completes the posted body (an empty mapping rather than none, for instance)."""


@dataclass(frozen=True)
class CaseKind:
    """A kind of program case the ministry decides, and how its pages show it."""

    name: str
    title: str
    awaiting_path: str
    case_path: str
    """Programs' path reading one case, with ``{id}``."""
    facts: Facts
    decisions: Sequence[Decision]
    case_title: str = "page.application"
    """Message of one case's page title."""
    row: str = "decision.row"
    """Message of a line in the list (``{since}``: the list's date, ``{site}``)."""
    undecided: frozenset[str] = field(default_factory=lambda: frozenset({"submitted"}))
    """Statuses in which the decision forms are offered."""


def dollars(cents: int, language: str) -> str:
    """An amount in cents as dollars in the reader's convention (``1,234.50`` / ``1 234,50``)."""
    shown = f"{cents / 100:,.2f}"
    if language == "fr":
        shown = shown.replace(",", "\u202f").replace(".", ",")
    return shown


def amount_input(cents: int, language: str) -> str:
    """An amount in cents as an input's dollars (``8000.50`` / ``8000,50``; both are read back)."""
    shown = f"{cents / 100:.2f}"
    return shown.replace(".", ",") if language == "fr" else shown


def _second_career_facts(v: Visit, case: dict) -> list[tuple[str, str]]:
    requested = case.get("requested_costs_cents") or {}
    facts = [
        ("sc.status", v.words.get(f"sc.status.{case['status']}", case["status"])),
        ("client.site", case["site_id"]),
        ("sc.training_program", case["training_program"]),
        ("sc.occupation", case["occupation"]),
        ("sc.noc_code", case.get("noc_code") or ""),
        ("sc.training_weeks", str(case["training_weeks"])),
        ("sc.academic_upgrading_weeks", str(case.get("academic_upgrading_weeks", 0))),
        *[
            (f"sc.cost.{category}", dollars(requested[category], v.language))
            for category in COST_CATEGORIES
            if category in requested
        ],
        ("decision.requested_total", dollars(sum(requested.values()), v.language)),
        ("sc.submitted_on", str(case["submitted_on"])),
    ]
    referral = case.get("referral")
    facts.append(
        (
            "decision.referral",
            f"{referral['referred_on']} · {referral['site_id']}"
            if referral
            else v.words["decision.no_referral"],
        )
    )
    if case.get("funding"):
        funding = case["funding"]
        facts.append(
            ("decision.approved_total", dollars(funding["total_approved_cents"], v.language))
        )
    if case.get("denial"):
        denial = case["denial"]
        reason = v.words.get(f"choice.{denial['reason']}", denial["reason"])
        facts.append(("decision.denied_because", f"{reason}: {denial['explanation']}"))
    return facts


def _decline(command_path: str) -> Decision:
    return Decision(
        name="decline",
        title="decision.decline",
        command_path=command_path,
        fields=[
            Field("reason", "select", "decision.reason", [r.value for r in DenialReason], True),
            Field("explanation", "text", "decision.explanation", required=True),
            Field("denied_on", "date", "decision.denied_on", required=True),
        ],
    )


def _approve_as_submitted(command_path: str) -> Decision:
    return Decision(
        name="approve",
        title="decision.approve",
        command_path=command_path,
        fields=[Field("approved_on", "date", "decision.approved_on", required=True)],
    )


SECOND_CAREER = CaseKind(
    name="second-career",
    title="decision.kind.second-career",
    awaiting_path="/second-career/awaiting-decision",
    case_path="/second-career/applications/{id}",
    facts=_second_career_facts,
    decisions=(
        Decision(
            name="approve",
            title="decision.approve",
            command_path="/second-career/applications/{id}/approval",
            fields=[
                *[
                    Field(f"approved_costs_cents.{category}", "cents", f"sc.cost.{category}")
                    for category in COST_CATEGORIES
                ],
                Field("approved_on", "date", "decision.approved_on", required=True),
            ],
            prefill=lambda case, language: {
                f"approved_costs_cents.{category}": amount_input(cents, language)
                for category, cents in (case.get("requested_costs_cents") or {}).items()
            },
            defaults=lambda body: {"approved_costs_cents": {}, **body},
        ),
        _decline("/second-career/applications/{id}/denial"),
    ),
)


def _decided(v: Visit, case: dict) -> list[tuple[str, str]]:
    """The ministry's decision on a JCP project or an SEB case, once taken."""
    decision = case.get("decision")
    if not decision:
        return []
    if decision.get("denial"):
        denial = decision["denial"]
        reason = v.words.get(f"choice.{denial['reason']}", denial["reason"])
        return [("decision.denied_because", f"{reason}: {denial['explanation']}")]
    return [("decision.approved_on", str(decision.get("approved_on") or ""))]


def _jcp_facts(v: Visit, case: dict) -> list[tuple[str, str]]:
    sponsor_type = v.words.get(f"choice.{case['sponsor_type']}", case["sponsor_type"])
    return [
        ("sc.status", v.words.get(f"case.status.{case['status']}", case["status"])),
        ("client.site", case["site_id"]),
        ("jcp.title", case["title"]),
        ("jcp.sponsor", f"{case['sponsor_name']} ({sponsor_type})"),
        ("jcp.dates", v.words["jcp.from_to"].format(start=case["starts_on"], end=case["ends_on"])),
        ("jcp.participants", str(len(case.get("participants") or []))),
        *_decided(v, case),
    ]


def _seb_facts(v: Visit, case: dict) -> list[tuple[str, str]]:
    return [
        ("sc.status", v.words.get(f"case.status.{case['status']}", case["status"])),
        ("client.site", case["site_id"]),
        ("seb.starts_on", str(case["starts_on"])),
        ("seb.planned_weeks", str(case["planned_weeks"])),
        ("sc.submitted_on", str(case.get("submitted_on") or "")),
        *_decided(v, case),
    ]


JCP = CaseKind(
    name="jcp",
    title="decision.kind.jcp",
    awaiting_path="/jcp/awaiting-decision",
    case_path="/jcp/projects/{id}",
    facts=_jcp_facts,
    decisions=(
        _approve_as_submitted("/jcp/projects/{id}/approval"),
        _decline("/jcp/projects/{id}/denial"),
    ),
    case_title="decision.case.jcp",
    row="decision.row_jcp",
)

SEB = CaseKind(
    name="seb",
    title="decision.kind.seb",
    awaiting_path="/seb/awaiting-decision",
    case_path="/seb/participations/{id}",
    facts=_seb_facts,
    decisions=(
        _approve_as_submitted("/seb/participations/{id}/approval"),
        _decline("/seb/participations/{id}/denial"),
    ),
    case_title="decision.case.seb",
)

CASE_KINDS: dict[str, CaseKind] = {kind.name: kind for kind in (SECOND_CAREER, JCP, SEB)}
"""Every kind of case waiting for the ministry's decision, in the order the home page shows."""


def decision_router() -> APIRouter:
    """Routes under ``/decisions``."""
    router = APIRouter(include_in_schema=False)

    @router.get("/decisions")
    async def waiting(v: Visitor) -> Response:
        sections = [await _section(v, kind, "", HOME_ROWS) for kind in CASE_KINDS.values()]
        return render(v, "page.decisions", "".join(sections))

    @router.get("/decisions/{kind_name}")
    async def waiting_of_kind(v: Visitor, kind_name: str, cursor: str = "") -> Response:
        kind = CASE_KINDS.get(kind_name)
        if kind is None:
            return Response(status_code=404)
        return render(v, kind.title, await _section(v, kind, cursor, PAGE_ROWS))

    @router.get("/decisions/{kind_name}/{case_id}")
    async def case(v: Visitor, kind_name: str, case_id: str) -> Response:
        kind = CASE_KINDS.get(kind_name)
        if kind is None:
            return Response(status_code=404)
        return await _case_page(v, kind, case_id)

    @router.post("/decisions/{kind_name}/{case_id}/{decision_name}")
    async def decide(v: Visitor, kind_name: str, case_id: str, decision_name: str) -> Response:
        kind = CASE_KINDS.get(kind_name)
        decisions = {d.name: d for d in kind.decisions} if kind else {}
        decision = decisions.get(decision_name)
        if kind is None or decision is None:
            return Response(status_code=404)
        form = await posted(v.request)
        body = decision.defaults(body_of(decision.fields, form))
        body["expected_version"] = int((form.get("expected_version") or ["0"])[0] or 0)
        path = decision.command_path.format(id=urllib.parse.quote(case_id, safe=""))
        answer = await v.calls.command("programs", path, v.token, key_of(form), body)
        if answer.ok:
            return RedirectResponse(f"/decisions/{kind.name}/{case_id}", status_code=303)
        states = {decision.name: refused(form, answer, v.words)}
        return await _case_page(v, kind, case_id, states, status=REFUSED)

    return router


async def _section(v: Visit, kind: CaseKind, cursor: str, limit: int) -> str:
    answer = await v.calls.get(
        "programs", kind.awaiting_path, v.token, {"cursor": cursor, "limit": limit}
    )
    heading = f'<h2 id="dk-{text(kind.name)}">{v.t(kind.title)}</h2>'
    if answer.status == 404 and not cursor:  # a programs without this kind's list yet
        return ""
    if not answer.ok:
        message = v.words.get(f"problem.{answer.problem_type}", answer.problem)
        return f'<section class="worklist">{heading}<p class="error">{text(message)}</p></section>'
    rows = "".join(
        f'<li><a href="/decisions/{text(kind.name)}/{text(row["resource_id"])}">'
        f"{v.t(kind.row, since=row.get('since') or '', site=row['site_id'])}</a></li>"
        for row in answer.body["items"]
    )
    more = ""
    if answer.body.get("next_cursor"):
        query = urllib.parse.urlencode({"cursor": answer.body["next_cursor"]})
        link = f"/decisions/{kind.name}?{query}"
        more = f'<p><a href="{text(link)}">{v.t("worklist.more")}</a></p>'
    return (
        f'<section class="worklist" aria-labelledby="dk-{text(kind.name)}">{heading}'
        f"<ul>{rows or '<li>' + v.t('decision.none_waiting') + '</li>'}</ul>{more}</section>"
    )


async def _case_page(
    v: Visit,
    kind: CaseKind,
    case_id: str,
    states: dict[str, FormState] | None = None,
    status: int = 200,
) -> Response:
    path = kind.case_path.format(id=urllib.parse.quote(case_id, safe=""))
    answer = await v.calls.get("programs", path, v.token)
    if not answer.ok:
        return render(v, "page.not_found", f'<p class="error">{text(answer.problem)}</p>', 404)
    case = answer.body
    facts = "".join(
        f"<dt>{v.t(label)}</dt><dd>{text(value)}</dd>" for label, value in kind.facts(v, case)
    )
    forms = ""
    if case["status"] in kind.undecided:
        forms = "".join(
            _decision_form(v, kind, case_id, case, decision, (states or {}).get(decision.name))
            for decision in kind.decisions
        )
    body = (
        f'<dl class="facts">{facts}</dl>{forms}'
        f'<p><a href="/decisions">{v.t("decision.back")}</a></p>'
    )
    return render(v, kind.case_title, body, status=status)


def _decision_form(
    v: Visit, kind: CaseKind, case_id: str, case: dict, decision: Decision, state: FormState | None
) -> str:
    state = state or FormState(values=decision.prefill(case, v.language))
    ident = f"decide-{decision.name}"
    action = f"/decisions/{kind.name}/{case_id}/{decision.name}"
    return (
        f'<section class="action" id="{ident}" aria-labelledby="{ident}-title">'
        f'<h2 id="{ident}-title">{v.t(decision.title)}</h2>{problem_banner(state, v.words)}'
        f'<form class="command" method="post" action="{text(action)}">'
        f'<input type="hidden" name="expected_version" value="{int(case["version"])}">'
        f"{render_fields(decision.fields, state, v.words, prefix=decision.name)}"
        f'<button type="submit">{v.t(decision.title)}</button></form></section>'
    )
