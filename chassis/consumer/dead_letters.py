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
    DLQ_TRUNCATED,
    TRACE_HEADERS,
    without_dead_letter_headers,
)
from chassis.consumer.producer import OutgoingRecord
from contracts.topics import dead_letter_topic

MAX_ERROR_CHARS = 1000
"""Longer error messages are cut: headers are not the place for a full report."""
CUT_ABOVE_BYTES = 512 * 1024
"""Records larger than this get a cut copy to publish if the whole one is refused for its size."""
CUT_VALUE_BYTES = 64 * 1024
"""How much of the value a cut dead letter keeps."""
CUT_KEY_BYTES = 1024
CUT_HEADERS_BYTES = 16 * 1024
"""Original headers a cut dead letter keeps, at most; beyond, only the trace ids stay."""


def dead_letter(poison: Poison, group_id: str) -> OutgoingRecord:
    """The record for ``<topic>.dlq.<group>``: original key, value and headers plus reasons.

    ``x-dlq-*`` headers the record already carried (a replay that failed again)
    are replaced, not repeated. A record over :data:`CUT_ABOVE_BYTES` also gets
    an ``oversize_fallback``: the same dead letter with the value cut to
    :data:`CUT_VALUE_BYTES` and an ``x-dlq-truncated`` header giving the
    original length, published instead if the whole one is refused for its
    size. A cut key no longer picks the same partition; replaying a cut
    record dead-letters it again, as its value is incomplete.
    """
    record = poison.record
    reasons = [
        (DLQ_REASON, poison.reason.value.encode()),
        (DLQ_ERROR, poison.error[:MAX_ERROR_CHARS].encode()),
        (DLQ_SOURCE_TOPIC, record.topic.encode()),
        (DLQ_SOURCE_PARTITION, str(record.partition).encode()),
        (DLQ_SOURCE_OFFSET, str(record.offset).encode()),
        (DLQ_GROUP, group_id.encode()),
    ]
    original = without_dead_letter_headers(record.headers)
    topic = dead_letter_topic(record.topic, group_id)
    return OutgoingRecord(
        topic=topic,
        key=record.key,
        value=record.value,
        headers=[*original, *reasons],
        oversize_fallback=_cut(topic, record.key, record.value, original, reasons),
    )


def _cut(
    topic: str,
    key: bytes | None,
    value: bytes | None,
    original: list[tuple[str, bytes]],
    reasons: list[tuple[str, bytes]],
) -> OutgoingRecord | None:
    """The dead letter to send when the whole one is too large: value, key, headers cut."""
    headers_size = sum(len(name) + len(data) for name, data in original)
    if len(value or b"") + len(key or b"") + headers_size <= CUT_ABOVE_BYTES:
        return None
    if headers_size > CUT_HEADERS_BYTES:
        original = [(name, data[:256]) for name, data in original if name in TRACE_HEADERS]
    return OutgoingRecord(
        topic=topic,
        key=None if key is None else key[:CUT_KEY_BYTES],
        value=None if value is None else value[:CUT_VALUE_BYTES],
        headers=[*original, *reasons, (DLQ_TRUNCATED, str(len(value or b"")).encode())],
    )
