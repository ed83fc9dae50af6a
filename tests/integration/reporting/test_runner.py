"""Reporting on the session broker: the real ProjectionRunner folds the scenario into the tables.

One test (consumer-group joins take seconds): the scenario's events are
published as the services' relays would, the app's lifespan runs the facts
projection, and ``/sqs`` ends up with the hand-worked figures.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from aiokafka import AIOKafkaProducer

from chassis.settings import KafkaSettings
from services.reporting.bootstrap import create_app
from services.reporting.settings import ReportingSettings
from tests.integration.reporting.events import scenario
from tests.integration.reporting.test_http import ADMIN, AUTH
from tests.integration.test_consumer_runner import relay_headers
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]

EXPECTED_SQS = {"A": 5.0, "B": 6.33, "C": 2.5}


async def site_sqs(http: httpx.AsyncClient) -> dict[str, float]:
    """The q1 SQS of the scenario's sites, as far as the projection got."""
    found = {}
    for site in EXPECTED_SQS:
        params = {"fiscal_year": "2012-13", "period": "q1", "site_id": site}
        response = await http.get("/sqs", params=params, headers=ADMIN)
        if response.status_code == 200:
            found[site] = response.json()["sites"][0]["sqs"]
    return found


async def test_the_runner_folds_the_published_scenario_into_the_sqs(
    kafka: KafkaUnderTest, postgres_database_factory: DatabaseFactory
) -> None:
    settings = ReportingSettings(
        database_url=await postgres_database_factory(),
        facts_group=kafka.unique("reporting.facts"),
    )
    app = create_app(
        settings,
        KafkaSettings(bootstrap_servers=kafka.bootstrap_servers, topic_partitions=3),
        auth=AUTH,
        local_broker=kafka.local,
    )
    events, _ = scenario()
    producer = AIOKafkaProducer(
        bootstrap_servers=kafka.bootstrap_servers, enable_idempotence=not kafka.local
    )
    async with app.router.lifespan_context(app):
        await producer.start()
        try:
            for event in [*events, *events[:5]]:  # the first five redelivered
                value = event.envelope.model_dump_json().encode()
                await producer.send_and_wait(
                    event.position.topic,
                    value=value,
                    key=event.envelope.stream_id.encode(),
                    headers=relay_headers(value, {}),
                )
        finally:
            await producer.stop()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://reporting") as http:
            deadline = time.monotonic() + 60
            while (found := await site_sqs(http)) != EXPECTED_SQS:
                if time.monotonic() > deadline:
                    pytest.fail(f"the projection did not reach the scenario's SQS: {found}")
                await asyncio.sleep(0.3)
