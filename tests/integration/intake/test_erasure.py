"""Erasure: role-restricted, audited without personal data, and it reaches backups.

The backup test takes a real backup of the data database before the erasure
(``pg_dump`` on PostgreSQL, SQLite's online backup otherwise), restores it,
and shows that its personal details are readable while the client's key
exists and unreadable for good once the client is erased, while the backup
itself never held a key.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import uuid
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from chassis.database import create_engine
from chassis.http import Role
from services.intake.adapters.tables import client_personal_details
from services.intake.settings import IntakeSettings
from tests.integration.http.calls import bearer, new_key
from tests.integration.intake.bodies import GIVEN_NAME, PERSONAL_VALUES, registration
from tests.integration.intake.conftest import Tokens
from tests.integration.intake.stored_rows import event_and_outbox_text, event_types
from tests.support.postgres import DatabaseFactory


async def register(http: httpx.AsyncClient, token: Tokens) -> str:
    response = await http.post(
        "/clients", json=registration(), headers=bearer(token(), key=new_key())
    )
    assert response.status_code == 201, response.text
    return response.json()["client_id"]


async def erase(http: httpx.AsyncClient, token: str, client_id: str) -> httpx.Response:
    return await http.post(f"/clients/{client_id}/erasure", headers=bearer(token, key=new_key()))


async def test_a_site_manager_erases_and_the_erasure_is_audited_without_personal_data(
    app: FastAPI, http: httpx.AsyncClient, token: Tokens
) -> None:
    client_id = await register(http, token)
    manager = token(Role.SITE_MANAGER, subject="manager-7")

    response = await erase(http, manager, client_id)

    assert response.status_code == 200, response.text
    assert response.json()["personal_details_erased"] is True
    read = await http.get(f"/clients/{client_id}", headers=bearer(token()))
    assert read.status_code == 200
    assert read.json()["personal_details"] is None
    assert (await event_types(app))[-1] == "intake.ClientPersonalDetailsErased"
    stored = await event_and_outbox_text(app)
    assert "manager-7" in stored
    for value in PERSONAL_VALUES:
        assert value not in stored
    again = await erase(http, manager, client_id)
    assert again.status_code == 200
    assert (await event_types(app)).count("intake.ClientPersonalDetailsErased") == 1


async def test_caseworkers_and_analysts_may_not_erase_and_other_sites_look_unknown(
    http: httpx.AsyncClient, token: Tokens
) -> None:
    client_id = await register(http, token)
    assert (await erase(http, token(Role.CASEWORKER), client_id)).status_code == 403
    assert (await erase(http, token(Role.MINISTRY_ANALYST), client_id)).status_code == 403
    other_site = token(Role.SITE_MANAGER, sites=("S002",))
    hidden = await erase(http, other_site, client_id)
    unknown = await erase(http, other_site, str(uuid.uuid4()))
    assert hidden.status_code == unknown.status_code == 404
    assert hidden.json()["detail"] == unknown.json()["detail"]
    read = await http.get(f"/clients/{client_id}", headers=bearer(token()))
    assert read.json()["personal_details"]["given_name"] == GIVEN_NAME


async def backup_and_restore(settings: IntakeSettings, workdir: Path, factory) -> str:  # type: ignore[no-untyped-def]
    """Back up the data database, restore it elsewhere; the restored copy's URL."""
    url = settings.resolved_database_url()
    if url.startswith("sqlite"):
        source = make_url(url).database
        target = workdir / "restored-intake.db"
        with sqlite3.connect(source) as live, sqlite3.connect(target) as copy:
            live.backup(copy)
        return f"sqlite+aiosqlite:///{target}"
    dump = workdir / "intake-backup.sql"
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    process = await asyncio.create_subprocess_exec(
        shutil.which("pg_dump") or "pg_dump", "--no-owner", f"--dbname={dsn}", f"--file={dump}"
    )
    assert await process.wait() == 0
    text = dump.read_text()
    assert "client_personal_details" in text
    assert "wrapped_key" not in text and "client_data_keys" not in text
    restored = await factory()
    restored_dsn = (
        make_url(restored).set(drivername="postgresql").render_as_string(hide_password=False)
    )
    # The factory migrated the new database; restore into a clean schema instead.
    for statement in ("DROP SCHEMA public CASCADE", "CREATE SCHEMA public"):
        process = await asyncio.create_subprocess_exec(
            "psql", "-q", f"--dbname={restored_dsn}", "-c", statement
        )
        assert await process.wait() == 0
    process = await asyncio.create_subprocess_exec(
        "psql",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        f"--dbname={restored_dsn}",
        f"--file={dump}",
        stdout=asyncio.subprocess.DEVNULL,
    )
    assert await process.wait() == 0
    return restored


async def test_a_backup_taken_before_erasure_cannot_be_decrypted_after_it(
    request: pytest.FixtureRequest,
    app: FastAPI,
    http: httpx.AsyncClient,
    token: Tokens,
    settings: IntakeSettings,
    tmp_path: Path,
) -> None:
    client_id = await register(http, token)
    factory: DatabaseFactory | None = (
        request.getfixturevalue("postgres_database_factory") if settings.database_url else None
    )
    restored = create_engine(await backup_and_restore(settings, tmp_path, factory))
    vault = app.state.intake.vault
    try:
        async with restored.connect() as connection:
            ciphertext = (
                await connection.execute(sa.select(client_personal_details.c.ciphertext))
            ).scalar_one()
            before = await vault.fetch(connection, uuid.UUID(client_id))
        assert before is not None and before.given_name == GIVEN_NAME
        assert GIVEN_NAME.encode() not in ciphertext

        response = await erase(http, token(Role.ADMIN), client_id)
        assert response.status_code == 200

        async with restored.connect() as connection:
            assert await vault.fetch(connection, uuid.UUID(client_id)) is None
            still_there = (
                await connection.execute(sa.select(client_personal_details.c.ciphertext))
            ).scalar_one()
        assert still_there == ciphertext, "the backup keeps its ciphertext, now unreadable"
        assert await vault.key_store.data_key(uuid.UUID(client_id)) is None
    finally:
        await restored.dispose()
