"""Property: the refresher's SQL counts equal the domain's measure functions (PostgreSQL).

Hypothesis generates small histories (the unit fold property's journeys:
clients at sites A-C with assessments, plans opened between April 2011 and
March 2013 with services, referrals in and out, exits on and around month,
quarter and fiscal-year ends, ratings), folds them with the domain
(:func:`fold_events`), adds business-plan commitments, drops some clients'
facts (a plan whose client's intake events have not arrived), and writes the
facts into a real PostgreSQL database. Then, for every site and fiscal year
2011-12 (Service Coordination v1), 2012-13 and 2013-14 (v2) and every stored
period (12 months, 4 quarters, 12 years to date):

- each measure's numerator and denominator from
  :func:`~services.reporting.adapters.measure_counts_sql.site_year_counts`
  equals the domain's function for it, for every measure and rule version
  the SQL knows (both Service Coordination and both Client Impact versions,
  the analysis-only measures);
- the commitment and latest activity equal the facts';
- the rows the refresher stores through the SQL path equal, row for row, the
  rows of the domain-fold path over the same facts.
"""

from __future__ import annotations

import asyncio
import threading
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.database import create_engine
from contracts.caseload import Outcome, PlanComponent, ReferralCategory, ReferralDirection
from contracts.intake import ReferralSource
from contracts.rulebook import load_rulebook
from services.reporting.adapters import fact_rows, fact_tables
from services.reporting.adapters.dirty_site_years import mark_dirty
from services.reporting.adapters.measure_counts_sql import (
    MEASURE_COUNTS,
    NO_INDICATORS,
    computes,
    site_year_counts,
    stored_period_masks,
)
from services.reporting.adapters.measures_refresh import recompute_by_fold, refresh_dirty
from services.reporting.adapters.site_year_facts import last_activity_on
from services.reporting.adapters.tables import (
    client_facts,
    commitments,
    follow_ups,
    measures,
    metadata,
    plan_facts,
    referrals,
    site_periods,
    site_years,
)
from services.reporting.domain import (
    ES_MEASURES,
    BusinessPlanCommitment,
    ReportingFacts,
    Stamp,
    fold_events,
)
from tests.support.postgres import DatabaseFactory
from tests.support.reporting_live import migrated_reporting_database
from tests.unit.reporting.domain.test_fold_properties import SITES, build, clients

pytestmark = pytest.mark.postgres

FISCAL_YEARS = ("2011-12", "2012-13", "2013-14")
RULEBOOKS = {year: load_rulebook(year) for year in FISCAL_YEARS}
SITE_YEARS = [(site, year) for site in SITES for year in FISCAL_YEARS]

commitment_plans = st.dictionaries(
    st.tuples(st.sampled_from(SITES), st.sampled_from(FISCAL_YEARS)), st.integers(0, 40), max_size=4
)


@pytest.fixture
async def reporting_url(postgres_database_factory: DatabaseFactory) -> str:
    return await migrated_reporting_database(postgres_database_factory)


def run_in_own_loop(make: Callable[[], Awaitable[None]]) -> None:
    """Run a coroutine on a fresh event loop in its own thread, re-raising its error."""
    errors: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(make())  # type: ignore[arg-type]
        except BaseException as error:  # handed back to the test
            errors.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def generated_facts(specs: list[dict], planned: dict, forgotten: set[int]) -> ReportingFacts:
    """The domain's facts of the journeys, with commitments, without some clients' facts."""
    facts = fold_events(build(specs).events)
    for (site, year), clients_planned in planned.items():
        facts = facts.with_commitment(
            BusinessPlanCommitment(
                site_id=site, fiscal_year=year, planned_assisted_clients=clients_planned
            )
        )
    ordered = sorted(facts.clients.items())
    kept = {cid: fact for n, (cid, fact) in enumerate(ordered) if n not in forgotten}
    return facts.model_copy(update={"clients": kept})


async def write_facts(connection: AsyncConnection, facts: ReportingFacts) -> None:
    for table in reversed(metadata.sorted_tables):
        await connection.execute(sa.delete(table))
    await fact_tables.upsert(
        connection, client_facts, [fact_rows.client_row(c) for c in facts.clients.values()]
    )
    plans = list(facts.plans.values())
    await fact_tables.upsert(connection, plan_facts, [fact_rows.plan_row(p) for p in plans])
    await fact_tables.upsert(
        connection, referrals, [r for p in plans for r in fact_rows.referral_rows(p)]
    )
    await fact_tables.upsert(
        connection, follow_ups, [f for p in plans for f in fact_rows.follow_up_rows(p)]
    )
    stamp = Stamp(occurred_at=datetime(2011, 3, 1, tzinfo=UTC), stream_version=1,
                  event_id=uuid.uuid4())  # fmt: skip
    await fact_tables.upsert(
        connection,
        commitments,
        [fact_rows.commitment_row(c, stamp) for c in facts.commitments.values()],
    )


def domain_count(measure_id: str, version: str, facts: ReportingFacts, site: str, period):  # type: ignore[no-untyped-def]
    """The domain's count of one measure under one rule version (the functions read only
    ``rule_version`` of the rule)."""
    rule = SimpleNamespace(rule_version=version)
    return ES_MEASURES.function_for(measure_id, rule)(facts, site, period, rule)  # type: ignore[arg-type]


async def stored_rows(connection: AsyncConnection) -> dict[str, list[tuple]]:
    found = {}
    for table in (measures, site_periods):
        rows = await connection.execute(sa.select(table).order_by(*table.primary_key.columns))
        found[table.name] = [tuple(row) for row in rows]
    year_rows = await connection.execute(
        sa.select(
            site_years.c.site_id, site_years.c.fiscal_year, site_years.c.last_activity_on
        ).order_by(site_years.c.site_id, site_years.c.fiscal_year)
    )
    found[site_years.name] = [tuple(row) for row in year_rows]
    return found


async def check(url: str, facts: ReportingFacts) -> None:
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.begin() as connection:
            await write_facts(connection, facts)
            found = await site_year_counts(connection, SITE_YEARS)
            for site, year in SITE_YEARS:
                counts = found[(site, year)]
                commitment = facts.commitment(site, year)
                planned = 0 if commitment is None else commitment.planned_assisted_clients
                assert counts.planned_assisted_clients == planned
                site_plans = [p for p in facts.plans.values() if p.site_id == site]
                assert counts.last_activity_on == last_activity_on(site_plans, year)
                for key, period, _ in stored_period_masks(year):
                    indicators = counts.indicators.get(key, NO_INDICATORS)
                    for (measure_id, version), count in MEASURE_COUNTS.items():
                        expected = domain_count(measure_id, version, facts, site, period)
                        got = count(indicators, planned, period)
                        assert got == expected, (site, key, measure_id, version, indicators)

            # The refresher's stored rows: SQL path, then the domain fold's, compared.
            assert all(computes(book) for book in RULEBOOKS.values())
            await mark_dirty(connection, SITE_YEARS)
            assert await refresh_dirty(connection, rulebooks=RULEBOOKS) == len(SITE_YEARS)
            through_sql = await stored_rows(connection)
            for year in FISCAL_YEARS:
                await recompute_by_fold(connection, year, list(SITES), RULEBOOKS[year])
            through_fold = await stored_rows(connection)
            assert through_sql == through_fold
    finally:
        await engine.dispose()


def plan(open_after: int, exit_after: int | None, **more: object) -> dict:
    """A journey plan spec (days after 2011-04-01) with the unit property's defaults."""
    return {"site": "A", "open_after": open_after, "referred_in": None, "services": [],
            "referrals": [], "exit_after": exit_after, "outcome": Outcome.UNKNOWN,
            "rating": None, "follow_up": False, **more}  # fmt: skip


IN, OUT = ReferralDirection.IN, ReferralDirection.OUT
EDGES = [
    # Opened and exited on 31 March 2012 (2011-12's last day) with a referral out that day
    # (at exit); then a plan from 1 April 2012 with a referral in and one out after exit.
    {"site": "A", "came": ReferralSource.EO_PROGRAM, "assessments": [True], "plans": [
        plan(365, 0, services=[PlanComponent.JOB_SEARCH], referrals=[(OUT, 0)],
             outcome=Outcome.EMPLOYED_FULL_TIME, rating=5),
        plan(366, 30, services=[PlanComponent.CSPC], referrals=[(IN, 1), (OUT, 31)],
             outcome=Outcome.IN_TRAINING, rating=4),
    ]},
    # Self-referred: opened 30 June 2011 (q1's last day), a referral out during service,
    # exit 31 July; a second plan opened 29 July (q2, another month), still open.
    {"site": "B", "came": ReferralSource.SELF_REFERRED, "assessments": [False, True], "plans": [
        plan(90, 31, site="B", services=[PlanComponent.JMPI,
             PlanComponent.JOB_TRAINING_RETENTION], referrals=[(OUT, 30)], rating=3),
        plan(119, None, site="B", referred_in=ReferralCategory.SECOND_CAREER),
    ]},
    # Came referred, but its facts are missing (forgotten): no referral in from registration.
    {"site": "C", "came": ReferralSource.COMMUNITY_OR_GOVERNMENT, "assessments": [True],
     "plans": [plan(456, 0, site="C", outcome=Outcome.IN_EDUCATION)]},
    # Same client, two plans at A in April 2011 and April 2012 (first days of both years).
    {"site": "A", "came": ReferralSource.EO_PROGRAM, "assessments": [], "plans": [
        plan(0, 365, services=[PlanComponent.JOB_SEARCH], rating=1),
        plan(366, 1, services=[PlanComponent.JOB_SEARCH], outcome=Outcome.SELF_EMPLOYED),
    ]},
]  # fmt: skip
"""Hand-picked edges, checked on every run beside the generated histories."""


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    specs=st.lists(clients, min_size=1, max_size=8),
    planned=commitment_plans,
    forgotten=st.sets(st.integers(0, 7), max_size=2),
)
@example(specs=EDGES, planned={("A", "2011-12"): 24, ("B", "2011-12"): 0}, forgotten={2})
def test_sql_counts_equal_the_domain_measures_on_generated_histories(
    reporting_url: str, specs: list[dict], planned: dict, forgotten: set[int]
) -> None:
    facts = generated_facts(specs, planned, forgotten)
    run_in_own_loop(lambda: check(reporting_url, facts))


def test_every_stored_period_is_a_mask_of_its_whole_months() -> None:
    masks = {key: mask for key, _, mask in stored_period_masks("2012-13")}
    assert len(masks) == 28
    assert masks["2012-04"] == 1 and masks["2013-03"] == 1 << 11
    assert masks["q1"] == 0b111 and masks["q4"] == 0b111 << 9
    assert masks["ytd:2012-04"] == 1 and masks["ytd:2013-03"] == (1 << 12) - 1
    assert masks["ytd:2012-11"] == (1 << 8) - 1


def test_a_rulebook_with_a_measure_the_sql_does_not_know_is_left_to_the_fold() -> None:
    book = RULEBOOKS["2012-13"]
    other = book.measures["client_impact"].model_copy(update={"rule_version": "v9"})
    changed = book.model_copy(update={"measures": {**book.measures, "client_impact": other}})
    assert computes(book) and not computes(changed)
