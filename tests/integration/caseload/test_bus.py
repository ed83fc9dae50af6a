"""Caseload on the session broker: intake's events make clients openable, the relay publishes.

The app runs its real lifespan with Kafka: the known-clients projection in a
``ProjectionRunner`` (its own consumer group) and the outbox relay.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from chassis.clock import fixed_clock
from chassis.database import create_engine
from chassis.settings import KafkaSettings
from contracts.registry import EventSchema
from contracts.topics import CASELOAD_EVENTS, INTAKE_EVENTS
from services.caseload.adapters.lookups import SqlKnownClients
from services.caseload.bootstrap import create_app
from services.caseload.domain import ClientStatus
from services.caseload.settings import CaseloadSettings
from tests.integration.caseload.service import AUTH, TODAY, eligibility, token
from tests.integration.test_consumer_batches import envelope_json
from tests.integration.test_consumer_runner import relay_headers
from tests.support.events import client_registered
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]

CASEWORKER = token("caseworker-1", "caseworker", "S001")


async def eventually(check: Callable[[], Awaitable[Any]], timeout_s: float = 60.0) -> Any:
    """Poll ``check`` until it returns something truthy."""
    deadline = time.monotonic() + timeout_s
    while not (result := await check()):
        if time.monotonic() > deadline:
            pytest.fail(f"not within {timeout_s}s: {check.__doc__}")
        await asyncio.sleep(0.2)
    return result


@pytest.fixture
async def producer(kafka: KafkaUnderTest) -> AsyncIterator[AIOKafkaProducer]:
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=not kafka.local
    )
    await producer.start()
    yield producer
    await producer.stop()


async def publish(
    producer: AIOKafkaProducer, payload: EventSchema, *, stream: str, version: int, key: str
) -> bytes:
    """Publish an intake event as intake's relay would."""
    value = envelope_json(payload, stream=stream, version=version)
    await producer.send_and_wait(
        INTAKE_EVENTS, value=value, key=key.encode(), headers=relay_headers(value, {})
    )
    return value


async def test_intake_events_make_a_client_openable_and_the_relay_publishes_the_plan(
    kafka: KafkaUnderTest,
    producer: AIOKafkaProducer,
    postgres_database_factory: DatabaseFactory,
) -> None:
    url = await postgres_database_factory()
    settings = CaseloadSettings(
        database_url=url, known_clients_group=kafka.unique("caseload.known-clients")
    )
    app = create_app(
        settings,
        KafkaSettings(bootstrap_servers=kafka.bootstrap_servers, topic_partitions=3),
        auth=AUTH,
        local_broker=kafka.local,
        clock=fixed_clock(TODAY),
    )
    client_id, sentinel = uuid.uuid4(), uuid.uuid4()
    key, stream = str(client_id), f"client-{client_id}"
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://caseload.test") as http:
            await publish(producer, client_registered(client_id), stream=stream, version=1, key=key)
            eligible = await publish(
                producer, eligibility(client_id), stream=stream, version=2, key=key
            )
            body = {
                "client_id": key,
                "site_id": "S001",
                "goal": "Find work",
                "opened_on": "2012-05-02",
            }
            headers = {"Authorization": f"Bearer {CASEWORKER}", "Idempotency-Key": "open"}

            async def opened() -> httpx.Response | None:
                """the client becomes openable"""
                answer = await http.post("/service-plans", json=body, headers=headers)
                if answer.status_code == 503:  # not known yet, not stored: the same key again
                    return None
                if answer.status_code == 422:
                    headers["Idempotency-Key"] = str(uuid.uuid4())
                    return None
                return answer

            answer = await eventually(opened)
            assert answer.status_code == 201, answer.text
            ready = await http.get("/health/ready")
            assert ready.json()["checks"] == {
                "database": "ok",
                "broker": "ok",
                f"consumer:{settings.known_clients_group}": "joined",
            }

            # A later determination, then a redelivery of the old one: the redelivery is a no-op.
            await publish(
                producer, eligibility(client_id, eligible=False), stream=stream, version=3, key=key
            )
            await producer.send_and_wait(
                INTAKE_EVENTS, value=eligible, key=key.encode(), headers=relay_headers(eligible, {})
            )
            await publish(
                producer,
                client_registered(sentinel),
                stream=f"client-{sentinel}",
                version=1,
                key=key,
            )
            engine = create_engine(url)
            try:
                view = SqlKnownClients(engine)

                async def sentinel_seen() -> bool:
                    """the sentinel after the redelivery was applied"""
                    return await view.status(sentinel) is ClientStatus.REGISTERED

                await eventually(sentinel_seen)
                assert await view.status(client_id) is ClientStatus.REGISTERED
            finally:
                await engine.dispose()

            records = await eventually(lambda: caseload_records(kafka, key))
            types = [dict(r.headers)["event_type"].decode() for r in records]
            assert types[:2] == ["caseload.ServicePlanOpened", "caseload.PlanItemAdded"]


async def caseload_records(kafka: KafkaUnderTest, key: str) -> list[Any]:
    """caseload's records keyed by the client, from the start of its topic"""
    consumer = AIOKafkaConsumer(
        CASELOAD_EVENTS,
        bootstrap_servers=kafka.bootstrap_servers,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        found: list[Any] = []
        batches = await consumer.getmany(timeout_ms=2000)
        while batches:
            for records in batches.values():
                found += [r for r in records if r.key == key.encode()]
            batches = await consumer.getmany(timeout_ms=500)
        return found
    finally:
        await consumer.stop()
