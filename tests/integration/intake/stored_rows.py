"""Reading intake's raw rows back, as a test inspecting what was persisted."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import FastAPI

from chassis.eventstore.tables import events, outbox


async def raw_rows(app: FastAPI, table: sa.Table) -> list[str]:
    """Every row of ``table`` rendered as text, whatever its column types."""
    async with app.state.intake.engine.connect() as connection:
        rows = (await connection.execute(sa.select(table))).all()
    return [repr(tuple(row)) for row in rows]


async def event_types(app: FastAPI) -> list[str]:
    """The types of all stored events, in order."""
    async with app.state.intake.engine.connect() as connection:
        result = await connection.execute(
            sa.select(events.c.event_type).order_by(events.c.position)
        )
        return list(result.scalars())


async def event_and_outbox_text(app: FastAPI) -> str:
    """The stored events and outbox rows as one text to search."""
    return "\n".join([*await raw_rows(app, events), *await raw_rows(app, outbox)])
