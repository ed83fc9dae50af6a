"""Dead letters keep the original bytes and gain the reason; replays reverse that."""

from __future__ import annotations

import dataclasses

import pytest
from aiokafka.structs import ConsumerRecord
from faststream.kafka.message import KafkaAckableMessage
from faststream.kafka.parser import AioKafkaBatchParser

from chassis.consumer.backoff import Backoff
from chassis.consumer.batch_parsing import parse_batch_leniently, raw_records
from chassis.consumer.dead_letters import CUT_VALUE_BYTES, dead_letter
from chassis.consumer.decoding import Poison, PoisonReason
from chassis.consumer.dlq import DeadLetterError, DeadLetterRecord
from chassis.consumer.events import RecordPosition


def record(headers: tuple[tuple[str, bytes], ...]) -> ConsumerRecord[bytes, bytes]:
    return ConsumerRecord(
        topic="eocms.intake.events",
        partition=2,
        offset=41,
        timestamp=0,
        timestamp_type=0,
        key=b"client-7",
        value=b"\x00not json",
        checksum=None,
        serialized_key_size=8,
        serialized_value_size=9,
        headers=headers,
    )


def test_a_dead_letter_keeps_key_value_and_headers_and_adds_the_reason() -> None:
    poison = Poison(
        record((("event_type", b"intake.X"), ("x-dlq-reason", b"stale"))),
        PoisonReason.BAD_JSON,
        "x" * 5000,
    )

    letter = dead_letter(poison, "reporting")

    assert letter.topic == "eocms.intake.events.dlq.reporting"
    assert (letter.key, letter.value) == (b"client-7", b"\x00not json")
    headers = dict(letter.headers)
    assert headers["event_type"] == b"intake.X"
    assert headers["x-dlq-reason"] == b"bad-json"
    assert len(headers["x-dlq-error"]) == 1000
    assert headers["x-dlq-source-topic"] == b"eocms.intake.events"
    assert headers["x-dlq-source-partition"] == b"2"
    assert headers["x-dlq-source-offset"] == b"41"
    assert headers["x-dlq-group"] == b"reporting"
    assert [k for k, _ in letter.headers].count("x-dlq-reason") == 1


def letter_read_back(headers: tuple[tuple[str, bytes], ...]) -> DeadLetterRecord:
    return DeadLetterRecord(
        position=RecordPosition("eocms.intake.events.dlq.reporting", 0, 5),
        key=b"client-7",
        value=b"{}",
        headers=headers,
    )


def test_a_replay_goes_to_the_source_topic_without_dead_letter_headers() -> None:
    letter = letter_read_back(
        (
            ("event_type", b"intake.X"),
            ("x-dlq-reason", b"unknown-type"),
            ("x-dlq-source-topic", b"eocms.intake.events"),
            ("x-dlq-source-partition", b"2"),
            ("x-dlq-source-offset", b"41"),
        )
    )

    replay = letter.replayed_to()

    assert letter.reason == "unknown-type"
    assert letter.source == RecordPosition("eocms.intake.events", 2, 41)
    assert replay.topic == "eocms.intake.events"
    assert (replay.key, replay.value) == (b"client-7", b"{}")
    assert list(replay.headers) == [
        ("event_type", b"intake.X"),
        ("x-dlq-replayed", b"eocms.intake.events.dlq.reporting/0@5"),
    ]


def test_a_replay_can_be_sent_to_another_topic() -> None:
    letter = letter_read_back((("x-dlq-source-topic", b"eocms.intake.events"),))

    assert letter.replayed_to("elsewhere").topic == "elsewhere"


def test_a_dead_letter_without_a_source_needs_a_target_topic() -> None:
    with pytest.raises(DeadLetterError, match="target topic"):
        letter_read_back(()).replayed_to()


async def test_a_batch_with_headers_that_are_not_utf8_still_parses_with_its_raw_records() -> None:
    batch = (record((("trace", b"\xff\xfe"), ("event_type", b"intake.X"))),)
    default = AioKafkaBatchParser(msg_class=KafkaAckableMessage, regex=None).parse_batch

    message = await parse_batch_leniently(batch, default)

    assert message.raw_message is batch
    assert message.headers == {"event_type": "intake.X"}
    assert await raw_records(message) is batch


def test_backoff_doubles_up_to_its_cap_and_resets() -> None:
    backoff = Backoff(0.1, 0.5)

    delays = [backoff.next_delay() for _ in range(5)]
    backoff.reset()

    assert delays == [0.1, 0.2, 0.4, 0.5, 0.5]
    assert backoff.next_delay() == 0.1


def test_trace_ids_are_read_from_the_relay_headers_for_log_lines() -> None:
    from chassis.consumer.headers import trace_ids

    headers = [("event_id", b"e-1"), ("correlation_id", b"c-1"), ("event_type", b"x")]
    assert trace_ids(headers) == {"event_id": "e-1", "correlation_id": "c-1"}
    assert trace_ids([]) == {}


def test_a_large_dead_letter_carries_a_cut_copy_to_send_if_the_whole_is_refused() -> None:
    big = dataclasses.replace(
        record((("event_id", b"e-1"), ("trace", b"t" * 20_000))), value=b"{" * 2_000_000
    )

    letter = dead_letter(Poison(big, PoisonReason.BAD_JSON, "not json"), "reporting.facts")
    small = dead_letter(Poison(record(()), PoisonReason.BAD_JSON, "?"), "reporting.facts")

    assert letter.value == big.value  # the whole record is tried first
    cut = letter.oversize_fallback
    assert cut is not None and small.oversize_fallback is None
    assert cut.value == big.value[:CUT_VALUE_BYTES]
    headers = dict(cut.headers)
    assert headers["x-dlq-truncated"] == b"2000000"
    assert headers["x-dlq-source-topic"] == b"eocms.intake.events"
    assert (headers["x-dlq-source-partition"], headers["x-dlq-source-offset"]) == (b"2", b"41")
    assert headers["event_id"] == b"e-1" and "trace" not in headers  # large headers dropped
