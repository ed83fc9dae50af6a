"""Caseload under test: the real app on a real database, known clients written directly."""

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
from chassis.consumer import DecodedEvent, RecordPosition
from chassis.database import create_engine
from chassis.http import AuthSettings, mint_dev_token
from contracts.envelope import EventEnvelope
from contracts.intake import EligibilityDetermined, EligibilityReason
from contracts.registry import EventSchema
from services.caseload.adapters.known_clients_projection import KnownClientsProjection
from services.caseload.bootstrap import create_app
from services.caseload.settings import CaseloadSettings
from tests.support.events import client_registered

AUTH = AuthSettings()
TODAY = date(2012, 9, 20)
"""The injected clock's day: after the journey's exit, inside the 3-month follow-up window."""


def token(subject: str, role: str, *sites: str) -> str:
    """A development token for one role at some sites."""
    return mint_dev_token(AUTH, subject=subject, roles=[role], site_ids=sites)


def decoded(payload: EventSchema, stream: str, version: int = 1) -> DecodedEvent:
    """An intake event as the projection runner hands it over."""
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


def eligibility(client_id: uuid.UUID, eligible: bool = True) -> EligibilityDetermined:
    """A synthetic eligibility determination."""
    return EligibilityDetermined(
        client_id=client_id,
        determined_on=date(2012, 5, 1),
        fiscal_year="2012-13",
        rule_book_version="2012-13.1",
        eligible_for_assisted_es=eligible,
        reasons=[
            EligibilityReason.UNEMPLOYED if eligible else EligibilityReason.WORKING_TOO_MANY_HOURS
        ],
    )


@dataclass
class Caseload:
    """The running app, an HTTP client to it and a side engine on its database."""

    app: FastAPI
    http: httpx.AsyncClient
    url: str

    async def register(self, *, eligible: bool = True, site_id: str = "S001") -> uuid.UUID:
        """A client intake registered (and found eligible or not), applied to the view."""
        client_id = uuid.uuid4()
        await self.register_known(client_id, eligible=eligible, site_id=site_id)
        return client_id

    async def register_known(
        self, client_id: uuid.UUID, *, eligible: bool = True, site_id: str = "S001"
    ) -> None:
        """Apply a registration and an eligibility determination of this client to the view."""
        events = [
            decoded(client_registered(client_id, site_id), f"client-{client_id}", 1),
            decoded(eligibility(client_id, eligible), f"client-{client_id}", 2),
        ]
        engine = create_engine(self.url)
        try:
            async with engine.begin() as connection:
                await KnownClientsProjection().apply(connection, events)
        finally:
            await engine.dispose()

    async def count_events(self, event_type: str | None = None) -> int:
        """Events in caseload's store (of one type if given)."""
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


@asynccontextmanager
async def running_caseload(url: str, today: date = TODAY) -> AsyncIterator[Caseload]:
    """Caseload without a broker on ``url``, its lifespan run, a client bound to it."""
    app = create_app(CaseloadSettings(database_url=url), auth=AUTH, clock=fixed_clock(today))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://caseload.test") as http:
            yield Caseload(app, http, url)
