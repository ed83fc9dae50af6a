"""Kafka topic names: one events topic per publishing context, one DLQ per consumer group."""

from __future__ import annotations

INTAKE_EVENTS = "eocms.intake.events"
CASELOAD_EVENTS = "eocms.caseload.events"
PROGRAMS_EVENTS = "eocms.programs.events"

EVENT_TOPICS: dict[str, str] = {
    "intake": INTAKE_EVENTS,
    "caseload": CASELOAD_EVENTS,
    "programs": PROGRAMS_EVENTS,
}


def topic_for_event_type(event_type: str) -> str:
    """The topic an event type is published on, from its context prefix."""
    context, _, name = event_type.partition(".")
    if not name or context not in EVENT_TOPICS:
        raise ValueError(f"event type {event_type!r} names no known context")
    return EVENT_TOPICS[context]


def dead_letter_topic(topic: str, group_id: str) -> str:
    """The dead-letter topic of one consumer group reading one topic."""
    return f"{topic}.dlq.{group_id}"
