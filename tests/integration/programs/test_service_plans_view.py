"""Programs' view of caseload's plans, fed by its projection, on SQLite and PostgreSQL.

The projection is applied directly here (the bus path is in
``test_self_employment_bus``); the SQL views and the HTTP answers read it.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.database import create_engine
from contracts.caseload import PlanComponent, ReferralCategory, ReferralDirection
from services.programs.adapters.lookups import SqlSecondCareerReferrals, SqlSelfEmploymentPlans
from services.programs.domain import SecondCareerReferral
from tests.integration.programs.service import CASEWORKER, Programs, application
from tests.support.caseload_events import SyntheticPlan


@asynccontextmanager
async def engine_of(programs: Programs) -> AsyncIterator[AsyncEngine]:
    """An engine on the app's database, disposed afterwards."""
    engine = create_engine(programs.url)
    try:
        yield engine
    finally:
        await engine.dispose()


async def names_it(programs: Programs, plan: SyntheticPlan, site_id: str | None = None) -> bool:
    """What the SQL view answers for the plan (at its own site unless told)."""
    async with engine_of(programs) as engine:
        return await SqlSelfEmploymentPlans(engine).names_self_employment(
            plan.client_id, plan.plan_id, site_id or plan.site_id
        )


async def test_a_plan_opened_for_self_employment_is_known_to_name_it(programs: Programs) -> None:
    plan = SyntheticPlan()
    await programs.apply_caseload(plan.opened(self_employment=True))
    assert await names_it(programs, plan)


async def test_an_item_with_a_self_employment_sub_goal_makes_the_plan_name_it(
    programs: Programs,
) -> None:
    plan = SyntheticPlan()
    await programs.apply_caseload(plan.opened())
    assert not await names_it(programs, plan)
    await programs.apply_caseload(plan.item_added(PlanComponent.JOB_SEARCH))
    assert not await names_it(programs, plan)
    await programs.apply_caseload(plan.item_added(self_employment=True))
    assert await names_it(programs, plan)


async def test_a_closed_plan_another_site_another_client_or_an_unknown_plan_do_not_count(
    programs: Programs,
) -> None:
    closed, open_ = SyntheticPlan(), SyntheticPlan()
    await programs.apply_caseload(closed.opened(self_employment=True), closed.closed())
    await programs.apply_caseload(open_.opened(self_employment=True))
    assert not await names_it(programs, closed)
    assert not await names_it(programs, open_, site_id="S002")
    assert not await names_it(programs, SyntheticPlan(plan_id=open_.plan_id))
    assert not await names_it(programs, SyntheticPlan(client_id=open_.client_id))


async def test_the_view_is_the_same_whatever_the_order_and_however_often_events_arrive(
    programs: Programs,
) -> None:
    in_order, reversed_, twice = SyntheticPlan(), SyntheticPlan(), SyntheticPlan()
    for plan in (in_order, reversed_, twice):
        events = [plan.opened(), plan.item_added(self_employment=True)]
        if plan is reversed_:
            events.reverse()
        for event in events:
            await programs.apply_caseload(event)
        if plan is twice:
            await programs.apply_caseload(*events)
    assert [await names_it(programs, p) for p in (in_order, reversed_, twice)] == [True] * 3

    closed_first = SyntheticPlan()
    await programs.apply_caseload(closed_first.closed())
    await programs.apply_caseload(closed_first.opened(self_employment=True))
    assert not await names_it(programs, closed_first)


async def test_only_referrals_out_to_second_career_are_recorded_and_the_latest_is_found(
    programs: Programs,
) -> None:
    plan = SyntheticPlan()
    await programs.apply_caseload(
        plan.opened(),
        plan.referred_out(on=date(2012, 5, 10)),
        plan.referred_out(on=date(2012, 6, 10)),
        plan.referred_out(ReferralCategory.APPRENTICESHIP, on=date(2012, 6, 20)),
        plan.referred_out(direction=ReferralDirection.IN, on=date(2012, 6, 25)),
    )
    async with engine_of(programs) as engine:
        referrals = SqlSecondCareerReferrals(engine)
        latest = await referrals.latest(plan.client_id, "S001", date(2012, 7, 1))
        earlier = await referrals.latest(plan.client_id, "S001", date(2012, 6, 1))
        before_any = await referrals.latest(plan.client_id, "S001", date(2012, 5, 9))
        elsewhere = await referrals.latest(plan.client_id, "S002", date(2012, 7, 1))
    assert latest == SecondCareerReferral(plan.plan_id, "S001", date(2012, 6, 10))
    assert earlier == SecondCareerReferral(plan.plan_id, "S001", date(2012, 5, 10))
    assert before_any is None and elsewhere is None


async def test_an_application_shows_the_referral_it_came_from(programs: Programs) -> None:
    plan = SyntheticPlan()
    await programs.register_known(plan.client_id)
    await programs.apply_caseload(plan.opened(), plan.referred_out(on=date(2012, 5, 20)))
    referred = await programs.post(
        "/second-career/applications", application(plan.client_id), CASEWORKER
    )
    assert referred.status_code == 201, referred.text
    assert referred.json()["referral"] == {
        "plan_id": str(plan.plan_id),
        "site_id": "S001",
        "referred_on": "2012-05-20",
    }
    read = await programs.get(referred.headers["location"], CASEWORKER)
    assert read.json()["referral"] == referred.json()["referral"]

    direct = await programs.post(
        "/second-career/applications", application(await programs.register()), CASEWORKER
    )
    assert direct.status_code == 201, direct.text
    assert direct.json()["referral"] is None


async def test_seb_is_submitted_under_a_self_employment_plan_and_not_under_another(
    programs: Programs,
) -> None:
    plain, self_employment = SyntheticPlan(), SyntheticPlan()
    for plan in (plain, self_employment):
        await programs.register_known(plan.client_id)
    await programs.apply_caseload(plain.opened(), self_employment.opened(self_employment=True))

    def start(plan: SyntheticPlan) -> dict[str, object]:
        return {
            "client_id": str(plan.client_id),
            "site_id": plan.site_id,
            "plan_id": str(plan.plan_id),
            "starts_on": "2012-06-01",
            "submitted_on": "2012-05-25",
            "planned_weeks": 42,
            "ei_history": {"active_claim": True},
        }

    refused = await programs.post("/seb/participations", start(plain), CASEWORKER)
    assert refused.status_code == 422
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["type"] == "/problems/no-self-employment-plan"
    started = await programs.post("/seb/participations", start(self_employment), CASEWORKER)
    assert started.status_code == 201, started.text
    assert started.json()["plan_id"] == str(self_employment.plan_id)
    assert uuid.UUID(started.json()["participation_id"])
