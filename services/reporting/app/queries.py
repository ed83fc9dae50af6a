"""The SQS table: per site and rolled up, scored by the domain from the measures read model.

``sqs_table`` is what the HTTP API and the CLI both answer from. Each site's
counts come from the stored rows of the period (``measure_periods``), scored
with :func:`score_counts` under the rule book the rows were computed with; the
roll-up is the domain's :func:`roll_up` of the sites' counts (summed, never an
average of scores). The one case the rows cannot answer exactly, a year to
date ending mid-month at a site with plans opened or exited later that month,
is computed by the domain over that site-year's facts. The rule book's
version is part of the answer.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from contracts.rulebook import RuleBook, check_fiscal_year
from contracts.rulebook.loader import RuleBookError
from services.reporting.app.measure_periods import answers_ytd_as_of, period_key
from services.reporting.app.ports import ReadModel, StoredPeriod
from services.reporting.domain import (
    Count,
    Period,
    Site,
    SqsResult,
    counts_for_site,
    parse_period,
)
from services.reporting.domain.measure_registry import ZERO
from services.reporting.domain.rollup import roll_up
from services.reporting.domain.scoring import score_counts

PROVINCE = "province"


class InvalidReportQuery(ValueError):
    """A fiscal year, period or site that cannot be reported on (HTTP 422 / 404)."""


class UnknownSite(InvalidReportQuery):
    """A site that is not known, or not visible to the caller (HTTP 404)."""


@dataclass(frozen=True)
class SiteSqs:
    """One site's reference data, its SQS result and its business plan's commitments.

    ``commitments``: Schedule B committed actual per measure id (fractions);
    ``improvement_commitments``: continuous-improvement targets; both empty
    without an approved business plan for the fiscal year.
    """

    site: Site
    result: SqsResult
    commitments: Mapping[str, Fraction] = field(default_factory=dict)
    improvement_commitments: Mapping[str, Fraction] = field(default_factory=dict)


@dataclass(frozen=True)
class SqsTable:
    """The SQS of each site asked for, their roll-up, the period and the rule book used."""

    fiscal_year: str
    period: Period
    rulebook: RuleBook
    sites: tuple[SiteSqs, ...]
    rollup: SqsResult


async def rulebook_for(repository: ReadModel, fiscal_year: str) -> RuleBook:
    """The fiscal year's rule book; :class:`InvalidReportQuery` when there is none."""
    try:
        check_fiscal_year(fiscal_year)
        return await repository.rulebook(fiscal_year)
    except (RuleBookError, ValueError) as error:
        raise InvalidReportQuery(str(error)) from None


def period_for(fiscal_year: str, text: str, as_of: date) -> Period:
    """``ytd``, ``q1``..``q4`` or ``YYYY-MM`` of the fiscal year; ytd runs to ``as_of``."""
    try:
        return parse_period(fiscal_year, text, as_of=as_of)
    except ValueError as error:
        raise InvalidReportQuery(str(error)) from None


async def sqs_table(
    repository: ReadModel,
    fiscal_year: str,
    period: str,
    *,
    as_of: date,
    site_id: str | None = None,
    visible_sites: Collection[str] | None = None,
) -> SqsTable:
    """Rows per site (one site, or all visible) and their roll-up, from the read model.

    ``visible_sites`` None means every site; the roll-up is then the province,
    else it is named ``sites`` and covers only the visible sites asked for.
    """
    chosen_period = period_for(fiscal_year, period, as_of)
    known = await repository.sites()
    sites = [s for s in known if visible_sites is None or s.site_id in visible_sites]
    if site_id is not None:
        sites = [s for s in sites if s.site_id == site_id]
        if not sites:
            raise UnknownSite(f"no site {site_id!r} to report on")
    site_ids = [site.site_id for site in sites]
    everyone = visible_sites is None and site_id is None
    stored = await repository.stored_period(
        fiscal_year, period_key(chosen_period), None if everyone else site_ids
    )
    rulebook = stored.rulebook or await rulebook_for(repository, fiscal_year)
    counts = await _site_counts(repository, stored, site_ids, chosen_period, rulebook)
    rows = [
        SiteSqs(
            site,
            score_counts(site.site_id, chosen_period, rulebook, counts[site.site_id]),
            stored.measure_commitments.get(site.site_id, {}),
            stored.improvement_commitments.get(site.site_id, {}),
        )
        for site in sites
    ]
    scope = PROVINCE if everyone else "sites"
    rollup = roll_up(scope, chosen_period, rulebook, counts.values())
    return SqsTable(fiscal_year, chosen_period, rulebook, tuple(rows), rollup)


async def _site_counts(
    repository: ReadModel,
    stored: StoredPeriod,
    site_ids: list[str],
    period: Period,
    rulebook: RuleBook,
) -> dict[str, dict[str, Count]]:
    """Each site's counts: stored when exact for the period, else by the domain over facts."""
    zero = {measure_id: ZERO for measure_id in rulebook.measures}
    exact_rows = {
        site: stored.counts.get(site, zero)
        for site in site_ids
        if answers_ytd_as_of(period, stored.last_activity.get(site))
    }
    recompute = [site for site in site_ids if site not in exact_rows]
    if recompute:
        facts = await repository.facts_for(recompute, period.fiscal_year)
        for site in recompute:
            exact_rows[site] = counts_for_site(facts, site, period, rulebook)
    return exact_rows
