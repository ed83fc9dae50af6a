"""Loading an aggregate for a command: it must exist and be at the version the caller saw."""

from __future__ import annotations

from typing import TypeVar
from uuid import UUID

from chassis.aggregate import Aggregate
from chassis.eventstore import ConcurrencyConflict
from services.programs.app.errors import ResourceMissing

A = TypeVar("A", bound=Aggregate)


def existing(found: A | None, what: str, resource_id: UUID) -> A:
    """The aggregate, or ``ResourceMissing``."""
    if found is None:
        raise ResourceMissing(what, resource_id)
    return found


def at_version(found: A | None, what: str, resource_id: UUID, expected_version: int) -> A:
    """The aggregate; ``ConcurrencyConflict`` if it moved on since the caller read it."""
    aggregate = existing(found, what, resource_id)
    if aggregate.version != expected_version:
        raise ConcurrencyConflict(str(resource_id), expected_version, aggregate.version)
    return aggregate
