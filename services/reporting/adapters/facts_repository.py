"""Loads the :class:`ReportingFacts` a report needs, and the sites reference, from the tables."""

from __future__ import annotations

import json
from collections.abc import Collection
from pathlib import Path

import yaml
from pydantic import TypeAdapter
from sqlalchemy.ext.asyncio import AsyncEngine

from services.reporting.adapters import fact_tables
from services.reporting.domain import ReportingFacts, Site

_SITES = TypeAdapter(list[Site])
UNKNOWN = "unknown"
"""Provider and region of a site the reference file does not list."""


def read_sites_file(path: Path) -> list[Site]:
    """Sites from a JSON (``.json``) or YAML file holding a list of site objects."""
    text = path.read_text(encoding="utf-8")
    data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    return _SITES.validate_python(data or [])


class FactsRepository:
    """Reads facts and sites over one engine (reporting's own database)."""

    def __init__(self, engine: AsyncEngine, sites_file: Path | None = None) -> None:
        self._engine = engine
        self._sites_file = sites_file

    async def sites(self) -> list[Site]:
        """The reference sites, completed with every site the facts mention (provider unknown)."""
        listed = read_sites_file(self._sites_file) if self._sites_file else []
        async with self._engine.connect() as connection:
            seen = await fact_tables.read_site_ids(connection)
        known = {site.site_id for site in listed}
        extra = [
            Site(site_id=site_id, provider_id=UNKNOWN, region=UNKNOWN)
            for site_id in seen
            if site_id not in known
        ]
        return sorted([*listed, *extra], key=lambda site: site.site_id)

    async def facts_for(self, site_ids: Collection[str], fiscal_year: str) -> ReportingFacts:
        """The plans of these sites, their clients, and the sites' commitments for the year."""
        async with self._engine.connect() as connection:
            plans = await fact_tables.read_plans(connection, site_ids=site_ids)
            client_ids = {plan.client_id for plan in plans.values()}
            clients = await fact_tables.read_clients(connection, client_ids)
            stored = await fact_tables.read_commitments(
                connection, site_ids=site_ids, fiscal_year=fiscal_year
            )
        return ReportingFacts(
            clients=clients,
            plans=plans,
            commitments={key: commitment for key, (commitment, _) in stored.items()},
        )
