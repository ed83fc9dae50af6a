"""``eocms clients erase``: erase a client's personal details from the command line.

The same use case as ``POST /clients/{id}/erasure``: the client's data key is
destroyed in the key store and ``intake.ClientPersonalDetailsErased`` is
appended (the relay publishes it when intake runs). ``--actor`` names the
operator for the audit trail; it is recorded as ``cli:<actor>``.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import Annotated
from uuid import UUID, uuid4

import typer
from rich.console import Console

from chassis.clock import site_clock
from chassis.database import create_engine
from contracts.envelope import EventMetadata
from eocms.cli.keys import key_store_from_settings
from services.intake.adapters import ClientDirectory, ClientRepository, PersonalDataVault
from services.intake.app import UnknownClient, erase_personal_details
from services.intake.settings import IntakeSettings

app = typer.Typer(help="Client records held by intake.", no_args_is_help=True)


@app.command()
def erase(
    client_id: Annotated[UUID, typer.Argument(help="The client's pseudonymous id.")],
    actor: Annotated[
        str,
        typer.Option("--actor", help="Who asks for the erasure (recorded as cli:<actor>)."),
    ],
) -> None:
    """Erase a client's personal details for good (crypto-shredding), audited as an event."""
    settings = IntakeSettings()
    store = key_store_from_settings(settings)

    async def run() -> int:
        engine = create_engine(settings.resolved_database_url(), pool_size=1)
        try:
            await store.open()
            site_id = await ClientDirectory(engine).site_of(client_id)
            if site_id is None:
                raise UnknownClient(f"no client {client_id}")
            today: date = site_clock(settings.time_zone)()
            client = await erase_personal_details(
                client_id=client_id,
                erased_on=today,
                metadata=EventMetadata(
                    correlation_id=uuid4(), actor=f"cli:{actor}", site_id=site_id
                ),
                clients=ClientRepository(engine, PersonalDataVault(store)),
                today=today,
            )
            return client.version
        finally:
            await store.close()
            await engine.dispose()

    try:
        version = asyncio.run(run())
    except UnknownClient:
        Console(stderr=True).print(f"[red]no client {client_id}[/red]")
        raise typer.Exit(code=1) from None
    typer.echo(f"client {client_id}: personal details erased (version {version})")
