"""Readiness says "degraded" (still 200) once a consumer's parked event waits too long."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer.parked_health import parked_events_check
from chassis.consumer.tables import consumer_parked_events
from chassis.http import AuthSettings, IdempotencyStore, database_ready
from tests.integration.http.calls import client_for
from tests.integration.http.service_under_test import FakeClients, build_service


async def park_one(engine: AsyncEngine, group: str, waited: timedelta) -> None:
    async with engine.begin() as connection:
        await connection.execute(
            sa.insert(consumer_parked_events).values(
                consumer_group=group,
                stream_id="client-1",
                stream_version=3,
                topic="eocms.intake.events",
                partition=0,
                offset=7,
                key=None,
                value=b"{}",
                headers=[],
                parked_at=datetime.now(UTC) - waited,
            )
        )


async def ready(auth: AuthSettings, engine: AsyncEngine, clients: FakeClients, after_s: float):  # type: ignore[no-untyped-def]
    app = build_service(
        auth=auth,
        idempotency=IdempotencyStore(engine),
        clients=clients,
        readiness_checks={
            "database": database_ready(engine),
            "parked_events": parked_events_check(
                engine, ["reporting.facts"], degraded_after_s=after_s
            ),
        },
    )
    async with client_for(app) as http:
        return await http.get("/health/ready")


async def test_a_parked_event_older_than_allowed_makes_readiness_degraded_not_failed(
    auth: AuthSettings, sqlite_engine: AsyncEngine, clients: FakeClients
) -> None:
    await park_one(sqlite_engine, "reporting.facts", timedelta(minutes=10))

    response = await ready(auth, sqlite_engine, clients, after_s=300)

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["parked_events"].startswith("degraded (reporting.facts has 1 parked")


async def test_a_recently_parked_event_keeps_readiness_ready(
    auth: AuthSettings, sqlite_engine: AsyncEngine, clients: FakeClients
) -> None:
    await park_one(sqlite_engine, "reporting.facts", timedelta(seconds=5))

    response = await ready(auth, sqlite_engine, clients, after_s=300)

    assert response.json() == {
        "status": "ready",
        "checks": {"database": "ok", "parked_events": "ok"},
    }
