"""With a broker configured, intake's relay publishes a registration's events keyed by client."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from aiokafka import AIOKafkaConsumer
from aiokafka.structs import ConsumerRecord

from chassis.http import AuthSettings, Role, mint_dev_token
from chassis.settings import KafkaSettings
from contracts.topics import INTAKE_EVENTS
from services.intake.bootstrap import create_app
from services.intake.settings import IntakeSettings
from tests.integration.http.calls import bearer, client_for, new_key
from tests.integration.intake.bodies import PERSONAL_VALUES, registration
from tests.support.kafka import KafkaUnderTest

pytestmark = pytest.mark.kafka


async def records_keyed(
    kafka: KafkaUnderTest, key: str, count: int, timeout_s: float = 30.0
) -> list[ConsumerRecord]:
    """The first ``count`` records of the intake topic with record key ``key``."""
    consumer = AIOKafkaConsumer(
        INTAKE_EVENTS,
        bootstrap_servers=kafka.bootstrap_servers,
        group_id=None,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    found: list[ConsumerRecord] = []
    try:
        async with asyncio.timeout(timeout_s):
            while len(found) < count:
                batches = await consumer.getmany(timeout_ms=200)
                for batch in batches.values():
                    found.extend(r for r in batch if r.key == key.encode())
    finally:
        await consumer.stop()
    return found


async def test_the_relay_publishes_the_registration_events_keyed_by_client_id(
    kafka: KafkaUnderTest, auth: AuthSettings, tmp_path: Path
) -> None:
    app = create_app(
        IntakeSettings(data_dir=tmp_path),
        KafkaSettings(bootstrap_servers=kafka.bootstrap_servers),
        auth=auth,
        local_broker=kafka.local,
    )
    token = mint_dev_token(auth, subject="carol", roles=(Role.CASEWORKER,), site_ids=("S001",))
    async with app.router.lifespan_context(app), client_for(app) as http:
        response = await http.post(
            "/clients", json=registration(), headers=bearer(token, key=new_key())
        )
        assert response.status_code == 201
        client_id = response.json()["client_id"]
        records = await records_keyed(kafka, client_id, 3)

    envelopes = [json.loads(record.value) for record in records]
    assert [e["event_type"] for e in envelopes] == [
        "intake.ClientRegistered",
        "intake.SuitabilityAssessed",
        "intake.EligibilityDetermined",
    ]
    assert all(e["payload"]["client_id"] == client_id for e in envelopes)
    published = b"".join(record.value for record in records).decode()
    for value in PERSONAL_VALUES:
        assert value not in published
