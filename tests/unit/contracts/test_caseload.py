"""The caseload contract: wire names, bus keys, outcome groups, assisted participants."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from contracts.caseload import (
    OUTCOME_GROUPS,
    FollowUpCheckpoint,
    FollowUpRecorded,
    Outcome,
    OutcomeGroup,
    PlanComponent,
    PlanItemAdded,
    ReferralCategory,
    ReferralDirection,
    ReferralRecorded,
    ResourceAndInformationCounts,
    ResourceAndInformationReported,
    SatisfactionRecorded,
    ServiceCompleted,
    ServicePlanClosed,
    ServicePlanOpened,
    ServiceStarted,
    is_assisted_participant,
)
from contracts.registry import DEFAULT_REGISTRY, EventSchema
from contracts.topics import CASELOAD_EVENTS, topic_for_event_type

CLIENT_ID = uuid.uuid4()
PLAN_ID = uuid.uuid4()
KEYS: dict[str, Any] = {"client_id": CLIENT_ID, "plan_id": PLAN_ID, "site_id": "S001"}
DAY = date(2012, 6, 1)

PLAN_EVENTS: list[EventSchema] = [
    ServicePlanOpened(**KEYS, opened_on=DAY, referred_in_from=ReferralCategory.SECOND_CAREER),
    PlanItemAdded(**KEYS, component=PlanComponent.JMPI, added_on=DAY),
    ServiceStarted(**KEYS, component=PlanComponent.JMPI, started_on=DAY),
    ServiceCompleted(**KEYS, component=PlanComponent.JMPI, completed_on=DAY),
    ReferralRecorded(
        **KEYS,
        direction=ReferralDirection.OUT,
        category=ReferralCategory.LITERACY_AND_BASIC_SKILLS,
        referred_on=DAY,
    ),
    ServicePlanClosed(
        **KEYS,
        exit_date=DAY,
        outcome=Outcome.IN_TRAINING,
        components_received=[PlanComponent.CSPC, PlanComponent.JMPI],
    ),
    SatisfactionRecorded(**KEYS, rating=4, recorded_on=DAY),
    FollowUpRecorded(
        **KEYS,
        checkpoint=FollowUpCheckpoint.THREE_MONTHS,
        outcome=Outcome.EMPLOYED_PART_TIME,
        recorded_on=DAY,
    ),
]
R_AND_I = ResourceAndInformationReported(
    site_id="S001",
    month="2012-09",
    revision=1,
    reported_on=date(2012, 10, 2),
    counts=ResourceAndInformationCounts(
        participants=412,
        information_sessions=9,
        information_session_attendees=130,
        satisfaction_responses=60,
        satisfied_responses=52,
        wait_list=3,
    ),
)
ALL_EVENTS = [*PLAN_EVENTS, R_AND_I]
DIRECT_IDENTIFIERS = ("name", "birth", "sin", "email", "phone", "address", "postal")


WITHOUT_FREE_TEXT_SINCE_V2 = {ServicePlanOpened, PlanItemAdded}


def test_every_caseload_event_is_registered_by_its_wire_name_at_its_latest_version() -> None:
    for event in ALL_EVENTS:
        name = type(event).__name__
        assert event.event_type == f"caseload.{name}"
        assert event.schema_version == (2 if type(event) in WITHOUT_FREE_TEXT_SINCE_V2 else 1)
        assert DEFAULT_REGISTRY.latest_version(event.event_type) == event.schema_version
        assert DEFAULT_REGISTRY.model(event.event_type, event.schema_version) is type(event)


def test_caseload_events_are_published_on_the_caseload_topic() -> None:
    assert {topic_for_event_type(event.event_type) for event in ALL_EVENTS} == {CASELOAD_EVENTS}


def test_plan_events_are_keyed_on_the_bus_by_their_client() -> None:
    for event in PLAN_EVENTS:
        assert event.partition_key(str(PLAN_ID)) == str(CLIENT_ID)


def test_the_resource_and_information_report_names_no_client_and_is_keyed_by_its_stream() -> None:
    assert "client_id" not in type(R_AND_I).model_fields
    assert R_AND_I.partition_key("resource-and-information:S001:2012-09").endswith("2012-09")


def test_no_caseload_event_has_a_field_for_a_direct_identifier() -> None:
    for event in ALL_EVENTS:
        for field in type(event).model_json_schema()["properties"]:
            assert not any(word in field for word in DIRECT_IDENTIFIERS), field


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda event: type(event).__name__)
def test_every_caseload_event_survives_the_trip_through_json_and_the_registry(
    event: EventSchema,
) -> None:
    payload = event.model_dump(mode="json")
    assert DEFAULT_REGISTRY.decode(event.event_type, event.schema_version, payload) == event


@pytest.mark.parametrize("rating", [0, 6])
def test_the_contract_itself_refuses_a_rating_outside_1_to_5(rating: int) -> None:
    with pytest.raises(ValidationError):
        SatisfactionRecorded(**KEYS, rating=rating, recorded_on=DAY)


def test_the_contract_refuses_a_malformed_month() -> None:
    with pytest.raises(ValidationError):
        R_AND_I.model_validate(R_AND_I.model_dump() | {"month": "2012-13"})


def test_client_impact_counts_employed_education_and_training_outcomes_only() -> None:
    counted = {outcome for outcome in Outcome if outcome.counts_for_client_impact}
    assert counted == (
        Outcome.in_group(OutcomeGroup.EMPLOYED) | {Outcome.IN_EDUCATION, Outcome.IN_TRAINING}
    )
    assert Outcome.in_group(OutcomeGroup.OTHER) == {
        Outcome.INDEPENDENT,
        Outcome.UNABLE_TO_WORK,
        Outcome.UNEMPLOYED,
        Outcome.VOLUNTEER,
        Outcome.UNKNOWN,
    }


def test_every_employed_kind_is_subtotalled_as_employed_even_with_education_or_training() -> None:
    employed = Outcome.in_group(OutcomeGroup.EMPLOYED)
    assert len(employed) == 8
    assert {Outcome.EMPLOYED_AND_IN_EDUCATION, Outcome.EMPLOYED_AND_IN_TRAINING} <= employed
    assert Outcome.in_group(OutcomeGroup.EDUCATION) == {Outcome.IN_EDUCATION}
    assert Outcome.in_group(OutcomeGroup.TRAINING) == {Outcome.IN_TRAINING}


def test_the_outcome_list_is_the_one_in_the_domain_reference() -> None:
    assert len(Outcome) == 15
    assert Outcome("employed-in-professional-occupation-or-trade").group is OutcomeGroup.EMPLOYED


@pytest.mark.parametrize(
    "component",
    [PlanComponent.JOB_SEARCH, PlanComponent.JMPI, PlanComponent.JOB_TRAINING_RETENTION],
)
def test_job_search_jmpi_or_retention_makes_an_assisted_participant(
    component: PlanComponent,
) -> None:
    assert is_assisted_participant([PlanComponent.CSPC, component])


def test_planning_and_an_employment_service_plan_alone_make_no_assisted_participant() -> None:
    assert not is_assisted_participant([PlanComponent.CSPC, PlanComponent.EMPLOYMENT_SERVICE_PLAN])
    assert not is_assisted_participant([])


def test_referral_categories_say_which_are_other_eo_programs() -> None:
    eo_programs = {category for category in ReferralCategory if category.is_eo_program}
    assert eo_programs == {
        ReferralCategory.SECOND_CAREER,
        ReferralCategory.LITERACY_AND_BASIC_SKILLS,
        ReferralCategory.APPRENTICESHIP,
        ReferralCategory.OTHER_EO_PROGRAM,
    }


def test_follow_up_checkpoints_are_3_6_and_12_months_on_the_wire() -> None:
    assert [checkpoint.months for checkpoint in FollowUpCheckpoint] == [3, 6, 12]
    assert PLAN_EVENTS[-1].model_dump(mode="json")["checkpoint"] == 3


def test_every_outcome_has_a_group() -> None:
    assert set(OUTCOME_GROUPS) == set(Outcome)
