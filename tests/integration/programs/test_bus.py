"""Programs on the session broker: intake's registrations make clients known, the relay publishes.

The app runs its real lifespan with Kafka: the known-clients projection in a
``ProjectionRunner`` (its own consumer group) and the outbox relay. Records are
keyed per contracts: by ``client_id`` for client events, by the stream id
(``business-plan:<site>:<year>``) for business plans.
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
from chassis.settings import KafkaSettings
from contracts.topics import INTAKE_EVENTS, PROGRAMS_EVENTS
from services.programs.bootstrap import create_app
from services.programs.settings import ProgramsSettings
from tests.integration.programs.service import AUTH, TODAY, application, commitments, token
from tests.integration.test_consumer_batches import envelope_json
from tests.integration.test_consumer_runner import relay_headers
from tests.support.events import client_registered
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]


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
    """A producer standing in for intake's relay."""
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=not kafka.local
    )
    await producer.start()
    yield producer
    await producer.stop()


async def test_a_registration_makes_a_client_known_and_the_relay_publishes_keyed_records(
    kafka: KafkaUnderTest,
    producer: AIOKafkaProducer,
    postgres_database_factory: DatabaseFactory,
) -> None:
    url = await postgres_database_factory()
    settings = ProgramsSettings(
        database_url=url, known_clients_group=kafka.unique("programs.known-clients")
    )
    app = create_app(
        settings,
        KafkaSettings(bootstrap_servers=kafka.bootstrap_servers, topic_partitions=3),
        auth=AUTH,
        local_broker=kafka.local,
        clock=fixed_clock(TODAY),
    )
    site = f"B{uuid.uuid4().hex[:8]}"
    manager = token("manager-1", "site_manager", site)
    client_id = uuid.uuid4()
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://programs.test") as http:
            value = envelope_json(
                client_registered(client_id, site), stream=f"client-{client_id}", version=1
            )
            await producer.send_and_wait(
                INTAKE_EVENTS,
                value=value,
                key=str(client_id).encode(),
                headers=relay_headers(value, {}),
            )
            body = application(client_id, site_id=site)
            headers = {"Authorization": f"Bearer {manager}", "Idempotency-Key": "submit"}

            async def submitted() -> httpx.Response | None:
                """the client becomes known"""
                answer = await http.post("/second-career/applications", json=body, headers=headers)
                if answer.status_code == 422:
                    headers["Idempotency-Key"] = str(uuid.uuid4())
                    return None
                return answer

            answer = await eventually(submitted)
            assert answer.status_code == 201, answer.text
            plan = {
                "site_id": site,
                "fiscal_year": "2012-13",
                "commitments": commitments(),
                "submitted_on": "2012-03-01",
            }
            headers["Idempotency-Key"] = str(uuid.uuid4())
            planned = await http.post("/business-plans", json=plan, headers=headers)
            assert planned.status_code == 201, planned.text

            client_records = await eventually(lambda: programs_records(kafka, str(client_id)))
            plan_records = await eventually(
                lambda: programs_records(kafka, f"business-plan:{site}:2012-13")
            )
    assert [kind(r) for r in client_records] == ["programs.SecondCareerApplicationSubmitted"]
    assert [kind(r) for r in plan_records] == ["programs.BusinessPlanSubmitted"]


def kind(record: Any) -> str:
    """A record's event type header."""
    return str(dict(record.headers)["event_type"].decode())


async def programs_records(kafka: KafkaUnderTest, key: str) -> list[Any]:
    """programs' records with this key, from the start of its topic"""
    consumer = AIOKafkaConsumer(
        PROGRAMS_EVENTS,
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
