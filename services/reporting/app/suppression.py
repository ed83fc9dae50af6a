"""What an analyst sees: the one place that decides who gets exact counts, and what is withheld.

Every analyst-facing output asks here: ``/sqs``, ``/measures``, the provider
and region roll-ups, ``/compliance``, the dashboard document and its downloads,
``eocms report sqs`` and the measures export (DOMAIN.md, "Privacy in
analysts' outputs").

- :func:`sees_exact_counts`: admins, and staff whose figures are their own
  sites' (site managers, caseworkers; a region's ministry consultant for the
  region's sites, whose plans they work). A ministry analyst never, whatever
  other role the token also carries.
- :func:`release`: for anyone else, the counts withheld
  (:func:`~services.reporting.domain.measure_suppression.withheld_counts`),
  always computed over the **whole province's** table of the period, whatever
  part of it the caller asked for: one site's answer withholds what the
  province's answer withholds, so no two answers combine into a derivation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from chassis.http.principal import CLIENT_LEVEL_ROLES, Principal, Role
from services.reporting.app.analysis_figures import Figures, figures_by_site, summed
from services.reporting.app.measure_periods import materialized_periods
from services.reporting.app.ports import ReadModel
from services.reporting.app.queries import PROVINCE, SqsTable, sqs_table
from services.reporting.domain.measure_suppression import (
    DENOMINATOR,
    NOTHING_WITHHELD,
    NUMERATOR,
    WithheldCounts,
    with_analysis_figures,
    withheld_counts,
)
from services.reporting.domain.rollup import counts_of


def sees_exact_counts(principal: Principal) -> bool:
    """Whether the caller sees every count it may read exactly (else small cells are withheld)."""
    if Role.ADMIN in principal.roles:
        return True
    if Role.MINISTRY_ANALYST in principal.roles:
        return False
    return bool(principal.roles & CLIENT_LEVEL_ROLES)


@dataclass(frozen=True)
class Release:
    """What one output may show of a table: the counts withheld, and the analysis figures."""

    withheld: WithheldCounts = NOTHING_WITHHELD
    figures: Mapping[str, Figures] = field(default_factory=dict)
    """Scope (site id or roll-up scope) -> analysis-only figures (asked for only)."""


def group_sites(table: SqsTable) -> dict[str, list[str]]:
    """Each roll-up scope of ``table`` (providers, regions, its own roll-up) -> its site ids."""
    groups: dict[str, list[str]] = defaultdict(list)
    for row in table.sites:
        groups[f"provider:{row.site.provider_id}"].append(row.site.site_id)
        groups[f"region:{row.site.region}"].append(row.site.site_id)
        groups[table.rollup.scope].append(row.site.site_id)
    return dict(groups)


async def release(
    repository: ReadModel, table: SqsTable, *, exact: bool, figures: bool = False
) -> Release:
    """What ``table`` may show: everything when ``exact``, else with small cells withheld.

    ``figures``: also compute the analysis-only figures of the table's sites and
    roll-ups (reads the sites' facts).
    """
    small_max = table.rulebook.small_cell_max
    if exact or small_max is None:
        return Release(figures=await _figures(repository, table) if figures else {})
    whole = table
    if table.rollup.scope != PROVINCE:  # a part: suppress as the province's table does
        whole = await sqs_table(
            repository, table.fiscal_year, table.period.label, as_of=table.period.end
        )
    groups = group_sites(whole)
    groups[table.rollup.scope] = [row.site.site_id for row in table.sites]
    scored = {row.site.site_id: counts_of(row.result) for row in whole.sites}
    withheld = withheld_counts(scored, groups, small_max)
    if not figures:
        return Release(withheld)
    shown = await _figures(repository, whole, groups)
    sites = {site: shown[site] for site in scored}
    withheld = with_analysis_figures(withheld, sites, scored, groups, small_max)
    return Release(withheld, shown)


async def _figures(
    repository: ReadModel, table: SqsTable, groups: Mapping[str, list[str]] | None = None
) -> dict[str, Figures]:
    site_ids = [row.site.site_id for row in table.sites]
    by_site = await figures_by_site(repository, site_ids, table.period, table.rulebook)
    groups = group_sites(table) if groups is None else groups
    return {**by_site, **{scope: summed(by_site, sites) for scope, sites in groups.items()}}


@dataclass(frozen=True)
class WithheldMark:
    """One site's measure with a count withheld from analysts, in one stored period."""

    period: str
    """The stored period's key (``2012-05``, ``q1``, ``ytd:2012-05``)."""
    site_id: str
    measure_id: str
    numerator: bool
    denominator: bool


async def withheld_marks(repository: ReadModel, fiscal_year: str) -> list[WithheldMark]:
    """What analysts may not see of the year's stored rows, every stored period (the
    analysts' SQL views apply these marks); as :func:`release` decides for the API."""
    marks = []
    for key, period in materialized_periods(fiscal_year):
        table = await sqs_table(repository, fiscal_year, period.label, as_of=period.end)
        withheld = (await release(repository, table, exact=False)).withheld
        for row in table.sites:
            site = row.site.site_id
            for measure in sorted(withheld.measures(site)):
                parts = withheld.of(site, measure)
                marks.append(
                    WithheldMark(key, site, measure, NUMERATOR in parts, DENOMINATOR in parts)
                )
    return marks
