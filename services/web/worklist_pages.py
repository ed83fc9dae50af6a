"""The home page: the caseworker's worklists, each a page of caseload's list with a "more" link."""

from __future__ import annotations

import urllib.parse
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import RedirectResponse, Response

from services.web.layout import Visit, render, visit
from services.web.markup import text

Visitor = Annotated[Visit, Depends(visit)]

WORKLISTS = (
    ("follow-ups-overdue", "/worklists/follow-ups", {"state": "overdue"}),
    ("follow-ups-due", "/worklists/follow-ups", {"state": "due"}),
    ("awaiting-exit-details", "/worklists/awaiting-exit-details", {}),
    ("services-in-progress", "/worklists/services-in-progress", {}),
    ("idle-plans", "/worklists/idle-plans", {"idle_days": "30"}),
    ("open-plans", "/service-plans", {"status": "open"}),
)


def worklist_router() -> APIRouter:
    """``/`` (every worklist's first rows) and ``/worklists/{name}`` (one, paged)."""
    router = APIRouter(include_in_schema=False)

    @router.get("/")
    async def home(v: Visitor) -> Response:
        if not v.works_caseload:  # a ministry consultant: what waits for their decision
            return RedirectResponse("/decisions", status_code=303)
        sections = [await _section(v, name, path, params, 5) for name, path, params in WORKLISTS]
        return render(v, "page.home", "".join(sections))

    @router.get("/worklists/{name}")
    async def one(v: Visitor, name: str, cursor: str = "") -> Response:
        found = [(n, p, q) for n, p, q in WORKLISTS if n == name]
        if not found:
            return Response(status_code=404)
        _, path, params = found[0]
        section = await _section(v, name, path, {**params, "cursor": cursor}, 25)
        return render(v, "worklist." + name, section)

    return router


async def _section(v: Visit, name: str, path: str, params: dict, limit: int) -> str:
    answer = await v.calls.get("caseload", path, v.token, {**params, "limit": limit})
    if not answer.ok:
        return f'<p class="error">{text(answer.problem)}</p>'
    rows = answer.body["items"]
    lines = "".join(_row(v, name, row) for row in rows) or f"<li>{v.t('worklist.empty')}</li>"
    more = ""
    if answer.body.get("next_cursor"):
        query = urllib.parse.urlencode({"cursor": answer.body["next_cursor"]})
        more = f'<p><a href="/worklists/{text(name)}?{text(query)}">{v.t("worklist.more")}</a></p>'
    return (
        f'<section class="worklist" aria-labelledby="wl-{text(name)}">'
        f'<h2 id="wl-{text(name)}">{v.t("worklist." + name)}</h2><ul>{lines}</ul>{more}</section>'
    )


def _row(v: Visit, name: str, row: dict) -> str:
    link = f'<a href="/plans/{text(row["plan_id"])}">'
    if name.startswith("follow-ups"):
        shown = v.t(
            "worklist.follow_up_row",
            checkpoint=row["checkpoint"],
            due=row["due_on"],
            closes=row["closes_on"],
        )
        # Straight to the plan's follow-up form, this checkpoint chosen.
        query = urllib.parse.urlencode({"checkpoint": row["checkpoint"]})
        link = f'<a href="/plans/{text(row["plan_id"])}?{text(query)}#follow-ups">'
        return f"<li>{link}{shown}</a> · {text(row['caseworker'])}</li>"
    if name == "services-in-progress":
        component = v.words.get("choice." + row["component"], row["component"])
        started, caseworker = text(row["started_on"]), text(row["caseworker"])
        return f"<li>{link}{text(component)}</a> · {started} · {caseworker}</li>"
    goal = text(row.get("goal", ""))
    return (
        f"<li>{link}{goal}</a> · {v.t('plan.opened_on')} {text(row['opened_on'])} · "
        f"{v.t('plan.last_activity')} {text(row['last_activity_on'])} · "
        f"{text(row['caseworker'])}</li>"
    )
