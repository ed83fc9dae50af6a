"""Reporting's integration tests run on SQLite and on PostgreSQL, over the scenario's facts."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer import DecodedEvent
from chassis.database import create_engine
from chassis.migrate import migrate
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.measures_refresh import refresh_dirty
from services.reporting.adapters.migrations import VERSIONS
from services.reporting.domain import ReportingFacts
from tests.integration.reporting.events import scenario

DatabaseFactory = Callable[[], Awaitable[str]]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def new_database(request: pytest.FixtureRequest, tmp_path) -> DatabaseFactory:  # type: ignore[no-untyped-def]
    """Makes a fresh database: a SQLite file, or a new PostgreSQL database."""
    if request.param == "postgres":
        return request.getfixturevalue("postgres_database_factory")

    async def sqlite_file() -> str:
        return f"sqlite+aiosqlite:///{tmp_path / 'reporting.db'}"

    return sqlite_file


@pytest.fixture
async def database_url(new_database: DatabaseFactory) -> str:
    """A fresh database migrated with reporting's tables."""
    url = await new_database()
    engine = create_engine(url)
    try:
        await migrate(engine, extra_version_locations=[VERSIONS])
    finally:
        await engine.dispose()
    return url


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """An engine on the migrated database."""
    engine = create_engine(database_url)
    yield engine
    await engine.dispose()


async def apply(engine: AsyncEngine, events: list[DecodedEvent], batch: int = 1000) -> None:
    """Apply events through the projection in batches, one transaction each (as the runner)."""
    projection = FactsProjection()
    for start in range(0, len(events), batch):
        async with engine.begin() as connection:
            await projection.apply(connection, events[start : start + batch])


async def refresh(engine: AsyncEngine) -> int:
    """One pass of the measures refresher (packaged rule books), as the service's loop runs."""
    async with engine.begin() as connection:
        return await refresh_dirty(connection)


@pytest.fixture
def scenario_run() -> tuple[list[DecodedEvent], ReportingFacts]:
    """One run of the scenario: its events and the facts the domain folds from them."""
    return scenario()


@pytest.fixture
async def scenario_url(
    database_url: str, engine: AsyncEngine, scenario_run: tuple[list[DecodedEvent], ReportingFacts]
) -> str:
    """The migrated database with the scenario's events applied and the measures refreshed."""
    await apply(engine, scenario_run[0])
    await refresh(engine)
    return database_url
