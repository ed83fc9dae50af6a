"""Programs under test: the real app on a real database, known clients written directly."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import httpx
from fastapi import FastAPI
from sqlalchemy import func, select

from chassis.clock import fixed_clock
from chassis.consumer import DecodedEvent, Projection, RecordPosition
from chassis.database import create_engine
from chassis.http import AuthSettings, mint_dev_token
from contracts.envelope import EventEnvelope
from contracts.registry import EventSchema
from services.programs.adapters.known_clients_projection import KnownClientsProjection
from services.programs.adapters.service_plans_projection import ServicePlansProjection
from services.programs.bootstrap import create_app
from services.programs.settings import ProgramsSettings
from tests.support.events import client_registered

AUTH = AuthSettings()
TODAY = date(2012, 9, 20)
"""The injected clock's day, in fiscal year 2012-13."""
CAP_CENTS = 2_800_000
"""The 2012-13 rule book's Second Career funding cap ($28,000)."""


def token(subject: str, role: str, *sites: str) -> str:
    """A development token for one role at some sites."""
    return mint_dev_token(AUTH, subject=subject, roles=[role], site_ids=sites)


CASEWORKER = token("caseworker-1", "caseworker", "S001")
MANAGER = token("manager-1", "site_manager", "S001")
CONSULTANT = mint_dev_token(
    AUTH, subject="etc-east-1", roles=["ministry_consultant"], site_ids=["S001"], region="east"
)
"""The east region's Employment and Training Consultant (S001 is in the east)."""
OTHER_SITE = token("caseworker-9", "caseworker", "S009")
ANALYST = token("analyst-1", "ministry_analyst")


def decoded(payload: EventSchema, stream: str, version: int = 1) -> DecodedEvent:
    """An event (intake's or caseload's) as the projection runner hands it over."""
    envelope = EventEnvelope(
        event_id=uuid.uuid4(),
        event_type=payload.event_type,
        schema_version=payload.schema_version,
        stream_id=stream,
        stream_version=version,
        occurred_at=datetime(2012, 5, 1, tzinfo=UTC),
        recorded_at=datetime(2012, 5, 1, tzinfo=UTC),
        correlation_id=uuid.uuid4(),
        actor="intake",
        payload=payload.model_dump(mode="json"),
    )
    return DecodedEvent(envelope, payload, RecordPosition("eocms.intake.events", 0, version))


def application(client_id: uuid.UUID, **changes: Any) -> dict[str, Any]:
    """A Second Career application of an eligible client asking $30,000 (above the cap)."""
    return {
        "client_id": str(client_id),
        "site_id": "S001",
        "training_program": "Truck and coach technician diploma",
        "occupation": "Truck and transport mechanic",
        "noc_code": "7321",
        "training_weeks": 52,
        "academic_upgrading_weeks": 0,
        "requested_costs_cents": {"tuition": 2_000_000, "basic-living-allowance": 1_000_000},
        "facts": {
            "laid_off": True,
            "laid_off_on": "2012-03-01",
            "hours_worked_per_week": 0,
            "ontario_resident": True,
            "legal_status": "citizen",
            "occupation_in_demand": True,
        },
        "submitted_on": "2012-06-01",
        **changes,
    }


def commitments(satisfaction: float = 88.0) -> dict[str, Any]:
    """2012-13 commitments: every core measure, one continuous improvement target."""
    return {
        "core_measures": {
            "customer_satisfaction": satisfaction,
            "service_coordination": 60.0,
            "client_suitability": 70.0,
            "client_impact": 75.0,
            "service_efficiency": 90.0,
        },
        "planned_assisted_clients": 420,
        "planned_ri_clients": 3000,
        "continuous_improvement": {"client_impact": 78.0},
    }


@dataclass
class Programs:
    """The running app, an HTTP client to it and its database URL."""

    app: FastAPI
    http: httpx.AsyncClient
    url: str

    async def register(self, site_id: str = "S001") -> uuid.UUID:
        """A client intake registered, applied to the known-clients view."""
        client_id = uuid.uuid4()
        await self.register_known(client_id, site_id)
        return client_id

    async def register_known(self, client_id: uuid.UUID, site_id: str = "S001") -> None:
        """Apply a registration of this client to the view."""
        event = decoded(client_registered(client_id, site_id), f"client-{client_id}")
        await self.project(KnownClientsProjection(), [event])

    async def apply_caseload(self, *payloads: EventSchema) -> None:
        """Apply caseload plan events, as one batch, to the service-plans views."""
        events = [
            decoded(payload, f"plan-{getattr(payload, 'plan_id', 'site')}", version)
            for version, payload in enumerate(payloads, start=1)
        ]
        await self.project(ServicePlansProjection(), events)

    async def project(self, projection: Projection, events: list[DecodedEvent]) -> None:
        """Apply one batch to a projection in one transaction, as its runner would."""
        engine = create_engine(self.url)
        try:
            async with engine.begin() as connection:
                await projection.apply(connection, events)
        finally:
            await engine.dispose()

    async def count_events(self, event_type: str | None = None) -> int:
        """Events in programs' store (of one type if given)."""
        from chassis.eventstore.tables import events

        engine = create_engine(self.url)
        try:
            query = select(func.count()).select_from(events)
            if event_type:
                query = query.where(events.c.event_type == event_type)
            async with engine.connect() as connection:
                return int(await connection.scalar(query) or 0)
        finally:
            await engine.dispose()

    async def post(self, path: str, body: dict[str, Any], who: str, key: str | None = None):  # type: ignore[no-untyped-def]
        """A command with a bearer token and an idempotency key."""
        headers = {"Authorization": f"Bearer {who}", "Idempotency-Key": key or str(uuid.uuid4())}
        return await self.http.post(path, json=body, headers=headers)

    async def get(self, path: str, who: str):  # type: ignore[no-untyped-def]
        """A query with a bearer token."""
        return await self.http.get(path, headers={"Authorization": f"Bearer {who}"})

    async def submitted(self, **changes: Any) -> str:
        """The path of a freshly submitted application of a new registered client."""
        client_id = await self.register()
        answer = await self.post(
            "/second-career/applications", application(client_id, **changes), CASEWORKER
        )
        assert answer.status_code == 201, answer.text
        return str(answer.headers["location"])


@asynccontextmanager
async def running_programs(url: str, today: date = TODAY) -> AsyncIterator[Programs]:
    """Programs without a broker on ``url``, its lifespan run, a client bound to it."""
    app = create_app(ProgramsSettings(database_url=url), auth=AUTH, clock=fixed_clock(today))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://programs.test") as http:
            yield Programs(app, http, url)
