"""Which records of a batch a consumer group should handle, decided from its watermarks.

``consumer_progress`` holds, per (consumer group, stream), the highest stream
version the group has handled: applied, or dead-lettered. Records are handled
in order within a stream:

- at or below the watermark: handled before (a redelivery at the same offset,
  or the relay republishing at a new one), skipped;
- the next version: handled, the watermark moves;
- beyond the next version: a gap, parked. The record is stored in
  ``consumer_parked_events`` in the same transaction as the progress
  (:mod:`chassis.consumer.parking_table`), so the offset may be committed
  past it: it is not lost. As soon as the stream's watermark reaches its
  predecessor, from this batch, a later one, another partition or a
  redelivery, the parked record is handled, and the ones parked after it
  chain on (v3, v4 parked; v2 arrives: 2, 3, 4 in that order). A parked
  version delivered again is skipped. Gaps come from a stream whose events
  were published on several partitions (older producers keyed some events by
  client), and from the relay resending a failed record after later ones.

Replays need a second watermark. A poison event (say v2) goes to the
dead-letter topic and its stream moves on (v3 applied), so when v2 comes back
replayed it sits below the watermark yet was never applied. Replayed events
are checked against the stream's highest *replayed* version, kept under the
group name plus :data:`REPLAYED_SUFFIX`; replays of one stream arrive in
order (one dead-letter partition per key), so one number suffices. A replay
that is poison again is dead-lettered again without moving that watermark.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

REPLAYED_SUFFIX = "#replayed"


def replayed_group(group_id: str) -> str:
    """The progress key of a group's replayed-event watermarks."""
    return f"{group_id}{REPLAYED_SUFFIX}"


class Sequenced(Protocol):
    """A record's place in its stream (unknown for some poison), and what it is."""

    @property
    def stream_id(self) -> str | None: ...

    @property
    def stream_version(self) -> int | None: ...

    @property
    def replayed(self) -> bool: ...

    @property
    def applicable(self) -> bool:
        """True for an event to apply, False for poison to dead-letter."""
        ...


T = TypeVar("T", bound=Sequenced)


@dataclass(slots=True)
class Watermarks:
    """Highest handled versions per stream: all records, and replayed events."""

    applied: dict[str, int] = field(default_factory=dict)
    replayed: dict[str, int] = field(default_factory=dict)


Parked = Mapping[str, Mapping[int, T]]
"""Parked records of some streams: stream id, then stream version."""


@dataclass(slots=True)
class Selection(Generic[T]):
    """The records to handle now, in order per stream, and what moves with them.

    ``fresh`` holds records of the batch and formerly parked ones that became
    next in their stream; ``parked`` the batch's records to park now;
    ``unparked`` the formerly parked records that are in ``fresh``.
    """

    fresh: list[T]
    moved: Watermarks
    skipped: int
    parked: list[T] = field(default_factory=list)
    unparked: list[T] = field(default_factory=list)


def select_fresh(
    items: Iterable[T], stored: Watermarks, parked: Parked[T] | None = None
) -> Selection[T]:
    """Keep the records the group has yet to handle; see the module doc for the rules.

    ``parked`` are the records parked earlier for the batch's streams. A record
    with no known place (poison without envelope or headers) is always kept: it
    is dead-lettered whatever the progress.
    """
    applied, replayed = dict(stored.applied), dict(stored.replayed)
    waiting = {stream: dict(versions) for stream, versions in (parked or {}).items()}
    earlier = {id(item) for versions in waiting.values() for item in versions.values()}
    selection: Selection[T] = Selection(fresh=[], moved=Watermarks(), skipped=0)
    moved = selection.moved
    newly_parked: dict[tuple[str, int], T] = {}

    def chain(stream: str) -> None:
        """Hand over the parked records that follow the stream's watermark, in order."""
        queue = waiting.get(stream)
        while queue and (following := queue.pop(applied.get(stream, 0) + 1, None)) is not None:
            selection.fresh.append(following)
            applied[stream] = moved.applied[stream] = following.stream_version or 0
            if id(following) in earlier:
                selection.unparked.append(following)
            else:
                del newly_parked[(stream, applied[stream])]

    for waiting_stream in list(waiting):  # made next by a change outside the consumer
        chain(waiting_stream)
    for item in items:
        stream, version = item.stream_id, item.stream_version
        if stream is None or version is None:
            selection.fresh.append(item)
            continue
        current = applied.get(stream, 0)
        if item.replayed:
            if version <= current and version <= replayed.get(stream, 0):
                selection.skipped += 1
                continue
            if item.applicable:
                replayed[stream] = moved.replayed[stream] = version
        elif version <= current:
            selection.skipped += 1
            continue
        elif version > current + 1:
            queue = waiting.setdefault(stream, {})
            if version in queue:
                selection.skipped += 1  # parked already: a redelivery
            else:
                queue[version] = newly_parked[(stream, version)] = item
            continue
        selection.fresh.append(item)
        if version > current:
            applied[stream] = moved.applied[stream] = version
            chain(stream)
    selection.parked = list(newly_parked.values())
    return selection
