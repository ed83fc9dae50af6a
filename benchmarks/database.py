"""Fresh PostgreSQL databases for one benchmark run, dropped at the end.

The run gets ``eocms_bench_<random>`` (our schema, migrated with Alembic, plus
the raw-ceiling table) and ``eocms_bench_<random>_es`` for the eventsourcing
library's own tables. Between measurements the tables are truncated and a
CHECKPOINT is forced, so every figure starts from the same empty store and no
checkpoint of an earlier measurement's WAL lands inside a later one.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass

import asyncpg
from sqlalchemy.engine import URL, make_url

from chassis.database import create_engine
from chassis.migrate import migrate

DEFAULT_ADMIN_URL = os.environ.get(
    "EOCMS_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)
"""The server's maintenance database; the run creates and drops its own next to it."""

SERVER_SETTINGS = (
    "server_version",
    "synchronous_commit",
    "fsync",
    "wal_sync_method",
    "full_page_writes",
    "commit_delay",
    "shared_buffers",
    "max_wal_size",
    "checkpoint_timeout",
    "wal_level",
    "max_connections",
)
"""Settings printed with every run: they decide what a commit costs."""

RAW_TABLE = "raw_events"
"""The raw-ceiling table: the events table's columns, its identity key, nothing else."""


@dataclass(frozen=True)
class BenchDatabases:
    """The run's databases, as plain libpq DSNs and as a SQLAlchemy async URL."""

    admin_dsn: str
    dsn: str
    es_dsn: str
    es_name: str

    @property
    def sqlalchemy_url(self) -> str:
        """The URL ``chassis.database.create_engine`` takes for our database."""
        return _url(self.dsn).set(drivername="postgresql+asyncpg").render_as_string(False)

    @property
    def es_url(self) -> URL:
        """The eventsourcing database as a parsed URL (host, port, user, name)."""
        return _url(self.es_dsn)


def _url(dsn: str) -> URL:
    return make_url(dsn)


def _dsn_for(admin_dsn: str, database: str) -> str:
    url = make_url(admin_dsn).set(drivername="postgresql", database=database)
    return url.render_as_string(hide_password=False)


@asynccontextmanager
async def fresh_databases(admin_dsn: str = DEFAULT_ADMIN_URL) -> AsyncIterator[BenchDatabases]:
    """Create, migrate and finally drop the run's two databases."""
    admin_dsn = make_url(admin_dsn).set(drivername="postgresql").render_as_string(False)
    name = f"eocms_bench_{uuid.uuid4().hex[:10]}"
    es_name = f"{name}_es"
    admin = await asyncpg.connect(admin_dsn, timeout=10)
    try:
        for database in (name, es_name):
            await admin.execute(f'CREATE DATABASE "{database}"')
        databases = BenchDatabases(
            admin_dsn=admin_dsn,
            dsn=_dsn_for(admin_dsn, name),
            es_dsn=_dsn_for(admin_dsn, es_name),
            es_name=es_name,
        )
        engine = create_engine(databases.sqlalchemy_url, pool_size=1)
        try:
            await migrate(engine)
        finally:
            await engine.dispose()
        connection = await asyncpg.connect(databases.dsn)
        try:
            await connection.execute(
                f"CREATE TABLE {RAW_TABLE} (LIKE events INCLUDING DEFAULTS INCLUDING IDENTITY,"
                " PRIMARY KEY (position))"
            )
        finally:
            await connection.close()
        yield databases
    finally:
        for database in (name, es_name):
            await admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        await admin.close()


async def server_settings(dsn: str) -> dict[str, str]:
    """The server settings that bound commit throughput (see :data:`SERVER_SETTINGS`)."""
    connection = await asyncpg.connect(dsn)
    try:
        return {name: await connection.fetchval(f"SHOW {name}") for name in SERVER_SETTINGS}
    finally:
        await connection.close()


async def reset(dsn: str, tables: Sequence[str]) -> None:
    """Empty ``tables`` (identities restarted) and force a checkpoint before the next figure."""
    connection = await asyncpg.connect(dsn)
    try:
        if tables:
            await connection.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY")
        await connection.execute("CHECKPOINT")
    finally:
        await connection.close()


async def analyze(dsn: str, tables: Sequence[str]) -> None:
    """Refresh planner statistics, as autovacuum would after a bulk load."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute(f"ANALYZE {', '.join(tables)}")
    finally:
        await connection.close()
