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
import importlib
import importlib.util
import inspect
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from chassis.database import create_engine
from chassis.migrate import MIGRATION_LOCK_KEY
from chassis.migrate import migrate as apply_migrations
from chassis.settings import ServiceSettings
from eocms.catalogue import SERVICES

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
    url = database_url or service_settings(service).resolved_database_url()
    asyncio.run(migrate_service_database(service, url))
    Console(stderr=True).print(f"{service}: database migrated to the latest schema")


async def migrate_service_database(service: str, url: str) -> None:
    """Apply the chassis' and ``service``'s migrations to the database at ``url``."""
    engine = create_engine(url, pool_size=1)
    try:
        await apply_migrations(engine, [service_migrations(service)])
    finally:
        await engine.dispose()


def service_settings(service: str) -> ServiceSettings:
    """The service's own settings class (``services/<name>/settings.py``), read from the env."""
    module = importlib.import_module(f"services.{service}.settings")
    for _name, candidate in inspect.getmembers(module, inspect.isclass):
        if (
            issubclass(candidate, ServiceSettings)
            and candidate is not ServiceSettings
            and candidate.__module__ == module.__name__
        ):
            return candidate()
    raise LookupError(f"services.{service}.settings defines no ServiceSettings subclass")


def service_migrations(service: str) -> Path:
    """Where the service keeps its own Alembic versions: ``adapters/migrations/versions``."""
    spec = importlib.util.find_spec(f"services.{service}.adapters.migrations")
    if spec is None or not spec.submodule_search_locations:
        raise LookupError(f"services.{service} has no adapters.migrations package")
    return Path(next(iter(spec.submodule_search_locations))) / "versions"
