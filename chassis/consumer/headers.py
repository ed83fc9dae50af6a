"""Record headers of the dead-letter protocol, and reading them.

A dead-lettered record keeps its key, value and headers and gains the
``x-dlq-*`` headers below. A replayed record loses them again and gains
``x-dlq-replayed`` (the dead-letter coordinates it came from).
"""

from __future__ import annotations

from chassis.consumer.records import Headers

DLQ_PREFIX = "x-dlq-"
DLQ_REASON = "x-dlq-reason"
"""Category of the failure: a :class:`~chassis.consumer.decoding.PoisonReason` value."""
DLQ_ERROR = "x-dlq-error"
"""Human-readable error message (truncated)."""
DLQ_SOURCE_TOPIC = "x-dlq-source-topic"
DLQ_SOURCE_PARTITION = "x-dlq-source-partition"
DLQ_SOURCE_OFFSET = "x-dlq-source-offset"
DLQ_GROUP = "x-dlq-group"
"""Consumer group that rejected the record."""
DLQ_TRUNCATED = "x-dlq-truncated"
"""Set when the dead letter carries only the start of the value: the original length in bytes.

Such a record was too large to publish whole; the source topic, partition and
offset headers say where to read it in full while retention keeps it.
"""
DLQ_REPLAYED = "x-dlq-replayed"
"""Set on a record republished from a dead-letter topic: ``<dlq topic>/<partition>@<offset>``."""


def header(headers: Headers, name: str) -> bytes | None:
    """The last value of a header, or None if absent."""
    found = None
    for key, value in headers:
        if key == name:
            found = value
    return found


def header_text(headers: Headers, name: str) -> str | None:
    """A header decoded as UTF-8 (undecodable bytes replaced), or None if absent."""
    value = header(headers, name)
    return None if value is None else value.decode("utf-8", errors="replace")


def without_dead_letter_headers(headers: Headers) -> list[tuple[str, bytes]]:
    """The headers minus every ``x-dlq-*`` one, in their original order."""
    return [(key, value) for key, value in headers if not key.startswith(DLQ_PREFIX)]


TRACE_HEADERS = ("event_id", "correlation_id", "causation_id")
"""Headers the relay sets that follow one event and its conversation across services."""


def trace_ids(headers: Headers) -> dict[str, str]:
    """The trace ids present in a record's headers, for binding into log lines."""
    ids = {name: header_text(headers, name) for name in TRACE_HEADERS}
    return {name: value for name, value in ids.items() if value}
