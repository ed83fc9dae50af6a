"""A plan's goal and sub-goals stay in caseload: never on the topic, still in the HTTP API.

Through the real relay and the session broker: a goal and a sub-goal typed
with a (made-up) person's name are answered back by the API, stored in
caseload's ``free_texts`` table, and found in no record of the caseload topic
nor in any stored event. A database holding version 1 events (which carried
the text) still shows it after the upgrade's backfill.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, select

from chassis.clock import fixed_clock
from chassis.database import create_engine
from chassis.eventstore import PendingEvent, unit_of_work
from chassis.eventstore.free_texts import backfill_from_events
from chassis.eventstore.tables import events, free_texts
from chassis.settings import KafkaSettings
from contracts.caseload import PlanComponent, PlanItemAddedV1, ServicePlanOpenedV1
from contracts.envelope import EventMetadata
from services.caseload.adapters.migrations import VERSIONS
from services.caseload.adapters.tables import plan_directory
from services.caseload.bootstrap import create_app
from services.caseload.settings import CaseloadSettings
from tests.integration.caseload.service import AUTH, TODAY, Caseload, running_caseload, token
from tests.integration.caseload.test_bus import caseload_records, eventually
from tests.support.kafka import KafkaUnderTest
from tests.support.migrations import migrate_to
from tests.support.postgres import DatabaseFactory

CASEWORKER = token("caseworker-1", "caseworker", "S001")
NAME = "Philomena Strzelecki-Nakamura"
GOAL = f"Work at the bakery of {NAME}"
SUB_GOAL = f"Shadow {NAME} for two weeks"


@pytest.mark.postgres
@pytest.mark.kafka
@pytest.mark.slow
async def test_a_goal_naming_a_person_never_reaches_the_topic_and_the_api_returns_it(
    kafka: KafkaUnderTest, postgres_database_factory: DatabaseFactory
) -> None:
    url = await postgres_database_factory()
    app = create_app(
        CaseloadSettings(database_url=url),
        KafkaSettings(bootstrap_servers=kafka.bootstrap_servers, topic_partitions=3),
        auth=AUTH,
        local_broker=kafka.local,
        run_consumers=False,
        clock=fixed_clock(TODAY),
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://caseload.test") as http:
            caseload = Caseload(app, http, url)
            client_id = await caseload.register()
            opened = await caseload.post(
                "/service-plans",
                {
                    "client_id": str(client_id),
                    "site_id": "S001",
                    "goal": GOAL,
                    "opened_on": "2012-05-02",
                },
                CASEWORKER,
            )
            assert opened.status_code == 201, opened.text
            plan = opened.json()
            added = await caseload.post(
                f"/service-plans/{plan['plan_id']}/items",
                {
                    "component": "jmpi",
                    "sub_goal": SUB_GOAL,
                    "added_on": "2012-05-03",
                    "expected_version": plan["version"],
                },
                CASEWORKER,
            )
            assert added.status_code == 200, added.text

            read = (await caseload.get(f"/service-plans/{plan['plan_id']}", CASEWORKER)).json()
            assert read["goal"] == GOAL
            assert {item["component"]: item["sub_goal"] for item in read["items"]} == {
                "cspc": None,
                "jmpi": SUB_GOAL,
            }

            async def all_three() -> list | None:
                """the opening and both items are on the topic"""
                found = await caseload_records(kafka, str(client_id))
                return found if len(found) >= 3 else None

            records = await eventually(all_three)

    assert [dict(r.headers)["event_type"].decode() for r in records] == [
        "caseload.ServicePlanOpened",
        "caseload.PlanItemAdded",
        "caseload.PlanItemAdded",
    ]
    for record in records:
        assert b"Strzelecki" not in record.value
        assert all(b"Strzelecki" not in value for _, value in record.headers)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            payloads = (await connection.execute(select(events.c.payload))).scalars().all()
            texts = set((await connection.execute(select(free_texts.c.text))).scalars())
    finally:
        await engine.dispose()
    assert not any("Strzelecki" in str(payload) for payload in payloads)
    assert texts == {GOAL, SUB_GOAL}


async def store_a_version_1_plan(url: str) -> uuid.UUID:
    """A plan opened, as the image before version 2 wrote it: its text in its events."""
    client_id, plan_id = uuid.uuid4(), uuid.uuid4()
    keys: dict[str, Any] = {"client_id": client_id, "plan_id": plan_id, "site_id": "S001"}
    metadata = EventMetadata(correlation_id=uuid.uuid4(), actor="caseworker-1", site_id="S001")
    at = datetime(2012, 5, 2, tzinfo=UTC)
    old = [
        ServicePlanOpenedV1(**keys, goal=GOAL, opened_on=date(2012, 5, 2)),
        PlanItemAddedV1(**keys, component=PlanComponent.CSPC, added_on=date(2012, 5, 2)),
        PlanItemAddedV1(
            **keys, component=PlanComponent.JMPI, sub_goal=SUB_GOAL, added_on=date(2012, 5, 3)
        ),
    ]
    engine = create_engine(url)
    try:
        async with unit_of_work(engine) as uow:
            pending = [PendingEvent(payload=e, metadata=metadata, occurred_at=at) for e in old]
            await uow.append(f"plan-{plan_id}", 0, pending)
            await uow.connection.execute(insert(plan_directory).values(**keys))
    finally:
        await engine.dispose()
    return plan_id


async def assert_shows_its_text(caseload: Caseload, plan_id: uuid.UUID) -> None:
    read = await caseload.get(f"/service-plans/{plan_id}", CASEWORKER)
    assert read.status_code == 200, read.text
    assert read.json()["goal"] == GOAL
    assert {item["component"]: item["sub_goal"] for item in read.json()["items"]} == {
        "cspc": None,
        "jmpi": SUB_GOAL,
    }
    assert read.json()["version"] == 3


async def test_text_of_version_1_events_stored_before_the_upgrade_is_still_shown(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'caseload.db'}"
    await migrate_to(url, [VERSIONS], ["c0003p", "k0001"])
    plan_id = await store_a_version_1_plan(url)

    async with running_caseload(url) as caseload:  # migrates to the heads: the backfill runs
        await assert_shows_its_text(caseload, plan_id)

    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            copied = set((await connection.execute(select(free_texts.c.text))).scalars())
        assert copied == {GOAL, SUB_GOAL}
        async with engine.begin() as connection:  # a second backfill finds nothing to add
            again = await connection.run_sync(
                lambda sync: backfill_from_events(
                    sync, {("caseload.ServicePlanOpened", 1): lambda p: {"goal": p["goal"]}}
                )
            )
    finally:
        await engine.dispose()
    assert again == 0


async def test_a_version_1_plan_written_after_the_upgrade_still_shows_its_text(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'caseload.db'}"
    async with running_caseload(url) as caseload:
        plan_id = await store_a_version_1_plan(url)  # an older image, mid-rollout
        await assert_shows_its_text(caseload, plan_id)
