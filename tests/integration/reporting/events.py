"""The domain's hand-built scenario as the projection runner hands it over: decoded events."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from chassis.consumer import DecodedEvent, RecordPosition
from contracts.envelope import EventEnvelope
from contracts.programs import BusinessPlanApproved, BusinessPlanCommitments
from contracts.registry import EventSchema
from contracts.topics import CASELOAD_EVENTS, INTAKE_EVENTS, PROGRAMS_EVENTS
from services.reporting.domain import (
    BusinessPlanCommitment,
    ReportingFacts,
    StampedEvent,
    fold_events,
)
from tests.unit.reporting.scenario import COMMITMENTS, scenario_journeys


def decoded(
    payload: EventSchema,
    *,
    topic: str,
    stream: str,
    version: int,
    occurred_at: datetime,
    event_id: uuid.UUID | None = None,
) -> DecodedEvent:
    """One event with its envelope, as consumed from ``topic``."""
    envelope = EventEnvelope(
        event_id=event_id or uuid.uuid4(),
        event_type=payload.event_type,
        schema_version=payload.schema_version,
        stream_id=stream,
        stream_version=version,
        occurred_at=occurred_at,
        recorded_at=occurred_at,
        correlation_id=uuid.uuid4(),
        actor="test",
        payload=payload.model_dump(mode="json"),
    )
    return DecodedEvent(envelope, payload, RecordPosition(topic, 0, version))


def from_recorded(event: StampedEvent) -> DecodedEvent:
    """A builder's recorded event as the runner hands it over (topic by the payload's key)."""
    payload = event.payload
    plan_id = getattr(payload, "plan_id", None)
    topic = CASELOAD_EVENTS if plan_id else INTAKE_EVENTS
    stream = f"plan-{plan_id}" if plan_id else f"client-{payload.client_id}"  # type: ignore[attr-defined]
    return decoded(
        payload,
        topic=topic,
        stream=stream,
        version=event.stream_version,
        occurred_at=event.occurred_at,
        event_id=event.event_id,
    )


def approval(commitment: BusinessPlanCommitment, *, revision: int = 1) -> DecodedEvent:
    """The ``BusinessPlanApproved`` event whose commitments reporting maps to ``commitment``."""
    payload = BusinessPlanApproved(
        site_id=commitment.site_id,
        fiscal_year=commitment.fiscal_year,
        revision=revision,
        approved_on=date(2012, 3, 15),
        commitments=BusinessPlanCommitments(
            core_measures={k: float(v * 100) for k, v in commitment.measure_commitments.items()},
            planned_assisted_clients=commitment.planned_assisted_clients,
            planned_ri_clients=100,
            continuous_improvement={
                k: float(v * 100) for k, v in commitment.improvement_commitments.items()
            },
        ),
    )
    return decoded(
        payload,
        topic=PROGRAMS_EVENTS,
        stream=f"business-plan-{commitment.site_id}-{commitment.fiscal_year}",
        version=revision,
        occurred_at=datetime(2012, 3, 15, 12, revision, tzinfo=UTC),
    )


def scenario() -> tuple[list[DecodedEvent], ReportingFacts]:
    """Every event of the scenario (intake, caseload, programs) and the facts the domain folds.

    Event ids are random per call: keep one call's events to redeliver them.
    """
    recorded = scenario_journeys().events
    facts = fold_events(recorded)
    for commitment in COMMITMENTS:
        facts = facts.with_commitment(commitment)
    events = [from_recorded(event) for event in recorded]
    return [*events, *(approval(c) for c in COMMITMENTS)], facts
