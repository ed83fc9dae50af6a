"""Programs' use cases with in-memory fakes and the real rule books."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest

from chassis.eventstore import ConcurrencyConflict
from contracts.envelope import EventMetadata
from contracts.programs import SponsorType
from contracts.rulebook import LegalStatus, RuleBookShelf
from services.programs.app import business_plans, jcp, seb, second_career
from services.programs.app.commands import (
    ApproveApplication,
    ApproveBusinessPlan,
    ApproveCase,
    Commitments,
    CompleteParticipation,
    CompleteTraining,
    CreateProject,
    EiHistoryBody,
    EligibilityFacts,
    PlaceParticipant,
    ReviseBusinessPlan,
    StartSeb,
    StartTraining,
    SubmitApplication,
    SubmitBusinessPlan,
    SubmitSeb,
)
from services.programs.app.errors import BusinessPlanExists, NoRuleBookForDate, ResourceMissing
from services.programs.domain import (
    ApplicationStatus,
    FundingCapExceeded,
    JcpProject,
    NoSelfEmploymentPlan,
    ProjectTooLong,
    SebParticipation,
    SecondCareerApplication,
    UnknownClient,
)
from tests.unit.programs.app.fakes import (
    FakeBusinessPlans,
    FakeKnownClients,
    FakeSelfEmploymentPlans,
    FakeStreams,
)

TODAY = date(2012, 9, 20)
METADATA = EventMetadata(correlation_id=uuid.uuid4(), actor="caseworker-1", site_id="S001")
SHELF = RuleBookShelf()
FACTS = EligibilityFacts(
    laid_off=True,
    laid_off_on=date(2012, 3, 1),
    hours_worked_per_week=0,
    ontario_resident=True,
    legal_status=LegalStatus.CITIZEN,
    occupation_in_demand=True,
)
REQUEST: dict[str, Any] = {
    "training_program": "Welding diploma",
    "occupation": "Welder",
    "noc_code": None,
    "training_weeks": 52,
    "academic_upgrading_weeks": 0,
}
COMMITMENTS = Commitments(
    core_measures={
        "customer_satisfaction": 88.0,
        "service_coordination": 60.0,
        "client_suitability": 70.0,
        "client_impact": 75.0,
        "service_efficiency": 90.0,
    },
    planned_assisted_clients=420,
    planned_ri_clients=3000,
    continuous_improvement={"client_impact": 78.0},
)


async def submit(
    applications: FakeStreams[SecondCareerApplication], known: FakeKnownClients, **changes: Any
) -> uuid.UUID:
    """Submit an application asking $30,000 for a new client; returns its id."""
    client_id, application_id = uuid.uuid4(), uuid.uuid4()
    known.registered.add(client_id)
    command: dict[str, Any] = {
        "client_id": client_id,
        "site_id": "S001",
        **REQUEST,
        "requested_costs_cents": {"tuition": 2_000_000, "basic-living-allowance": 1_000_000},
        "facts": FACTS,
        "submitted_on": date(2012, 6, 1),
        **changes,
    }
    await second_career.submit_application(
        SubmitApplication(**command),
        application_id=application_id,
        today=TODAY,
        metadata=METADATA,
        applications=applications,
        known_clients=known,
        rulebooks=SHELF,
    )
    return application_id


async def test_an_application_is_approved_at_the_cap_started_and_completed() -> None:
    applications, known = FakeStreams(SecondCareerApplication), FakeKnownClients()
    application_id = await submit(applications, known)
    assert applications.directory[application_id][0] == "S001"
    common: dict[str, Any] = {
        "application_id": application_id,
        "today": TODAY,
        "metadata": METADATA,
        "applications": applications,
    }
    approved = await second_career.approve_application(
        ApproveApplication(
            expected_version=1,
            approved_costs_cents={"tuition": 2_000_000, "basic-living-allowance": 800_000},
            approved_on=date(2012, 6, 10),
        ),
        **common,
        rulebooks=SHELF,
    )
    assert approved.funding is not None and approved.funding.client_contribution_cents == 200_000
    await second_career.start_training(
        StartTraining(expected_version=2, started_on=date(2012, 6, 15)), **common
    )
    await second_career.complete_training(
        CompleteTraining(expected_version=3, completed_on=date(2012, 9, 1)), **common
    )
    read = await second_career.get_application(
        application_id=application_id, applications=applications
    )
    assert read.status is ApplicationStatus.COMPLETED and read.version == 4


async def test_one_cent_over_the_cap_and_a_stale_version_are_refused() -> None:
    applications, known = FakeStreams(SecondCareerApplication), FakeKnownClients()
    application_id = await submit(applications, known)
    common: dict[str, Any] = {
        "application_id": application_id,
        "today": TODAY,
        "metadata": METADATA,
        "applications": applications,
        "rulebooks": SHELF,
    }
    approved_on = date(2012, 6, 10)
    with pytest.raises(FundingCapExceeded):
        await second_career.approve_application(
            ApproveApplication(
                expected_version=1,
                approved_costs_cents={"tuition": 2_000_000, "basic-living-allowance": 800_001},
                approved_on=approved_on,
            ),
            **common,
        )
    with pytest.raises(ConcurrencyConflict):
        await second_career.approve_application(
            ApproveApplication(
                expected_version=0, approved_costs_cents={"tuition": 1}, approved_on=approved_on
            ),
            **common,
        )
    assert len(applications.streams[application_id]) == 1


async def test_an_unknown_client_a_missing_application_and_a_year_without_rules() -> None:
    applications, known = FakeStreams(SecondCareerApplication), FakeKnownClients()
    with pytest.raises(UnknownClient):
        await second_career.submit_application(
            SubmitApplication(
                client_id=uuid.uuid4(),
                site_id="S001",
                **REQUEST,
                requested_costs_cents={"tuition": 1},
                facts=FACTS,
                submitted_on=date(2012, 6, 1),
            ),
            application_id=uuid.uuid4(),
            today=TODAY,
            metadata=METADATA,
            applications=applications,
            known_clients=known,
            rulebooks=SHELF,
        )
    with pytest.raises(ResourceMissing):
        await second_career.get_application(application_id=uuid.uuid4(), applications=applications)
    with pytest.raises(NoRuleBookForDate):
        SHELF.for_day(date(2009, 1, 1))  # before 2010-11 (later years carry forward)
    assert applications.streams == {}


async def test_a_jcp_project_of_53_weeks_is_refused_and_a_participant_placed() -> None:
    projects, known = FakeStreams(JcpProject), FakeKnownClients()
    project: dict[str, Any] = {
        "site_id": "S001",
        "sponsor_name": "Trust",
        "sponsor_type": SponsorType.NON_PROFIT,
        "title": "Trails",
        "starts_on": date(2012, 5, 1),
    }
    wiring: dict[str, Any] = {"metadata": METADATA, "projects": projects, "rulebooks": SHELF}
    with pytest.raises(ProjectTooLong):
        await jcp.create_project(
            CreateProject(**project, ends_on=date(2013, 5, 6)), project_id=uuid.uuid4(), **wiring
        )
    project_id, client_id = uuid.uuid4(), uuid.uuid4()
    await jcp.create_project(
        CreateProject(**project, ends_on=date(2012, 12, 31)), project_id=project_id, **wiring
    )
    await jcp.approve_project(
        ApproveCase(expected_version=1, approved_on=date(2012, 4, 20)),
        project_id=project_id,
        today=TODAY,
        metadata=METADATA,
        projects=projects,
    )
    known.registered.add(client_id)
    placed = await jcp.place_participant(
        PlaceParticipant(
            expected_version=2,
            client_id=client_id,
            placed_on=date(2012, 6, 1),
            expected_end_on=date(2012, 9, 1),
            hours_worked_per_week=0,
            ei_history=EiHistoryBody(active_claim=True),
        ),
        project_id=project_id,
        today=TODAY,
        metadata=METADATA,
        projects=projects,
        known_clients=known,
        rulebooks=SHELF,
    )
    assert client_id in placed.participants
    done = await jcp.complete_participation(
        CompleteParticipation(expected_version=3, completed_on=date(2012, 9, 1)),
        project_id=project_id,
        client_id=client_id,
        today=TODAY,
        metadata=METADATA,
        projects=projects,
    )
    assert done.participants[client_id].completed_on == date(2012, 9, 1)


async def test_seb_is_submitted_only_under_a_plan_naming_self_employment() -> None:
    participations, known = FakeStreams(SebParticipation), FakeKnownClients()
    client_id, plan_id = uuid.uuid4(), uuid.uuid4()
    known.registered.add(client_id)
    plans = FakeSelfEmploymentPlans()
    command = SubmitSeb(
        client_id=client_id,
        site_id="S001",
        plan_id=plan_id,
        starts_on=date(2012, 6, 1),
        planned_weeks=42,
        ei_history=EiHistoryBody(active_claim=True),
        submitted_on=date(2012, 5, 20),
    )
    start: dict[str, Any] = {
        "today": TODAY,
        "metadata": METADATA,
        "participations": participations,
        "known_clients": known,
        "self_employment_plans": plans,
        "rulebooks": SHELF,
    }
    with pytest.raises(NoSelfEmploymentPlan):
        await seb.submit_participation(command, **start, participation_id=uuid.uuid4())
    plans.plans.add(plan_id)
    participation_id = uuid.uuid4()
    await seb.submit_participation(command, **start, participation_id=participation_id)
    wiring: dict[str, Any] = {
        "participation_id": participation_id,
        "today": TODAY,
        "metadata": METADATA,
        "participations": participations,
    }
    await seb.approve_participation(
        ApproveCase(expected_version=1, approved_on=date(2012, 5, 25)), **wiring
    )
    await seb.start_participation(
        StartSeb(expected_version=2, started_on=date(2012, 6, 1)), **wiring
    )
    done = await seb.complete_participation(
        CompleteParticipation(expected_version=3, completed_on=date(2012, 9, 1)), **wiring
    )
    assert done.completed_on == date(2012, 9, 1) and done.status == "completed"


async def test_a_business_plan_is_revised_approved_and_unique_per_site_and_year() -> None:
    plans = FakeBusinessPlans()
    submission = SubmitBusinessPlan(
        site_id="S001",
        fiscal_year="2012-13",
        commitments=COMMITMENTS,
        submitted_on=date(2012, 3, 1),
    )
    wiring: dict[str, Any] = {
        "today": TODAY,
        "metadata": METADATA,
        "plans": plans,
        "rulebooks": SHELF,
    }
    plan_id = uuid.uuid4()
    await business_plans.submit_plan(submission, **wiring, plan_id=plan_id)
    revised = await business_plans.revise_plan(
        ReviseBusinessPlan(
            expected_version=1, commitments=COMMITMENTS, revised_on=date(2012, 3, 15)
        ),
        plan_id=plan_id,
        today=TODAY,
        metadata=METADATA,
        plans=plans,
        rulebooks=SHELF,
    )
    assert revised.revision == 2
    approved = await business_plans.approve_plan(
        ApproveBusinessPlan(expected_version=2, approved_on=date(2012, 4, 1)),
        plan_id=plan_id,
        today=TODAY,
        metadata=METADATA,
        plans=plans,
    )
    assert approved.approved_on == date(2012, 4, 1)
    with pytest.raises(BusinessPlanExists):
        await business_plans.submit_plan(submission, **wiring, plan_id=uuid.uuid4())
