"""What reporting's read routes share: query parameters, who may read, which sites they see.

``/sqs``, ``/measures``, ``/sites`` (:mod:`.http`) and the provider and region
roll-ups (:mod:`.rollups`) take the same parameters and apply the same
visibility, so both modules import them from here.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Query, Request

from chassis.http import Principal, Role, require_roles
from chassis.http.problems import ProblemType
from contracts.rulebook.fiscal_year import FISCAL_YEAR_PATTERN
from services.reporting.app.ports import ReadModel

READER_ROLES = (Role.MINISTRY_ANALYST, Role.ADMIN, Role.SITE_MANAGER)
"""Who may read reporting's figures (the API and the dashboard alike)."""

Reader = Annotated[Principal, Depends(require_roles(*READER_ROLES))]
FiscalYear = Annotated[
    str,
    Query(
        pattern=FISCAL_YEAR_PATTERN,
        description="Fiscal year, e.g. 2012-13 (the second year follows the first).",
        examples=["2012-13"],
    ),
]
PeriodText = Annotated[
    str,
    Query(
        pattern=r"^(?:ytd|q[1-4]|[0-9]{4}-(?:0[1-9]|1[0-2]))$",
        description="ytd, q1..q4 or a month YYYY-MM of the fiscal year.",
        examples=["q1"],
    ),
]
SiteId = Annotated[str | None, Query(description="One site only.")]
AsOf = Annotated[date | None, Query(description="Year-to-date end (default: today at the sites).")]

INVALID_REPORT_QUERY = ProblemType(
    "/problems/invalid-report-query", "The report's parameters do not fit together", 422
)
"""Parameters each well formed that no schema can relate: a month outside the fiscal year,
an as-of date before it, ``2012-14``, or a fiscal year without a rule book."""


def visible_sites(principal: Principal) -> frozenset[str] | None:
    """None (every site) for analysts and admins, else the sites in the token."""
    if principal.has_any_role({Role.MINISTRY_ANALYST, Role.ADMIN}):
        return None
    return principal.site_ids


def repository(request: Request) -> ReadModel:
    """The read side the bootstrap put on the app."""
    return request.app.state.reporting


def today(request: Request) -> date:
    """Today in the sites' time zone (the default end of a year to date)."""
    return datetime.now(ZoneInfo(request.app.state.reporting_time_zone)).date()
