"""Reporting's reads: the measures read model, site-years' facts (bounded by dates), sites.

The HTTP API and the CLI answer from the read model (``stored_period``); the
facts are loaded only for what the read model cannot answer exactly (a
year to date ending mid-month at a site with later activity that month), and
only those of one fiscal year.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Hashable
from functools import cache
from pathlib import Path

import sqlalchemy as sa
import yaml
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from contracts.rulebook import DATA_DIRECTORY, RuleBook, load_rulebook
from services.reporting.adapters.business_plan_milestones import read_milestones
from services.reporting.adapters.site_year_facts import load_site_year_facts
from services.reporting.adapters.stored_measures import (
    read_recorded_rulebook,
    read_reported_site_ids,
    read_stored_period,
)
from services.reporting.adapters.tables import dirty_site_years, site_years
from services.reporting.adapters.tables import sites as sites_table
from services.reporting.app.ports import StoredPeriod
from services.reporting.domain import ReportingFacts, Site
from services.reporting.domain.business_planning import PlanMilestone

_SITES = TypeAdapter(list[Site])
UNKNOWN = "unknown"
"""Provider and region of a site the reference file does not list."""


def read_sites_file(path: Path) -> list[Site]:
    """Sites from a JSON (``.json``) or YAML file holding a list of site objects."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return _SITES.validate_python(data or [])


async def store_sites_reference(connection: AsyncConnection, listed: list[Site]) -> None:
    """Replace ``reporting_sites`` (the SQL views' provider and region) with ``listed``."""
    await connection.execute(sites_table.delete())
    if listed:
        await connection.execute(sites_table.insert(), [site.model_dump() for site in listed])


class FactsRepository:
    """Reads reporting's database over one engine: the read model, facts and sites
    (the use cases' :class:`~services.reporting.app.ports.ReadModel`).

    ``rulebook_directory`` is where rule books are read for fiscal years the
    read model has not computed yet (default: the packaged ones); a computed
    year answers with the rule book recorded with its rows.
    """

    def __init__(
        self,
        engine: AsyncEngine,
        sites_file: Path | None = None,
        rulebook_directory: Path | None = None,
    ) -> None:
        self._engine = engine
        self._sites_file = sites_file
        self._rulebook_directory = rulebook_directory or DATA_DIRECTORY

    async def sites(self) -> list[Site]:
        """The reference sites (the file, else as the service last stored it), completed with
        every site the read model knows (provider and region unknown)."""
        async with self._engine.connect() as connection:
            if self._sites_file:
                listed = read_sites_file(self._sites_file)
            else:
                stored = await connection.execute(sa.select(sites_table))
                listed = [Site.model_construct(**row._mapping) for row in stored]
            seen = await read_reported_site_ids(connection)
        known = {site.site_id for site in listed}
        extra = [
            Site.model_construct(site_id=site_id, provider_id=UNKNOWN, region=UNKNOWN)
            for site_id in seen
            if site_id not in known
        ]
        return sorted([*listed, *extra], key=lambda site: site.site_id)

    async def rulebook(self, fiscal_year: str) -> RuleBook:
        """The rule book the year's rows were computed with, else the directory's (may raise
        ``RuleBookError``)."""
        async with self._engine.connect() as connection:
            recorded = await read_recorded_rulebook(connection, fiscal_year)
        return recorded or load_rulebook(fiscal_year, self._rulebook_directory)

    async def stored_period(
        self, fiscal_year: str, period_key: str, site_ids: Collection[str] | None
    ) -> StoredPeriod:
        """The read model's rows of one stored period for these sites (None: every site)."""
        async with self._engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execution_options(isolation_level="REPEATABLE READ")
            return await read_stored_period(connection, fiscal_year, period_key, site_ids)

    async def generation(self, fiscal_year: str) -> Hashable:
        """(site-years refreshed, latest refresh, dirty marks, latest mark) of the year: moves
        with every refresher write and every change the projection commits for the year."""
        async with self._engine.connect() as connection:
            row = (await connection.execute(_generation_query(), {"year": fiscal_year})).one()
        return tuple(row)

    async def facts_for(self, site_ids: Collection[str], fiscal_year: str) -> ReportingFacts:
        """The sites' plans opened or exited in the fiscal year, their clients, and the
        sites' commitments for the year."""
        async with self._engine.connect() as connection:
            by_site = await load_site_year_facts(connection, list(site_ids), fiscal_year)
        return ReportingFacts(
            clients={k: v for facts in by_site.values() for k, v in facts.clients.items()},
            plans={k: v for facts in by_site.values() for k, v in facts.plans.items()},
            commitments={k: v for facts in by_site.values() for k, v in facts.commitments.items()},
        )

    async def business_plan_milestones(
        self, fiscal_year: str, site_ids: Collection[str] | None
    ) -> list[PlanMilestone]:
        """The milestones of the year's business plans of these sites (None: every site)."""
        async with self._engine.connect() as connection:
            return await read_milestones(connection, fiscal_year, site_ids)


@cache
def _generation_query() -> sa.Select[tuple[int, object, int, object]]:
    year = sa.bindparam("year")
    refreshed = sa.select(sa.func.count(), sa.func.max(site_years.c.refreshed_at)).where(
        site_years.c.fiscal_year == year
    )
    marked = sa.select(sa.func.count(), sa.func.max(dirty_site_years.c.marked_at)).where(
        dirty_site_years.c.fiscal_year == year
    )
    r, m = refreshed.subquery(), marked.subquery()
    # Two one-row aggregates side by side: joined on true, said so (no cartesian warning).
    return sa.select(*r.c, *m.c).select_from(r.join(m, sa.true()))
