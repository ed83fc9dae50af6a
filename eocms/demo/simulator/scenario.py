"""A simulated fiscal year of a province: every chain of steps, from a seed and a size.

Same seed and size, same steps: every draw comes from one ``random.Random``
seeded here, in a fixed order, and nothing reads the clock.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from contracts.rulebook.fiscal_year import check_fiscal_year
from eocms.demo.simulator.journeys import client_journey
from eocms.demo.simulator.province import Province, build_province
from eocms.demo.simulator.site_activity import (
    business_plan,
    jcp_project,
    resource_and_information_reports,
)
from eocms.demo.simulator.steps import Action, Step

JCP_SHARE = 0.4
"""Share of sites running a Job Creation Partnership project."""


@dataclass(frozen=True)
class Scenario:
    """A province and the chains of steps its people take over one fiscal year."""

    fiscal_year: str
    first_day: date
    last_day: date
    province: Province
    chains: tuple[tuple[Step, ...], ...]

    @property
    def steps(self) -> list[Step]:
        """Every step, chain by chain."""
        return [step for chain in self.chains for step in chain]

    def months(self) -> list[str]:
        """The ``YYYY-MM`` months that have steps, in order (the one before the year too)."""
        return sorted({step.month for step in self.steps})

    def count_clients(self) -> int:
        """How many clients the year registers (ES journeys and JCP participants)."""
        return self.count(Action.REGISTER_CLIENT)

    def count(self, action: Action) -> int:
        """How many steps give this command."""
        return sum(step.action is action for step in self.steps)


def simulate(*, seed: int, sites: int, clients: int, fiscal_year: str = "2012-13") -> Scenario:
    """The year: ``clients`` ES journeys over ``sites`` sites, and the sites' own work."""
    if sites < 1 or clients < 0:
        raise ValueError("a province needs at least one site and no negative clients")
    check_fiscal_year(fiscal_year)
    rng = random.Random(f"eocms-demo:{seed}")
    first_day = date(int(fiscal_year[:4]), 4, 1)
    last_day = date(first_day.year + 1, 3, 31)
    province = build_province(rng, sites)
    homes = rng.choices(province.sites, weights=[s.size for s in province.sites], k=clients)
    chains: list[tuple[Step, ...]] = []
    numbers: dict[str, int] = {}
    for site in homes:
        numbers[site.site_id] = numbers.get(site.site_id, 0) + 1
        registered_on = first_day + timedelta(days=rng.randrange((last_day - first_day).days))
        journey = client_journey(rng, site, numbers[site.site_id], registered_on, last_day)
        chains.append(tuple(journey))
    month_starts = sorted({date(d.year, d.month, 1) for d in _days(first_day, last_day)})
    for site in province.sites:
        starts = sum(
            chain[0].site_id == site.site_id and any(s.action is Action.OPEN_PLAN for s in chain)
            for chain in chains
        )
        chains.append(tuple(business_plan(rng, site, first_day, starts)))
        chains.append(tuple(resource_and_information_reports(rng, site, month_starts, last_day)))
        if rng.random() < JCP_SHARE:
            chains.append(tuple(jcp_project(rng, site, first_day, last_day)))
    return Scenario(fiscal_year, first_day, last_day, province, tuple(c for c in chains if c))


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]
