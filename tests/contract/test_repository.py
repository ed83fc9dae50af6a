"""The event-sourced repository, on SQLite and PostgreSQL: load, add, save, rows alongside."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Column, MetaData, String, Table, func, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.aggregate import Aggregate
from chassis.eventstore import ConcurrencyConflict, EventSourcedRepository
from chassis.eventstore.tables import events, outbox
from contracts.registry import EventSchema
from tests.support.events import client_registered, metadata

pytestmark = pytest.mark.asyncio

rows = Table("test_repository_rows", MetaData(), Column("name", String(200), primary_key=True))


class Registrations(Aggregate):
    """A test aggregate: counts the registrations it recorded or replayed."""

    def _initial_state(self) -> None:
        self.count = 0

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self._initial_state()

    def register(self, client: uuid.UUID) -> None:
        self._record(client_registered(client))

    def apply(self, event: EventSchema) -> None:
        self.count += 1


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> AsyncEngine:
    return request.getfixturevalue(
        "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    )


@pytest.fixture
async def engine(backend: AsyncEngine) -> AsyncEngine:
    async with backend.begin() as connection:
        await connection.run_sync(rows.metadata.create_all)
    return backend


@pytest.fixture
def repository(engine: AsyncEngine) -> EventSourcedRepository[Registrations]:
    return EventSourcedRepository(engine, Registrations)


def row(name: str):  # type: ignore[no-untyped-def]
    async def write(connection: AsyncConnection) -> None:
        await connection.execute(insert(rows).values(name=name))

    return write


async def keys(engine: AsyncEngine, stream: str) -> list[str]:
    query = (
        select(outbox.c.partition_key)
        .join(events, events.c.position == outbox.c.position)
        .where(events.c.stream_id == stream)
        .order_by(events.c.stream_version)
    )
    async with engine.connect() as connection:
        return list((await connection.scalars(query)).all())


async def count_rows(engine: AsyncEngine, name: str) -> int:
    query = select(func.count()).select_from(rows).where(rows.c.name == name)
    async with engine.connect() as connection:
        return int(await connection.scalar(query) or 0)


async def test_an_unknown_stream_loads_as_none(
    repository: EventSourcedRepository[Registrations],
) -> None:
    assert await repository.load(f"stream-{uuid.uuid4()}") is None


async def test_added_then_saved_events_load_back_under_the_opening_key(
    engine: AsyncEngine, repository: EventSourcedRepository[Registrations]
) -> None:
    stream, first_client = f"stream-{uuid.uuid4()}", uuid.uuid4()
    new = Registrations(stream)
    new.register(first_client)
    await repository.add(stream, new, metadata())

    loaded = await repository.load(stream)
    assert loaded is not None and (loaded.version, loaded.count) == (1, 1)
    assert loaded.stream_key == str(first_client)
    loaded.register(uuid.uuid4())
    loaded.register(uuid.uuid4())
    await repository.save(stream, loaded, metadata())

    again = await repository.load(stream)
    assert again is not None and (again.version, again.count) == (3, 3)
    assert await keys(engine, stream) == [str(first_client)] * 3


async def test_rows_before_and_after_commit_with_the_events(
    engine: AsyncEngine, repository: EventSourcedRepository[Registrations]
) -> None:
    stream = f"stream-{uuid.uuid4()}"
    new = Registrations(stream)
    new.register(uuid.uuid4())
    await repository.add(
        stream, new, metadata(), before=row(f"{stream}-a"), after=row(f"{stream}-b")
    )

    assert await count_rows(engine, f"{stream}-a") == await count_rows(engine, f"{stream}-b") == 1


async def test_a_failing_row_rolls_the_events_back(
    engine: AsyncEngine, repository: EventSourcedRepository[Registrations]
) -> None:
    taken = f"taken-{uuid.uuid4()}"
    first = Registrations("x")
    first.register(uuid.uuid4())
    await repository.add(f"stream-{uuid.uuid4()}", first, metadata(), after=row(taken))
    stream = f"stream-{uuid.uuid4()}"
    refused = Registrations(stream)
    refused.register(uuid.uuid4())

    with pytest.raises(Exception, match=r"(?i)unique|duplicate"):
        await repository.add(stream, refused, metadata(), after=row(taken))

    assert await repository.load(stream) is None
    assert refused.version == 0 and refused.pending_events, "nothing marked saved"


async def test_a_stale_save_is_a_conflict_and_writes_nothing(
    engine: AsyncEngine, repository: EventSourcedRepository[Registrations]
) -> None:
    stream = f"stream-{uuid.uuid4()}"
    new = Registrations(stream)
    new.register(uuid.uuid4())
    await repository.add(stream, new, metadata())
    one, other = await repository.load(stream), await repository.load(stream)
    assert one is not None and other is not None
    one.register(uuid.uuid4())
    await repository.save(stream, one, metadata())
    other.register(uuid.uuid4())

    with pytest.raises(ConcurrencyConflict):
        await repository.save(stream, other, metadata(), after=row(f"{stream}-late"))

    assert await count_rows(engine, f"{stream}-late") == 0
    loaded = await repository.load(stream)
    assert loaded is not None and loaded.version == 2


async def test_a_loaded_aggregate_cannot_be_added_again(
    repository: EventSourcedRepository[Registrations],
) -> None:
    stream = f"stream-{uuid.uuid4()}"
    new = Registrations(stream)
    new.register(uuid.uuid4())
    await repository.add(stream, new, metadata())
    with pytest.raises(ValueError, match="save it"):
        await repository.add(stream, new, metadata())
