"""The record-size check: exact for the payload, bounded for the rest of the record."""

from __future__ import annotations

import pytest

from chassis.eventstore.limits import (
    DEFAULT_MAX_RECORD_BYTES,
    KAFKA_DEFAULT_MAX_BYTES,
    RECORD_OVERHEAD_BYTES,
    EventTooLarge,
    check_record_size,
)

LIMIT = RECORD_OVERHEAD_BYTES + 1_000


def test_a_payload_that_fits_with_the_overhead_passes() -> None:
    check_record_size("s", "t", "x" * 1_000, LIMIT)


def test_one_byte_more_is_refused_with_the_sizes() -> None:
    with pytest.raises(EventTooLarge) as refused:
        check_record_size("plan-1", "caseload.Goal", "x" * 1_001, LIMIT)
    assert (refused.value.size, refused.value.limit) == (LIMIT + 1, LIMIT)
    assert refused.value.event_type == "caseload.Goal"


def test_multibyte_characters_count_in_bytes() -> None:
    with pytest.raises(EventTooLarge):
        check_record_size("s", "t", "é" * 501, LIMIT)  # 1,002 bytes in UTF-8
    check_record_size("s", "t", "é" * 500, LIMIT)


def test_the_default_leaves_headroom_under_kafkas_default_maximum() -> None:
    assert KAFKA_DEFAULT_MAX_BYTES - 65_536 < DEFAULT_MAX_RECORD_BYTES < KAFKA_DEFAULT_MAX_BYTES
