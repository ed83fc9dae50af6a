"""Opening a plan: eligible clients only, one active plan per client per site, CSPC always."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest

from contracts.caseload import (
    PlanComponent,
    PlanItemAdded,
    ReferralCategory,
    ServicePlanOpened,
)
from services.caseload.domain import (
    ActivePlanExists,
    ClientNotEligible,
    ClientStatus,
    DateInFuture,
    GoalRequired,
    PlanNotOpened,
    PlanStatus,
    ServicePlan,
    UnknownClient,
    open_service_plan,
)
from tests.unit.caseload.domain.builders import CLIENT_ID, OPENED_ON, PLAN_ID, SITE_ID, TODAY
from tests.unit.caseload.domain.fakes import FakeActivePlans, FakeKnownClients

ELIGIBLE = FakeKnownClients({CLIENT_ID: ClientStatus.ELIGIBLE})


async def open_for(
    known_clients: FakeKnownClients = ELIGIBLE,
    active_plans: FakeActivePlans | None = None,
    **overrides: Any,
) -> ServicePlan:
    arguments: dict[str, Any] = {
        "plan_id": PLAN_ID,
        "client_id": CLIENT_ID,
        "site_id": SITE_ID,
        "goal": "Find full-time work in logistics",
        "opened_on": OPENED_ON,
        "today": TODAY,
    }
    return await open_service_plan(
        **(arguments | overrides),
        known_clients=known_clients,
        active_plans=active_plans or FakeActivePlans(),
    )


async def test_an_eligible_client_without_an_active_plan_gets_an_open_plan() -> None:
    plan = await open_for()
    assert plan.pending_events[0] == ServicePlanOpened(
        client_id=CLIENT_ID,
        plan_id=PLAN_ID,
        site_id=SITE_ID,
        goal="Find full-time work in logistics",
        opened_on=OPENED_ON,
    )
    assert (plan.id, plan.status, plan.header.opened_on) == (
        str(PLAN_ID),
        PlanStatus.OPEN,
        OPENED_ON,
    )


async def test_opening_adds_the_cspc_item_automatically() -> None:
    plan = await open_for()
    assert plan.pending_events[1] == PlanItemAdded(
        client_id=CLIENT_ID,
        plan_id=PLAN_ID,
        site_id=SITE_ID,
        component=PlanComponent.CSPC,
        added_on=OPENED_ON,
    )
    assert list(plan.items) == [PlanComponent.CSPC]


async def test_an_unknown_client_cannot_get_a_plan() -> None:
    with pytest.raises(UnknownClient, match=str(CLIENT_ID)):
        await open_for(known_clients=FakeKnownClients())


async def test_a_registered_but_ineligible_client_cannot_get_a_plan() -> None:
    registered_only = FakeKnownClients({CLIENT_ID: ClientStatus.REGISTERED})
    with pytest.raises(ClientNotEligible, match="not eligible"):
        await open_for(known_clients=registered_only)


async def test_a_client_with_an_active_plan_at_the_site_cannot_get_a_second_one() -> None:
    with pytest.raises(ActivePlanExists, match=SITE_ID):
        await open_for(active_plans=FakeActivePlans({(CLIENT_ID, SITE_ID)}))


async def test_a_client_with_an_active_plan_at_another_site_can_open_one_here() -> None:
    plan = await open_for(active_plans=FakeActivePlans({(CLIENT_ID, "S002")}))
    assert plan.header.site_id == SITE_ID


async def test_another_clients_active_plan_at_the_site_does_not_stand_in_the_way() -> None:
    plan = await open_for(active_plans=FakeActivePlans({(uuid.uuid4(), SITE_ID)}))
    assert plan.status is PlanStatus.OPEN


async def test_a_plan_can_be_opened_today_but_not_tomorrow() -> None:
    assert (await open_for(opened_on=TODAY)).header.opened_on == TODAY
    with pytest.raises(DateInFuture, match="opening date"):
        await open_for(opened_on=TODAY + timedelta(days=1))


@pytest.mark.parametrize("goal", ["", "   "])
async def test_a_plan_needs_a_goal(goal: str) -> None:
    with pytest.raises(GoalRequired):
        await open_for(goal=goal)


async def test_a_referral_in_at_opening_is_kept_on_the_plan() -> None:
    plan = await open_for(referred_in_from=ReferralCategory.GOVERNMENT_SERVICE)
    assert plan.header.referred_in_from is ReferralCategory.GOVERNMENT_SERVICE
    opened = plan.pending_events[0]
    assert isinstance(opened, ServicePlanOpened)
    assert opened.referred_in_from is ReferralCategory.GOVERNMENT_SERVICE


def test_a_stream_that_was_never_opened_refuses_every_command() -> None:
    plan = ServicePlan.rehydrate(str(PLAN_ID), [])
    with pytest.raises(PlanNotOpened):
        plan.add_item(PlanComponent.JMPI, added_on=OPENED_ON, today=TODAY)
    with pytest.raises(PlanNotOpened):
        plan.record_satisfaction(5, recorded_on=OPENED_ON, today=TODAY)
    assert plan.pending_events == []
