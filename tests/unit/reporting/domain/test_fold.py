"""The fold from events to facts: keyed, order-insensitive, idempotent."""

from __future__ import annotations

import uuid
from datetime import date

from contracts.caseload import (
    FollowUpCheckpoint,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
)
from contracts.envelope import EventEnvelope
from contracts.intake import ClientProfileUpdated
from services.reporting.domain import ReportingFacts, StampedEvent, apply_event, fold_events
from tests.unit.reporting.builders import Journeys, client_id, plan_id

JS = PlanComponent.JOB_SEARCH


def journey() -> Journeys:
    j = Journeys()
    j.register("c", "S", date(2012, 4, 2), suitable=False)
    j.open("p", "c", "S", date(2012, 4, 2), referred_in_from=ReferralCategory.SECOND_CAREER)
    j.start("p", "c", "S", date(2012, 4, 3), JS)
    j.refer("p", "c", "S", date(2012, 4, 4), ReferralDirection.OUT)
    j.assess("c", date(2012, 4, 5), suitable=True)
    j.close("p", "c", "S", date(2012, 5, 1), Outcome.EMPLOYED_FULL_TIME, [JS], rating=4)
    return j


def test_a_journey_folds_into_one_client_fact_and_one_plan_fact() -> None:
    facts = fold_events(journey().events)
    client = facts.clients[client_id("c")]
    plan = facts.plans[plan_id("p")]
    assert (client.site_id, client.suitable, client.suitability_count) == ("S", True, 3)
    assert client.eligible is True
    assert (plan.opened_on, plan.closed_on) == (date(2012, 4, 2), date(2012, 5, 1))
    assert plan.outcome is Outcome.EMPLOYED_FULL_TIME
    assert plan.assisted_participant
    assert plan.satisfaction_rating == 4
    assert [(r.direction, r.referred_on) for r in plan.referrals] == [
        (ReferralDirection.IN, date(2012, 4, 2)),
        (ReferralDirection.OUT, date(2012, 4, 4)),
    ]


def test_caseload_events_before_the_intake_events_are_not_lost() -> None:
    events = journey().events
    intake_first = [e for e in events if "intake" in e.payload.event_type] + [
        e for e in events if "caseload" in e.payload.event_type
    ]
    caseload_first = [e for e in events if "caseload" in e.payload.event_type] + [
        e for e in events if "intake" in e.payload.event_type
    ]
    assert fold_events(caseload_first) == fold_events(intake_first) == fold_events(events)


def test_re_applying_an_event_changes_nothing() -> None:
    events = journey().events
    facts = fold_events(events)
    for event in events:
        assert apply_event(facts, event) == facts


def test_a_late_duplicate_of_an_older_assessment_does_not_undo_the_newer_one() -> None:
    events = journey().events
    first_assessment = next(
        e for e in events if e.payload.event_type == "intake.SuitabilityAssessed"
    )
    facts = apply_event(fold_events(events), first_assessment)
    assert facts.clients[client_id("c")].suitable is True


def test_a_follow_up_arriving_before_its_plan_was_seen_is_kept() -> None:
    j = Journeys()
    j.follow_up(
        "p", "c", "S", date(2012, 8, 1), FollowUpCheckpoint.THREE_MONTHS, Outcome.UNEMPLOYED
    )
    facts = fold_events(j.events)
    assert facts.plans[plan_id("p")].follow_ups == {3: Outcome.UNEMPLOYED}
    assert facts.plans[plan_id("p")].site_id == "S"


def test_events_reporting_does_not_use_leave_the_facts_unchanged() -> None:
    j = Journeys()
    update = ClientProfileUpdated(
        client_id=client_id("c"), updated_on=date(2012, 6, 1), months_out_of_work=9
    )
    event = j.record("client:c", date(2012, 6, 1), update)
    assert apply_event(ReportingFacts(), event) == ReportingFacts()


def test_an_envelope_from_the_bus_decodes_into_the_event_the_fold_takes() -> None:
    event = journey().events[0]
    envelope = EventEnvelope(
        event_id=event.event_id,
        event_type=event.payload.event_type,
        schema_version=event.payload.schema_version,
        stream_id="client:c",
        stream_version=event.stream_version,
        occurred_at=event.occurred_at,
        recorded_at=event.occurred_at,
        correlation_id=uuid.uuid4(),
        actor="intake",
        payload=event.payload.model_dump(mode="json"),
    )
    assert StampedEvent.from_envelope(envelope) == event
