"""Site staff's program cases by status: Second Career applications and SEB cases of my sites.

The ministry decides these cases (:mod:`services.web.decision_pages`); the
site that prepared them follows them here: ``/programs/{kind}?status=`` lists
programs' cases of the kind at the user's sites, filtered by status, paged by
programs' cursor, each line leading to the case (a Second Career application)
or to its client. Programs has no such list for JCP projects yet.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends
from starlette.responses import Response

from services.web.layout import Visit, render, visit
from services.web.markup import text

Visitor = Annotated[Visit, Depends(visit)]
PAGE_ROWS = 25
APPLICATION_STATUSES = ("submitted", "approved", "denied", "in-training", "completed", "withdrawn")
SEB_STATUSES = ("submitted", "approved", "denied", "in-progress", "completed")
"""The statuses programs' lists filter on (its API's enumerations)."""


@dataclass(frozen=True)
class CaseList:
    """One kind of program case as programs lists it for the site."""

    name: str
    title: str
    path: str
    statuses: Sequence[str]
    link: str
    """Where a line leads, with ``{resource_id}`` or ``{client_id}``."""
    status_words: str
    """Prefix of its statuses' messages."""


CASE_LISTS = {
    case_list.name: case_list
    for case_list in (
        CaseList(
            "second-career",
            "decision.kind.second-career",
            "/second-career/applications",
            APPLICATION_STATUSES,
            "/second-career/{resource_id}",
            "sc.status.",
        ),
        CaseList(
            "seb",
            "decision.kind.seb",
            "/seb/participations",
            SEB_STATUSES,
            "/clients/{client_id}",
            "case.status.",
        ),
    )
}


def program_router() -> APIRouter:
    """``/programs/{kind}``: one kind's cases at my sites, by status."""
    router = APIRouter(include_in_schema=False)

    @router.get("/programs/{kind_name}")
    async def cases(v: Visitor, kind_name: str, status: str = "", cursor: str = "") -> Response:
        case_list = CASE_LISTS.get(kind_name)
        if case_list is None:
            return Response(status_code=404)
        status = status if status in case_list.statuses else ""
        body = _switch(v, case_list) + _filter(v, case_list, status)
        body += await _rows(v, case_list, status, cursor)
        return render(v, case_list.title, body)

    return router


def _switch(v: Visit, shown: CaseList) -> str:
    current = ' aria-current="page"'
    links = "".join(
        f'<li><a href="/programs/{name}"{current if name == shown.name else ""}>'
        f"{v.t(case_list.title)}</a></li>"
        for name, case_list in CASE_LISTS.items()
    )
    return f'<nav aria-label="{v.t("programs.kinds")}"><ul class="kinds">{links}</ul></nav>'


def _filter(v: Visit, case_list: CaseList, status: str) -> str:
    options = f'<option value="">{v.t("programs.any_status")}</option>' + "".join(
        f'<option value="{text(choice)}"{" selected" if choice == status else ""}>'
        f"{v.t(case_list.status_words + choice)}</option>"
        for choice in case_list.statuses
    )
    return (
        f'<form class="search" method="get" action="/programs/{text(case_list.name)}">'
        f'<div class="field"><label for="p-status">{v.t("sc.status")}</label>'
        f'<select id="p-status" name="status">{options}</select></div>'
        f'<button type="submit">{v.t("programs.show")}</button></form>'
    )


async def _rows(v: Visit, case_list: CaseList, status: str, cursor: str) -> str:
    query = {"status": status, "cursor": cursor, "limit": PAGE_ROWS}
    answer = await v.calls.get("programs", case_list.path, v.token, query)
    if not answer.ok:
        message = v.words.get(f"problem.{answer.problem_type}", answer.problem)
        return f'<p class="error">{text(message)}</p>'
    lines = "".join(
        f'<li><a href="{text(case_list.link.format(**row))}">'
        f"{v.t(case_list.status_words + str(row['status']))}</a> · "
        f"{v.t('programs.row', since=row.get('since') or '', site=row['site_id'])}</li>"
        for row in answer.body["items"]
    )
    more = ""
    if answer.body.get("next_cursor"):
        after = urllib.parse.urlencode({"status": status, "cursor": answer.body["next_cursor"]})
        link = f"/programs/{case_list.name}?{after}"
        more = f'<p><a href="{text(link)}">{v.t("worklist.more")}</a></p>'
    empty = f"<li>{v.t('worklist.empty')}</li>"
    return f'<ul class="cases">{lines or empty}</ul>{more}'
