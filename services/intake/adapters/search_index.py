"""The blind index: find clients by name, birth date or reference without decrypting.

Registration writes, in its own transaction, one row per client holding
HMAC-SHA256 digests of the client's normalised family name, given-and-family
name and birth date (:mod:`services.intake.domain.search_terms`), the key id
that made them, and the client's reference number. A search hashes the
query's terms with the same key and compares digests, so the table is never
decrypted; only the page of matches is (to show names).

The HMAC key is separate from the personal-data master key and from every
client's data key. To rotate it, configure the new key and id, keep the old
one as ``INTAKE_SEARCH_INDEX_PREVIOUS_KEY``/``..._KEY_ID`` (searches then try
both), run ``eocms search-index rebuild`` (re-hashes every row with the new
key from the decrypted details), then drop the previous key.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from chassis.eventstore.tables import events
from services.intake.adapters.tables import client_search_index
from services.intake.adapters.vault import PersonalDataVault
from services.intake.domain.personal_details import PersonalDetails
from services.intake.domain.reference import client_reference
from services.intake.domain.search_terms import birth_term, name_terms, normalise_name


@dataclass(frozen=True)
class IndexKey:
    """One HMAC key of the blind index and the id stored beside its digests."""

    key_id: str
    secret: bytes

    def __repr__(self) -> str:
        return f"IndexKey(key_id={self.key_id!r})"

    def digest(self, kind: str, term: str) -> str:
        """Hex HMAC-SHA256 of one normalised term, separated by kind."""
        return hmac.new(self.secret, f"{kind}:{term}".encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class ClientQuery:
    """A search: by any of name, birth date and reference (all given must match)."""

    name: str | None = None
    date_of_birth: date | None = None
    reference: str | None = None


class ClientSearchIndex:
    """Writes and queries the blind index with the current (and a previous) key."""

    def __init__(self, current: IndexKey, previous: IndexKey | None = None) -> None:
        self._current = current
        self._keys = [current] + ([previous] if previous else [])

    async def record(
        self,
        connection: AsyncConnection,
        client_id: UUID,
        site_id: str,
        registered_on: date,
        details: PersonalDetails,
    ) -> None:
        """Index a client inside the caller's transaction (replacing any older row)."""
        await self.erase(connection, client_id)
        await connection.execute(
            client_search_index.insert().values(
                client_id=str(client_id),
                site_id=site_id,
                registered_on=registered_on,
                reference=client_reference(client_id),
                **self._digests(details),
            )
        )

    @staticmethod
    async def erase(connection: AsyncConnection, client_id: UUID) -> None:
        """Remove a client from the index (erasure)."""
        await connection.execute(
            client_search_index.delete().where(client_search_index.c.client_id == str(client_id))
        )

    def _digests(self, details: PersonalDetails) -> dict[str, str]:
        key, names = self._current, name_terms(details)
        return {
            "key_id": key.key_id,
            "family_digest": key.digest("name", names["family"]),
            "full_name_digest": key.digest("name", names["full"]),
            "birth_digest": key.digest("birth", birth_term(details.date_of_birth)),
        }

    async def find(
        self,
        engine: AsyncEngine,
        sites: Collection[str] | None,
        query: ClientQuery,
        after: tuple | None,
        limit: int,
    ) -> list[RowMapping]:
        """Matching clients by registration date then id, at most ``limit + 1``."""
        t = client_search_index
        conditions = [] if sites is None else [t.c.site_id.in_(sorted(sites))]
        if query.name:
            term = normalise_name(query.name)
            digests = [key.digest("name", term) for key in self._keys]
            conditions.append(
                sa.or_(t.c.family_digest.in_(digests), t.c.full_name_digest.in_(digests))
            )
        if query.date_of_birth:
            term = birth_term(query.date_of_birth)
            conditions.append(t.c.birth_digest.in_([k.digest("birth", term) for k in self._keys]))
        if query.reference:
            conditions.append(t.c.reference == query.reference)
        if after is not None:
            conditions.append(sa.tuple_(t.c.registered_on, t.c.client_id) > sa.tuple_(*after))
        statement = (
            sa.select(t.c.client_id, t.c.site_id, t.c.registered_on, t.c.reference)
            .where(*conditions)
            .order_by(t.c.registered_on, t.c.client_id)
            .limit(limit + 1)
        )
        async with engine.connect() as connection:
            return list((await connection.execute(statement)).mappings())

    async def rebuild(self, engine: AsyncEngine, vault: PersonalDataVault) -> int:
        """Re-hash rows of older keys and index clients registered before the index existed.

        Answers the number of rows written. Safe to run while serving: each
        client is rewritten in its own short transaction.
        """
        t = client_search_index
        written = await self._index_missing(engine, vault)
        async with engine.connect() as connection:
            stale = (
                await connection.execute(
                    sa.select(t.c.client_id).where(t.c.key_id != self._current.key_id)
                )
            ).scalars()
            client_ids = [UUID(value) for value in stale]
        for client_id in client_ids:
            async with engine.begin() as connection:
                details = await vault.fetch(connection, client_id)
                if details is None:  # erased meanwhile: nothing to find it by
                    await self.erase(connection, client_id)
                    continue
                await connection.execute(
                    t.update()
                    .where(t.c.client_id == str(client_id))
                    .values(**self._digests(details))
                )
        return written + len(client_ids)

    async def _index_missing(self, engine: AsyncEngine, vault: PersonalDataVault) -> int:
        t = client_search_index
        registered = sa.select(events.c.stream_id, events.c.site_id, events.c.payload).where(
            events.c.event_type == "intake.ClientRegistered",
            ~sa.exists().where(
                t.c.client_id == sa.func.substr(events.c.stream_id, len("client-") + 1)
            ),
        )
        async with engine.connect() as connection:
            rows = list((await connection.execute(registered)).mappings())
        for row in rows:
            client_id = UUID(row["payload"]["client_id"])
            async with engine.begin() as connection:
                details = await vault.fetch(connection, client_id)
                if details is not None:
                    registered_on = date.fromisoformat(row["payload"]["registered_on"])
                    site_id = row["payload"]["site_id"]
                    await self.record(connection, client_id, site_id, registered_on, details)
        return len(rows)
