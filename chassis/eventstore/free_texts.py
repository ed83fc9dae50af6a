"""Reading and writing an aggregate's free text in the ``free_texts`` table.

The text an aggregate records beside its events (:mod:`chassis.aggregate`)
is written here, in the unit of work that appends the events, and read back
when the aggregate is loaded. A key is written once; writing it again (a
retried command, the backfill of old events) keeps the first text.

:func:`backfill_from_events` copies text out of stored events of an old
schema version that still carry it, for a service's migration: the events
stay as stored (never rewritten), their upcasters drop the text, and the
service's read side finds it in this table instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.eventstore.tables import events, free_texts

TextsOf = Callable[[Mapping[str, Any]], Mapping[str, str]]
"""The texts (by key) a stored payload of one old event type and version carries."""

TextExtractors = Mapping[tuple[str, int], TextsOf]
"""``TextsOf`` by ``(event_type, schema_version)``: the old versions that carried text."""


def texts_in_payloads(
    stored: Iterable[tuple[str, int, Mapping[str, Any]]], extractors: TextExtractors
) -> dict[str, str]:
    """The texts old-version payloads carry, by key (non-empty ones only).

    ``stored`` is ``(event_type, schema_version, payload)`` as read from the
    store, before upcasting. Lets the read side show text of an old event not
    yet copied into ``free_texts`` (written by an older image mid-rollout).
    """
    texts: dict[str, str] = {}
    for event_type, version, payload in stored:
        texts_of = extractors.get((event_type, version))
        if texts_of is not None:
            texts.update({key: text for key, text in texts_of(payload).items() if text})
    return texts


async def read_texts(engine: AsyncEngine, stream_id: str) -> dict[str, str]:
    """Every text stored for one stream, by key."""
    async with engine.connect() as connection:
        rows = await connection.execute(
            select(free_texts.c.text_key, free_texts.c.text).where(
                free_texts.c.stream_id == stream_id
            )
        )
        return {row.text_key: row.text for row in rows}


async def write_texts(
    connection: AsyncConnection, stream_id: str, texts: Mapping[str, str]
) -> None:
    """Insert texts not stored yet for the stream (on the caller's transaction)."""
    if not texts:
        return
    stored = set(
        (
            await connection.execute(
                select(free_texts.c.text_key).where(
                    free_texts.c.stream_id == stream_id,
                    free_texts.c.text_key.in_(list(texts)),
                )
            )
        ).scalars()
    )
    rows = [
        {"stream_id": stream_id, "text_key": key, "text": text}
        for key, text in texts.items()
        if key not in stored
    ]
    if rows:
        await connection.execute(insert(free_texts), rows)


def backfill_from_events(connection: Connection, extractors: TextExtractors) -> int:
    """Copy text out of stored old-version events into ``free_texts``; idempotent.

    ``extractors`` maps ``(event_type, schema_version)`` to a function giving
    the texts of one payload. Keys already stored are left alone. Returns the
    number of texts inserted. For a synchronous (migration) connection.
    """
    inserted = 0
    for (event_type, version), texts_of in extractors.items():
        rows = connection.execute(
            select(events.c.stream_id, events.c.payload).where(
                events.c.event_type == event_type, events.c.schema_version == version
            )
        )
        for stream_id, payload in rows.all():
            texts = {key: text for key, text in texts_of(payload).items() if text}
            inserted += _insert_missing(connection, stream_id, texts)
    return inserted


def _insert_missing(connection: Connection, stream_id: str, texts: Mapping[str, str]) -> int:
    if not texts:
        return 0
    stored = set(
        connection.execute(
            select(free_texts.c.text_key).where(free_texts.c.stream_id == stream_id)
        ).scalars()
    )
    rows: Iterable[dict[str, str]] = [
        {"stream_id": stream_id, "text_key": key, "text": text}
        for key, text in texts.items()
        if key not in stored
    ]
    rows = list(rows)
    if rows:
        connection.execute(insert(free_texts), rows)
    return len(rows)
