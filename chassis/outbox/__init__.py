"""The transactional-outbox relay: publishes committed events to Kafka.

See :mod:`chassis.outbox.relay` for the ordering and delivery guarantees and
why reading the outbox as a queue of unsent rows is safe under concurrent
writers. ``python -m chassis.outbox`` runs a relay as its own process.
"""

from chassis.outbox.message import OutboxMessage
from chassis.outbox.relay import OutboxRelay, PublishFailed

__all__ = ["OutboxMessage", "OutboxRelay", "PublishFailed"]
