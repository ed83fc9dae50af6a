"""A consumed batch against each database (SQLite, PostgreSQL), without a broker.

Records are built as aiokafka would hand them over; dead letters go to an
in-memory sink. The same projection is fed by the real broker in
test_consumer_runner.py.
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

import pytest
from aiokafka.structs import ConsumerRecord
from sqlalchemy import Column, Integer, MetaData, String, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.consumer import BatchProcessor, DecodedEvent, OutgoingRecord
from chassis.consumer.tables import consumer_parked_events
from chassis.eventstore.tables import consumer_progress
from contracts.envelope import EventEnvelope
from contracts.intake import ClientRegistered
from contracts.registry import EventRegistry, EventSchema
from tests.support.events import client_registered

TOPIC = "eocms.intake.events"
GROUP = "reporting-test"

site_counts = Table(
    "test_site_counts",
    MetaData(),
    Column("site_id", String(64), primary_key=True),
    Column("events", Integer, nullable=False),
)


class SiteCounts:
    """Counts events per site; fails while ``failing`` is set, after writing."""

    def __init__(self, name: str = GROUP, topics: Sequence[str] = (TOPIC,)) -> None:
        self.name = name
        self.topics = tuple(topics)
        self.failing = False
        self.attempts = 0

    async def apply(self, connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        self.attempts += 1
        counts = Counter(getattr(event.payload, "site_id") for event in events)  # noqa: B009
        insert = postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert
        statement = insert(site_counts).values(
            [{"site_id": site, "events": n} for site, n in counts.items()]
        )
        await connection.execute(
            statement.on_conflict_do_update(
                index_elements=["site_id"],
                set_={"events": site_counts.c.events + statement.excluded.events},
            )
        )
        if self.failing:
            raise RuntimeError("the read model is unavailable")


async def create_site_counts(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.run_sync(site_counts.metadata.create_all)


async def counts_by_site(engine: AsyncEngine) -> dict[str, int]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(site_counts))
        return {row.site_id: row.events for row in rows}


async def progress_rows(engine: AsyncEngine) -> dict[tuple[str, str], int]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(consumer_progress).where(consumer_progress.c.stream_version > 0)
        )
        return {(r.consumer_group, r.stream_id): r.stream_version for r in rows}


class ClientTransferred(EventSchema):
    """A test-only event type the consumer learns late."""

    event_type = "intake.ClientTransferredForTest"
    schema_version = 1

    client_id: uuid.UUID
    site_id: str


def intake_registry() -> EventRegistry:
    """A registry that knows registrations only."""
    registry = EventRegistry()
    registry.register(ClientRegistered)
    return registry


def envelope_json(
    payload: EventSchema | dict[str, object],
    *,
    stream: str,
    version: int,
    event_type: str | None = None,
    schema_version: int | None = None,
    event_id: uuid.UUID | None = None,
) -> bytes:
    """An envelope as the relay publishes it."""
    as_dict = payload if isinstance(payload, dict) else payload.model_dump(mode="json")
    envelope = EventEnvelope(
        event_id=event_id or uuid.uuid4(),
        event_type=event_type or getattr(payload, "event_type", "intake.ClientRegistered"),
        schema_version=schema_version or getattr(payload, "schema_version", 1),
        stream_id=stream,
        stream_version=version,
        occurred_at=datetime(2012, 5, 1, tzinfo=UTC),
        recorded_at=datetime(2012, 5, 1, tzinfo=UTC),
        correlation_id=uuid.uuid4(),
        actor="caseworker-1",
        site_id=str(as_dict.get("site_id")),
        payload=as_dict,
    )
    return envelope.model_dump_json().encode()


def consumed(values: Sequence[bytes], first_offset: int = 0, headers=()) -> list[ConsumerRecord]:  # type: ignore[no-untyped-def]
    """Records as aiokafka hands them over, at consecutive offsets of one partition."""
    return [
        ConsumerRecord(
            topic=TOPIC,
            partition=0,
            offset=first_offset + i,
            timestamp=0,
            timestamp_type=0,
            key=b"client",
            value=value,
            checksum=None,
            serialized_key_size=6,
            serialized_value_size=len(value),
            headers=tuple(headers),
        )
        for i, value in enumerate(values)
    ]


class RecordingSink:
    """An in-memory dead-letter destination."""

    def __init__(self) -> None:
        self.records: list[OutgoingRecord] = []

    async def send_all(self, records: Sequence[OutgoingRecord]) -> None:
        self.records.extend(records)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    fixture = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(fixture)


@pytest.fixture
def projection() -> SiteCounts:
    return SiteCounts()


@pytest.fixture
def sink() -> RecordingSink:
    return RecordingSink()


@pytest.fixture
def registry() -> EventRegistry:
    return intake_registry()


@pytest.fixture
async def processor(
    engine: AsyncEngine, projection: SiteCounts, sink: RecordingSink, registry: EventRegistry
) -> BatchProcessor:
    await create_site_counts(engine)
    return BatchProcessor(projection, engine=engine, registry=registry, dead_letters=sink)


def registrations(stream: str, sites: Sequence[str]) -> list[bytes]:
    return [
        envelope_json(client_registered(site_id=site), stream=stream, version=v)
        for v, site in enumerate(sites, start=1)
    ]


async def test_new_events_are_applied_together_with_their_progress(
    processor: BatchProcessor, engine: AsyncEngine
) -> None:
    outcome = await processor.process(
        consumed(registrations("a", ["S1", "S2"]) + registrations("b", ["S1"]))
    )

    assert (outcome.applied, outcome.skipped, outcome.dead_lettered) == (3, 0, 0)
    assert await counts_by_site(engine) == {"S1": 2, "S2": 1}
    assert await progress_rows(engine) == {(GROUP, "a"): 2, (GROUP, "b"): 1}


async def test_a_redelivered_batch_is_a_no_op_at_the_same_or_a_new_offset(
    processor: BatchProcessor, engine: AsyncEngine
) -> None:
    values = registrations("a", ["S1", "S2", "S3"])
    await processor.process(consumed(values))

    same_offsets = await processor.process(consumed(values))
    republished = await processor.process(consumed(values, first_offset=100))

    assert (same_offsets.applied, same_offsets.skipped) == (0, 3)
    assert (republished.applied, republished.skipped) == (0, 3)
    assert await counts_by_site(engine) == {"S1": 1, "S2": 1, "S3": 1}


async def test_poison_is_dead_lettered_and_the_events_around_it_applied(
    processor: BatchProcessor, engine: AsyncEngine, sink: RecordingSink
) -> None:
    good = registrations("a", ["S1", "S1", "S1"])
    unknown = envelope_json({"site_id": "S9"}, stream="b", version=1, event_type="intake.Nope")

    outcome = await processor.process(consumed([good[0], b"{oops", good[1], unknown, good[2]]))

    assert (outcome.applied, outcome.dead_lettered) == (3, 2)
    assert await counts_by_site(engine) == {"S1": 3}
    assert [dict(r.headers)["x-dlq-reason"] for r in sink.records] == [
        b"bad-json",
        b"unknown-type",
    ]
    assert {r.topic for r in sink.records} == {f"{TOPIC}.dlq.{GROUP}"}


async def test_a_version_sent_after_its_successor_is_applied_in_order(
    processor: BatchProcessor, engine: AsyncEngine
) -> None:
    """The relay's failure mode: v2's send failed, v3's went through, both are sent again."""
    v1, v2, v3 = registrations("a", ["S1", "S2", "S3"])

    first = await processor.process(consumed([v1, v3]))
    resend = await processor.process(consumed([v2, v3], first_offset=2))

    assert (first.applied, first.held_back) == (1, 1)
    assert (resend.applied, resend.held_back) == (2, 0)
    assert await counts_by_site(engine) == {"S1": 1, "S2": 1, "S3": 1}
    assert await progress_rows(engine) == {(GROUP, "a"): 3}


async def test_redelivered_poison_is_not_dead_lettered_twice(
    processor: BatchProcessor, engine: AsyncEngine, sink: RecordingSink
) -> None:
    unknown = envelope_json({"site_id": "S9"}, stream="a", version=1, event_type="intake.Nope")
    later = envelope_json(client_registered(site_id="S1"), stream="a", version=2)

    await processor.process(consumed([unknown, later]))
    again = await processor.process(consumed([unknown, later]))

    assert len(sink.records) == 1
    assert (again.skipped, again.dead_lettered) == (2, 0)
    assert await counts_by_site(engine) == {"S1": 1}


async def test_a_failing_projection_commits_nothing_and_a_retry_applies_the_batch(
    processor: BatchProcessor, engine: AsyncEngine, projection: SiteCounts
) -> None:
    batch = consumed(registrations("a", ["S1", "S2"]))
    projection.failing = True

    with pytest.raises(RuntimeError, match="unavailable"):
        await processor.process(batch)
    assert await counts_by_site(engine) == {}
    assert await progress_rows(engine) == {}

    projection.failing = False
    await processor.process(batch)
    assert await counts_by_site(engine) == {"S1": 1, "S2": 1}


async def test_a_replayed_event_behind_its_stream_is_applied_once(
    processor: BatchProcessor, engine: AsyncEngine, registry: EventRegistry, sink: RecordingSink
) -> None:
    client = uuid.uuid4()
    transferred = envelope_json(
        ClientTransferred(client_id=client, site_id="S2"), stream="a", version=2
    )
    await processor.process(
        consumed(
            [
                envelope_json(client_registered(client, "S1"), stream="a", version=1),
                transferred,
                envelope_json(client_registered(client, "S1"), stream="a", version=3),
            ]
        )
    )
    assert len(sink.records) == 1 and await counts_by_site(engine) == {"S1": 2}

    registry.register(ClientTransferred)
    replayed = consumed([transferred], 50, headers=[("x-dlq-replayed", b"dlq/0@0")])
    first = await processor.process(replayed)
    again = await processor.process(replayed)

    assert (first.applied, again.applied, again.skipped) == (1, 0, 1)
    assert await counts_by_site(engine) == {"S1": 2, "S2": 1}
    assert await progress_rows(engine) == {(GROUP, "a"): 3, (f"{GROUP}#replayed", "a"): 2}


async def test_concurrent_deliveries_of_one_batch_apply_it_once(
    processor: BatchProcessor, engine: AsyncEngine
) -> None:
    """The overlap of a partition's old and new owner during a rebalance."""
    batch = consumed(registrations("a", ["S1", "S2"]) + registrations("b", ["S1"]))

    outcomes = await asyncio.gather(*(processor.process(batch) for _ in range(8)))

    assert sum(o.applied for o in outcomes) == 3
    assert await counts_by_site(engine) == {"S1": 2, "S2": 1}


async def parked_rows(engine: AsyncEngine) -> list[tuple[str, str, int]]:
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(consumer_parked_events).order_by(
                consumer_parked_events.c.stream_id, consumer_parked_events.c.stream_version
            )
        )
        return [(r.consumer_group, r.stream_id, r.stream_version) for r in rows]


async def test_events_ahead_of_a_gap_are_parked_and_applied_in_order_when_it_fills(
    engine: AsyncEngine,
    projection: SiteCounts,
    sink: RecordingSink,
    registry: EventRegistry,
    processor: BatchProcessor,
) -> None:
    """A stream split over partitions: v1, v3, v4 on one, v2 on another read later."""
    v1, v2, v3, v4 = registrations("a", ["S1", "S2", "S3", "S4"])
    order: list[tuple[str, int]] = []
    recording = projection.apply

    async def apply_and_note(connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        order.extend((e.stream_id, e.stream_version) for e in events)
        await recording(connection, events)

    projection.apply = apply_and_note  # type: ignore[method-assign]

    first = await processor.process(consumed([v1, v3, v4]))
    assert (first.applied, first.parked) == (1, 2)
    assert await parked_rows(engine) == [(GROUP, "a", 3), (GROUP, "a", 4)]
    assert await progress_rows(engine) == {(GROUP, "a"): 1}

    again = await processor.process(consumed([v3, v4], first_offset=1))  # redelivered: no-ops
    assert (again.applied, again.parked, again.skipped) == (0, 0, 2)

    restarted = BatchProcessor(projection, engine=engine, registry=registry, dead_letters=sink)
    filled = await restarted.process(consumed([v2], first_offset=40))

    assert (filled.applied, filled.unparked) == (3, 2)
    assert order == [("a", 1), ("a", 2), ("a", 3), ("a", 4)]
    assert await counts_by_site(engine) == {"S1": 1, "S2": 1, "S3": 1, "S4": 1}
    assert await progress_rows(engine) == {(GROUP, "a"): 4}
    assert await parked_rows(engine) == []


async def test_parked_poison_is_dead_lettered_in_its_turn_and_the_stream_goes_on(
    processor: BatchProcessor, engine: AsyncEngine, sink: RecordingSink
) -> None:
    v1, _, _, v4 = registrations("a", ["S1", "S2", "S3", "S4"])
    v2 = envelope_json(client_registered(site_id="S2"), stream="a", version=2)
    unknown = envelope_json({"site_id": "S9"}, stream="a", version=3, event_type="intake.Nope")

    await processor.process(consumed([v1, unknown, v4]))
    assert sink.records == []  # parked, not dead-lettered before its turn
    await processor.process(consumed([v2], first_offset=9))

    assert [dict(r.headers)["x-dlq-reason"] for r in sink.records] == [b"unknown-type"]
    assert sink.records[0].value == unknown
    assert await counts_by_site(engine) == {"S1": 1, "S2": 1, "S4": 1}
    assert await progress_rows(engine) == {(GROUP, "a"): 4}
    assert await parked_rows(engine) == []
