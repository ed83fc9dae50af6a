"""The measures read model: the hand-worked scenario from the database, every stored period
equal to the domain's computation, and what the refresher recomputes.

Runs on SQLite and PostgreSQL (``engine`` / ``scenario_url`` fixtures). The
scenario and its hand-worked numbers live in ``tests/unit/reporting/scenario.py``
(each measure's numerator and denominator worked out in its docstring); the
expected table is ``test_sqs_scenario.EXPECTED``.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from contracts.caseload import Outcome
from contracts.rulebook import load_rulebook
from services.reporting.adapters.facts_repository import FactsRepository
from services.reporting.adapters.measure_rows import count_of
from services.reporting.adapters.measures_refresh import refresh_all, refresh_dirty
from services.reporting.adapters.tables import dirty_site_years, measures, site_years
from services.reporting.app.measure_periods import materialized_periods
from services.reporting.app.queries import sqs_table
from services.reporting.domain import (
    counts_for_sites,
    sqs_for_province,
    sqs_for_site,
    year_to_date_period,
)
from tests.integration.reporting.conftest import apply, refresh
from tests.integration.reporting.events import from_recorded
from tests.unit.reporting.builders import Journeys
from tests.unit.reporting.domain.test_sqs_scenario import EXACT_SQS, EXPECTED, Q1, RULEBOOK, table
from tests.unit.reporting.scenario import JS, SITES, scenario_facts

SCENARIO_SITE_YEARS = {("A", "2012-13"), ("B", "2011-12"), ("B", "2012-13"), ("C", "2012-13")}
"""B3 opened in March 2012 (2011-12) and exited in April (2012-13); everything else is 2012-13."""


async def dirty(engine: AsyncEngine) -> set[tuple[str, str]]:
    """The site-years marked for recomputation."""
    async with engine.connect() as connection:
        query = sa.select(dirty_site_years.c.site_id, dirty_site_years.c.fiscal_year)
        return {(row.site_id, row.fiscal_year) for row in await connection.execute(query)}


async def test_the_sqs_table_from_the_read_model_matches_the_hand_worked_scenario(
    scenario_url: str, engine: AsyncEngine
) -> None:
    report = await sqs_table(FactsRepository(engine), "2012-13", "q1", as_of=Q1.end)
    assert report.rulebook.version == RULEBOOK.version
    for row in report.sites:
        site = row.site.site_id
        assert table(row.result) == EXPECTED[site][0], site
        assert row.result.sqs == EXACT_SQS[site]
        assert str(row.result.sqs_display) == EXPECTED[site][1]
    assert table(report.rollup) == EXPECTED["province"][0]
    assert report.rollup.sqs == EXACT_SQS["province"]


async def test_every_stored_period_equals_the_domain_over_the_facts(
    scenario_url: str, engine: AsyncEngine
) -> None:
    facts = scenario_facts()
    async with engine.connect() as connection:
        rows = (await connection.execute(sa.select(measures))).all()
        years = {
            (r.site_id, r.fiscal_year) for r in await connection.execute(sa.select(site_years))
        }
    assert years == SCENARIO_SITE_YEARS
    stored = {
        (r.fiscal_year, r.period, r.site_id, r.measure_id): count_of(r._mapping) for r in rows
    }
    expected = {}
    for site_id, fiscal_year in SCENARIO_SITE_YEARS:
        rulebook = load_rulebook(fiscal_year)
        for key, period in materialized_periods(fiscal_year):
            counts = counts_for_sites(facts, [site_id], period, rulebook)
            for measure_id, count in counts.items():
                expected[(fiscal_year, key, site_id, measure_id)] = count
    assert len(expected) == len(SCENARIO_SITE_YEARS) * 28 * 5
    assert stored == expected


@pytest.mark.parametrize(
    "as_of",
    [
        date(2012, 5, 31),  # a month end: the stored row
        date(2012, 5, 10),  # A and B have plans opened or exited later in May: recomputed
        date(2012, 7, 1),  # B4 exits that day; nothing later in July at any site: stored row
        date(2012, 6, 14),  # B4 opens and A4 exits on the 15th: recomputed
        date(2014, 1, 1),  # after the year: the whole year
    ],
)
async def test_year_to_date_equals_the_domain_for_any_as_of_date(
    scenario_url: str, engine: AsyncEngine, as_of: date
) -> None:
    facts = scenario_facts()
    report = await sqs_table(FactsRepository(engine), "2012-13", "ytd", as_of=as_of)
    period = year_to_date_period("2012-13", as_of)
    for row in report.sites:
        assert row.result == sqs_for_site(facts, row.site.site_id, period, RULEBOOK)
    assert report.rollup == sqs_for_province(facts, SITES, period, RULEBOOK)


async def test_sites_carry_their_business_plan_commitments(
    scenario_url: str, engine: AsyncEngine
) -> None:
    report = await sqs_table(FactsRepository(engine), "2012-13", "q1", as_of=Q1.end)
    by_site = {row.site.site_id: row for row in report.sites}
    assert by_site["A"].commitments == {"customer_satisfaction": Fraction(17, 20)}
    assert by_site["A"].improvement_commitments == {
        "client_impact": Fraction(11, 20),
        "service_coordination": Fraction(1, 5),
    }
    assert (by_site["B"].commitments, by_site["B"].improvement_commitments) == ({}, {})
    assert (by_site["C"].commitments, by_site["C"].improvement_commitments) == ({}, {})


async def test_a_refresh_clears_the_marks_and_a_second_has_nothing_to_do(
    database_url: str, engine: AsyncEngine, scenario_run
) -> None:  # type: ignore[no-untyped-def]
    await apply(engine, scenario_run[0])
    assert await dirty(engine) == SCENARIO_SITE_YEARS
    assert await refresh(engine) == len(SCENARIO_SITE_YEARS)
    assert await dirty(engine) == set()
    assert await refresh(engine) == 0


async def test_a_plan_change_dirties_its_site_years_before_and_after(
    scenario_url: str, engine: AsyncEngine
) -> None:
    correction = Journeys()  # B4 exited 2012-07-01; a later record moves the exit to 2013-04-02
    correction.close("B4", "B4", "B", date(2013, 4, 2), Outcome.EMPLOYED_PART_TIME, [JS])
    await apply(engine, [from_recorded(event) for event in correction.events])
    assert await dirty(engine) == {("B", "2012-13"), ("B", "2013-14")}
    await refresh(engine)
    repository = FactsRepository(engine)
    q2 = await sqs_table(repository, "2012-13", "q2", as_of=Q1.end, site_id="B")
    assert q2.sites[0].result.measure("client_impact").denominator == 0
    next_q1 = await sqs_table(repository, "2013-14", "q1", as_of=Q1.end, site_id="B")
    assert next_q1.sites[0].result.measure("client_impact").denominator == 1


async def test_a_client_change_dirties_the_site_years_of_the_clients_plans(
    scenario_url: str, engine: AsyncEngine
) -> None:
    reassessed = Journeys()  # B3: plan opened 2012-03-20 (2011-12), exited 2012-04-15 (2012-13)
    reassessed.assess("B3", date(2012, 4, 1), suitable=False)
    await apply(engine, [from_recorded(event) for event in reassessed.events])
    assert await dirty(engine) == {("B", "2011-12"), ("B", "2012-13")}


async def test_refresh_all_recomputes_every_site_year_of_the_facts(
    scenario_url: str, engine: AsyncEngine
) -> None:
    async with engine.connect() as connection:
        before = (await connection.execute(sa.select(measures))).all()
    async with engine.begin() as connection:
        assert await refresh_all(connection) >= len(SCENARIO_SITE_YEARS)
    async with engine.connect() as connection:
        after = (await connection.execute(sa.select(measures))).all()
    assert set(after) >= set(before)
    assert await dirty(engine) == set()


async def test_a_limited_pass_claims_at_most_its_limit(
    database_url: str, engine: AsyncEngine, scenario_run
) -> None:  # type: ignore[no-untyped-def]
    await apply(engine, scenario_run[0])
    async with engine.begin() as connection:
        assert await refresh_dirty(connection, limit=3) == 3
    assert len(await dirty(engine)) == len(SCENARIO_SITE_YEARS) - 3
    async with engine.begin() as connection:
        assert await refresh_dirty(connection, limit=3) == len(SCENARIO_SITE_YEARS) - 3
    assert await dirty(engine) == set()
