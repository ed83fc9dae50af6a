"""Unit of work: events, outbox rows and the caller's own writes commit together."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Column, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import ConcurrencyConflict, create_event_store, unit_of_work
from chassis.eventstore.tables import outbox
from tests.support.events import pending

pytestmark = pytest.mark.asyncio

reservations = Table(
    "test_reservations", MetaData(), Column("client_site", String(200), primary_key=True)
)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> AsyncEngine:
    return request.getfixturevalue(
        "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    )


@pytest.fixture
async def engine(backend: AsyncEngine) -> AsyncEngine:
    async with backend.begin() as connection:
        await connection.run_sync(reservations.metadata.create_all)
    return backend


async def count(engine: AsyncEngine, table: Table) -> int:
    async with engine.connect() as connection:
        return int(await connection.scalar(select(func.count()).select_from(table)) or 0)


async def test_appends_and_own_writes_commit_together(engine: AsyncEngine) -> None:
    stream = f"plan-{uuid.uuid4()}"
    async with unit_of_work(engine) as uow:
        result = await uow.append(stream, 0, [pending(), pending()])
        await uow.connection.execute(insert(reservations).values(client_site=stream))

    assert result.stream_version == 2
    assert len(await create_event_store(engine).load(stream)) == 2
    assert await count(engine, reservations) == 1
    assert await count(engine, outbox) == 2


async def test_a_failing_own_write_rolls_the_events_back_too(engine: AsyncEngine) -> None:
    taken = f"plan-{uuid.uuid4()}"
    async with unit_of_work(engine) as uow:
        await uow.connection.execute(insert(reservations).values(client_site=taken))
    stream = f"plan-{uuid.uuid4()}"

    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        async with unit_of_work(engine) as uow:
            await uow.append(stream, 0, [pending()])
            await uow.connection.execute(insert(reservations).values(client_site=taken))

    assert await create_event_store(engine).load(stream) == []
    assert await count(engine, outbox) == 0


async def test_a_stale_version_raises_a_conflict_and_writes_nothing(engine: AsyncEngine) -> None:
    stream = f"plan-{uuid.uuid4()}"
    await create_event_store(engine).append(stream, 0, [pending()])

    with pytest.raises(ConcurrencyConflict):
        async with unit_of_work(engine) as uow:
            await uow.connection.execute(insert(reservations).values(client_site=stream))
            await uow.append(stream, 0, [pending()])

    assert await count(engine, reservations) == 0
    assert len(await create_event_store(engine).load(stream)) == 1
