"""The audit trail of personal-detail reads: who read which client's details, and when.

A row is written each time decrypted personal details leave the service. It
holds the pseudonymous client id, the reader's subject, the client's site,
the time and the request's correlation id: never the details themselves.
Admins query it over HTTP (``GET /audit/personal-data-reads``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.intake.adapters.tables import personal_data_reads


@dataclass(frozen=True, slots=True)
class PersonalDataRead:
    """One disclosure of a client's personal details."""

    client_id: UUID
    actor: str
    site_id: str
    read_at: datetime
    correlation_id: UUID


class PersonalDataReadLog:
    """Appends and queries the reads of personal details."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def record(
        self, *, client_id: UUID, actor: str, site_id: str, correlation_id: UUID
    ) -> None:
        """Note that ``actor`` was shown ``client_id``'s personal details now."""
        async with self._engine.begin() as connection:
            await connection.execute(
                personal_data_reads.insert().values(
                    client_id=str(client_id),
                    actor=actor,
                    site_id=site_id,
                    read_at=datetime.now(UTC),
                    correlation_id=str(correlation_id),
                )
            )

    async def query(
        self,
        *,
        client_id: UUID | None = None,
        actor: str | None = None,
        since: datetime | None = None,
        until: datetime | None = None,
        limit: int = 100,
    ) -> Sequence[PersonalDataRead]:
        """Reads matching every given filter, newest first, at most ``limit``."""
        table = personal_data_reads
        query = sa.select(table).order_by(table.c.read_at.desc(), table.c.id.desc()).limit(limit)
        if client_id is not None:
            query = query.where(table.c.client_id == str(client_id))
        if actor is not None:
            query = query.where(table.c.actor == actor)
        if since is not None:
            query = query.where(table.c.read_at >= since)
        if until is not None:
            query = query.where(table.c.read_at < until)
        async with self._engine.connect() as connection:
            rows = (await connection.execute(query)).all()
        return [
            PersonalDataRead(
                client_id=UUID(row.client_id),
                actor=row.actor,
                site_id=row.site_id,
                read_at=_aware(row.read_at),
                correlation_id=UUID(row.correlation_id),
            )
            for row in rows
        ]


def _aware(moment: datetime) -> datetime:
    """SQLite returns naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
