"""Compliance flags: follow-ups due and missed, inactive plans, low response rates, no plan."""

from __future__ import annotations

from datetime import date

from contracts.caseload import FollowUpCheckpoint, Outcome, PlanComponent, ReferralDirection
from contracts.rulebook import load_rulebook
from services.reporting.domain import BusinessPlanCommitment, fold_events
from services.reporting.domain.compliance import add_months, site_compliance
from tests.unit.reporting.builders import Journeys, plan_id

RULEBOOK = load_rulebook("2012-13")  # inactivity_days 90, response-rate gate 15%
JS, JMPI = PlanComponent.JOB_SEARCH, PlanComponent.JMPI


def journeys() -> Journeys:
    j = Journeys()
    # exited 2012-04-30: 3 months falls 2012-07-30, 6 months 2012-10-30, 12 months 2013-04-30
    j.register("f", "S", date(2012, 4, 2), suitable=True)
    j.open("f", "f", "S", date(2012, 4, 2))
    j.close("f", "f", "S", date(2012, 4, 30), Outcome.EMPLOYED_FULL_TIME, [JS], rating=5)
    j.follow_up("f", "f", "S", date(2012, 7, 30), FollowUpCheckpoint.THREE_MONTHS,
                Outcome.EMPLOYED_FULL_TIME)  # fmt: skip
    # open since 2012-05-01, a referral 2012-06-15: idle 91 days on 2012-09-14
    j.register("idle", "S", date(2012, 5, 1), suitable=True)
    j.open("idle", "idle", "S", date(2012, 5, 1))
    j.refer("idle", "idle", "S", date(2012, 6, 15), ReferralDirection.OUT)
    # six assisted exits, none rated: response rate 0% (JMPI 0 of 6)
    for n in range(6):
        name = f"u{n}"
        j.register(name, "S", date(2012, 4, 3), suitable=True)
        j.open(name, name, "S", date(2012, 4, 3))
        j.close(name, name, "S", date(2012, 9, 1), Outcome.UNEMPLOYED, [JMPI])
    return j


def compliance(as_of: date, *, with_plan: bool = False):
    facts = fold_events(journeys().events)
    if with_plan:
        facts = facts.with_commitment(
            BusinessPlanCommitment(site_id="S", fiscal_year="2012-13", planned_assisted_clients=9)
        )
    return site_compliance(facts, "S", as_of, RULEBOOK)


def test_a_follow_up_is_due_from_its_day_and_missed_after_the_grace_days() -> None:
    assert add_months(date(2012, 1, 31), 1) == date(2012, 2, 29)
    before = compliance(date(2012, 10, 29))
    assert [(f.plan_id, f.checkpoint) for f in before.follow_ups] == []  # 3 months recorded
    due = compliance(date(2012, 10, 30))
    assert [(f.plan_id, f.checkpoint, f.missed) for f in due.follow_ups] == [
        (plan_id("f"), 6, False)
    ]
    assert (due.follow_ups_due, due.follow_ups_missed) == (1, 0)
    assert compliance(date(2012, 11, 29)).follow_ups_missed == 0  # 30 days of grace
    missed = compliance(date(2012, 11, 30))
    assert (missed.follow_ups_due, missed.follow_ups_missed) == (0, 1)


def test_an_open_plan_is_flagged_after_the_rule_book_s_days_without_activity() -> None:
    assert RULEBOOK.inactivity_days == 90
    assert [p.plan_id for p in compliance(date(2012, 9, 13)).inactive_plans] == []
    (flag,) = compliance(date(2012, 9, 14)).inactive_plans
    assert (flag.plan_id, flag.last_activity_on, flag.days_without_activity) == (
        plan_id("idle"),
        date(2012, 6, 15),
        91,
    )


def test_survey_response_rates_under_15_percent_are_flagged_per_component() -> None:
    flagged = compliance(date(2012, 9, 30)).low_response_rates
    # f rated (1 of 7 assisted exits overall = 14.3% < 15%); JMPI 0 of 6; Job Search 1 of 1
    assert [(r.scope, r.responded, r.exited) for r in flagged] == [("all", 1, 7), ("jmpi", 0, 6)]


def test_a_site_without_an_approved_business_plan_is_flagged() -> None:
    assert compliance(date(2012, 9, 30)).business_plan_missing
    assert not compliance(date(2012, 9, 30), with_plan=True).business_plan_missing
