"""``eocms keys``: intake's key-encryption key, rotated in place.

Rotation without downtime:

1. generate a new master key (``openssl rand -base64 32``);
2. deploy it as ``INTAKE_PII_MASTER_KEY`` with ``INTAKE_PII_KEY_VERSION``
   raised by one, and the old one as ``INTAKE_PII_PREVIOUS_MASTER_KEY`` with
   its version in ``INTAKE_PII_PREVIOUS_KEY_VERSION``: services read keys
   wrapped by either and wrap new ones with the new key;
3. run ``eocms keys rotate`` with the same environment: every data key still
   wrapped by the old master key is re-wrapped by the new one, in batches;
4. ``eocms keys status`` shows only the new version: remove the previous key
   from the deployment and destroy it.

Data keys of intake's first schema (the ``client_keys`` table of the data
database) move into the key store when intake starts, or with ``eocms keys
migrate-legacy``; ``rotate`` moves them first too, so none is left wrapped
by a master key about to be destroyed.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from chassis.database import create_engine
from chassis.devmode import InsecureKeyMaterial
from services.intake.adapters import ClientKeyStore
from services.intake.adapters.legacy_keys import LegacyKeysUnreadable, move_legacy_keys
from services.intake.settings import IntakeSettings

app = typer.Typer(help="Intake's key store: master key rotation and status.", no_args_is_help=True)


def key_store_from_settings(settings: IntakeSettings) -> ClientKeyStore:
    """The key store the settings describe, with the configured key ring."""
    try:
        return ClientKeyStore(
            create_engine(settings.resolved_keystore_url(), pool_size=1), settings.key_ring()
        )
    except (InsecureKeyMaterial, ValueError) as error:
        Console(stderr=True).print(f"[red]{error}[/red]")
        raise typer.Exit(code=2) from None


async def _move_legacy_keys(settings: IntakeSettings, store: ClientKeyStore) -> int:
    """Adopt the data database's legacy keys, if it exists and holds any."""
    engine = create_engine(settings.resolved_database_url(), pool_size=1)
    if engine.url.get_backend_name() == "sqlite":
        exists = await asyncio.to_thread(Path(str(engine.url.database)).is_file)
        if not exists:
            await engine.dispose()
            return 0  # no data database yet: nothing legacy (and none is created here)
    try:
        return await move_legacy_keys(engine, store)
    except LegacyKeysUnreadable as error:
        Console(stderr=True).print(f"[red]{error}[/red]")
        raise typer.Exit(code=2) from None
    finally:
        await engine.dispose()


@app.command("migrate-legacy")
def migrate_legacy() -> None:
    """Move data keys of intake's first schema from the data database into the key store."""
    settings = IntakeSettings()
    store = key_store_from_settings(settings)

    async def run() -> int:
        try:
            await store.open()
            return await _move_legacy_keys(settings, store)
        finally:
            await store.close()

    typer.echo(f"moved {asyncio.run(run())} legacy data key(s) into the key store")


@app.command()
def rotate(
    batch_size: Annotated[int, typer.Option(min=1, max=10_000, help="Keys per transaction.")] = 500,
) -> None:
    """Re-wrap every client data key with the current master key (INTAKE_PII_MASTER_KEY)."""
    settings = IntakeSettings()
    store = key_store_from_settings(settings)

    async def run() -> tuple[int, dict[int, int]]:
        try:
            await store.open()
            await _move_legacy_keys(settings, store)
            rewrapped = await store.rewrap(batch_size=batch_size)
            return rewrapped, await store.versions_in_use()
        finally:
            await store.close()

    rewrapped, versions = asyncio.run(run())
    typer.echo(f"re-wrapped {rewrapped} data key(s); keys per master-key version: {versions}")


@app.command()
def status() -> None:
    """How many client data keys each master-key version wraps."""
    store = key_store_from_settings(IntakeSettings())

    async def run() -> dict[int, int]:
        try:
            await store.open()
            return await store.versions_in_use()
        finally:
            await store.close()

    typer.echo(f"keys per master-key version: {asyncio.run(run())}")
