"""Apply Alembic migrations to a service database from code or the CLI."""

from __future__ import annotations

import asyncio
import weakref
import zlib
from collections.abc import Sequence
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

CHASSIS_MIGRATIONS = Path(__file__).parent / "migrations"

MIGRATION_LOCK_KEY = zlib.crc32(b"eocms.migrate")
"""The PostgreSQL advisory lock every migration run holds for its transaction."""


def alembic_config(
    extra_version_locations: Sequence[Path] = (), *, with_chassis_tables: bool = True
) -> Config:
    """An Alembic config for the chassis tables plus a service's own migrations.

    ``with_chassis_tables=False`` migrates only ``extra_version_locations``: for a
    database that holds no events (intake's key store).
    """
    config = Config()
    config.set_main_option("script_location", str(CHASSIS_MIGRATIONS))
    chassis = [CHASSIS_MIGRATIONS / "versions"] if with_chassis_tables else []
    locations = [*chassis, *extra_version_locations]
    config.set_main_option("version_locations", " ".join(str(p) for p in locations))
    config.set_main_option("path_separator", "space")
    return config


_LOCKS: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
    weakref.WeakKeyDictionary()
)


def _migration_lock() -> asyncio.Lock:
    """One lock per event loop: Alembic keeps its running state process-wide."""
    loop = asyncio.get_running_loop()
    lock = _LOCKS.get(loop)
    if lock is None:
        lock = _LOCKS[loop] = asyncio.Lock()
    return lock


async def migrate(
    engine: AsyncEngine,
    extra_version_locations: Sequence[Path] = (),
    *,
    with_chassis_tables: bool = True,
) -> None:
    """Upgrade the database behind ``engine`` to every head.

    Migrations in one process run one at a time, even for different databases:
    Alembic's ``context`` and ``op`` are module-level proxies, so two upgrades
    interleaving on one event loop (``eocms up`` starts every service at once)
    would run each other's steps.

    Across processes, on PostgreSQL, the upgrade's transaction first takes the
    advisory lock :data:`MIGRATION_LOCK_KEY`: a service starting while a
    migration Job (``eocms migrate``) runs waits for it, then finds nothing to do.
    """
    config = alembic_config(extra_version_locations, with_chassis_tables=with_chassis_tables)

    def upgrade(connection: Connection) -> None:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")

    async with _migration_lock(), engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            lock = text("SELECT pg_advisory_xact_lock(:key)")
            await connection.execute(lock, {"key": MIGRATION_LOCK_KEY})
        await connection.run_sync(upgrade)


class SchemaMissing(RuntimeError):
    """A database that lacks the schema a read-only command expects (never migrated for it)."""


async def require_schema(
    engine: AsyncEngine, service: str, extra_version_locations: Sequence[Path] = ()
) -> None:
    """Refuse, without writing anything, a database not migrated to ``service``'s latest schema.

    Read-only commands (``eocms report``, ``eocms dlq show``, ``eocms
    projections status``) call this instead of :func:`migrate`, so a mistyped
    URL never creates tables. An SQLite file that does not exist is refused
    before connecting (connecting would create it). Raises :class:`SchemaMissing`
    with a message that says what to run; the expected revisions are the heads
    of the chassis' migrations plus ``extra_version_locations``.
    """
    url = engine.url
    if url.get_backend_name() == "sqlite":
        database = url.database
        exists = database not in (None, "", ":memory:") and await asyncio.to_thread(
            Path(str(database)).is_file
        )
        if not exists:
            raise SchemaMissing(f"no {service} database at {database or ':memory:'}")
    script = ScriptDirectory.from_config(alembic_config(extra_version_locations))

    def current_heads(connection: Connection) -> set[str]:
        return set(MigrationContext.configure(connection).get_current_heads())

    async with engine.connect() as connection:
        current = await connection.run_sync(current_heads)
    where = url.render_as_string(hide_password=True)
    if not current:
        raise SchemaMissing(
            f"{where} has no EOCMS schema: is it {service}'s database? "
            f"(`eocms migrate {service}` creates it)"
        )
    every = {revision.revision for revision in script.walk_revisions()}
    if current - every:
        raise SchemaMissing(
            f"{where} is not {service}'s database (it holds migrations "
            f"{', '.join(sorted(current - every))})"
        )
    missing = every - _applied(script, current)
    if missing:
        raise SchemaMissing(
            f"{where} is not at {service}'s latest schema (missing migrations "
            f"{', '.join(sorted(missing))}): run `eocms migrate {service}`"
        )


def _applied(script: ScriptDirectory, heads: set[str]) -> set[str]:
    """The revisions recorded heads stand for: themselves, their ancestors and dependencies."""
    applied: set[str] = set()
    pending = list(heads)
    while pending:
        revision = script.get_revision(pending.pop())
        if revision is None or revision.revision in applied:
            continue
        applied.add(revision.revision)
        for parents in (revision.down_revision, revision.dependencies):
            pending.extend([parents] if isinstance(parents, str) else parents or ())
    return applied
