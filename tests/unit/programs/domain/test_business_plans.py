"""ES business plans: submitted, revised before approval only, approved; commitments checked."""

from __future__ import annotations

from datetime import date

import pytest

from contracts.programs import BusinessPlanApproved, BusinessPlanCommitments
from services.programs.domain import (
    BusinessPlanApprovedAlready,
    BusinessPlanStatus,
    ContinuousImprovementRequired,
    DateOutOfOrder,
    MissingCommitments,
    NegativeCount,
    PercentOutOfRange,
    UnknownMeasures,
    WrongRuleBook,
    business_plan_stream_id,
)
from tests.unit.programs.domain.builders import (
    CORE,
    SITE_ID,
    TODAY,
    commitments,
    rulebook,
    submitted_plan,
)

REVISED_ON = date(2012, 3, 25)
APPROVED_ON = date(2012, 3, 30)


def test_a_submitted_plan_is_revision_1_of_the_site_and_year_stream() -> None:
    plan = submitted_plan()
    assert plan.id == business_plan_stream_id(SITE_ID, "2012-13") == "business-plan:S001:2012-13"
    assert (plan.status, plan.revision, plan.fiscal_year) == (
        BusinessPlanStatus.SUBMITTED,
        1,
        "2012-13",
    )


def test_a_revision_replaces_the_commitments_and_counts_up() -> None:
    plan = submitted_plan()
    plan.revise(
        commitments(planned_assisted_clients=450),
        revised_on=REVISED_ON,
        today=TODAY,
        rulebook=rulebook(),
    )
    assert plan.revision == 2
    assert plan.commitments is not None
    assert plan.commitments.planned_assisted_clients == 450


def test_approval_publishes_the_approved_commitments_for_reporting() -> None:
    plan = submitted_plan()
    plan.revise(
        commitments(planned_assisted_clients=450),
        revised_on=REVISED_ON,
        today=TODAY,
        rulebook=rulebook(),
    )
    plan.approve(approved_on=APPROVED_ON, today=TODAY)
    assert plan.status is BusinessPlanStatus.APPROVED
    assert plan.pending_events[-1] == BusinessPlanApproved(
        site_id=SITE_ID,
        fiscal_year="2012-13",
        revision=2,
        commitments=BusinessPlanCommitments(
            core_measures=CORE,
            planned_assisted_clients=450,
            planned_ri_clients=3000,
            continuous_improvement={"client_impact": 75.0},
        ),
        approved_on=APPROVED_ON,
    )


def test_revising_an_approved_plan_is_refused() -> None:
    plan = submitted_plan()
    plan.approve(approved_on=APPROVED_ON, today=TODAY)
    with pytest.raises(
        BusinessPlanApprovedAlready, match="S001's 2012-13 business plan is approved: cannot revise"
    ):
        plan.revise(commitments(), revised_on=date(2012, 4, 2), today=TODAY, rulebook=rulebook())


def test_a_plan_is_approved_once() -> None:
    plan = submitted_plan()
    plan.approve(approved_on=APPROVED_ON, today=TODAY)
    with pytest.raises(BusinessPlanApprovedAlready, match="cannot approve it again"):
        plan.approve(approved_on=APPROVED_ON, today=TODAY)


def test_an_approval_cannot_predate_the_last_revision() -> None:
    plan = submitted_plan()
    plan.revise(commitments(), revised_on=REVISED_ON, today=TODAY, rulebook=rulebook())
    with pytest.raises(DateOutOfOrder):
        plan.approve(approved_on=date(2012, 3, 24), today=TODAY)


def test_a_revision_uses_the_rule_book_of_the_plan_year() -> None:
    with pytest.raises(WrongRuleBook):
        submitted_plan().revise(
            commitments(), revised_on=REVISED_ON, today=TODAY, rulebook=rulebook("2013-14")
        )


@pytest.mark.parametrize("value", [0.0, 100.0])
def test_commitments_of_0_and_100_percent_are_allowed(value: float) -> None:
    plan = submitted_plan(commitments=commitments(core_measures={**CORE, "client_impact": value}))
    assert plan.commitments is not None
    assert plan.commitments.core_measures["client_impact"] == value


@pytest.mark.parametrize("value", [-0.1, 100.1, float("nan")])
def test_a_commitment_outside_0_to_100_percent_is_refused(value: float) -> None:
    with pytest.raises(PercentOutOfRange, match=r"client_impact: .* is not a percentage"):
        submitted_plan(commitments=commitments(core_measures={**CORE, "client_impact": value}))


def test_a_continuous_improvement_target_outside_0_to_100_is_refused() -> None:
    with pytest.raises(PercentOutOfRange):
        submitted_plan(commitments=commitments(continuous_improvement={"client_impact": 120.0}))


@pytest.mark.parametrize("field", ["planned_assisted_clients", "planned_ri_clients"])
def test_a_negative_planned_count_is_refused_and_zero_is_allowed(field: str) -> None:
    assert submitted_plan(commitments=commitments(**{field: 0}))
    with pytest.raises(NegativeCount, match=f"{field} must be zero or more, not -1"):
        submitted_plan(commitments=commitments(**{field: -1}))


def test_a_commitment_to_an_unknown_measure_is_refused() -> None:
    with pytest.raises(UnknownMeasures, match=r"unknown measure.*customer_delight"):
        submitted_plan(commitments=commitments(core_measures={**CORE, "customer_delight": 90.0}))


def test_every_core_measure_needs_a_commitment() -> None:
    core = {k: v for k, v in CORE.items() if k != "service_efficiency"}
    with pytest.raises(MissingCommitments, match="no commitment for service_efficiency"):
        submitted_plan(commitments=commitments(core_measures=core))


def test_continuous_improvement_must_name_known_measure_ids() -> None:
    with pytest.raises(UnknownMeasures, match="continuous improvement commitments name unknown"):
        submitted_plan(commitments=commitments(continuous_improvement={"wait_times": 10.0}))


def test_from_2012_13_a_plan_needs_a_continuous_improvement_commitment() -> None:
    with pytest.raises(ContinuousImprovementRequired, match="a 2012-13 business plan must"):
        submitted_plan(commitments=commitments(continuous_improvement={}))


def test_before_2012_13_a_plan_may_have_no_continuous_improvement_commitment() -> None:
    plan = submitted_plan(
        commitments=commitments(continuous_improvement={}), rulebook=rulebook("2011-12")
    )
    assert plan.fiscal_year == "2011-12"
