"""The compliance worklist use case: each visible site's flags as of a day."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from services.reporting.app.ports import ReadModel
from services.reporting.app.queries import InvalidReportQuery, rulebook_for
from services.reporting.domain import ReportingFacts, Site
from services.reporting.domain.compliance import SiteCompliance, site_compliance
from services.reporting.domain.suppression import suppress_small_cells

COUNTED_FLAGS = ("follow_ups_due", "follow_ups_missed", "inactive_plans")
"""The per-site counts an analyst sees, suppressed together as one sites x flags table."""


async def analyst_counts(
    repository: ReadModel, fiscal_year: str, rows: list[tuple[Site, SiteCompliance]]
) -> list[dict[str, int | None]]:
    """Each site's flag counts with small counts (rule book's ``small_cell_max``) and
    their complements suppressed (None), for ministry analysts."""
    counts = [
        [flags.follow_ups_due, flags.follow_ups_missed, len(flags.inactive_plans)]
        for _, flags in rows
    ]
    small = (await rulebook_for(repository, fiscal_year)).small_cell_max
    if not counts or small is None:
        return [dict(zip(COUNTED_FLAGS, row, strict=True)) for row in counts]
    shown = suppress_small_cells(counts, small).cells
    return [dict(zip(COUNTED_FLAGS, row, strict=True)) for row in shown]


def _previous(fiscal_year: str) -> str:
    start = int(fiscal_year[:4]) - 1
    return f"{start}-{(start + 1) % 100:02d}"


async def compliance_worklist(
    repository: ReadModel,
    fiscal_year: str,
    *,
    as_of: date,
    visible_sites: Collection[str] | None,
    region: str | None = None,
) -> list[tuple[Site, SiteCompliance]]:
    """Each visible site's (of ``region``, if given) compliance flags as of ``as_of``.

    Reads the plans dated in the fiscal year and the year before (whose exits may
    have follow-ups falling due in this one).
    """
    rulebook = await rulebook_for(repository, fiscal_year)
    if as_of.isoformat() < f"{fiscal_year[:4]}-04-01":
        raise InvalidReportQuery(f"as-of date {as_of} is before fiscal year {fiscal_year}")
    sites = [
        site
        for site in await repository.sites()
        if (visible_sites is None or site.site_id in visible_sites)
        and (region is None or site.region == region)
    ]
    ids = [site.site_id for site in sites]
    this_year = await repository.facts_for(ids, fiscal_year)
    last_year = await repository.facts_for(ids, _previous(fiscal_year))
    facts = ReportingFacts(
        clients={**last_year.clients, **this_year.clients},
        plans={**last_year.plans, **this_year.plans},
        commitments=this_year.commitments,
    )
    return [(site, site_compliance(facts, site.site_id, as_of, rulebook)) for site in sites]
