"""A site-year's facts, loaded bounded by the fiscal year's dates, for computing its measures.

A plan counts only in periods holding its opening or exit date (the domain's
rule, :mod:`services.reporting.domain.site_years`, the premise of the dirty
marks too), so a site-year's measures need only the site's plans opened or
exited in the fiscal year, their clients and the site's commitment.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from uuid import UUID

from sqlalchemy.ext.asyncio import AsyncConnection

from services.reporting.adapters import fact_tables
from services.reporting.app.measure_periods import fiscal_year_bounds
from services.reporting.domain import Period, PlanFact, ReportingFacts
from services.reporting.domain.site_years import plan_days


async def load_site_year_facts(
    connection: AsyncConnection,
    site_ids: Sequence[str],
    fiscal_year: str,
    *,
    stamps: bool = True,
) -> dict[str, ReportingFacts]:
    """Each site's facts for one fiscal year: plans opened or exited in it, their clients,
    and the site's commitment for the year (every site asked for has an entry).

    ``stamps`` False loads facts for computing measures only (faster: no stamps).
    """
    start, end = fiscal_year_bounds(fiscal_year)
    condition = fact_tables.plans_dated_in(site_ids, start, end)
    plans = await fact_tables.read_plans_where(connection, condition, stamps=stamps)
    clients = await fact_tables.read_clients_of_plans_where(connection, condition, stamps=stamps)
    stored = await fact_tables.read_commitments(
        connection, site_ids=site_ids, fiscal_year=fiscal_year
    )
    plans_by_site: dict[str, dict[UUID, PlanFact]] = defaultdict(dict)
    for plan in plans.values():
        plans_by_site[plan.site_id][plan.plan_id] = plan
    facts = {}
    for site_id in site_ids:
        site_plans = plans_by_site[site_id]
        client_ids = {plan.client_id for plan in site_plans.values()}
        commitment = stored.get((site_id, fiscal_year))
        facts[site_id] = ReportingFacts.model_construct(
            clients={cid: clients[cid] for cid in client_ids if cid in clients},
            plans=site_plans,
            commitments={} if commitment is None else {(site_id, fiscal_year): commitment[0]},
        )
    return facts


class PlansByMonth:
    """A site-year's facts with its plans grouped by the months of their opening and exit.

    ``facts_for(period)`` gives the facts with only the plans opened or exited in
    the period (whole months): the measures give the same counts over them (a
    plan counts only in periods holding its opening or exit date, the premise of
    the dirty marks too) while each period looks at far fewer plans.
    """

    def __init__(self, facts: ReportingFacts, fiscal_year: str) -> None:
        self._facts = facts
        self._first, _ = fiscal_year_bounds(fiscal_year)
        self._months: list[dict[UUID, PlanFact]] = [{} for _ in range(12)]
        for plan in facts.plans.values():
            for day in plan_days(plan.opened_on, plan.closed_on):
                index = self._index(day)
                if index is not None:
                    self._months[index][plan.plan_id] = plan

    def _index(self, day: date) -> int | None:
        index = (day.year - self._first.year) * 12 + day.month - self._first.month
        return index if 0 <= index < 12 else None

    def facts_for(self, period: Period) -> ReportingFacts:
        """The facts with only the plans opened or exited in the months of ``period``."""
        first, last = self._index(period.start), self._index(period.end)
        assert first is not None and last is not None, period
        plans: dict[UUID, PlanFact] = {}
        for month in self._months[first : last + 1]:
            plans.update(month)
        return ReportingFacts.model_construct(
            clients=self._facts.clients, plans=plans, commitments=self._facts.commitments
        )


def last_activity_on(plans: Iterable[PlanFact], fiscal_year: str) -> date | None:
    """The latest opening or exit date of these plans within the fiscal year."""
    start, end = fiscal_year_bounds(fiscal_year)
    days = [
        day
        for plan in plans
        for day in plan_days(plan.opened_on, plan.closed_on)
        if start <= day <= end
    ]
    return max(days, default=None)
