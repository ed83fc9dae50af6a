"""What reporting's use cases read, declared here; ``adapters/facts_repository.py`` provides it.

The queries and exports take a :class:`ReadModel`, so they depend on this
shape and not on SQL: ``FactsRepository`` implements it over the database, and
a test can hand them a fake.
"""

from __future__ import annotations

from collections.abc import Collection, Hashable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Protocol

from contracts.rulebook import RuleBook
from services.reporting.domain import Count, ReportingFacts, Site
from services.reporting.domain.business_planning import PlanMilestone


@dataclass(frozen=True)
class StoredPeriod:
    """What the read model holds for one fiscal year and stored period, for some sites."""

    rulebook: RuleBook | None
    """The rule book the year was computed with; None if the year was never computed."""
    counts: dict[str, dict[str, Count]] = field(default_factory=dict)
    """Site -> measure id -> count (sites without rows are absent)."""
    last_activity: dict[str, date | None] = field(default_factory=dict)
    """Site -> latest opening or exit date in the year (computed sites only)."""
    measure_commitments: dict[str, dict[str, Fraction]] = field(default_factory=dict)
    """Site -> its business plan's Schedule B commitment per measure id, for the year."""
    improvement_commitments: dict[str, dict[str, Fraction]] = field(default_factory=dict)
    """Site -> its business plan's continuous-improvement target per measure id."""


class ReadModel(Protocol):
    """Reporting's read side: sites, rule books, stored periods and site-years' facts."""

    async def sites(self) -> list[Site]:
        """Every site known, with provider and region (``unknown`` when not listed)."""
        ...

    async def rulebook(self, fiscal_year: str) -> RuleBook:
        """The rule book the year was computed with, else the configured one
        (``RuleBookError`` if there is none)."""
        ...

    async def stored_period(
        self, fiscal_year: str, period_key: str, site_ids: Collection[str] | None
    ) -> StoredPeriod:
        """The stored rows of one period (``measure_periods.period_key``) for these sites
        (None: every site)."""
        ...

    async def generation(self, fiscal_year: str) -> Hashable:
        """A value that changes whenever the refresher writes the year's rows or the
        projection marks one of its site-years dirty (``app/answer_cache.py``)."""
        ...

    async def facts_for(self, site_ids: Collection[str], fiscal_year: str) -> ReportingFacts:
        """The sites' plans opened or exited in the fiscal year, their clients, and the
        sites' commitments for the year."""
        ...

    async def business_plan_milestones(
        self, fiscal_year: str, site_ids: Collection[str] | None
    ) -> list[PlanMilestone]:
        """The milestones (submitted, revised, review started, returned, approved) of the
        year's business plans of these sites (None: every site)."""
        ...
