"""The list rows of Second Career applications, JCP projects and SEB cases, and their queries.

:func:`record_program_case` rewrites an aggregate's row inside the unit of
work that saves it, so a list shows exactly what was committed; a stream saved
before its kind was listed (a JCP project created before decisions existed)
gets its row at its next save. Business plans are not listed here. Queries are keyset-paginated by
``(since, resource_id)`` (see :mod:`chassis.http.cursors`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.aggregate import Aggregate
from services.programs.adapters.tables import program_cases
from services.programs.domain import JcpProject, SebParticipation, SecondCareerApplication

LISTED_KINDS = {"second-career", "jcp-project", "seb"}


def status_and_since(aggregate: Aggregate) -> tuple[str, date | None]:
    """Its status, and the day lists order it by: the submission, else the (project's) start."""
    if isinstance(aggregate, SecondCareerApplication):
        return aggregate.status.value, aggregate.submitted_on
    if isinstance(aggregate, SebParticipation):
        case = aggregate.case
        return aggregate.status, case.submitted_on or case.starts_on
    if isinstance(aggregate, JcpProject):
        return aggregate.status, aggregate.project.starts_on
    raise TypeError(f"{type(aggregate).__name__} is not listed")


def _site_and_client(aggregate: Aggregate) -> tuple[str, UUID | None] | None:
    """Where a JCP project or SEB case is (and whose), for a row its first save never wrote."""
    if isinstance(aggregate, JcpProject):
        return aggregate.project.site_id, None
    if isinstance(aggregate, SebParticipation):
        return aggregate.case.site_id, aggregate.case.client_id
    return None


async def record_program_case(
    connection: AsyncConnection,
    kind: str,
    resource_id: UUID,
    aggregate: Aggregate,
    *,
    site_id: str | None = None,
    client_id: UUID | None = None,
) -> None:
    """Insert (with ``site_id``, on the first save) or update the aggregate's list row."""
    if kind not in LISTED_KINDS:
        return
    status, since = status_and_since(aggregate)
    version = aggregate.version + len(aggregate.pending_events)
    values = {"status": status, "since": since, "version": version}
    if site_id is not None:
        await connection.execute(
            sa.insert(program_cases).values(
                resource_id=resource_id, kind=kind, client_id=client_id, site_id=site_id, **values
            )
        )
        return
    updated = await connection.execute(
        sa.update(program_cases).where(program_cases.c.resource_id == resource_id).values(**values)
    )
    where = _site_and_client(aggregate)
    if updated.rowcount == 0 and where is not None:  # saved before its kind was listed
        await connection.execute(
            sa.insert(program_cases).values(
                resource_id=resource_id, kind=kind, client_id=where[1], site_id=where[0], **values
            )
        )


async def list_program_cases(
    engine: AsyncEngine,
    *,
    kind: str,
    sites: Collection[str] | None,
    status: str | None,
    client_id: UUID | None,
    after: tuple | None,
    limit: int,
) -> list[RowMapping]:
    """Rows of one kind at ``sites`` (None: all), by ``since`` then id, at most ``limit + 1``."""
    t = program_cases
    conditions = [t.c.kind == kind]
    if sites is not None:
        conditions.append(t.c.site_id.in_(sorted(sites)))
    if status:
        conditions.append(t.c.status == status)
    if client_id:
        conditions.append(t.c.client_id == client_id)
    if after is not None:
        conditions.append(sa.tuple_(t.c.since, t.c.resource_id) > sa.tuple_(*after))
    query = sa.select(t).where(*conditions).order_by(t.c.since, t.c.resource_id).limit(limit + 1)
    async with engine.connect() as connection:
        return list((await connection.execute(query)).mappings())
