"""Which (site, fiscal year) pairs a fact counts in: the site-years its measures can change.

Every ES measure selects a plan by its opening date (clients started in the
period) or its exit date (plans exited in the period), so
**a plan counts in the fiscal years of its opening and of its exit**, at its
site: one year, or two when it crosses a year end, and only its opening year
while it is open. A client's facts count wherever the client's plans count,
and at the site and year of the registration (so the site is known). A
business plan's commitment counts in its own site-year.

The facts projection marks these site-years dirty for the refresher
(``adapters/dirty_site_years.py``), and a site-year's facts are loaded as the
plans with an opening or exit date in the year (``adapters/site_year_facts.py``).
"""

from __future__ import annotations

from datetime import date

from contracts.rulebook import fiscal_year_of
from services.reporting.domain.facts import ClientFact, PlanFact

SiteYear = tuple[str, str]
"""(site id, fiscal year)."""


def plan_days(opened_on: date | None, closed_on: date | None) -> tuple[date, ...]:
    """The days a plan counts on: its opening and its exit, those it has."""
    return tuple(day for day in (opened_on, closed_on) if day is not None)


def fiscal_years_of_plan(opened_on: date | None, closed_on: date | None) -> set[str]:
    """The fiscal years a plan counts in: those of its opening and of its exit."""
    return {fiscal_year_of(day) for day in plan_days(opened_on, closed_on)}


def site_years_of_plan(plan: PlanFact | None) -> set[SiteYear]:
    """The site-years a plan's measures count in (none for a missing plan)."""
    if plan is None:
        return set()
    return {(plan.site_id, year) for year in fiscal_years_of_plan(plan.opened_on, plan.closed_on)}


def site_years_of_registration(client: ClientFact | None) -> set[SiteYear]:
    """The site-year of a client's registration, if known."""
    if client is None or client.site_id is None or client.registered_on is None:
        return set()
    return {(client.site_id, fiscal_year_of(client.registered_on))}


def fiscal_years_from_to(first: date, last: date) -> list[str]:
    """Every fiscal year from the one holding ``first`` to the one holding ``last``."""
    start, end = int(fiscal_year_of(first)[:4]), int(fiscal_year_of(last)[:4])
    return [f"{year}-{(year + 1) % 100:02d}" for year in range(start, end + 1)]
