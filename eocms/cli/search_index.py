"""``eocms search-index rebuild``: re-hash intake's client search index with the current key.

Part of rotating ``INTAKE_SEARCH_INDEX_KEY`` (docs/operations.md, "Rotate the
client search index key"): with the new key configured and the old one kept
as ``INTAKE_SEARCH_INDEX_PREVIOUS_KEY``, this rewrites every row made with
another key (and indexes clients registered before the index existed). It
reads intake's database with intake's settings, decrypting each client's
details with the PII master key, one client per transaction.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from chassis.database import create_engine
from chassis.http import AuthSettings
from eocms.cli.migrate import migrate_service_database

app = typer.Typer(help="Intake's client search (blind) index.", no_args_is_help=True)


@app.command("rebuild")
def rebuild(
    database_url: Annotated[
        str | None, typer.Option("--database-url", help="Default: INTAKE_DATABASE_URL.")
    ] = None,
) -> None:
    """Re-hash the search index with the current key; index clients not yet in it."""
    from eocms.cli.keys import key_store_from_settings
    from services.intake.adapters import PersonalDataVault
    from services.intake.bootstrap import search_index_for
    from services.intake.settings import IntakeSettings

    settings = IntakeSettings()
    production = AuthSettings().mode == "prod"
    store = key_store_from_settings(settings)
    vault = PersonalDataVault(store)
    index = search_index_for(settings, production=production)
    url = database_url or settings.resolved_database_url()

    async def run() -> int:
        await migrate_service_database("intake", url)  # the index's table may be new
        engine = create_engine(url, pool_size=1)
        try:
            await store.open()
            return await index.rebuild(engine, vault)
        finally:
            await store.close()
            await engine.dispose()

    count = asyncio.run(run())
    Console(stderr=True).print(
        f"search index: {count} client(s) re-hashed with key {settings.search_index_key_id}"
    )
