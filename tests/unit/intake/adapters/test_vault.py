"""The personal-data vault on SQLite: round trip, ciphertext only, wrong master key, shredding."""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncEngine

from services.intake.adapters import KeyRing, PersonalDataUnreadable, PersonalDataVault
from services.intake.adapters.key_store import client_data_keys
from services.intake.adapters.tables import client_personal_details
from tests.unit.intake.factories import personal_details


async def test_stored_details_come_back_decrypted(
    engine: AsyncEngine, vault: PersonalDataVault
) -> None:
    client_id = uuid.uuid4()
    async with engine.begin() as connection:
        await vault.store(connection, client_id, personal_details())
    async with engine.connect() as connection:
        assert await vault.fetch(connection, client_id) == personal_details()


async def test_only_ciphertext_and_a_wrapped_key_are_stored(
    engine: AsyncEngine, vault: PersonalDataVault
) -> None:
    async with engine.begin() as connection:
        await vault.store(connection, uuid.uuid4(), personal_details())
        rows = [*(await connection.execute(sa.select(client_personal_details))).all()]
    async with vault.key_store.engine.connect() as connection:
        rows += (await connection.execute(sa.select(client_data_keys))).all()
    stored = repr(rows)
    for value in ("Zorawelle", "Quennington", "046454286", "example.org", "1980"):
        assert value not in stored


async def test_another_master_key_cannot_read_the_details(
    engine: AsyncEngine, vault: PersonalDataVault
) -> None:
    client_id = uuid.uuid4()
    async with engine.begin() as connection:
        await vault.store(connection, client_id, personal_details())
        with pytest.raises(PersonalDataUnreadable):
            other_ring = vault.key_store.with_key_ring(KeyRing.single(os.urandom(32)))
            await PersonalDataVault(other_ring).fetch(connection, client_id)


async def test_a_row_copied_to_another_client_cannot_be_read(
    engine: AsyncEngine, vault: PersonalDataVault
) -> None:
    victim, thief = uuid.uuid4(), uuid.uuid4()
    async with engine.begin() as connection:
        await vault.store(connection, victim, personal_details())
        await vault.store(connection, thief, personal_details(given_name="Other"))
        stolen = (
            await connection.execute(
                sa.select(client_personal_details).where(
                    client_personal_details.c.client_id == str(victim)
                )
            )
        ).one()
        await connection.execute(
            client_personal_details.update()
            .where(client_personal_details.c.client_id == str(thief))
            .values(nonce=stolen.nonce, ciphertext=stolen.ciphertext)
        )
        with pytest.raises(PersonalDataUnreadable):
            await vault.fetch(connection, thief)


async def test_erasing_shreds_the_details(engine: AsyncEngine, vault: PersonalDataVault) -> None:
    client_id = uuid.uuid4()
    async with engine.begin() as connection:
        await vault.store(connection, client_id, personal_details())
        await vault.erase(connection, client_id)
        assert await vault.fetch(connection, client_id) is None
