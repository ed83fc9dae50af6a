"""Unit of work: events, outbox rows and the caller's own writes commit together."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Column, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.eventstore import (
    ConcurrencyConflict,
    command_transaction,
    create_event_store,
    unit_of_work,
)
from chassis.eventstore.tables import events, outbox
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


async def committed_events(engine: AsyncEngine, stream_id: str) -> int:
    """Events of a stream another connection sees."""
    query = select(func.count()).select_from(events).where(events.c.stream_id == stream_id)
    async with engine.connect() as connection:
        return int(await connection.scalar(query) or 0)


async def test_units_of_work_in_a_command_transaction_commit_with_it_or_not_at_all(
    engine: AsyncEngine,
) -> None:
    kept, dropped = f"plan-{uuid.uuid4()}", f"plan-{uuid.uuid4()}"
    async with command_transaction(engine) as transaction:
        async with unit_of_work(engine) as uow:
            await uow.append(kept, 0, [pending()])
        async with unit_of_work(engine) as uow:
            await uow.connection.execute(insert(reservations).values(client_site=kept))
        assert await committed_events(engine, kept) == 0, "not visible to others before the commit"
        await transaction.commit()
    async with command_transaction(engine), unit_of_work(engine) as uow:
        await uow.append(dropped, 0, [pending()])
        # leaving without commit: the command failed

    assert len(await create_event_store(engine).load(kept)) == 1
    assert await create_event_store(engine).load(dropped) == []
    assert await count(engine, reservations) == 1


@pytest.mark.postgres
async def test_postgres_writes_run_on_a_pool_without_pre_ping(postgres_engine: AsyncEngine) -> None:
    from chassis.eventstore.postgres import writer_engine

    writer = writer_engine(postgres_engine)
    assert writer is writer_engine(postgres_engine)
    assert writer.url == postgres_engine.url
    assert postgres_engine.sync_engine.pool._pre_ping  # reads keep it
    assert not writer.sync_engine.pool._pre_ping
