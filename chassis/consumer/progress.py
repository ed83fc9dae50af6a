"""Which records of a batch a consumer group should handle, decided from its watermarks.

``consumer_progress`` holds, per (consumer group, stream), the highest stream
version the group has handled: applied, or dead-lettered. Records are handled
in order within a stream:

- at or below the watermark: handled before (a redelivery at the same offset,
  or the relay republishing at a new one), skipped;
- the next version: handled, the watermark moves;
- beyond the next version: a gap, held back. The relay creates gaps only when
  a send fails after later records of the batch went through; it then sends
  the failed record *and every later one* again, in order, so a held-back
  record comes back after the gap is filled. (A projection that starts on a
  topic whose oldest records were deleted would wait forever: projections
  read topics from the beginning.)

Replays need a second watermark. A poison event (say v2) goes to the
dead-letter topic and its stream moves on (v3 applied), so when v2 comes back
replayed it sits below the watermark yet was never applied. Replayed events
are checked against the stream's highest *replayed* version, kept under the
group name plus :data:`REPLAYED_SUFFIX`; replays of one stream arrive in
order (one dead-letter partition per key), so one number suffices. A replay
that is poison again is dead-lettered again without moving that watermark.
"""

from __future__ import annotations

from collections.abc import Iterable
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


@dataclass(slots=True)
class Selection(Generic[T]):
    """The records to handle now, in order, and the watermarks that move with them."""

    fresh: list[T]
    moved: Watermarks
    skipped: int
    held_back: list[T]


def select_fresh(items: Iterable[T], stored: Watermarks) -> Selection[T]:
    """Keep the records the group has yet to handle; see the module doc for the rules.

    A record with no known place (poison without envelope or headers) is
    always kept: it is dead-lettered whatever the progress.
    """
    applied, replayed = dict(stored.applied), dict(stored.replayed)
    selection: Selection[T] = Selection(fresh=[], moved=Watermarks(), skipped=0, held_back=[])
    moved = selection.moved
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
            selection.held_back.append(item)
            continue
        selection.fresh.append(item)
        if version > current:
            applied[stream] = moved.applied[stream] = version
    return selection
