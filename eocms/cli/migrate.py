"""``eocms migrate SERVICE``: bring one service's database to its latest schema, then exit.

What the deployment's migration Jobs run before new pods start (``deploy/``).
The database is the service's own (``<SERVICE>_DATABASE_URL``, or
``--database-url``); the migrations are the chassis' plus the service's
``adapters/migrations/versions``, exactly what the service's lifespan applies
on startup, which then finds nothing left to do.

On PostgreSQL the upgrade holds the advisory lock
:data:`chassis.migrate.MIGRATION_LOCK_KEY` for its transaction, so two Jobs
(or a Job and a starting service) apply the migrations one after the other
instead of racing on the same tables.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from chassis.database import create_engine
from chassis.migrate import MIGRATION_LOCK_KEY
from chassis.migrate import migrate as apply_migrations
from eocms.catalogue import SERVICES
from eocms.cli.failures import about

__all__ = ["MIGRATION_LOCK_KEY", "migrate", "migrate_service_database"]


def migrate(
    service: Annotated[str, typer.Argument(help="intake, caseload, programs or reporting")],
    database_url: Annotated[
        str | None,
        typer.Option("--database-url", help="Default: the service's <SERVICE>_DATABASE_URL."),
    ] = None,
) -> None:
    """Upgrade one service's database to the latest schema, then exit (migration Jobs)."""
    entry = SERVICES.get(service)
    if entry is None or not entry.available():
        known = ", ".join(name for name, e in SERVICES.items() if e.available())
        raise typer.BadParameter(f"unknown service {service!r}; this build has: {known}")
    url = database_url or entry.settings().resolved_database_url()
    with about(f"{service} database"):
        asyncio.run(migrate_service_database(service, url))
    Console(stderr=True).print(f"{service}: database migrated to the latest schema")


async def migrate_service_database(service: str, url: str) -> None:
    """Apply the chassis' and ``service``'s migrations to the database at ``url``."""
    engine = create_engine(url, pool_size=1)
    try:
        await apply_migrations(engine, [SERVICES[service].migrations()])
    finally:
        await engine.dispose()
