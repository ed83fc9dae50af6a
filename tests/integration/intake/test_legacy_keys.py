"""Clients registered before the key store keep their personal details.

A data database at intake's first schema (``i0001``) holds a client, their
encrypted details and their data key in the legacy ``client_keys`` table.
After the upgrade and intake's start, the details still decrypt, the key is
in the key store (under the current KEK), and the legacy table is gone.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from pydantic import SecretStr
from typer.testing import CliRunner

from chassis.database import create_engine
from chassis.eventstore import PendingEvent, unit_of_work
from chassis.http import AuthSettings
from chassis.settings import KafkaSettings
from contracts.envelope import EventMetadata
from eocms.cli import app as cli
from services.intake.adapters import MIGRATIONS
from services.intake.adapters.cipher import new_data_key, seal, wrap_key
from services.intake.adapters.key_store import ClientKeyStore, client_data_keys
from services.intake.adapters.legacy_keys import (
    LegacyKeysUnreadable,
    legacy_client_keys,
    move_legacy_keys,
)
from services.intake.adapters.tables import client_directory, client_personal_details
from services.intake.bootstrap import create_app
from services.intake.domain import PersonalDetails
from services.intake.settings import IntakeSettings
from tests.integration.http.calls import client_for
from tests.integration.intake.conftest import Tokens
from tests.support.events import client_registered
from tests.support.migrations import migrate_to

DETAILS = PersonalDetails(
    given_name="Oriel", family_name="Vantongeren", date_of_birth=date(1980, 4, 2)
)


async def a_client_of_the_first_schema(settings: IntakeSettings) -> uuid.UUID:
    """A data database at ``i0001`` holding one client, their details and their legacy key."""
    url = settings.resolved_database_url()
    await migrate_to(url, [MIGRATIONS], ["i0001"])
    client_id, data_key = uuid.uuid4(), new_data_key()
    master_key = settings.key_ring().keys[settings.pii_key_version]
    sealed = seal(data_key, client_id, DETAILS.model_dump_json().encode())
    metadata = EventMetadata(correlation_id=uuid.uuid4(), actor="alice", site_id="S001")
    registered = PendingEvent(
        payload=client_registered(client_id),
        metadata=metadata,
        occurred_at=datetime(2012, 5, 1, tzinfo=UTC),
    )
    engine = create_engine(url)
    try:
        async with unit_of_work(engine) as uow:
            await uow.append(f"client-{client_id}", 0, [registered])
            rows: dict[sa.Table, dict[str, Any]] = {
                client_directory: {"client_id": str(client_id), "site_id": "S001"},
                client_personal_details: {
                    "client_id": str(client_id),
                    "nonce": sealed.nonce,
                    "ciphertext": sealed.ciphertext,
                    "key_version": 1,
                },
                legacy_client_keys: {
                    "client_id": str(client_id),
                    "wrapped_key": wrap_key(master_key, client_id, data_key),
                    "key_version": settings.pii_key_version,
                    "created_at": datetime(2012, 5, 1, tzinfo=UTC),
                },
            }
            for table, row in rows.items():
                await uow.connection.execute(table.insert().values(**row))
    finally:
        await engine.dispose()
    return client_id


async def has_legacy_table(app: FastAPI) -> bool:
    async with app.state.intake.engine.connect() as connection:
        return await connection.run_sync(lambda sync: sa.inspect(sync).has_table("client_keys"))


async def test_a_client_of_the_first_schema_keeps_their_details_after_the_upgrade(
    settings: IntakeSettings, auth: AuthSettings, token: Tokens
) -> None:
    client_id = await a_client_of_the_first_schema(settings)

    app = create_app(settings, KafkaSettings(bootstrap_servers=None), auth=auth)
    async with app.router.lifespan_context(app), client_for(app) as http:
        read = await http.get(
            f"/clients/{client_id}", headers={"Authorization": f"Bearer {token()}"}
        )
        assert read.status_code == 200, read.text
        details = read.json()["personal_details"]
        assert (details["given_name"], details["family_name"]) == ("Oriel", "Vantongeren")
        assert not await has_legacy_table(app)
        key_store: ClientKeyStore = app.state.intake.vault.key_store
        async with key_store.engine.connect() as connection:
            stored = await connection.scalar(
                sa.select(sa.func.count())
                .select_from(client_data_keys)
                .where(client_data_keys.c.client_id == str(client_id))
            )
        assert stored == 1
        # A second run (another instance starting) finds nothing left to move.
        assert await move_legacy_keys(app.state.intake.engine, key_store) == 0

    again = create_app(settings, KafkaSettings(bootstrap_servers=None), auth=auth)
    async with again.router.lifespan_context(again), client_for(again) as http:
        read = await http.get(
            f"/clients/{client_id}", headers={"Authorization": f"Bearer {token()}"}
        )
        assert read.json()["personal_details"]["given_name"] == "Oriel"


async def test_a_legacy_key_the_master_key_cannot_unwrap_stops_the_start_and_is_kept(
    settings: IntakeSettings, auth: AuthSettings
) -> None:
    other_master = settings.model_copy(update={"pii_master_key": SecretStr("B" * 43 + "=")})
    await a_client_of_the_first_schema(other_master)

    app = create_app(settings, KafkaSettings(bootstrap_servers=None), auth=auth)
    with pytest.raises(LegacyKeysUnreadable, match="legacy table 'client_keys' cannot be"):
        async with app.router.lifespan_context(app):
            pass
    engine = create_engine(settings.resolved_database_url())
    try:
        async with engine.connect() as connection:
            kept = await connection.scalar(
                sa.select(sa.func.count()).select_from(legacy_client_keys)
            )
    finally:
        await engine.dispose()
    assert kept == 1


async def test_keys_migrate_legacy_moves_the_keys_without_starting_intake(tmp_path: Path) -> None:
    settings = IntakeSettings(data_dir=tmp_path)
    client_id = await a_client_of_the_first_schema(settings)
    env = {"INTAKE_DATA_DIR": str(tmp_path)}

    moved = await asyncio.to_thread(CliRunner().invoke, cli, ["keys", "migrate-legacy"], env=env)
    again = await asyncio.to_thread(CliRunner().invoke, cli, ["keys", "migrate-legacy"], env=env)

    assert moved.exit_code == 0, moved.output
    assert "moved 1 legacy data key(s)" in moved.output
    assert "moved 0 legacy data key(s)" in again.output
    store = ClientKeyStore(create_engine(settings.resolved_keystore_url()), settings.key_ring())
    try:
        assert await store.data_key(client_id) is not None
    finally:
        await store.close()
