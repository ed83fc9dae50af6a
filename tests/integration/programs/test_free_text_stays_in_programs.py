"""Typed text stays in programs: the API returns it, no stored (so no published) event holds it.

A training program, an occupation, a denial's explanation, a sponsor's name
and a project's title typed with a (made-up) person's name come back from
the API and sit in programs' ``free_texts`` table; no event in the store (what
the relay publishes) carries them. A database holding version 1 events still
shows their text after the upgrade's backfill.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import insert, select

from chassis.database import create_engine
from chassis.eventstore import PendingEvent, unit_of_work
from chassis.eventstore.tables import events, free_texts
from contracts.envelope import EventMetadata
from contracts.programs import JcpProjectCreatedV1, SponsorType
from services.programs.adapters.migrations import VERSIONS
from services.programs.adapters.tables import application_directory
from tests.integration.programs.service import (
    CASEWORKER,
    CONSULTANT,
    MANAGER,
    Programs,
    application,
    commitments,
    running_programs,
)
from tests.support.migrations import migrate_to

NAME = "Evander Oyelaran-Whitcombe"


async def stored(url: str) -> tuple[list[object], set[str]]:
    """Every stored event payload, and every stored free text."""
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            payloads = (await connection.execute(select(events.c.payload))).scalars().all()
            texts = set((await connection.execute(select(free_texts.c.text))).scalars())
    finally:
        await engine.dispose()
    return list(payloads), texts


async def test_text_naming_a_person_is_answered_back_but_in_no_event(programs: Programs) -> None:
    client_id = await programs.register()
    typed = {
        "training_program": f"Welding with {NAME}",
        "occupation": f"Welder for {NAME}",
    }
    submitted = await programs.post(
        "/second-career/applications", application(client_id, **typed), CASEWORKER
    )
    assert submitted.status_code == 201, submitted.text
    path = submitted.headers["location"]
    explanation = f"{NAME} was not laid off"
    denial = {"expected_version": 1, "reason": "other", "explanation": explanation}
    denied = await programs.post(
        path + "/denial", {**denial, "denied_on": "2012-06-10"}, CONSULTANT
    )
    assert denied.status_code == 200, denied.text
    read = (await programs.get(path, CASEWORKER)).json()
    assert {key: read[key] for key in typed} == typed
    assert read["denial"]["explanation"] == explanation

    project = {
        "site_id": "S001",
        "sponsor_name": f"{NAME} Landscaping",
        "sponsor_type": "business",
        "title": f"Gardens of {NAME}",
        "starts_on": "2012-05-01",
        "ends_on": "2012-12-31",
    }
    created = await programs.post("/jcp/projects", project, CASEWORKER)
    assert created.status_code == 201, created.text
    shown = (await programs.get(created.headers["location"], CASEWORKER)).json()
    assert (shown["sponsor_name"], shown["title"]) == (project["sponsor_name"], project["title"])

    plan = {
        "site_id": "S001",
        "fiscal_year": "2012-13",
        "commitments": commitments(),
        "submitted_on": "2011-12-15",
    }
    submitted_plan = await programs.post("/business-plans", plan, MANAGER)
    assert submitted_plan.status_code == 201, submitted_plan.text
    plan_path = submitted_plan.headers["location"]
    review = {"expected_version": 1, "review_started_on": "2011-12-20"}
    assert (await programs.post(plan_path + "/review", review, CONSULTANT)).status_code == 200
    comments = f"Ask {NAME} to raise the Service Coordination commitment"
    returned = {"expected_version": 2, "returned_on": "2012-01-10", "comments": comments}
    answered = await programs.post(plan_path + "/return", returned, CONSULTANT)
    assert answered.status_code == 200, answered.text
    assert (await programs.get(plan_path, MANAGER)).json()["comments"] == comments

    payloads, texts = await stored(programs.url)
    assert payloads and not any("Oyelaran" in str(payload) for payload in payloads)
    shown_texts = {*typed.values(), explanation, project["sponsor_name"], project["title"]}
    assert shown_texts | {comments} <= texts


async def test_a_project_stored_as_version_1_still_shows_its_sponsor_and_title(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'programs.db'}"
    await migrate_to(url, [VERSIONS], ["c0003p", "p0002"])
    project_id = uuid.uuid4()
    old = JcpProjectCreatedV1(
        project_id=project_id,
        site_id="S001",
        sponsor_name="Grand River Trust",
        sponsor_type=SponsorType.NON_PROFIT,
        title="Trail restoration",
        starts_on=date(2012, 5, 1),
        ends_on=date(2012, 12, 31),
    )
    metadata = EventMetadata(correlation_id=uuid.uuid4(), actor="caseworker-1", site_id="S001")
    engine = create_engine(url)
    try:
        async with unit_of_work(engine) as uow:
            at = datetime(2012, 5, 1, tzinfo=UTC)
            pending = [PendingEvent(payload=old, metadata=metadata, occurred_at=at)]
            await uow.append(f"jcp-project-{project_id}", 0, pending)
            row = {"resource_id": project_id, "kind": "jcp-project", "site_id": "S001"}
            await uow.connection.execute(insert(application_directory).values(**row))
    finally:
        await engine.dispose()

    async with running_programs(url) as programs:  # migrates to the heads: the backfill runs
        read = await programs.get(f"/jcp/projects/{project_id}", CASEWORKER)
        assert read.status_code == 200, read.text
        assert (read.json()["sponsor_name"], read.json()["title"]) == (
            "Grand River Trust",
            "Trail restoration",
        )
        # Created before ministry decisions existed: it waits for one like a new submission,
        # in the region's consultant's list (the migration wrote its list row).
        assert read.json()["status"] == "submitted"
        waiting = await programs.get("/jcp/awaiting-decision", CONSULTANT)
        assert [row["resource_id"] for row in waiting.json()["items"]] == [str(project_id)]
        approval = {"expected_version": 1, "approved_on": "2012-04-20"}
        approved = await programs.post(f"/jcp/projects/{project_id}/approval", approval, CONSULTANT)
        assert approved.status_code == 200, approved.text
        assert approved.json()["status"] == "approved"
