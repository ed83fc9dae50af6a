"""Database engines: PostgreSQL (asyncpg) in production and tests, SQLite embedded."""

from __future__ import annotations

from contextvars import ContextVar
from pathlib import Path
from typing import Any

from sqlalchemy import Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine


def is_sqlite(url: str) -> bool:
    """Whether a database URL names a SQLite database."""
    return make_url(url).get_backend_name() == "sqlite"


SUPPORTED_BACKENDS = ("postgresql", "sqlite")


class UnsupportedDatabase(ValueError):
    """A database URL naming a backend other than PostgreSQL or SQLite (e.g. ``mysql://``)."""


def create_engine(url: str, *, pool_size: int = 10, create_directory: bool = True) -> AsyncEngine:
    """An async engine for a service's own database.

    SQLite gets WAL mode, a busy timeout and foreign keys; its directory is
    created unless ``create_directory`` is false (read-only commands). PostgreSQL
    gets a pool sized for the service's writers. Any other backend raises
    :class:`UnsupportedDatabase` before a driver is imported.
    """
    backend = make_url(url).get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise UnsupportedDatabase(
            f"unsupported database {backend!r}: use PostgreSQL (postgresql+asyncpg://...) "
            "or SQLite (sqlite+aiosqlite:///PATH)"
        )
    if is_sqlite(url):
        database = make_url(url).database
        if create_directory and database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, connect_args={"timeout": 30})
        _tune_sqlite(engine)
        return engine
    return create_async_engine(url, pool_size=pool_size, max_overflow=pool_size, pool_pre_ping=True)


SQLITE_WRITE_LOCK_HOLDER: ContextVar[Any] = ContextVar("eocms_sqlite_write_lock", default=None)
"""The (sync) SQLite engine whose write lock the current command's transaction holds.

Set by :class:`chassis.eventstore.unit_of_work.CommandTransaction` once its
transaction has begun. Other transactions of the same task on that engine are
reads (a write there could only wait for the lock its own task holds), so they
begin DEFERRED instead of queueing behind that lock.
"""


def _tune_sqlite(engine: AsyncEngine) -> None:
    """WAL, a busy timeout, and BEGIN IMMEDIATE so writers queue instead of failing.

    The exception: a transaction of a task whose HTTP command already holds the
    write lock (:data:`SQLITE_WRITE_LOCK_HOLDER`) begins DEFERRED.

    The driver's own implicit transactions are switched off; SQLAlchemy's
    "begin" then opens each transaction with the write lock taken up front, the
    documented way to make pysqlite transactions serializable.
    """

    @event.listens_for(engine.sync_engine, "connect")
    def _on_connect(dbapi_connection, _record):  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def _on_begin(connection):  # type: ignore[no-untyped-def]
        if SQLITE_WRITE_LOCK_HOLDER.get() is connection.engine:
            connection.exec_driver_sql("BEGIN")  # a read beside this task's own write
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def upsert_insert(connection: AsyncConnection, table: Table) -> Any:
    """An INSERT for ``table`` that supports ``on_conflict_do_*`` on this connection's dialect."""
    dialect = connection.dialect.name
    if dialect == "postgresql":
        return postgresql.insert(table)
    if dialect == "sqlite":
        return sqlite.insert(table)
    raise ValueError(f"no upsert for the {dialect!r} dialect")
