"""The contract a read model implements to be fed by a :class:`ProjectionRunner`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer.events import DecodedEvent


class Projection(Protocol):
    """A read model fed from topics, one batch at a time.

    ``name`` is the Kafka consumer group id and the key of the projection's
    rows in ``consumer_progress``; renaming it starts the projection afresh.
    """

    @property
    def name(self) -> str:
        """Consumer group id; stable for the life of the read model."""
        ...

    @property
    def topics(self) -> Sequence[str]:
        """The topics the projection reads."""
        ...

    async def apply(self, connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        """Write the read-model changes of ``events`` on ``connection``.

        The runner owns the transaction: it commits these changes together with
        the projection's progress, or rolls both back. ``events`` are new to the
        projection (redeliveries were removed), in order within each stream.
        Raising rolls the batch back; it is then redelivered.
        """
        ...


class SubscribedProjection:
    """Name and topics for a projection class: subclasses set the defaults and write ``apply``.

    ``default_group`` and ``default_topics`` are the projection's consumer group
    and topics; a service may run it under another group (its settings) or on
    other topics (tests), by passing ``name`` or ``topics``.
    """

    default_group: ClassVar[str]
    default_topics: ClassVar[tuple[str, ...]]
    event_types: ClassVar[frozenset[str] | None] = None
    """The event types ``apply`` uses; None: all. Records of other known types are
    skipped from their headers, unparsed (:class:`~chassis.consumer.decoding.Ignored`)."""

    def __init__(self, name: str | None = None, topics: Sequence[str] | None = None) -> None:
        self._name = name or self.default_group
        self._topics = tuple(self.default_topics if topics is None else topics)

    @property
    def name(self) -> str:
        """The consumer group id."""
        return self._name

    @property
    def topics(self) -> Sequence[str]:
        """The topics the projection reads."""
        return self._topics
