"""Two refreshers, and a projection batch during a refresh, on PostgreSQL.

A refresher claims the dirty site-years with ``FOR UPDATE SKIP LOCKED``: a
second refresher skips what the first holds instead of recomputing it, and a
projection batch that marks a site-year the first refresher holds waits for
it, then marks it again, so the change is recomputed on the next pass.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.database import create_engine
from chassis.migrate import migrate
from contracts.caseload import Outcome
from services.reporting.adapters.measures_refresh import (
    packaged_rulebooks,
    record_rulebooks,
    refresh_dirty,
)
from services.reporting.adapters.migrations import VERSIONS
from tests.integration.reporting.conftest import apply
from tests.integration.reporting.events import from_recorded, scenario
from tests.integration.reporting.test_measures_read_model import SCENARIO_SITE_YEARS, dirty
from tests.support.postgres import DatabaseFactory
from tests.unit.reporting.builders import Journeys
from tests.unit.reporting.scenario import JS

pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg_engine(postgres_database_factory: DatabaseFactory) -> AsyncIterator[AsyncEngine]:
    """A PostgreSQL database with the scenario's facts, not refreshed; rule books recorded
    (a first recording by two refreshers at once makes the second wait for the first)."""
    engine = create_engine(await postgres_database_factory(), pool_size=5)
    await migrate(engine, extra_version_locations=[VERSIONS])
    await apply(engine, scenario()[0])
    async with engine.begin() as connection:
        await record_rulebooks(connection, packaged_rulebooks())
    yield engine
    await engine.dispose()


async def waiting_for_a_lock(engine: AsyncEngine) -> bool:
    """Whether some session of this database is waiting for a row lock."""
    query = sa.text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    async with engine.connect() as connection:
        return bool((await connection.execute(query)).scalar_one())


async def test_a_second_refresher_skips_what_the_first_holds(pg_engine: AsyncEngine) -> None:
    async with pg_engine.connect() as first, first.begin():
        assert await refresh_dirty(first) == len(SCENARIO_SITE_YEARS)
        async with pg_engine.begin() as second:
            assert await refresh_dirty(second) == 0
    assert await dirty(pg_engine) == set()


async def test_a_change_marked_during_a_refresh_is_not_lost(pg_engine: AsyncEngine) -> None:
    correction = Journeys()  # B4's exit moves from 2012-07-01 to 2013-04-02
    correction.close("B4", "B4", "B", date(2013, 4, 2), Outcome.EMPLOYED_PART_TIME, [JS])
    events = [from_recorded(event) for event in correction.events]
    async with pg_engine.connect() as refresher, refresher.begin():
        await refresh_dirty(refresher)  # holds (B, 2012-13) until it commits
        batch = asyncio.ensure_future(apply(pg_engine, events))
        while not await waiting_for_a_lock(pg_engine):
            assert not batch.done(), "the batch should wait for the refresher's mark"
            await asyncio.sleep(0.05)
    await batch
    assert await dirty(pg_engine) == {("B", "2012-13"), ("B", "2013-14")}
