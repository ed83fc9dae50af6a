"""Which events of a batch are new to a consumer group (pure watermark logic)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from chassis.consumer.decoding import Poison, PoisonReason
from chassis.consumer.events import DecodedEvent, RecordPosition
from chassis.consumer.progress import Watermarks, select_fresh
from contracts.envelope import EventEnvelope
from tests.support.events import client_registered


def event(stream: str, version: int, *, replayed: bool = False) -> DecodedEvent:
    payload = client_registered()
    return DecodedEvent(
        envelope=EventEnvelope(
            event_id=uuid.uuid4(),
            event_type=payload.event_type,
            schema_version=payload.schema_version,
            stream_id=stream,
            stream_version=version,
            occurred_at=datetime(2012, 5, 1, tzinfo=UTC),
            recorded_at=datetime(2012, 5, 1, tzinfo=UTC),
            correlation_id=uuid.uuid4(),
            actor="caseworker-1",
            payload=payload.model_dump(mode="json"),
        ),
        payload=payload,
        position=RecordPosition("t", 0, version),
        replayed=replayed,
    )


@dataclass(frozen=True)
class Record:
    """The fields of a consumed record that poison keeps."""

    topic: str = "t"
    partition: int = 0
    offset: int = 0
    key: bytes | None = None
    value: bytes | None = b"{"
    headers: tuple[tuple[str, bytes], ...] = ()


def poison(stream: str | None, version: int | None, *, replayed: bool = False) -> Poison:
    return Poison(Record(), PoisonReason.UNKNOWN_TYPE, "?", stream, version, replayed)


def versions(items: Sequence[DecodedEvent | Poison]) -> list[tuple[str | None, int | None]]:
    return [(e.stream_id, e.stream_version) for e in items]


def test_events_above_the_stored_watermark_are_fresh_and_move_it() -> None:
    selection = select_fresh([event("a", 3), event("a", 4), event("b", 1)], Watermarks({"a": 2}))

    assert versions(selection.fresh) == [("a", 3), ("a", 4), ("b", 1)]
    assert selection.moved == Watermarks(applied={"a": 4, "b": 1})
    assert selection.skipped == 0


def test_events_at_or_below_the_watermark_are_redeliveries_and_skipped() -> None:
    selection = select_fresh([event("a", 1), event("a", 2), event("a", 3)], Watermarks({"a": 2}))

    assert versions(selection.fresh) == [("a", 3)]
    assert selection.skipped == 2


def test_a_duplicate_within_one_batch_is_applied_once() -> None:
    batch = [event("a", 1), event("a", 2), event("a", 1), event("a", 2), event("a", 3)]

    selection = select_fresh(batch, Watermarks())

    assert versions(selection.fresh) == [("a", 1), ("a", 2), ("a", 3)]
    assert selection.moved.applied == {"a": 3}
    assert selection.skipped == 2


def test_a_replayed_event_below_the_watermark_is_applied_once() -> None:
    stored = Watermarks(applied={"a": 3})

    first = select_fresh([event("a", 2, replayed=True)], stored)
    again = select_fresh([event("a", 2, replayed=True)], Watermarks({"a": 3}, {"a": 2}))

    assert versions(first.fresh) == [("a", 2)]
    assert first.moved == Watermarks(applied={}, replayed={"a": 2})
    assert again.fresh == [] and again.skipped == 1


def test_a_replayed_event_above_the_watermark_moves_both_watermarks() -> None:
    selection = select_fresh([event("a", 4, replayed=True)], Watermarks({"a": 3}))

    assert versions(selection.fresh) == [("a", 4)]
    assert selection.moved == Watermarks(applied={"a": 4}, replayed={"a": 4})


def test_a_plain_redelivery_of_a_dead_lettered_version_waits_for_its_replay() -> None:
    selection = select_fresh([event("a", 2)], Watermarks({"a": 3}))

    assert selection.fresh == []


def test_a_version_beyond_the_next_is_parked_until_the_gap_is_filled() -> None:
    """The relay's failure mode: v3 went out, v2 failed; both are sent again."""
    first = select_fresh([event("a", 1), event("a", 3)], Watermarks())
    resend = select_fresh([event("a", 2), event("a", 3)], Watermarks({"a": 1}))

    assert versions(first.fresh) == [("a", 1)]
    assert versions(first.parked) == [("a", 3)]
    assert first.moved.applied == {"a": 1}
    assert versions(resend.fresh) == [("a", 2), ("a", 3)]


def test_poison_moves_its_stream_past_it_so_later_events_apply() -> None:
    batch = [event("a", 1), poison("a", 2), event("a", 3)]

    selection = select_fresh(batch, Watermarks())
    redelivered = select_fresh(batch, Watermarks({"a": 3}))

    assert versions(selection.fresh) == [("a", 1), ("a", 2), ("a", 3)]
    assert selection.moved.applied == {"a": 3}
    assert redelivered.fresh == [] and redelivered.skipped == 3


def test_poison_with_no_known_place_is_always_dead_lettered() -> None:
    selection = select_fresh([poison(None, None), poison(None, None)], Watermarks())

    assert len(selection.fresh) == 2
    assert selection.moved == Watermarks()


def test_a_replay_that_is_poison_again_leaves_the_replay_watermark_alone() -> None:
    selection = select_fresh([poison("a", 2, replayed=True)], Watermarks({"a": 3}))

    assert versions(selection.fresh) == [("a", 2)]
    assert selection.moved == Watermarks()


def test_parked_versions_chain_on_in_order_once_the_gap_fills() -> None:
    parked = {"a": {3: event("a", 3), 4: event("a", 4)}}

    selection = select_fresh([event("a", 2)], Watermarks({"a": 1}), parked)

    assert versions(selection.fresh) == [("a", 2), ("a", 3), ("a", 4)]
    assert versions(selection.unparked) == [("a", 3), ("a", 4)]
    assert selection.moved.applied == {"a": 4}
    assert selection.parked == []


def test_versions_of_one_batch_out_of_order_apply_in_stream_order() -> None:
    """A stream split over partitions: one batch holds partition 0's records, then 2's."""
    batch = [event("a", 1), event("a", 2), event("a", 5), event("a", 3), event("a", 4)]

    selection = select_fresh(batch, Watermarks())

    assert versions(selection.fresh) == [("a", 1), ("a", 2), ("a", 3), ("a", 4), ("a", 5)]
    assert selection.parked == [] and selection.unparked == []


def test_a_gap_still_open_at_the_end_of_the_batch_parks_what_follows_it() -> None:
    selection = select_fresh([event("a", 1), event("a", 3), event("a", 4)], Watermarks())

    assert versions(selection.fresh) == [("a", 1)]
    assert versions(selection.parked) == [("a", 3), ("a", 4)]


def test_a_parked_version_delivered_again_is_a_no_op() -> None:
    parked = {"a": {3: event("a", 3)}}

    selection = select_fresh([event("a", 3), event("a", 3)], Watermarks({"a": 1}), parked)

    assert selection.fresh == [] and selection.parked == []
    assert selection.skipped == 2


def test_parked_poison_is_handed_over_in_its_turn_to_be_dead_lettered() -> None:
    parked = {"a": {3: poison("a", 3)}}

    selection = select_fresh([event("a", 2), event("a", 4)], Watermarks({"a": 1}), parked)

    assert versions(selection.fresh) == [("a", 2), ("a", 3), ("a", 4)]
    assert isinstance(selection.fresh[1], Poison)


def test_a_parked_version_made_next_by_a_moved_watermark_is_handed_over_at_once() -> None:
    """E.g. a rebuild carried its progress over to the live group."""
    parked = {"a": {4: event("a", 4)}}

    selection = select_fresh([event("b", 1)], Watermarks({"a": 3}), parked)

    assert versions(selection.fresh) == [("a", 4), ("b", 1)]


def test_a_replayed_event_that_moves_the_watermark_hands_over_what_it_unblocks() -> None:
    parked = {"a": {5: event("a", 5)}}

    selection = select_fresh([event("a", 4, replayed=True)], Watermarks({"a": 3}), parked)

    assert versions(selection.fresh) == [("a", 4), ("a", 5)]
    assert selection.moved.applied == {"a": 5}
