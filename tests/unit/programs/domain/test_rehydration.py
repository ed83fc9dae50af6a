"""Each program aggregate rebuilt from its stored events equals the live one that recorded them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from chassis.aggregate import Aggregate
from contracts.registry import DEFAULT_REGISTRY
from services.programs.domain import (
    BusinessPlan,
    JcpProject,
    SebParticipation,
    SecondCareerApplication,
)
from tests.unit.programs.domain.builders import (
    CLIENT_ID,
    OTHER_CLIENT_ID,
    TODAY,
    commitments,
    place,
    project,
    rulebook,
    seb,
    submitted_plan,
    training_application,
)


def a_second_career_life() -> SecondCareerApplication:
    application = training_application()
    application.complete_training(completed_on=date(2013, 8, 30), today=TODAY)
    return application


def a_jcp_life() -> JcpProject:
    jcp = project()
    place(jcp)
    place(jcp, OTHER_CLIENT_ID)
    jcp.complete_participation(CLIENT_ID, completed_on=date(2013, 3, 29), today=TODAY)
    return jcp


def an_seb_life() -> SebParticipation:
    participation = seb()
    participation.complete(completed_on=date(2013, 7, 1), today=TODAY)
    return participation


def a_business_plan_life() -> BusinessPlan:
    plan = submitted_plan()
    plan.revise(
        commitments(planned_ri_clients=2500),
        revised_on=date(2012, 3, 20),
        today=TODAY,
        rulebook=rulebook(),
    )
    plan.approve(approved_on=date(2012, 3, 30), today=TODAY)
    return plan


LIVES: list[Callable[[], Aggregate]] = [
    a_second_career_life,
    a_jcp_life,
    an_seb_life,
    a_business_plan_life,
]


def state_of(aggregate: Aggregate) -> dict[str, Any]:
    """Every attribute except the pending events and texts, for comparing live and rehydrated."""
    return {k: v for k, v in vars(aggregate).items() if k not in ("_pending", "_pending_texts")}


@pytest.mark.parametrize("life", LIVES)
def test_a_rehydrated_aggregate_equals_the_live_one(life: Callable[[], Aggregate]) -> None:
    live = life()
    history, texts = live.pending_events, live.pending_texts
    live.mark_saved()
    assert state_of(type(live).rehydrate(live.id, history, texts)) == state_of(live)


@pytest.mark.parametrize("life", LIVES)
def test_an_aggregate_rehydrated_from_json_equals_the_live_one(
    life: Callable[[], Aggregate],
) -> None:
    live = life()
    stored = [
        (e.event_type, e.schema_version, e.model_dump(mode="json")) for e in live.pending_events
    ]
    texts = live.pending_texts
    live.mark_saved()
    history = [DEFAULT_REGISTRY.decode(*row) for row in stored]
    assert state_of(type(live).rehydrate(live.id, history, texts)) == state_of(live)


def test_a_rehydrated_application_carries_on_from_its_stream_version() -> None:
    live = training_application()
    application = SecondCareerApplication.rehydrate(live.id, live.pending_events)
    application.complete_training(completed_on=date(2013, 8, 30), today=TODAY)
    assert (application.expected_version, len(application.pending_events)) == (3, 1)
