"""`eocms keys rotate` re-wraps data keys in place; `eocms clients erase` shreds a client."""

from __future__ import annotations

import asyncio
import base64
import os
import uuid
from pathlib import Path

from typer.testing import CliRunner

from chassis.database import create_engine
from chassis.http import AuthSettings
from chassis.settings import KafkaSettings
from eocms.cli import app as cli
from services.intake.adapters import ClientKeyStore, KeyRing
from services.intake.bootstrap import create_app
from services.intake.settings import IntakeSettings
from tests.integration.http.calls import bearer, client_for, new_key
from tests.integration.intake.bodies import registration
from tests.integration.intake.conftest import Tokens
from tests.integration.intake.stored_rows import event_types

OLD, NEW = os.urandom(32), os.urandom(32)


async def invoke(arguments: list[str], env: dict[str, str]):  # type: ignore[no-untyped-def]
    """Run the CLI in a thread: its commands run their own event loop."""
    return await asyncio.to_thread(CliRunner().invoke, cli, arguments, env=env)


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


async def registered_client(tmp_path: Path, auth: AuthSettings, token: Tokens) -> str:
    settings = IntakeSettings(data_dir=tmp_path, pii_master_key=b64(OLD))
    app = create_app(settings, KafkaSettings(bootstrap_servers=None), auth=auth)
    async with app.router.lifespan_context(app), client_for(app) as http:
        response = await http.post(
            "/clients", json=registration(), headers=bearer(token(), key=new_key())
        )
    assert response.status_code == 201
    return response.json()["client_id"]


async def data_key(tmp_path: Path, ring: KeyRing, client_id: str) -> bytes | None:
    store = ClientKeyStore(
        create_engine(f"sqlite+aiosqlite:///{tmp_path / 'intake-keys.db'}"), ring
    )
    try:
        return await store.data_key(uuid.UUID(client_id))
    finally:
        await store.close()


async def test_rotation_rewraps_every_data_key_with_the_new_master_key(
    tmp_path: Path, auth: AuthSettings, token: Tokens
) -> None:
    client_id = await registered_client(tmp_path, auth, token)
    original = await data_key(tmp_path, KeyRing.single(OLD), client_id)
    env = {
        "INTAKE_DATA_DIR": str(tmp_path),
        "INTAKE_PII_MASTER_KEY": b64(NEW),
        "INTAKE_PII_KEY_VERSION": "2",
        "INTAKE_PII_PREVIOUS_MASTER_KEY": b64(OLD),
        "INTAKE_PII_PREVIOUS_KEY_VERSION": "1",
    }

    result = await invoke(["keys", "rotate"], env)

    assert result.exit_code == 0, result.output
    assert "re-wrapped 1 data key(s)" in result.output
    assert "{2: 1}" in result.output
    assert await data_key(tmp_path, KeyRing.single(NEW, version=2), client_id) == original
    again = await invoke(["keys", "rotate"], env)
    assert "re-wrapped 0 data key(s)" in again.output


async def test_clients_erase_shreds_the_details_and_records_the_operator(
    tmp_path: Path, auth: AuthSettings, token: Tokens
) -> None:
    client_id = await registered_client(tmp_path, auth, token)
    env = {"INTAKE_DATA_DIR": str(tmp_path), "INTAKE_PII_MASTER_KEY": b64(OLD)}

    result = await invoke(["clients", "erase", client_id, "--actor", "ops-1"], env)

    assert result.exit_code == 0, result.output
    assert await data_key(tmp_path, KeyRing.single(OLD), client_id) is None
    settings = IntakeSettings(data_dir=tmp_path, pii_master_key=b64(OLD))
    app = create_app(settings, KafkaSettings(bootstrap_servers=None))
    assert (await event_types(app))[-1] == "intake.ClientPersonalDetailsErased"
    unknown = await invoke(["clients", "erase", str(uuid.uuid4()), "--actor", "ops-1"], env)
    assert unknown.exit_code == 1
