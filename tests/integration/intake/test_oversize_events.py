"""A command whose event the broker could not carry is refused with 413; nothing is stored.

The broker's maximum record size is a setting (``KAFKA_MAX_RECORD_BYTES``).
Here it is set just below the size of a registration's events, so a plain
registration stands for an oversized command.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from chassis.eventstore.limits import RECORD_OVERHEAD_BYTES
from chassis.eventstore.tables import events, outbox
from chassis.http import AuthSettings
from chassis.settings import KafkaSettings
from services.intake.bootstrap import create_app
from services.intake.settings import IntakeSettings
from tests.integration.http.calls import bearer, client_for, new_key
from tests.integration.intake.bodies import registration
from tests.integration.intake.conftest import Tokens

TOO_SMALL_FOR_A_REGISTRATION = RECORD_OVERHEAD_BYTES + 100


@pytest.fixture
async def small_bus_app(settings: IntakeSettings, auth: AuthSettings) -> AsyncIterator[FastAPI]:
    kafka = KafkaSettings(bootstrap_servers=None, max_record_bytes=TOO_SMALL_FOR_A_REGISTRATION)
    service = create_app(settings, kafka, auth=auth)
    async with service.router.lifespan_context(service):
        yield service


async def stored_rows(app: FastAPI) -> tuple[int, int]:
    async with app.state.intake.engine.connect() as connection:
        count_events = await connection.scalar(select(func.count()).select_from(events))
        count_outbox = await connection.scalar(select(func.count()).select_from(outbox))
    return int(count_events or 0), int(count_outbox or 0)


async def test_an_event_larger_than_a_broker_record_is_refused_with_413_and_never_stored(
    small_bus_app: FastAPI, token: Tokens
) -> None:
    headers = bearer(token(), key=new_key())
    async with client_for(small_bus_app) as http:
        refused = await http.post("/clients", json=registration(), headers=headers)
        retried = await http.post("/clients", json=registration(), headers=headers)

    assert refused.status_code == 413, refused.text
    assert refused.headers["content-type"] == "application/problem+json"
    problem = refused.json()
    assert problem["type"] == "/problems/event-too-large"
    assert problem["event_type"] == "intake.ClientRegistered"
    assert problem["max_record_bytes"] == TOO_SMALL_FOR_A_REGISTRATION
    assert await stored_rows(small_bus_app) == (0, 0), "no event, no unpublishable outbox row"
    assert retried.status_code == 413 and retried.headers["idempotent-replayed"] == "true"


async def test_the_same_command_fits_the_default_limit(
    app: FastAPI, http: httpx.AsyncClient, token: Tokens
) -> None:
    response = await http.post(
        "/clients", json=registration(), headers=bearer(token(), key=new_key())
    )
    assert response.status_code == 201, response.text
    assert await stored_rows(app) == (3, 3)
