"""The largest event a store accepts: what the broker can carry as one record.

The relay publishes each stored event as one record (envelope JSON as value,
the stream's key, the envelope fields as headers). An event larger than the
broker's maximum record size could be stored but never published: its outbox
row would block its stream for good. So the unit of work refuses it before
anything is written (:class:`EventTooLarge`, HTTP 413 at the boundary).

The limit is set per engine by the service's composition root
(:func:`limit_records`, from ``KafkaSettings.max_record_bytes``); the default
is Kafka's default maximum (1 MiB) minus headroom. The check measures the
payload's JSON exactly and bounds the rest of the record (envelope fields,
key, headers) by :data:`RECORD_OVERHEAD_BYTES`.
"""

from __future__ import annotations

import weakref

from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncEngine

KAFKA_DEFAULT_MAX_BYTES = 1_048_576
"""Kafka's default ``max.message.bytes`` and aiokafka's default ``max_request_size``."""

RECORD_OVERHEAD_BYTES = 4_096
"""An upper bound of a record's bytes besides its payload: the envelope's other
fields (ids, type, stream, times, actor, site: at most about 1.3 kB as JSON),
the headers repeating them (about 1 kB), the key (at most 200 bytes) and the
record batch framing."""

DEFAULT_MAX_RECORD_BYTES = KAFKA_DEFAULT_MAX_BYTES - 16_384
"""The default limit: 1 MiB minus 16 KiB of headroom for the producer's request framing."""


class EventTooLarge(ValueError):
    """An event would not fit in one broker record (HTTP 413)."""

    def __init__(self, stream_id: str, event_type: str, size: int, limit: int) -> None:
        self.stream_id = stream_id
        self.event_type = event_type
        self.size = size
        self.limit = limit
        super().__init__(
            f"{event_type} for {stream_id!r} would be a record of about {size} bytes; "
            f"the event bus carries at most {limit}"
        )


def limit_records(engine: AsyncEngine, max_record_bytes: int) -> None:
    """Set the largest record the broker behind this service takes (its store's limit)."""
    if max_record_bytes <= RECORD_OVERHEAD_BYTES:
        raise ValueError(f"max_record_bytes must exceed {RECORD_OVERHEAD_BYTES}")
    _LIMITS[engine.sync_engine] = max_record_bytes


def record_limit(engine: AsyncEngine) -> int:
    """The largest record the store behind ``engine`` may produce."""
    return _LIMITS.get(engine.sync_engine, DEFAULT_MAX_RECORD_BYTES)


def check_record_size(stream_id: str, event_type: str, payload_json: str, limit: int) -> None:
    """Raise :class:`EventTooLarge` if the event's record could exceed ``limit`` bytes."""
    if 4 * len(payload_json) + RECORD_OVERHEAD_BYTES <= limit:  # UTF-8: <= 4 bytes a character
        return
    size = len(payload_json.encode()) + RECORD_OVERHEAD_BYTES
    if size > limit:
        raise EventTooLarge(stream_id, event_type, size, limit)


_LIMITS: weakref.WeakKeyDictionary[Engine, int] = weakref.WeakKeyDictionary()
