"""Base class of event-sourced aggregates. Pure Python: domain code may import it.

An aggregate decides in its command methods, records events with
:meth:`Aggregate._record`, and changes state only in ``apply`` handlers, so that
the same handlers rebuild it from its stream. It never publishes: the use case
saves ``pending_events`` through the event store, whose outbox publishes after
commit.

Free text (a plan's goal, a denial's explanation, a sponsor's name) is never
put in an event: events are published, and a person's name typed there would
reach the bus. A command passes such text to :meth:`Aggregate._record` beside
the event (``texts``, by a key the aggregate names); the repository stores it
in the service's own ``free_texts`` table in the same transaction as the
events and hands it back on load (:meth:`Aggregate.rehydrate`), before the
events are applied, so ``apply`` handlers read it with :meth:`Aggregate._text`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
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
        self._texts: dict[str, str] = {}
        self._pending_texts: dict[str, str] = {}

    keeps_free_text: bool = False
    """Whether the repository loads and saves this type's texts (override to True)."""

    @classmethod
    def rehydrate(
        cls,
        aggregate_id: str,
        history: Iterable[EventSchema],
        texts: Mapping[str, str] | None = None,
    ) -> Self:
        """Rebuild an aggregate from its stored events, oldest first, and its stored texts."""
        aggregate = cls.__new__(cls)
        Aggregate.__init__(aggregate, aggregate_id)
        aggregate._texts = dict(texts or {})
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

    def _record(self, event: EventSchema, texts: Mapping[str, str] | None = None) -> None:
        """Apply a new event now and keep it, and the free text it goes with, for saving.

        ``texts`` are known to ``apply`` (through :meth:`_text`) when it runs.
        """
        for key, text in (texts or {}).items():
            self._texts[key] = text
            self._pending_texts[key] = text
        self.apply(event)
        self._pending.append(event)

    def _text(self, key: str) -> str | None:
        """The free text stored under ``key`` for this aggregate, if any."""
        return self._texts.get(key)

    @property
    def pending_texts(self) -> dict[str, str]:
        """Free text recorded since load, by key: saved with the pending events."""
        return dict(self._pending_texts)

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
        self._pending_texts.clear()
