"""Moving the data keys of intake's first schema out of the data database.

Before the key store existed, each client's data key was kept, wrapped by
the master key, in a ``client_keys`` table of the data database. Migration
``i0002_keys`` leaves that table in place; at start, before HTTP serves,
:func:`move_legacy_keys` adopts every row into the :class:`ClientKeyStore`
(unwrapped with the key ring, so a key it cannot read stops the start and
nothing is dropped), and only then drops the legacy table. Idempotent: a
start interrupted between the copy and the drop copies nothing twice (a
client who already has a key in the store keeps it) and drops the table on
the next start. A database without the table is left alone.
"""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.intake.adapters.cipher import PersonalDataUnreadable
from services.intake.adapters.key_store import ClientKeyStore, UnknownKeyEncryptionKey

LEGACY_TABLE = "client_keys"

legacy_client_keys = sa.Table(
    LEGACY_TABLE,
    sa.MetaData(),
    sa.Column("client_id", sa.String(36), primary_key=True),
    sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
    sa.Column("key_version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
"""The data database's key table of revision ``i0001`` (read, then dropped)."""


class LegacyKeysUnreadable(RuntimeError):
    """Legacy data keys the configured master keys cannot unwrap: nothing was dropped."""


async def move_legacy_keys(data_engine: AsyncEngine, key_store: ClientKeyStore) -> int:
    """Adopt every legacy key into the key store, then drop the legacy table; how many moved."""
    async with data_engine.connect() as connection:
        present = await connection.run_sync(lambda sync: sa.inspect(sync).has_table(LEGACY_TABLE))
        if not present:
            return 0
        rows = (await connection.execute(sa.select(legacy_client_keys))).all()
    moved, unreadable = 0, []
    for row in rows:
        try:
            moved += await key_store.adopt(UUID(row.client_id), row.wrapped_key, row.key_version)
        except (UnknownKeyEncryptionKey, PersonalDataUnreadable):
            unreadable.append(row.client_id)
    if unreadable:
        raise LegacyKeysUnreadable(
            f"{len(unreadable)} data key(s) in the legacy table {LEGACY_TABLE!r} cannot be "
            "unwrapped with the configured master key(s) (INTAKE_PII_MASTER_KEY, or "
            "INTAKE_PII_PREVIOUS_MASTER_KEY with its version): configure the key they were "
            "wrapped with and start again; the legacy table is kept"
        )
    async with data_engine.begin() as connection:
        await connection.run_sync(lambda sync: legacy_client_keys.drop(sync, checkfirst=True))
    return moved
