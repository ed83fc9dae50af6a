"""The published language of EOCMS: event envelope, event schemas, topics.

Services depend on this package and on ``chassis``, never on each other. Every
event type has a stable wire name (``<context>.<PastTenseFact>``) and an
explicit schema version; breaking changes add a version plus an upcaster.
"""

from contracts.envelope import EventEnvelope, EventMetadata
from contracts.registry import (
    DEFAULT_REGISTRY,
    EventRegistry,
    EventSchema,
    UnknownEventType,
    UnknownSchemaVersion,
)

__all__ = [
    "DEFAULT_REGISTRY",
    "EventEnvelope",
    "EventMetadata",
    "EventRegistry",
    "EventSchema",
    "UnknownEventType",
    "UnknownSchemaVersion",
]
