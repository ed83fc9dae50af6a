"""The personal-data vault: each client's details encrypted under their own data key.

The ciphertext is written with the connection of the caller's transaction, so
details are stored atomically with the events of the same unit of work. The
data keys are not: they live in the :class:`ClientKeyStore`, a separate
database, and a new key is committed there before any ciphertext under it.
Nothing here logs values. Erasing a client destroys their data key
(crypto-shredding) and deletes the ciphertext: any copy of the data database,
a backup included, holds ciphertext that can no longer be read.
"""

from __future__ import annotations

from uuid import UUID

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncConnection

from services.intake.adapters.cipher import Sealed, seal, unseal
from services.intake.adapters.key_store import ClientKeyStore
from services.intake.adapters.tables import client_personal_details
from services.intake.domain import PersonalDetails

CIPHERTEXT_FORMAT = 1
"""Stored in ``key_version`` beside each ciphertext: AES-GCM under the client's data key."""


class PersonalDataVault:
    """Stores, reads and shreds personal details; data keys come from the key store."""

    def __init__(self, keys: ClientKeyStore) -> None:
        self._keys = keys

    def __repr__(self) -> str:
        return f"PersonalDataVault({self._keys!r})"

    @property
    def key_store(self) -> ClientKeyStore:
        """Where the per-client data keys live."""
        return self._keys

    async def store(
        self, connection: AsyncConnection, client_id: UUID, details: PersonalDetails
    ) -> None:
        """Encrypt and write a client's details, creating their data key on first use."""
        data_key = await self._keys.data_key_or_new(client_id)
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
                key_version=CIPHERTEXT_FORMAT,
            )
        )

    async def fetch(self, connection: AsyncConnection, client_id: UUID) -> PersonalDetails | None:
        """A client's decrypted details, or None if none are stored or the key was erased."""
        row = (
            await connection.execute(
                sa.select(
                    client_personal_details.c.nonce, client_personal_details.c.ciphertext
                ).where(client_personal_details.c.client_id == str(client_id))
            )
        ).one_or_none()
        if row is None:
            return None
        data_key = await self._keys.data_key(client_id)
        if data_key is None:
            return None
        plaintext = unseal(data_key, client_id, Sealed(row.nonce, row.ciphertext))
        return PersonalDetails.model_validate_json(plaintext)

    async def erase(self, connection: AsyncConnection, client_id: UUID) -> None:
        """Shred a client's personal data: destroy their key, then delete the ciphertext.

        The key is destroyed (and committed in the key store) first: from that
        moment no copy of the ciphertext anywhere can be read, whatever happens
        to the caller's transaction.
        """
        await self._keys.destroy(client_id)
        await connection.execute(
            client_personal_details.delete().where(
                client_personal_details.c.client_id == str(client_id)
            )
        )
