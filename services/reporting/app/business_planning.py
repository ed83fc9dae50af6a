"""The business-planning use case: every visible site's plan status for a fiscal year.

Every site of the sites reference (and any site the read model knows) gets a
status, ``not-submitted`` when reporting has no milestone of its plan; the
status is judged at an instant (reporting's clock, or the end of an earlier
as-of day) against the year's planning calendar (rule book), by the rule
book's one status function (:mod:`services.reporting.domain.business_planning`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from contracts.rulebook.planning import PlanningCalendar
from services.reporting.app.ports import ReadModel
from services.reporting.app.queries import rulebook_for
from services.reporting.domain import Site
from services.reporting.domain.business_planning import (
    PlanMilestone,
    SitePlanning,
    site_planning,
)


async def planning_calendar(repository: ReadModel, fiscal_year: str) -> PlanningCalendar | None:
    """The year's planning calendar (None when its rule book has none);
    ``InvalidReportQuery`` when the year has no rule book."""
    rulebook = await rulebook_for(repository, fiscal_year)
    return None if rulebook.programs is None else rulebook.programs.business_plans.calendar


async def planning_statuses(
    repository: ReadModel,
    fiscal_year: str,
    *,
    now: datetime,
    visible_sites: Collection[str] | None,
    region: str | None = None,
) -> list[tuple[Site, SitePlanning]]:
    """Each visible site's (of ``region``, if given) plan for the year, judged at ``now``."""
    calendar = await planning_calendar(repository, fiscal_year)
    sites = [
        site
        for site in await repository.sites()
        if (visible_sites is None or site.site_id in visible_sites)
        and (region is None or site.region == region)
    ]
    milestones = await repository.business_plan_milestones(
        fiscal_year, [site.site_id for site in sites]
    )
    by_site: dict[str, list[PlanMilestone]] = {}
    for milestone in milestones:
        by_site.setdefault(milestone.site_id, []).append(milestone)
    return [
        (
            site,
            site_planning(site.site_id, fiscal_year, calendar, by_site.get(site.site_id, []), now),
        )
        for site in sites
    ]
