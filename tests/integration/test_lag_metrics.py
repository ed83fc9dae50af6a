"""Operational metrics on ``/metrics``, against the real broker and PostgreSQL.

An app built with ``create_service_app`` whose lifespan only calls the
chassis starters (``start_projection``, ``start_outbox_relay``) gets consumer
lag, projection lag, dead letters and outbox backlog with no metrics code of
its own. The projection under test waits at a gate, so "consumer stopped"
(nothing committed) is a state the test holds, not a race it hopes to win.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import asyncpg
import httpx
import pytest
from aiokafka import AIOKafkaProducer
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.broker.topics import ensure_topics
from chassis.consumer import ConsumerOptions, DecodedEvent, ProjectionRunner
from chassis.eventstore import create_event_store
from chassis.http import AuthSettings, create_service_app
from chassis.lifecycle import start_outbox_relay, start_projection
from chassis.outbox.lock import try_lock, unlock
from chassis.settings import KafkaSettings, ServiceSettings
from contracts.topics import INTAKE_EVENTS
from tests.integration.test_consumer_batches import (
    SiteCounts,
    create_site_counts,
    envelope_json,
    intake_registry,
)
from tests.integration.test_consumer_runner import eventually
from tests.support.events import client_registered, pending
from tests.support.kafka import KafkaUnderTest

pytestmark = [pytest.mark.postgres, pytest.mark.kafka]

PARTITIONS = 3
PENDING_EVENTS = 5


class GatedCounts(SiteCounts):
    """Counts events per site, but applies nothing until its gate opens."""

    def __init__(self, name: str, topics: list[str]) -> None:
        super().__init__(name=name, topics=topics)
        self.gate = asyncio.Event()

    async def apply(self, connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        await self.gate.wait()
        await super().apply(connection, events)


def samples(exposition: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a Prometheus text exposition, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(exposition)
        for sample in family.samples
    }


def total(scraped: dict[Any, float], name: str, **labels: str) -> float | None:
    """Sum of the samples of ``name`` whose labels include ``labels``; None if there is none."""
    wanted = set(labels.items())
    values = [v for (n, ls), v in scraped.items() if n == name and wanted <= ls]
    return sum(values) if values else None


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[None]:
    """Run the app's lifespan through its ASGI stack, as a server does."""
    inbox: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()

    async def receive() -> dict[str, str]:
        return await inbox.get()

    async def send(message: dict[str, Any]) -> None:
        await outbox.put(message)

    scope = {"type": "lifespan", "asgi": {"version": "3.0"}}
    task = asyncio.ensure_future(app(scope, receive, send))
    await inbox.put({"type": "lifespan.startup"})
    started = await outbox.get()
    assert started["type"] == "lifespan.startup.complete", started
    try:
        yield
    finally:
        await inbox.put({"type": "lifespan.shutdown"})
        await outbox.get()
        await task


def service_app(lifespan: Callable[[FastAPI], Any]) -> FastAPI:
    """A service app that runs ``lifespan`` and has no metrics code of its own."""
    return create_service_app(
        title="metrics under test",
        version="0",
        settings=ServiceSettings(service_name="metrics-test"),
        auth=AuthSettings(),
        lifespan=lifespan,
    )


async def scrape(app: FastAPI) -> dict[Any, float]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        response = await client.get("/metrics")
    assert response.status_code == 200
    return samples(response.text)


@pytest.fixture
async def producer(kafka: KafkaUnderTest) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers)
    await producer.start()
    yield producer
    await producer.stop()


async def test_lag_and_dead_letters_of_a_projection_started_by_the_lifespan(
    kafka: KafkaUnderTest, postgres_engine: AsyncEngine, producer: AIOKafkaProducer
) -> None:
    topic, group = kafka.unique("eocms.intake.events"), kafka.unique("metrics")
    await ensure_topics(kafka.bootstrap_servers, [topic], partitions=PARTITIONS)
    await create_site_counts(postgres_engine)
    for _ in range(PENDING_EVENTS):
        value = envelope_json(client_registered(), stream=f"client-{uuid.uuid4()}", version=1)
        await producer.send_and_wait(topic, value=value, key=uuid.uuid4().bytes)
    projection = GatedCounts(group, [topic])
    runner = ProjectionRunner(
        projection,
        engine=postgres_engine,
        bootstrap_servers=kafka.bootstrap_servers,
        registry=intake_registry(),
        enable_idempotence=not kafka.local,
        options=ConsumerOptions(topic_partitions=PARTITIONS),
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            await start_projection(stack, runner)
            yield

    app = service_app(lifespan)
    async with running(app):
        held = await scrape(app)
        assert total(held, "eocms_consumer_lag_messages", group=group) == PENDING_EVENTS
        partitions = {
            dict(labels)["partition"]
            for (name, labels) in held
            if name == "eocms_consumer_lag_messages" and ("group", group) in labels
        }
        assert partitions == {"0", "1", "2"}
        assert total(held, "eocms_projection_lag_seconds", projection=group) > 0
        assert total(held, "eocms_dead_letters_total", group=group, topic=topic) == 0

        projection.gate.set()

        async def caught_up() -> bool:
            """consumer and projection lag back to 0"""
            scraped = await scrape(app)
            return (
                total(scraped, "eocms_consumer_lag_messages", group=group) == 0
                and total(scraped, "eocms_projection_lag_seconds", projection=group) == 0
            )

        await eventually(caught_up)

        await producer.send_and_wait(topic, value=b"{not json", key=b"poison")

        async def dead_lettered() -> dict[Any, float] | None:
            """the poison record counted and committed"""
            scraped = await scrape(app)
            counted = total(scraped, "eocms_dead_letters_total", group=group, topic=topic)
            lag = total(scraped, "eocms_consumer_lag_messages", group=group)
            return scraped if counted == 1 and lag == 0 else None

        await eventually(dead_lettered)

        stream = f"client-{uuid.uuid4()}"
        ahead = envelope_json(client_registered(), stream=stream, version=2)
        await producer.send_and_wait(topic, value=ahead, key=b"ahead")

        async def parked_and_committed() -> bool:
            """version 2 waits for version 1: parked, its offset committed"""
            scraped = await scrape(app)
            return (
                total(scraped, "eocms_consumer_parked_events", group=group) == 1
                and total(scraped, "eocms_consumer_lag_messages", group=group) == 0
            )

        await eventually(parked_and_committed)
        first = envelope_json(client_registered(), stream=stream, version=1)
        await producer.send_and_wait(topic, value=first, key=b"first")

        async def unparked() -> bool:
            """version 1 came: both applied, nothing parked"""
            scraped = await scrape(app)
            return (
                total(scraped, "eocms_consumer_parked_events", group=group) == 0
                and total(scraped, "eocms_consumer_parked_oldest_seconds", group=group) == 0
            )

        await eventually(unparked)


async def test_outbox_backlog_counts_unsent_rows_until_the_relay_sends_them(
    kafka: KafkaUnderTest, postgres_url: str, postgres_engine: AsyncEngine
) -> None:
    store = create_event_store(postgres_engine)
    for _ in range(3):
        await store.append(f"client-{uuid.uuid4()}", 0, [pending(), pending()])
    await ensure_topics(kafka.bootstrap_servers, [INTAKE_EVENTS], partitions=PARTITIONS)
    kafka_settings = KafkaSettings(bootstrap_servers=kafka.bootstrap_servers)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            await start_outbox_relay(
                stack,
                engine=postgres_engine,
                kafka=kafka_settings,
                local_broker=kafka.local,
                settings=ServiceSettings(),
            )
            yield

    app = service_app(lifespan)
    # Another relay holds the lock: this one waits, so the rows stay unsent.
    other_relay = await asyncpg.connect(postgres_url.replace("postgresql+asyncpg", "postgresql"))
    try:
        assert await try_lock(other_relay)
        async with running(app):
            assert total(await scrape(app), "eocms_outbox_backlog_rows") == 6
            await unlock(other_relay)

            async def drained() -> bool:
                """the relay sent every row"""
                return total(await scrape(app), "eocms_outbox_backlog_rows") == 0

            await eventually(drained)
    finally:
        await other_relay.close()
