"""The SQS table: per site and rolled up, computed by the domain over facts loaded from the tables.

``sqs_table`` is what the HTTP API and the CLI both answer from. The rule book
is the period's fiscal year's; its version is part of the answer.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from contracts.rulebook import RuleBook, load_rulebook
from contracts.rulebook.loader import RuleBookError
from services.reporting.adapters.facts_repository import FactsRepository
from services.reporting.domain import Period, Site, SqsResult, parse_period, sqs_for_sites

PROVINCE = "province"


class InvalidReportQuery(ValueError):
    """A fiscal year, period or site that cannot be reported on (HTTP 422 / 404)."""


class UnknownSite(InvalidReportQuery):
    """A site that is not known, or not visible to the caller (HTTP 404)."""


@dataclass(frozen=True)
class SiteSqs:
    """One site's reference data and its SQS result."""

    site: Site
    result: SqsResult


@dataclass(frozen=True)
class SqsTable:
    """The SQS of each site asked for, their roll-up, the period and the rule book used."""

    fiscal_year: str
    period: Period
    rulebook: RuleBook
    sites: tuple[SiteSqs, ...]
    rollup: SqsResult


def rulebook_for(fiscal_year: str) -> RuleBook:
    """The fiscal year's rule book; :class:`InvalidReportQuery` when there is none."""
    try:
        return load_rulebook(fiscal_year)
    except RuleBookError as error:
        raise InvalidReportQuery(str(error)) from None


def period_for(fiscal_year: str, text: str, as_of: date) -> Period:
    """``ytd``, ``q1``..``q4`` or ``YYYY-MM`` of the fiscal year; ytd runs to ``as_of``."""
    try:
        return parse_period(fiscal_year, text, as_of=as_of)
    except ValueError as error:
        raise InvalidReportQuery(str(error)) from None


async def sqs_table(
    repository: FactsRepository,
    fiscal_year: str,
    period: str,
    *,
    as_of: date,
    site_id: str | None = None,
    visible_sites: Collection[str] | None = None,
) -> SqsTable:
    """Rows per site (one site, or all visible) and their roll-up, by the domain over the facts.

    ``visible_sites`` None means every site; the roll-up is then the province,
    else it is named ``sites`` and covers only the visible sites asked for.
    """
    rulebook = rulebook_for(fiscal_year)
    chosen_period = period_for(fiscal_year, period, as_of)
    known = await repository.sites()
    sites = [s for s in known if visible_sites is None or s.site_id in visible_sites]
    if site_id is not None:
        sites = [s for s in sites if s.site_id == site_id]
        if not sites:
            raise UnknownSite(f"no site {site_id!r} to report on")
    site_ids = [site.site_id for site in sites]
    facts = await repository.facts_for(site_ids, fiscal_year)
    rows = tuple(
        SiteSqs(site, sqs_for_sites(site.site_id, facts, [site.site_id], chosen_period, rulebook))
        for site in sites
    )
    scope = PROVINCE if visible_sites is None and site_id is None else "sites"
    rollup = sqs_for_sites(scope, facts, site_ids, chosen_period, rulebook)
    return SqsTable(fiscal_year, chosen_period, rulebook, rows, rollup)
