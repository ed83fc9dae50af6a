"""SEB and Second Career learn of caseload's plans on the session broker.

Programs runs its real lifespan with Kafka: the service-plans projection in its
own consumer group. Caseload's and intake's relays are stood in for by a
producer publishing envelopes keyed by ``client_id``. A client whose plan does
not name self-employment is refused SEB; once caseload publishes an item
whose sub-goal is self-employment, the same start is accepted. A referral out
to Second Career published by caseload shows on the client's application.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiokafka import AIOKafkaProducer
from sqlalchemy import select

from chassis.clock import fixed_clock
from chassis.database import create_engine
from chassis.settings import KafkaSettings
from contracts.registry import EventSchema
from contracts.topics import CASELOAD_EVENTS, INTAKE_EVENTS
from services.programs.adapters.tables import service_plans
from services.programs.bootstrap import create_app
from services.programs.settings import ProgramsSettings
from tests.integration.programs.service import AUTH, TODAY, application, token
from tests.integration.programs.test_bus import eventually, producer  # noqa: F401  (fixture)
from tests.integration.test_consumer_batches import envelope_json
from tests.integration.test_consumer_runner import relay_headers
from tests.support.caseload_events import SyntheticPlan
from tests.support.events import client_registered
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]


class Bus:
    """Publishes one client's events as the other services' relays would: keyed by client."""

    def __init__(self, sender: AIOKafkaProducer, client_id: uuid.UUID) -> None:
        self._sender = sender
        self._key = str(client_id).encode()
        self._versions: dict[str, int] = {}

    async def publish(self, topic: str, stream: str, payload: EventSchema) -> None:
        """One event of ``stream`` at its next version, keyed by the client."""
        version = self._versions[stream] = self._versions.get(stream, 0) + 1
        value = envelope_json(payload, stream=stream, version=version)
        await self._sender.send_and_wait(
            topic, value=value, key=self._key, headers=relay_headers(value, {})
        )


@pytest.fixture
async def programs_on_bus(
    kafka: KafkaUnderTest, postgres_database_factory: DatabaseFactory
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    """Programs with its relay and projections on the session broker; its client and DB URL."""
    url = await postgres_database_factory()
    settings = ProgramsSettings(
        database_url=url,
        known_clients_group=kafka.unique("programs.known-clients"),
        service_plans_group=kafka.unique("programs.service-plans"),
    )
    app = create_app(
        settings,
        KafkaSettings(bootstrap_servers=kafka.bootstrap_servers, topic_partitions=3),
        auth=AUTH,
        local_broker=kafka.local,
        clock=fixed_clock(TODAY),
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://programs.test") as http:
            yield http, url


async def plan_row(url: str, plan_id: uuid.UUID) -> Any:
    """Programs' row for the plan, once the projection wrote it."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            found = await connection.execute(
                select(service_plans).where(service_plans.c.plan_id == plan_id)
            )
            return found.first()
    finally:
        await engine.dispose()


async def test_seb_is_refused_until_caseload_publishes_self_employment_then_accepted(
    programs_on_bus: tuple[httpx.AsyncClient, str],
    producer: AIOKafkaProducer,  # noqa: F811
) -> None:
    http, url = programs_on_bus
    site = f"E{uuid.uuid4().hex[:8]}"
    caseworker = token("caseworker-1", "caseworker", site)
    plan = SyntheticPlan(site_id=site)
    bus = Bus(producer, plan.client_id)
    await bus.publish(
        INTAKE_EVENTS, f"client-{plan.client_id}", client_registered(plan.client_id, site)
    )
    for event in (plan.opened(), plan.referred_out()):
        await bus.publish(CASELOAD_EVENTS, f"plan-{plan.plan_id}", event)

    async def projected() -> Any:
        """programs records the plan from caseload's events"""
        return await plan_row(url, plan.plan_id)

    row = await eventually(projected)
    assert (row.client_id, row.site_id, row.self_employment, row.closed) == (
        plan.client_id,
        site,
        False,
        False,
    )

    start = {
        "client_id": str(plan.client_id),
        "site_id": site,
        "plan_id": str(plan.plan_id),
        "starts_on": "2012-06-01",
        "submitted_on": "2012-05-25",
        "planned_weeks": 42,
        "ei_history": {"active_claim": True},
    }

    async def post(path: str, body: dict[str, Any]) -> httpx.Response:
        headers = {"Authorization": f"Bearer {caseworker}", "Idempotency-Key": str(uuid.uuid4())}
        return await http.post(path, json=body, headers=headers)

    async def registered_and_refused() -> httpx.Response | None:
        """intake's registration reaches programs, leaving only the plan to refuse"""
        answer = await post("/seb/participations", start)
        return answer if answer.json().get("type") != "/problems/unknown-client" else None

    refused = await eventually(registered_and_refused)
    assert refused.status_code == 422, refused.text
    assert refused.json()["type"] == "/problems/no-self-employment-plan"

    await bus.publish(
        CASELOAD_EVENTS, f"plan-{plan.plan_id}", plan.item_added(self_employment=True)
    )

    async def accepted() -> httpx.Response | None:
        """the self-employment sub-goal reaches programs and the SEB case is submitted"""
        answer = await post("/seb/participations", start)
        return answer if answer.status_code != 422 else None

    started = await eventually(accepted)
    assert started.status_code == 201, started.text
    assert started.json()["plan_id"] == str(plan.plan_id)

    submitted = await post("/second-career/applications", application(plan.client_id, site_id=site))
    assert submitted.status_code == 201, submitted.text
    assert submitted.json()["referral"] == {
        "plan_id": str(plan.plan_id),
        "site_id": site,
        "referred_on": "2012-05-20",
    }
