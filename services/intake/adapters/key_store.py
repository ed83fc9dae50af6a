"""The key store: each client's data key, kept apart from the data it encrypts.

Personal details are encrypted with a per-client data key (see
:mod:`.vault`). Those keys live here, in a database of their own
(``INTAKE_KEYSTORE_DATABASE_URL``; by default a SQLite file beside, not inside,
the data database), wrapped (AES-GCM) by a key-encryption key (KEK).

Why apart: erasing a client deletes their data key here. A backup of the data
database, taken before or after, holds only ciphertext and no keys, so on its
own it can never be decrypted; the key store is backed up on its own, shorter
schedule. Why wrapped: a copy of the key store alone is useless without the
KEK, which lives in the deployment's secret store (``INTAKE_PII_MASTER_KEY``).

The KEK is versioned. :class:`KeyRing` holds the current KEK and, during a
rotation, the previous one; :meth:`ClientKeyStore.rewrap` re-wraps every data
key still under an old KEK with the current one, in place (``eocms keys
rotate``), after which the old KEK can be destroyed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.migrate import migrate
from services.intake.adapters.cipher import new_data_key, unwrap_key, wrap_key

KEYSTORE_MIGRATIONS = Path(__file__).parent / "keystore_migrations" / "versions"
"""The key store's Alembic revisions (branch ``intake_keystore``), nothing else."""

keystore_metadata = sa.MetaData()

client_data_keys = sa.Table(
    "client_data_keys",
    keystore_metadata,
    sa.Column("client_id", sa.String(36), primary_key=True),
    sa.Column("wrapped_key", sa.LargeBinary, nullable=False),
    sa.Column("kek_version", sa.Integer, nullable=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
"""One row per client: the data key wrapped by KEK ``kek_version``. Deleting it shreds."""


class UnknownKeyEncryptionKey(Exception):
    """A data key is wrapped by a KEK version the key ring does not hold."""


@dataclass(frozen=True)
class KeyRing:
    """The current key-encryption key and, while rotating, older ones by version."""

    current_version: int
    keys: Mapping[int, bytes] = field(repr=False)

    def __post_init__(self) -> None:
        if self.current_version not in self.keys:
            raise ValueError("the key ring must hold its current KEK")
        if any(len(key) != 32 for key in self.keys.values()):
            raise ValueError("every KEK must be 32 bytes")

    @classmethod
    def single(cls, key: bytes, version: int = 1) -> KeyRing:
        """A ring of one KEK."""
        return cls(version, {version: key})

    def wrap(self, client_id: UUID, data_key: bytes) -> bytes:
        """``data_key`` wrapped by the current KEK, bound to ``client_id``."""
        return wrap_key(self.keys[self.current_version], client_id, data_key)

    def unwrap(self, client_id: UUID, wrapped: bytes, version: int) -> bytes:
        """The data key wrapped by KEK ``version``."""
        key = self.keys.get(version)
        if key is None:
            raise UnknownKeyEncryptionKey(f"no KEK version {version} in the key ring")
        return unwrap_key(key, client_id, wrapped)


class ClientKeyStore:
    """Per-client data keys in their own database, wrapped by the key ring's KEK."""

    def __init__(self, engine: AsyncEngine, keyring: KeyRing) -> None:
        self._engine = engine
        self._keyring = keyring

    def __repr__(self) -> str:
        return f"ClientKeyStore(kek_version={self._keyring.current_version})"

    @property
    def engine(self) -> AsyncEngine:
        """The key store's own database."""
        return self._engine

    def with_key_ring(self, keyring: KeyRing) -> ClientKeyStore:
        """The same store read and written with another key ring."""
        return ClientKeyStore(self._engine, keyring)

    async def open(self) -> None:
        """Create or upgrade the key store's table."""
        await migrate(self._engine, [KEYSTORE_MIGRATIONS], with_chassis_tables=False)

    async def close(self) -> None:
        """Release the key store's connections."""
        await self._engine.dispose()

    async def data_key(self, client_id: UUID) -> bytes | None:
        """The client's data key, or None if they have none (never stored, or erased)."""
        async with self._engine.connect() as connection:
            row = (
                await connection.execute(
                    sa.select(client_data_keys.c.wrapped_key, client_data_keys.c.kek_version).where(
                        client_data_keys.c.client_id == str(client_id)
                    )
                )
            ).one_or_none()
        if row is None:
            return None
        return self._keyring.unwrap(client_id, row.wrapped_key, row.kek_version)

    async def data_key_or_new(self, client_id: UUID) -> bytes:
        """The client's data key, created and committed first if they have none yet.

        Committed before any ciphertext under it is written elsewhere, so no
        ciphertext ever exists without its key (a key without ciphertext is
        harmless).
        """
        existing = await self.data_key(client_id)
        if existing is not None:
            return existing
        data_key = new_data_key()
        try:
            async with self._engine.begin() as connection:
                await connection.execute(
                    client_data_keys.insert().values(
                        client_id=str(client_id),
                        wrapped_key=self._keyring.wrap(client_id, data_key),
                        kek_version=self._keyring.current_version,
                        created_at=datetime.now(UTC),
                    )
                )
        except sa.exc.IntegrityError:
            concurrent = await self.data_key(client_id)
            if concurrent is None:
                raise
            return concurrent
        return data_key

    async def adopt(self, client_id: UUID, wrapped: bytes, kek_version: int) -> bool:
        """Keep a data key wrapped elsewhere by KEK ``kek_version``, unless the client has one.

        The key is unwrapped first (so a key the ring cannot read is refused,
        :class:`UnknownKeyEncryptionKey` or ``PersonalDataUnreadable``, never
        stored), then stored wrapped by the current KEK. Whether it was stored.
        """
        data_key = self._keyring.unwrap(client_id, wrapped, kek_version)
        if await self.data_key(client_id) is not None:
            return False
        try:
            async with self._engine.begin() as connection:
                await connection.execute(
                    client_data_keys.insert().values(
                        client_id=str(client_id),
                        wrapped_key=self._keyring.wrap(client_id, data_key),
                        kek_version=self._keyring.current_version,
                        created_at=datetime.now(UTC),
                    )
                )
        except sa.exc.IntegrityError:
            return False  # adopted concurrently (another instance starting)
        return True

    async def destroy(self, client_id: UUID) -> bool:
        """Delete the client's data key for good; whether there was one."""
        async with self._engine.begin() as connection:
            result = await connection.execute(
                client_data_keys.delete().where(client_data_keys.c.client_id == str(client_id))
            )
        return bool(result.rowcount)

    async def rewrap(self, *, batch_size: int = 500) -> int:
        """Re-wrap every data key not under the current KEK; how many were re-wrapped.

        Works in batches, each its own transaction, so a large store never holds
        one long lock and an interrupted rotation resumes where it stopped.
        """
        current = self._keyring.current_version
        done = 0
        while True:
            async with self._engine.begin() as connection:
                rows = (
                    await connection.execute(
                        sa.select(client_data_keys)
                        .where(client_data_keys.c.kek_version != current)
                        .limit(batch_size)
                    )
                ).all()
                for row in rows:
                    client_id = UUID(row.client_id)
                    data_key = self._keyring.unwrap(client_id, row.wrapped_key, row.kek_version)
                    await connection.execute(
                        client_data_keys.update()
                        .where(client_data_keys.c.client_id == row.client_id)
                        .where(client_data_keys.c.kek_version == row.kek_version)
                        .values(
                            wrapped_key=self._keyring.wrap(client_id, data_key),
                            kek_version=current,
                        )
                    )
            done += len(rows)
            if len(rows) < batch_size:
                return done

    async def versions_in_use(self) -> dict[int, int]:
        """How many data keys each KEK version wraps."""
        async with self._engine.connect() as connection:
            rows = await connection.execute(
                sa.select(client_data_keys.c.kek_version, sa.func.count()).group_by(
                    client_data_keys.c.kek_version
                )
            )
            return {version: count for version, count in rows.all()}
