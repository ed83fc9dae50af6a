"""Base class of event-sourced aggregates. Pure Python: domain code may import it.

An aggregate decides in its command methods, records events with
:meth:`Aggregate._record`, and changes state only in ``apply`` handlers, so that
the same handlers rebuild it from its stream. It never publishes: the use case
saves ``pending_events`` through the event store, whose outbox publishes after
commit.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Self

from contracts.registry import EventSchema


class Aggregate:
    """State rebuilt from events; new events wait in ``pending_events`` until saved."""

    def __init__(self, aggregate_id: str) -> None:
        self.id = aggregate_id
        self.version = 0
        self.stream_key: str | None = None
        """The record key its stream was given when opened (set by the repository)."""
        self._pending: list[EventSchema] = []

    @classmethod
    def rehydrate(cls, aggregate_id: str, history: Iterable[EventSchema]) -> Self:
        """Rebuild an aggregate from its stored events, oldest first."""
        aggregate = cls.__new__(cls)
        Aggregate.__init__(aggregate, aggregate_id)
        aggregate._initial_state()
        for event in history:
            aggregate.apply(event)
            aggregate.version += 1
        return aggregate

    def _initial_state(self) -> None:
        """Set the fields a rehydrated aggregate starts from (override)."""

    def apply(self, event: EventSchema) -> None:
        """Change state for one event (override; dispatch on the event's type)."""
        raise NotImplementedError(f"{type(self).__name__} cannot apply {type(event).__name__}")

    def _record(self, event: EventSchema) -> None:
        """Apply a new event now and keep it for saving."""
        self.apply(event)
        self._pending.append(event)

    @property
    def pending_events(self) -> list[EventSchema]:
        """Events recorded since load, in order."""
        return list(self._pending)

    @property
    def expected_version(self) -> int:
        """The stream version the pending events must follow."""
        return self.version

    def mark_saved(self) -> None:
        """Forget pending events once the store accepted them."""
        self.version += len(self._pending)
        self._pending.clear()
