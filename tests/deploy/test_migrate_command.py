"""``eocms migrate SERVICE`` against real PostgreSQL: what the migration Jobs run.

Each test takes a fresh database from ``postgres_database_factory`` (it holds
the chassis tables only) and checks that the command brings it to every head
of the chassis' and the service's migrations: exactly what the service's own
lifespan would apply, which then finds nothing left to do.
"""

from __future__ import annotations

import asyncio
import sys
from asyncio.subprocess import PIPE, STDOUT
from collections.abc import Sequence

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncConnection
from typer.testing import CliRunner

from chassis.database import create_engine
from chassis.migrate import alembic_config
from chassis.settings import KafkaSettings
from eocms.catalogue import SERVICES
from eocms.cli import app
from eocms.cli.migrate import MIGRATION_LOCK_KEY
from tests.deploy.manifests import REPO_ROOT
from tests.deploy.settings_env import deployed_services, service_settings_class
from tests.support.postgres import DatabaseFactory

pytestmark = [pytest.mark.asyncio, pytest.mark.postgres]


async def schema_of(url: str) -> tuple[set[str], set[str]]:
    """The database's tables and its Alembic version rows."""
    engine = create_engine(url, pool_size=1)
    try:
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
            versions = set(
                (
                    await connection.execute(text("SELECT version_num FROM alembic_version"))
                ).scalars()
            )
    finally:
        await engine.dispose()
    return tables, versions


def is_fully_migrated(service: str, versions: set[str]) -> bool:
    """Whether the recorded versions, with everything they build on, are every revision."""
    script = ScriptDirectory.from_config(alembic_config([SERVICES[service].migrations()]))
    applied: set[str] = set()
    pending = list(versions)
    while pending:
        revision = script.get_revision(pending.pop())
        assert revision is not None
        if revision.revision not in applied:
            applied.add(revision.revision)
            pending.extend(as_tuple(revision.down_revision))
            pending.extend(as_tuple(revision.dependencies))
    return applied == {revision.revision for revision in script.walk_revisions()}


def as_tuple(value: str | Sequence[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


async def invoke(arguments: list[str], env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    """Run the CLI off the event loop (it runs its own ``asyncio.run``)."""
    return await asyncio.to_thread(CliRunner().invoke, app, arguments, env=env)


LEGACY_TABLES_DROPPED_AT_START = {"intake": {"client_keys"}}


@pytest.mark.parametrize("service", deployed_services())
async def test_migrate_brings_the_database_to_what_the_service_itself_would_apply(
    service: str, postgres_database_factory: DatabaseFactory
) -> None:
    url = await postgres_database_factory()
    chassis_tables, chassis_versions = await schema_of(url)
    assert not is_fully_migrated(service, chassis_versions)

    result = await invoke(["migrate", service, "--database-url", url])

    assert result.exit_code == 0, result.output
    tables, versions = await schema_of(url)
    assert is_fully_migrated(service, versions)
    assert tables > chassis_tables, "the service's own tables were created"
    settings = service_settings_class(service)(database_url=url)
    service_app = SERVICES[service].app_factory()(settings, KafkaSettings(bootstrap_servers=None))
    async with service_app.router.lifespan_context(service_app):
        pass
    after_start, versions_after_start = await schema_of(url)
    assert versions_after_start == versions, "startup found migrations left to apply"
    # Intake's start moves keys left in the legacy ``client_keys`` table into its key
    # store, then drops that table: data work, not a migration (``eocms migrate`` runs
    # without the key store's master key).
    assert after_start == tables - LEGACY_TABLES_DROPPED_AT_START.get(service, set())


async def test_migrate_reads_the_database_url_from_the_service_settings(
    postgres_database_factory: DatabaseFactory,
) -> None:
    url = await postgres_database_factory()

    result = await invoke(["migrate", "caseload"], env={"CASELOAD_DATABASE_URL": url})

    assert result.exit_code == 0, result.output
    assert is_fully_migrated("caseload", (await schema_of(url))[1])


async def test_a_migration_waits_for_one_already_running(
    postgres_database_factory: DatabaseFactory,
) -> None:
    """While another run holds the migration lock, ``eocms migrate`` waits, then migrates."""
    url = await postgres_database_factory()
    engine = create_engine(url, pool_size=1)
    command = [sys.executable, "-m", "eocms", "migrate", "intake", "--database-url", url]
    try:
        async with engine.connect() as holder:
            await holder.execute(text("SELECT pg_advisory_lock(:k)"), {"k": MIGRATION_LOCK_KEY})
            process = await asyncio.create_subprocess_exec(
                *command, cwd=REPO_ROOT, stdout=PIPE, stderr=STDOUT
            )
            await wait_until_blocked_on_the_lock(holder)
            assert not is_fully_migrated("intake", (await schema_of(url))[1])
            await holder.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": MIGRATION_LOCK_KEY})
            output, _ = await process.communicate()
    finally:
        await engine.dispose()

    assert process.returncode == 0, output.decode()
    assert is_fully_migrated("intake", (await schema_of(url))[1])


async def wait_until_blocked_on_the_lock(connection: AsyncConnection) -> None:
    """Poll pg_locks until a session waits for the migration lock (fails after a minute)."""
    waiting = text(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted "
        "AND objid = :k "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
    )
    for _ in range(600):
        if (await connection.execute(waiting, {"k": MIGRATION_LOCK_KEY})).scalar_one():
            return
        await asyncio.sleep(0.1)
    pytest.fail("eocms migrate never waited for the migration lock")


async def test_an_unknown_service_is_refused() -> None:
    result = await invoke(["migrate", "payroll", "--database-url", "postgresql+asyncpg://x/y"])

    assert result.exit_code != 0
    assert "unknown service 'payroll'" in result.output
