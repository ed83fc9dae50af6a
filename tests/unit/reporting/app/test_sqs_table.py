"""The SQS table and its roll-ups over a fake read model (the app's port), hand-computed."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from fractions import Fraction

import pytest

from contracts.rulebook import RuleBook
from services.reporting.app.ports import ReadModel, StoredPeriod
from services.reporting.app.queries import UnknownSite, sqs_table
from services.reporting.app.rollups import group_rollups
from services.reporting.domain import Count, ReportingFacts, Site
from tests.support.rulebook_files import first_reading_rulebook

RULEBOOK = first_reading_rulebook("2012-13")


def count(numerator: int, denominator: int) -> Count:
    return Count(Fraction(numerator), Fraction(denominator))


STORED = {
    "A": {
        "customer_satisfaction": count(8, 10),
        "service_coordination": count(1, 4),
        "client_suitability": count(2, 4),
        "client_impact": count(0, 0),
        "service_efficiency": count(9, 10),
    },
    "B": {
        "customer_satisfaction": count(9, 10),
        "service_coordination": count(3, 4),
        "client_suitability": count(1, 6),
        "client_impact": count(7, 10),
        "service_efficiency": count(0, 0),
    },
}
SITES = [
    Site(site_id="A", provider_id="P01", region="east"),
    Site(site_id="B", provider_id="P01", region="west"),
]


class FakeReadModel:
    """Stored q1 counts of two sites; no facts are ever needed for a quarter."""

    async def sites(self) -> list[Site]:
        return SITES

    async def rulebook(self, fiscal_year: str) -> RuleBook:
        return RULEBOOK

    async def stored_period(
        self, fiscal_year: str, period_key: str, site_ids: Collection[str] | None
    ) -> StoredPeriod:
        assert (fiscal_year, period_key) == ("2012-13", "q1")
        wanted = STORED if site_ids is None else {s: STORED[s] for s in site_ids}
        return StoredPeriod(rulebook=RULEBOOK, counts=dict(wanted))

    async def facts_for(self, site_ids: Collection[str], fiscal_year: str) -> ReportingFacts:
        raise AssertionError("a quarter is answered from the stored rows")


READ_MODEL: ReadModel = FakeReadModel()
AS_OF = date(2012, 7, 1)


async def test_the_province_roll_up_sums_the_sites_counts_and_scores_them_once() -> None:
    table = await sqs_table(READ_MODEL, "2012-13", "q1", as_of=AS_OF)
    assert [row.site.site_id for row in table.sites] == ["A", "B"]
    assert table.rollup.scope == "province"
    # 3/10 suitable against 40%: 0.3 x 0.75 x 10; the other measures meet their targets.
    assert table.rollup.measure("client_suitability").score == Fraction(225, 100)
    assert table.rollup.sqs == Fraction(925, 100)
    # Site A alone: suitability 2/4 capped at 3, impact no data (0).
    assert table.sites[0].result.measure("client_suitability").score == 3
    assert table.sites[0].result.measure("client_impact").actual is None


async def test_a_site_manager_gets_a_roll_up_of_their_sites_only() -> None:
    table = await sqs_table(READ_MODEL, "2012-13", "q1", as_of=AS_OF, visible_sites={"A"})
    assert [row.site.site_id for row in table.sites] == ["A"]
    assert table.rollup.scope == "sites"
    assert table.rollup.sqs == table.sites[0].result.sqs


async def test_provider_and_region_roll_ups_group_the_table_s_sites() -> None:
    table = await sqs_table(READ_MODEL, "2012-13", "q1", as_of=AS_OF)
    (provider,) = group_rollups(table, "provider")
    assert (provider.key, provider.site_ids) == ("P01", ["A", "B"])
    assert provider.result.sqs == table.rollup.sqs == Fraction(925, 100)
    regions = group_rollups(table, "region")
    assert [(r.key, r.site_ids) for r in regions] == [("east", ["A"]), ("west", ["B"])]
    assert regions[1].result.measure("client_suitability").actual == Fraction(1, 6)


async def test_an_unknown_site_is_refused() -> None:
    with pytest.raises(UnknownSite):
        await sqs_table(READ_MODEL, "2012-13", "q1", as_of=AS_OF, site_id="Z")
