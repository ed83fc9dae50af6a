"""The facts projection stores what the domain folds: the SQS from the tables is the scenario's."""

from __future__ import annotations

import random
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer import DecodedEvent
from services.reporting.adapters.facts_repository import FactsRepository
from services.reporting.adapters.tables import metadata
from services.reporting.app.queries import sqs_table
from services.reporting.domain import ReportingFacts, Site, sqs_for_province, sqs_for_site
from tests.integration.reporting.conftest import apply
from tests.integration.reporting.events import approval, scenario
from tests.unit.reporting.domain.test_sqs_scenario import EXACT_SQS, EXPECTED, Q1, RULEBOOK, table
from tests.unit.reporting.scenario import COMMITMENTS, SITES

Scenario = tuple[list[DecodedEvent], ReportingFacts]


async def dump(engine: AsyncEngine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of reporting's tables, sorted."""
    async with engine.connect() as connection:
        return {
            name: sorted(map(tuple, await connection.execute(sa.select(t))), key=repr)
            for name, t in metadata.tables.items()
        }


async def test_the_sqs_from_the_tables_matches_the_hand_worked_scenario(
    scenario_url: str, engine: AsyncEngine, scenario_run: Scenario
) -> None:
    repository = FactsRepository(engine)
    facts = await repository.facts_for(["A", "B", "C"], "2012-13")
    assert facts == scenario_run[1]
    for site in "ABC":
        result = sqs_for_site(facts, site, Q1, RULEBOOK)
        assert table(result) == EXPECTED[site][0]
        assert result.sqs == EXACT_SQS[site]
    province = sqs_for_province(facts, SITES, Q1, RULEBOOK)
    assert table(province) == EXPECTED["province"][0]


async def test_sqs_table_gives_each_site_and_the_province(
    scenario_url: str, engine: AsyncEngine
) -> None:
    report = await sqs_table(FactsRepository(engine), "2012-13", "q1", as_of=Q1.end)
    assert report.rulebook.version == RULEBOOK.version
    assert [row.site for row in report.sites] == [
        Site(site_id=s, provider_id="unknown", region="unknown") for s in "ABC"
    ]
    assert {row.site.site_id: row.result.sqs for row in report.sites} == {
        s: EXACT_SQS[s] for s in "ABC"
    }
    assert report.rollup.scope == "province"
    assert report.rollup.sqs == EXACT_SQS["province"]


async def test_redelivering_the_same_events_changes_nothing(
    scenario_url: str, engine: AsyncEngine, scenario_run: Scenario
) -> None:
    before = await dump(engine)
    await apply(engine, scenario_run[0])
    await apply(engine, scenario_run[0], batch=7)
    assert await dump(engine) == before


@pytest.mark.parametrize("seed", [1, 2])
async def test_any_interleaving_and_batching_gives_the_same_tables(
    engine: AsyncEngine, seed: int
) -> None:
    events, expected = scenario()
    random.Random(seed).shuffle(events)
    await apply(engine, events, batch=5)
    facts = await FactsRepository(engine).facts_for(["A", "B", "C"], "2012-13")
    assert facts == expected


async def test_a_later_approval_replaces_the_commitment_an_earlier_one_never_does(
    engine: AsyncEngine,
) -> None:
    first = COMMITMENTS[1]
    revised = first.model_copy(update={"planned_assisted_clients": 12})
    await apply(engine, [approval(revised, revision=2)])
    await apply(engine, [approval(first, revision=1)])
    facts = await FactsRepository(engine).facts_for(["B"], "2012-13")
    assert facts.commitment("B", "2012-13") == revised
