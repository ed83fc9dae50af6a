"""The personal-data vault: each client's details encrypted under their own key.

Every method takes the connection of the caller's transaction, so details are
written atomically with the events of the same unit of work. Nothing here
logs values. Erasing a client deletes their wrapped key (crypto-shredding):
the ciphertext left anywhere, a backup included, can no longer be read.
"""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.intake.adapters.cipher import Sealed, new_data_key, seal, unseal, unwrap_key, wrap_key
from services.intake.adapters.tables import client_keys, client_personal_details
from services.intake.domain import PersonalDetails


class PersonalDataVault:
    """Stores, reads and shreds personal details with a master key that wraps data keys."""

    def __init__(self, master_key: bytes, *, key_version: int = 1) -> None:
        if len(master_key) != 32:
            raise ValueError("the master key must be 32 bytes")
        self._master_key = master_key
        self._key_version = key_version

    def __repr__(self) -> str:
        return f"PersonalDataVault(key_version={self._key_version})"

    async def store(
        self, connection: AsyncConnection, client_id: UUID, details: PersonalDetails
    ) -> None:
        """Encrypt and write a client's details, creating their data key on first use."""
        data_key = await self._data_key(connection, client_id)
        if data_key is None:
            data_key = new_data_key()
            await connection.execute(
                client_keys.insert().values(
                    client_id=str(client_id),
                    wrapped_key=wrap_key(self._master_key, client_id, data_key),
                    key_version=self._key_version,
                    created_at=datetime.now(UTC),
                )
            )
        sealed = seal(data_key, client_id, details.model_dump_json().encode())
        key = str(client_id)
        await connection.execute(
            client_personal_details.delete().where(client_personal_details.c.client_id == key)
        )
        await connection.execute(
            client_personal_details.insert().values(
                client_id=key,
                nonce=sealed.nonce,
                ciphertext=sealed.ciphertext,
                key_version=self._key_version,
            )
        )

    async def fetch(self, connection: AsyncConnection, client_id: UUID) -> PersonalDetails | None:
        """A client's decrypted details, or None if none are stored or the key was erased."""
        data_key = await self._data_key(connection, client_id)
        if data_key is None:
            return None
        row = (
            await connection.execute(
                sa.select(
                    client_personal_details.c.nonce, client_personal_details.c.ciphertext
                ).where(client_personal_details.c.client_id == str(client_id))
            )
        ).one_or_none()
        if row is None:
            return None
        plaintext = unseal(data_key, client_id, Sealed(row.nonce, row.ciphertext))
        return PersonalDetails.model_validate_json(plaintext)

    async def erase(self, connection: AsyncConnection, client_id: UUID) -> None:
        """Shred a client's personal data by deleting their key (and the ciphertext)."""
        key = str(client_id)
        await connection.execute(client_keys.delete().where(client_keys.c.client_id == key))
        await connection.execute(
            client_personal_details.delete().where(client_personal_details.c.client_id == key)
        )

    async def _data_key(self, connection: AsyncConnection, client_id: UUID) -> bytes | None:
        wrapped = (
            await connection.execute(
                sa.select(client_keys.c.wrapped_key).where(
                    client_keys.c.client_id == str(client_id)
                )
            )
        ).scalar_one_or_none()
        return None if wrapped is None else unwrap_key(self._master_key, client_id, wrapped)
