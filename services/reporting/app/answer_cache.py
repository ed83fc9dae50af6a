"""Answers reused until the read model of their fiscal year changes.

An SQS answer for a fiscal year depends only on what the read model holds for
that year: the refresher's rows (``reporting_site_years.refreshed_at`` moves
on every write) and the facts the projection changed since (each change marks
its site-year dirty in the same transaction). :meth:`ReadModel.generation`
reads both as one small value; an answer is stored under the generation read
*before* it was computed and served only while the generation read for a later
request is the same. So a cached answer never outlives a change: the first
request after a commit that changes the year reads a new generation and
computes afresh.

Each process keeps its own cache (nothing is shared between replicas), bounded
to ``max_entries`` answers, least recently used dropped first.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")

DEFAULT_MAX_ENTRIES = 256


class GenerationCache(Generic[T]):
    """Values by (request key, generation); a new generation of a key replaces the old."""

    def __init__(self, max_entries: int = DEFAULT_MAX_ENTRIES) -> None:
        self._entries: OrderedDict[Hashable, tuple[Hashable, T]] = OrderedDict()
        self._max_entries = max_entries
        self.hits = 0
        self.misses = 0

    async def get(
        self, key: Hashable, generation: Hashable, compute: Callable[[], Awaitable[T]]
    ) -> T:
        """The value for ``key`` at ``generation``: cached if computed at that generation."""
        entry = self._entries.get(key)
        if entry is not None and entry[0] == generation:
            self._entries.move_to_end(key)
            self.hits += 1
            return entry[1]
        self.misses += 1
        value = await compute()  # an exception is not cached
        self._entries[key] = (generation, value)
        self._entries.move_to_end(key)
        while len(self._entries) > self._max_entries:
            self._entries.popitem(last=False)
        return value
