"""Caseload's plan use cases with in-memory fakes."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from chassis.eventstore import ConcurrencyConflict
from contracts.caseload import (
    FollowUpCheckpoint,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
)
from contracts.envelope import EventMetadata
from contracts.rulebook import RuleBook, RuleBookNotFound, RuleBookShelf, load_rulebook
from services.caseload.app.closing import close_plan, record_follow_up, record_satisfaction
from services.caseload.app.commands import (
    AddItem,
    ClosePlan,
    CompleteService,
    OpenPlan,
    RecordFollowUp,
    RecordReferral,
    RecordSatisfaction,
    StartService,
)
from services.caseload.app.errors import NoRuleBookForDate, PlanNotFound
from services.caseload.app.opening import open_plan
from services.caseload.app.plan_updates import (
    add_item,
    complete_service,
    record_referral,
    start_service,
)
from services.caseload.app.queries import get_plan
from services.caseload.domain import (
    ActivePlanExists,
    ClientNotEligible,
    ClientStatus,
    FollowUpOutsideWindow,
    PlanClosed,
    PlanStatus,
    UnknownClient,
)
from tests.unit.caseload.app.fakes import FakeKnownClients, FakePlans

TODAY = date(2012, 9, 20)
SHELF = RuleBookShelf()
METADATA = EventMetadata(correlation_id=uuid.uuid4(), actor="caseworker-1", site_id="S001")


@pytest.fixture
def plans() -> FakePlans:
    return FakePlans()


@pytest.fixture
def known() -> FakeKnownClients:
    return FakeKnownClients()


async def opened(plans: FakePlans, known: FakeKnownClients, *, site_id: str = "S001") -> uuid.UUID:
    client_id = uuid.uuid4()
    known.statuses[client_id] = ClientStatus.ELIGIBLE
    return await open_for(plans, known, client_id, site_id)


async def open_for(
    plans: FakePlans, known: FakeKnownClients, client_id: uuid.UUID, site_id: str = "S001"
) -> uuid.UUID:
    plan = await open_plan(
        OpenPlan(
            client_id=client_id, site_id=site_id, goal="Find work", opened_on=date(2012, 5, 2)
        ),
        plan_id=uuid.uuid4(),
        today=TODAY,
        metadata=METADATA,
        plans=plans,
        known_clients=known,
        active_plans=plans,
    )
    return plan.header.plan_id


async def test_opening_records_the_plan_and_reserves_the_site(
    plans: FakePlans, known: FakeKnownClients
) -> None:
    plan_id = await opened(plans, known)
    plan = await get_plan(plan_id=plan_id, plans=plans)
    assert plan.version == 2 and plan.status is PlanStatus.OPEN
    assert list(plans.reservations.values()) == [plan_id]


async def test_opening_for_an_unknown_client_is_refused(
    plans: FakePlans, known: FakeKnownClients
) -> None:
    with pytest.raises(UnknownClient):
        await open_for(plans, known, uuid.uuid4())
    assert plans.streams == {}


async def test_opening_for_an_ineligible_client_is_refused(
    plans: FakePlans, known: FakeKnownClients
) -> None:
    client_id = uuid.uuid4()
    known.statuses[client_id] = ClientStatus.REGISTERED
    with pytest.raises(ClientNotEligible):
        await open_for(plans, known, client_id)


async def test_a_second_plan_at_the_same_site_is_refused_until_the_first_closes(
    plans: FakePlans, known: FakeKnownClients
) -> None:
    client_id = uuid.uuid4()
    known.statuses[client_id] = ClientStatus.ELIGIBLE
    first = await open_for(plans, known, client_id)
    with pytest.raises(ActivePlanExists):
        await open_for(plans, known, client_id)
    await open_for(plans, known, client_id, "S002")
    await close_plan(
        ClosePlan(expected_version=2, exit_date=date(2012, 6, 1), outcome=Outcome.UNEMPLOYED),
        plan_id=first,
        today=TODAY,
        metadata=METADATA,
        plans=plans,
    )
    await open_for(plans, known, client_id)


async def test_a_plan_runs_from_items_to_follow_up(
    plans: FakePlans, known: FakeKnownClients
) -> None:
    plan_id = await opened(plans, known)
    common: dict[str, Any] = {
        "plan_id": plan_id,
        "today": TODAY,
        "metadata": METADATA,
        "plans": plans,
    }
    await add_item(
        AddItem(expected_version=2, component=PlanComponent.JOB_SEARCH, added_on=date(2012, 5, 3)),
        **common,
    )
    await start_service(
        StartService(expected_version=3, started_on=date(2012, 5, 4)),
        component=PlanComponent.JOB_SEARCH,
        **common,
    )
    await complete_service(
        CompleteService(expected_version=4, completed_on=date(2012, 6, 1)),
        component=PlanComponent.JOB_SEARCH,
        **common,
    )
    await record_referral(
        RecordReferral(
            expected_version=5,
            direction=ReferralDirection.OUT,
            category=ReferralCategory.SECOND_CAREER,
            referred_on=date(2012, 6, 2),
        ),
        **common,
    )
    await close_plan(
        ClosePlan(
            expected_version=6, exit_date=date(2012, 6, 15), outcome=Outcome.EMPLOYED_FULL_TIME
        ),
        **common,
    )
    await record_satisfaction(
        RecordSatisfaction(expected_version=7, rating=5, recorded_on=date(2012, 6, 15)), **common
    )
    plan = await record_follow_up(
        RecordFollowUp(
            expected_version=8,
            checkpoint=FollowUpCheckpoint.THREE_MONTHS,
            outcome=Outcome.EMPLOYED_FULL_TIME,
            recorded_on=date(2012, 9, 15),
        ),
        **common,
        rulebooks=SHELF,
    )
    assert plan.version == 9 and plan.status is PlanStatus.CLOSED
    assert plan.is_assisted_participant
    assert plans.reservations == {}


async def test_a_follow_up_before_its_window_is_refused(
    plans: FakePlans, known: FakeKnownClients
) -> None:
    plan_id = await opened(plans, known)
    common: dict[str, Any] = {
        "plan_id": plan_id,
        "today": TODAY,
        "metadata": METADATA,
        "plans": plans,
    }
    await close_plan(
        ClosePlan(expected_version=2, exit_date=date(2012, 6, 15), outcome=Outcome.UNEMPLOYED),
        **common,
    )
    with pytest.raises(FollowUpOutsideWindow):
        await record_follow_up(
            RecordFollowUp(
                expected_version=3,
                checkpoint=FollowUpCheckpoint.SIX_MONTHS,
                outcome=Outcome.UNEMPLOYED,
                recorded_on=date(2012, 9, 15),
            ),
            **common,
            rulebooks=SHELF,
        )


async def test_a_closed_plan_takes_no_items(plans: FakePlans, known: FakeKnownClients) -> None:
    plan_id = await opened(plans, known)
    common: dict[str, Any] = {
        "plan_id": plan_id,
        "today": TODAY,
        "metadata": METADATA,
        "plans": plans,
    }
    await close_plan(
        ClosePlan(expected_version=2, exit_date=date(2012, 6, 1), outcome=Outcome.UNEMPLOYED),
        **common,
    )
    with pytest.raises(PlanClosed):
        await add_item(
            AddItem(expected_version=3, component=PlanComponent.JMPI, added_on=date(2012, 6, 1)),
            **common,
        )


async def test_a_stale_expected_version_is_a_conflict(
    plans: FakePlans, known: FakeKnownClients
) -> None:
    plan_id = await opened(plans, known)
    with pytest.raises(ConcurrencyConflict):
        await add_item(
            AddItem(expected_version=1, component=PlanComponent.JMPI, added_on=date(2012, 5, 3)),
            plan_id=plan_id,
            today=TODAY,
            metadata=METADATA,
            plans=plans,
        )


async def test_an_unknown_plan_is_not_found(plans: FakePlans) -> None:
    with pytest.raises(PlanNotFound):
        await get_plan(plan_id=uuid.uuid4(), plans=plans)
    with pytest.raises(PlanNotFound):
        await close_plan(
            ClosePlan(expected_version=2, exit_date=date(2012, 6, 1), outcome=Outcome.UNEMPLOYED),
            plan_id=uuid.uuid4(),
            today=TODAY,
            metadata=METADATA,
            plans=plans,
        )


async def test_a_follow_up_is_judged_by_the_rule_book_of_the_year_the_plan_closed_in(
    plans: FakePlans, known: FakeKnownClients
) -> None:
    plan_id = await opened(plans, known)
    later = date(2013, 7, 1)
    asked: list[str] = []

    def load(year: str, directory: Path) -> RuleBook:
        asked.append(year)
        return load_rulebook(year, directory)

    common: dict[str, Any] = {"plan_id": plan_id, "metadata": METADATA, "plans": plans}
    await close_plan(
        ClosePlan(expected_version=2, exit_date=date(2013, 3, 20), outcome=Outcome.UNEMPLOYED),
        today=later,
        **common,
    )
    follow_up = RecordFollowUp(
        expected_version=3,
        checkpoint=FollowUpCheckpoint.THREE_MONTHS,
        outcome=Outcome.UNEMPLOYED,
        recorded_on=date(2013, 6, 20),
    )
    with pytest.raises(NoRuleBookForDate, match="2012-13"):
        await record_follow_up(
            follow_up, today=later, **common, rulebooks=RuleBookShelf(load=nothing_kept)
        )
    plan = await record_follow_up(
        follow_up, today=later, **common, rulebooks=RuleBookShelf(load=load)
    )
    assert asked == ["2012-13"] and plan.version == 4


def nothing_kept(year: str, directory: Path) -> RuleBook:
    """A shelf's loader that keeps no rule book."""
    raise RuleBookNotFound(f"no rule book for fiscal year {year}")
