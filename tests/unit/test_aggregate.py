"""The aggregate base: record, rehydrate, save bookkeeping."""

from __future__ import annotations

from typing import ClassVar

from chassis.aggregate import Aggregate
from contracts.registry import EventSchema


class Incremented(EventSchema):
    event_type: ClassVar[str] = "test.Incremented"
    schema_version: ClassVar[int] = 1
    by: int


class Counter(Aggregate):
    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self._initial_state()

    def _initial_state(self) -> None:
        self.total = 0

    def increment(self, by: int) -> None:
        if by <= 0:
            raise ValueError("by must be positive")
        self._record(Incremented(by=by))

    def apply(self, event: EventSchema) -> None:
        match event:
            case Incremented(by=by):
                self.total += by
            case _:
                super().apply(event)


def test_recorded_events_change_state_and_wait_to_be_saved() -> None:
    counter = Counter("c-1")
    counter.increment(2)
    counter.increment(3)
    assert counter.total == 5
    assert counter.pending_events == [Incremented(by=2), Incremented(by=3)]
    assert counter.expected_version == 0


def test_marking_saved_advances_the_version_and_clears_pending() -> None:
    counter = Counter("c-1")
    counter.increment(2)
    counter.mark_saved()
    assert (counter.version, counter.pending_events) == (1, [])


def test_rehydrating_from_history_gives_the_same_state_and_version() -> None:
    counter = Counter.rehydrate("c-1", [Incremented(by=4), Incremented(by=1)])
    assert (counter.total, counter.version, counter.pending_events) == (5, 2, [])
    counter.increment(1)
    assert counter.expected_version == 2
