"""The contract a read model implements to be fed by a :class:`ProjectionRunner`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

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
