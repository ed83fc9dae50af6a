"""Turn a poison record into its dead letter: same bytes, plus the reason."""

from __future__ import annotations

from chassis.consumer.decoding import Poison
from chassis.consumer.headers import (
    DLQ_ERROR,
    DLQ_GROUP,
    DLQ_REASON,
    DLQ_SOURCE_OFFSET,
    DLQ_SOURCE_PARTITION,
    DLQ_SOURCE_TOPIC,
    without_dead_letter_headers,
)
from chassis.consumer.producer import OutgoingRecord
from contracts.topics import dead_letter_topic

MAX_ERROR_CHARS = 1000
"""Longer error messages are cut: headers are not the place for a full report."""


def dead_letter(poison: Poison, group_id: str) -> OutgoingRecord:
    """The record for ``<topic>.dlq.<group>``: original key, value and headers plus reasons.

    ``x-dlq-*`` headers the record already carried (a replay that failed again)
    are replaced, not repeated.
    """
    record = poison.record
    return OutgoingRecord(
        topic=dead_letter_topic(record.topic, group_id),
        key=record.key,
        value=record.value,
        headers=[
            *without_dead_letter_headers(record.headers),
            (DLQ_REASON, poison.reason.value.encode()),
            (DLQ_ERROR, poison.error[:MAX_ERROR_CHARS].encode()),
            (DLQ_SOURCE_TOPIC, record.topic.encode()),
            (DLQ_SOURCE_PARTITION, str(record.partition).encode()),
            (DLQ_SOURCE_OFFSET, str(record.offset).encode()),
            (DLQ_GROUP, group_id.encode()),
        ],
    )
