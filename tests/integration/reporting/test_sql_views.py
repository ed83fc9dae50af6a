"""The analysts' SQL views answer, and on PostgreSQL agree with the API on the scenario."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.reporting.adapters.facts_repository import FactsRepository, store_sites_reference
from services.reporting.adapters.sql_views import (
    ANALYST_MEASURES_VIEW,
    ANALYST_SQS_VIEW,
    MEASURES_VIEW,
    PLANS_VIEW,
    SQS_VIEW,
    VIEWS,
)
from services.reporting.adapters.tables import site_years
from services.reporting.adapters.withheld_store import release_stale_years
from services.reporting.app.queries import sqs_table
from services.reporting.app.suppression import release
from services.reporting.entrypoints.response_bodies import SqsReport
from tests.unit.reporting.builders import plan_id
from tests.unit.reporting.domain.test_sqs_scenario import Q1
from tests.unit.reporting.scenario import SITES

DIRECT_IDENTIFIERS = {"name", "first_name", "last_name", "birth_date", "sin", "email", "phone"}


async def select(engine: AsyncEngine, sql: str, **parameters: object) -> list[dict]:  # type: ignore[type-arg]
    """Rows of an analyst's query, as dicts."""
    async with engine.connect() as connection:
        result = await connection.execute(sa.text(sql), parameters)
        return [dict(row._mapping) for row in result]


@pytest.fixture
async def with_sites(scenario_url: str, engine: AsyncEngine) -> AsyncEngine:
    """The scenario's database with its sites reference stored."""
    async with engine.begin() as connection:
        await store_sites_reference(connection, SITES)
    return engine


@pytest.fixture
async def released(with_sites: AsyncEngine) -> AsyncEngine:
    """The same, with the counts withheld from analysts written (the analysts' views)."""
    assert "2012-13" in await release_stale_years(with_sites, FactsRepository(with_sites))
    return with_sites


async def test_every_view_answers(released: AsyncEngine) -> None:
    for view in VIEWS:
        assert await select(released, f"SELECT * FROM {view}"), view


async def test_the_plans_view_has_plan_facts_without_direct_identifiers(
    with_sites: AsyncEngine,
) -> None:
    plans = await select(with_sites, f"SELECT * FROM {PLANS_VIEW}")
    assert len(plans) == 10
    assert not DIRECT_IDENTIFIERS & set(plans[0])
    a4 = next(p for p in plans if str(p["plan_id"]).replace("-", "") == plan_id("A4").hex)
    assert (a4["site_id"], a4["provider_id"], a4["region"]) == ("A", "P1", "east")
    assert (a4["referrals_in"], a4["referrals_out"], a4["outcome"]) == (0, 1, "volunteer")
    assert str(a4["first_referral_out_on"]) == "2012-06-20"


@pytest.mark.postgres
@pytest.mark.parametrize("new_database", ["postgres"], indirect=True)
async def test_the_views_agree_with_the_api(with_sites: AsyncEngine) -> None:
    table = await sqs_table(FactsRepository(with_sites), "2012-13", "q1", as_of=Q1.end)
    report = SqsReport.of(table, details=True)
    query = f"SELECT * FROM {SQS_VIEW} WHERE fiscal_year = '2012-13' AND period = 'q1'"
    sqs = {row["site_id"]: row for row in await select(with_sites, query)}
    query = f"SELECT * FROM {MEASURES_VIEW} WHERE fiscal_year = '2012-13' AND period = 'q1'"
    rows = {(r["site_id"], r["measure_id"]): r for r in await select(with_sites, query)}
    assert set(sqs) == {row.scope for row in report.sites}
    for site in report.sites:
        view = sqs[site.scope]
        assert float(view["sqs"]) == site.sqs
        assert view["meets_provincial_standard"] is site.meets_provincial_standard
        assert (view["provider_id"], view["region"]) == (site.provider_id, site.region)
        assert view["rulebook_version"] == report.rulebook_version
        for measure in site.measures or []:
            row = rows[(site.scope, measure.measure_id)]
            assert float(row["numerator"]) == measure.numerator
            assert float(row["denominator"]) == pytest.approx(measure.denominator, rel=1e-12)
            actual = row["actual_percent"]
            assert (None if actual is None else float(actual)) == measure.actual_percent
            assert float(row["target_percent"]) == measure.target_percent
            assert float(row["score"]) == measure.score
            assert row["rule_version"] == measure.rule_version


async def test_the_analysts_views_withhold_what_the_api_withholds(released: AsyncEngine) -> None:
    with_sites = released
    repository = FactsRepository(with_sites)
    table = await sqs_table(repository, "2012-13", "q1", as_of=Q1.end)
    shown = await release(repository, table, exact=False)
    report = SqsReport.of(table, details=True, release=shown)
    where = "WHERE fiscal_year = '2012-13' AND period = 'q1'"
    rows = {
        (r["site_id"], r["measure_id"]): r
        for r in await select(with_sites, f"SELECT * FROM {ANALYST_MEASURES_VIEW} {where}")
    }
    query = f"SELECT * FROM {ANALYST_SQS_VIEW} {where}"
    sqs = {r["site_id"]: r for r in await select(with_sites, query)}
    assert len(rows) == 3 * 5
    for site in report.sites:
        assert (sqs[site.scope]["sqs"] is None) is (site.sqs is None)
        assert bool(sqs[site.scope]["suppressed"]) is site.suppressed
        for measure in site.measures or []:
            row = rows[(site.scope, measure.measure_id)]
            assert (row["numerator"] is None) is (measure.numerator is None)
            assert (row["denominator"] is None) is (measure.denominator is None)
            assert bool(row["suppressed"]) is measure.suppressed
            assert row["numerator"] is None or float(row["numerator"]) not in (1, 2, 3, 4)
    assert any(row["suppressed"] for row in rows.values())  # the scenario's counts are small


@pytest.mark.parametrize("new_database", ["sqlite"], indirect=True)
async def test_a_year_changed_since_its_release_is_hidden_until_released_again(
    released: AsyncEngine,
) -> None:
    with_sites = released
    query = f"SELECT COUNT(*) AS n FROM {ANALYST_MEASURES_VIEW} WHERE fiscal_year = '2012-13'"
    assert (await select(with_sites, query))[0]["n"] > 0
    async with with_sites.begin() as connection:  # the refresher rewrote a site-year
        await connection.execute(
            site_years.update()
            .where(site_years.c.site_id == "A")
            .values(refreshed_at=datetime.now(UTC) + timedelta(seconds=1))
        )
    assert (await select(with_sites, query))[0]["n"] == 0
    assert "2012-13" in await release_stale_years(with_sites, FactsRepository(with_sites))
    assert (await select(with_sites, query))[0]["n"] > 0
