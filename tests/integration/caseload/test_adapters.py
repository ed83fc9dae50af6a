"""Caseload's SQL adapters on SQLite and PostgreSQL: the projection and the reservation."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.database import create_engine
from chassis.migrate import migrate
from contracts.caseload import Outcome
from contracts.envelope import EventMetadata
from services.caseload.adapters.known_clients_projection import KnownClientsProjection
from services.caseload.adapters.lookups import SqlActivePlans, SqlKnownClients, SqlPlanDirectory
from services.caseload.adapters.migrations import VERSIONS
from services.caseload.adapters.plan_repository import ServicePlanRepository
from services.caseload.adapters.tables import active_plans, known_clients, plan_directory
from services.caseload.domain import ActivePlanExists, ClientStatus, ServicePlan
from tests.integration.caseload.conftest import DatabaseFactory
from tests.integration.caseload.service import decoded, eligibility
from tests.support.events import client_registered

TODAY = date(2012, 9, 20)
METADATA = EventMetadata(correlation_id=uuid.uuid4(), actor="caseworker-1", site_id="S001")


@pytest.fixture
async def engine(new_database: DatabaseFactory) -> AsyncIterator[AsyncEngine]:
    engine = create_engine(await new_database())
    await migrate(engine, extra_version_locations=[VERSIONS])
    yield engine
    await engine.dispose()


async def apply(engine: AsyncEngine, *events) -> None:  # type: ignore[no-untyped-def]
    async with engine.begin() as connection:
        await KnownClientsProjection().apply(connection, list(events))


async def test_a_registration_and_an_eligibility_make_a_client_eligible(
    engine: AsyncEngine,
) -> None:
    client_id = uuid.uuid4()
    stream = f"client-{client_id}"
    view = SqlKnownClients(engine)
    assert await view.status(client_id) is ClientStatus.UNKNOWN
    await apply(engine, decoded(client_registered(client_id), stream, 1))
    assert await view.status(client_id) is ClientStatus.REGISTERED
    await apply(engine, decoded(eligibility(client_id), stream, 2))
    assert await view.status(client_id) is ClientStatus.ELIGIBLE


async def test_the_latest_determination_in_a_batch_wins_and_reapplying_changes_nothing(
    engine: AsyncEngine,
) -> None:
    client_id = uuid.uuid4()
    stream = f"client-{client_id}"
    batch = [
        decoded(client_registered(client_id, "S002"), stream, 1),
        decoded(eligibility(client_id, True), stream, 2),
        decoded(eligibility(client_id, False), stream, 3),
    ]
    await apply(engine, *batch)
    async with engine.connect() as connection:
        before = (await connection.execute(select(known_clients))).all()
    await apply(engine, *batch)
    async with engine.connect() as connection:
        after = (await connection.execute(select(known_clients))).all()
    assert before == after
    assert after[0].site_id == "S002" and after[0].eligible is False
    assert await SqlKnownClients(engine).status(client_id) is ClientStatus.REGISTERED


async def test_an_eligibility_without_a_registration_leaves_the_client_unknown(
    engine: AsyncEngine,
) -> None:
    client_id = uuid.uuid4()
    await apply(engine, decoded(eligibility(client_id), f"client-{client_id}", 2))
    assert await SqlKnownClients(engine).status(client_id) is ClientStatus.UNKNOWN
    await apply(engine, decoded(client_registered(client_id), f"client-{client_id}", 1))
    assert await SqlKnownClients(engine).status(client_id) is ClientStatus.ELIGIBLE


def new_plan(client_id: uuid.UUID, site_id: str = "S001") -> ServicePlan:
    return ServicePlan.open(
        plan_id=uuid.uuid4(),
        client_id=client_id,
        site_id=site_id,
        goal="Find work",
        opened_on=date(2012, 5, 2),
        today=TODAY,
    )


async def test_racing_openings_past_the_view_still_give_one_plan(engine: AsyncEngine) -> None:
    repository = ServicePlanRepository(engine)
    client_id = uuid.uuid4()
    plans = [new_plan(client_id) for _ in range(4)]
    outcomes = await asyncio.gather(
        *(repository.add(plan, METADATA) for plan in plans), return_exceptions=True
    )
    refused = [o for o in outcomes if isinstance(o, ActivePlanExists)]
    assert len(refused) == 3 and outcomes.count(None) == 1, outcomes
    async with engine.connect() as connection:
        assert len((await connection.execute(select(active_plans))).all()) == 1
        assert len((await connection.execute(select(plan_directory))).all()) == 1


async def test_closing_releases_the_reservation_and_keeps_the_directory(
    engine: AsyncEngine,
) -> None:
    repository = ServicePlanRepository(engine)
    plan = new_plan(uuid.uuid4())
    await repository.add(plan, METADATA)
    assert await SqlActivePlans(engine).has_active_plan(plan.header.client_id, "S001")
    plan.close(exit_date=date(2012, 6, 1), outcome=Outcome.UNEMPLOYED, today=TODAY)
    await repository.save(plan, METADATA)
    assert not await SqlActivePlans(engine).has_active_plan(plan.header.client_id, "S001")
    assert await SqlPlanDirectory(engine).site_of(plan.header.plan_id) == "S001"
    reloaded = await repository.get(plan.header.plan_id)
    assert reloaded is not None and reloaded.version == 3 and reloaded.exit is not None
