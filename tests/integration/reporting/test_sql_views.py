"""The analysts' SQL views answer, and on PostgreSQL agree with the API on the scenario."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.reporting.adapters.facts_repository import FactsRepository, store_sites_reference
from services.reporting.adapters.sql_views import MEASURES_VIEW, PLANS_VIEW, SQS_VIEW, VIEWS
from services.reporting.app.queries import sqs_table
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


async def test_every_view_answers(with_sites: AsyncEngine) -> None:
    for view in VIEWS:
        assert await select(with_sites, f"SELECT * FROM {view}"), view


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
