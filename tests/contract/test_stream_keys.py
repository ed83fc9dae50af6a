"""The record key is a property of the stream: every event of one stream gets one key.

Run over every event type in the registry, on every backend: whichever event
opens a stream fixes its key, and every later event of that stream, of any
type, carrying any client id, is queued under that same key.
"""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

import contracts.caseload
import contracts.intake
import contracts.programs  # with the two above: registers every published event type
from chassis.eventstore import PendingEvent, unit_of_work
from chassis.eventstore.tables import events, outbox
from contracts.registry import DEFAULT_REGISTRY, EventSchema, stream_key
from tests.support.events import metadata

pytestmark = pytest.mark.asyncio

EVENT_TYPES = DEFAULT_REGISTRY.event_types()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest) -> AsyncEngine:
    return request.getfixturevalue(
        "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    )


def about_some_client(event_type: str) -> EventSchema:
    """An event of this type naming a fresh client if its schema has a client id.

    Built without validation: the key must not depend on the payload's other fields.
    """
    model = DEFAULT_REGISTRY.model(event_type, DEFAULT_REGISTRY.latest_version(event_type))
    if "client_id" in model.model_fields:
        return model.model_construct(client_id=uuid.uuid4())
    return model.model_construct()


def pending(event_type: str) -> PendingEvent:
    return PendingEvent(payload=about_some_client(event_type), metadata=metadata())


async def keys_of(engine: AsyncEngine, stream_id: str) -> list[str]:
    query = (
        select(outbox.c.partition_key)
        .join(events, events.c.position == outbox.c.position)
        .where(events.c.stream_id == stream_id)
        .order_by(events.c.stream_version)
    )
    async with engine.connect() as connection:
        return list((await connection.scalars(query)).all())


async def test_the_registry_holds_every_published_event_type() -> None:
    assert len(EVENT_TYPES) >= 27
    assert "programs.JcpParticipantPlaced" in EVENT_TYPES


@pytest.mark.parametrize("opening_type", EVENT_TYPES)
async def test_all_events_of_a_stream_get_the_key_its_opening_event_fixed(
    engine: AsyncEngine, opening_type: str
) -> None:
    stream = f"stream-{uuid.uuid4()}"
    opening = pending(opening_type)
    later = [pending(event_type) for event_type in EVENT_TYPES]

    async with unit_of_work(engine) as uow:
        await uow.append(stream, 0, [opening])
    async with unit_of_work(engine) as uow:  # a batch, the key read from the store
        await uow.append(stream, 1, later)
    async with unit_of_work(engine) as uow:  # one event, the key read from the store
        await uow.append(stream, 1 + len(later), [pending(opening_type)])

    expected = opening.partition_key(stream)
    assert await keys_of(engine, stream) == [expected] * (2 + len(later))
    assert expected == stream_key(stream, opening.payload.model_dump(mode="json"))


async def test_a_client_stream_is_keyed_by_its_client_and_a_project_by_its_own_id() -> None:
    client = uuid.uuid4()
    registered = contracts.intake.ClientRegistered.model_construct(client_id=client)
    created = contracts.programs.JcpProjectCreated.model_construct()
    assert registered.partition_key(f"client-{client}") == str(client)
    assert created.partition_key("jcp-project-1") == "jcp-project-1"
    assert stream_key("jcp-project-1", {"project_id": "1"}) == "jcp-project-1"
    assert stream_key("plan-1", {"client_id": str(client)}) == str(client)
