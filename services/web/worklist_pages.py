"""The home page: the caseworker's worklists, each a page of caseload's list with a "more" link."""

from __future__ import annotations

import html
import urllib.parse
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import Response

from services.web.layout import Visit, render, visit

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
    e = html.escape
    answer = await v.calls.get("caseload", path, v.token, {**params, "limit": limit})
    if not answer.ok:
        return f'<p class="error">{e(answer.problem)}</p>'
    rows = answer.body["items"]
    lines = "".join(_row(v, name, row) for row in rows) or f"<li>{v.t('worklist.empty')}</li>"
    more = ""
    if answer.body.get("next_cursor"):
        query = urllib.parse.urlencode({"cursor": answer.body["next_cursor"]})
        more = f'<p><a href="/worklists/{e(name)}?{e(query)}">{v.t("worklist.more")}</a></p>'
    return (
        f'<section class="worklist" aria-labelledby="wl-{e(name)}">'
        f'<h2 id="wl-{e(name)}">{v.t("worklist." + name)}</h2><ul>{lines}</ul>{more}</section>'
    )


def _row(v: Visit, name: str, row: dict) -> str:
    e = html.escape
    link = f'<a href="/plans/{e(row["plan_id"])}">'
    if name.startswith("follow-ups"):
        text = v.t(
            "worklist.follow_up_row",
            checkpoint=row["checkpoint"],
            due=row["due_on"],
            closes=row["closes_on"],
        )
        return f"<li>{link}{text}</a> · {e(row['caseworker'])}</li>"
    if name == "services-in-progress":
        component = v.words.get("choice." + row["component"], row["component"])
        return (
            f"<li>{link}{e(component)}</a> · {e(row['started_on'])} · {e(row['caseworker'])}</li>"
        )
    goal = e(row.get("goal", ""))
    return (
        f"<li>{link}{goal}</a> · {v.t('plan.opened_on')} {e(row['opened_on'])} · "
        f"{v.t('plan.last_activity')} {e(row['last_activity_on'])} · {e(row['caseworker'])}</li>"
    )
