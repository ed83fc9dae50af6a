"""The programs contract: wire names, topic, bus keys, no direct identifiers, valid payloads."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.programs import (
    BusinessPlanApproved,
    BusinessPlanCommitments,
    BusinessPlanRevised,
    BusinessPlanSubmitted,
    DenialReason,
    JcpParticipantPlaced,
    JcpParticipationCompleted,
    JcpProjectApproved,
    JcpProjectCreated,
    JcpProjectDenied,
    SebParticipationApproved,
    SebParticipationCompleted,
    SebParticipationDenied,
    SebParticipationStarted,
    SebParticipationSubmitted,
    SecondCareerApplicationApproved,
    SecondCareerApplicationDenied,
    SecondCareerApplicationSubmitted,
    SecondCareerApplicationWithdrawn,
    SecondCareerTrainingCompleted,
    SecondCareerTrainingStarted,
    SponsorType,
)
from contracts.registry import DEFAULT_REGISTRY, EventSchema
from contracts.topics import PROGRAMS_EVENTS, topic_for_event_type

CLIENT_ID = uuid.uuid4()
STREAM_ID = uuid.uuid4()
DAY = date(2012, 6, 1)
SC: dict[str, Any] = {"client_id": CLIENT_ID, "application_id": STREAM_ID, "site_id": "S001"}
JCP: dict[str, Any] = {"project_id": STREAM_ID, "site_id": "S001"}
SEB: dict[str, Any] = {"client_id": CLIENT_ID, "participation_id": STREAM_ID, "site_id": "S001"}
COMMITMENTS = BusinessPlanCommitments(
    core_measures={"service_efficiency": 90.0},
    planned_assisted_clients=420,
    planned_ri_clients=3000,
    continuous_improvement={"client_impact": 75.0},
)
PLAN: dict[str, Any] = {
    "site_id": "S001",
    "fiscal_year": "2012-13",
    "revision": 1,
    "commitments": COMMITMENTS,
}

CLIENT_EVENTS: list[EventSchema] = [
    SecondCareerApplicationSubmitted(
        **SC,
        training_weeks=40,
        academic_upgrading_weeks=0,
        requested_costs_cents={"tuition": 700000},
        submitted_on=DAY,
    ),
    SecondCareerApplicationApproved(
        **SC,
        approved_costs_cents={"tuition": 700000},
        client_contribution_cents=0,
        total_approved_cents=700000,
        approved_on=DAY,
    ),
    SecondCareerApplicationDenied(**SC, reason=DenialReason.NOT_ELIGIBLE, denied_on=DAY),
    SecondCareerTrainingStarted(**SC, started_on=DAY),
    SecondCareerTrainingCompleted(**SC, completed_on=DAY),
    SecondCareerApplicationWithdrawn(**SC, withdrawn_on=DAY),
    JcpParticipantPlaced(**JCP, client_id=CLIENT_ID, placed_on=DAY, expected_end_on=DAY),
    JcpParticipationCompleted(**JCP, client_id=CLIENT_ID, completed_on=DAY),
    SebParticipationSubmitted(
        **SEB, plan_id=uuid.uuid4(), starts_on=DAY, planned_weeks=42, submitted_on=DAY
    ),
    SebParticipationApproved(**SEB, approved_on=DAY),
    SebParticipationDenied(**SEB, reason=DenialReason.NOT_ELIGIBLE, denied_on=DAY),
    SebParticipationStarted(**SEB, plan_id=uuid.uuid4(), started_on=DAY, planned_weeks=42),
    SebParticipationCompleted(**SEB, completed_on=DAY),
]
OTHER_EVENTS: list[EventSchema] = [
    JcpProjectCreated(
        **JCP,
        sponsor_type=SponsorType.NON_PROFIT,
        starts_on=DAY,
        ends_on=DAY,
    ),
    JcpProjectApproved(**JCP, approved_on=DAY),
    JcpProjectDenied(**JCP, reason=DenialReason.FUNDING_NOT_AVAILABLE, denied_on=DAY),
    BusinessPlanSubmitted(**PLAN, submitted_on=DAY),
    BusinessPlanRevised(**PLAN, revised_on=DAY),
    BusinessPlanApproved(**PLAN, approved_on=DAY),
]
ALL_EVENTS = [*CLIENT_EVENTS, *OTHER_EVENTS]
DIRECT_IDENTIFIERS = ("name", "birth", "sin", "email", "phone", "address", "postal")


WITHOUT_FREE_TEXT_SINCE_V2 = {
    SecondCareerApplicationSubmitted,
    SecondCareerApplicationDenied,
    JcpProjectCreated,
}


def test_every_programs_event_is_registered_by_its_wire_name_at_its_latest_version() -> None:
    assert len({type(event) for event in ALL_EVENTS}) == 19
    for event in ALL_EVENTS:
        assert event.event_type == f"programs.{type(event).__name__}"
        assert event.schema_version == (2 if type(event) in WITHOUT_FREE_TEXT_SINCE_V2 else 1)
        assert DEFAULT_REGISTRY.latest_version(event.event_type) == event.schema_version
        assert DEFAULT_REGISTRY.model(event.event_type, event.schema_version) is type(event)


def test_programs_events_are_published_on_the_programs_topic() -> None:
    assert {topic_for_event_type(event.event_type) for event in ALL_EVENTS} == {PROGRAMS_EVENTS}


def test_events_about_a_client_are_keyed_on_the_bus_by_the_client() -> None:
    for event in CLIENT_EVENTS:
        assert event.partition_key(str(STREAM_ID)) == str(CLIENT_ID)


def test_projects_and_business_plans_name_no_client_and_are_keyed_by_their_stream() -> None:
    for event in OTHER_EVENTS:
        assert "client_id" not in type(event).model_fields
        assert event.partition_key("stream") == "stream"


def test_no_programs_event_has_a_field_for_a_direct_identifier() -> None:
    for event in ALL_EVENTS:
        for field in type(event).model_fields:
            if field == "sponsor_name":
                continue  # an organisation, never a person
            assert not any(word in field for word in DIRECT_IDENTIFIERS), field


def test_every_programs_event_survives_a_json_round_trip_through_the_registry() -> None:
    for event in ALL_EVENTS:
        payload = event.model_dump(mode="json")
        decoded = DEFAULT_REGISTRY.decode(event.event_type, event.schema_version, payload)
        assert decoded == event


def test_an_approval_whose_total_is_not_the_sum_of_its_amounts_is_invalid() -> None:
    with pytest.raises(ValidationError, match="must equal the sum"):
        SecondCareerApplicationApproved(
            **SC,
            approved_costs_cents={"tuition": 700000},
            client_contribution_cents=0,
            total_approved_cents=700001,
            approved_on=DAY,
        )


def test_a_project_ending_before_it_starts_is_invalid() -> None:
    with pytest.raises(ValidationError, match="ends_on must not be before starts_on"):
        JcpProjectCreated(
            **JCP,
            sponsor_name="Trail Trust",
            sponsor_type=SponsorType.NON_PROFIT,
            title="Trails",
            starts_on=DAY,
            ends_on=date(2012, 5, 31),
        )


@pytest.mark.parametrize("percent", [-1.0, 100.5])
def test_a_commitment_outside_0_to_100_percent_is_invalid_on_the_wire(percent: float) -> None:
    with pytest.raises(ValidationError):
        BusinessPlanCommitments(
            core_measures={"client_impact": percent},
            planned_assisted_clients=1,
            planned_ri_clients=1,
        )


def test_a_cost_category_must_be_a_rule_book_slug() -> None:
    with pytest.raises(ValidationError, match="should match pattern"):
        SecondCareerApplicationApproved(
            **SC,
            approved_costs_cents={"Tuition Fees": 1},
            client_contribution_cents=0,
            total_approved_cents=1,
            approved_on=DAY,
        )
