"""Alembic environment: runs on a connection handed in by :func:`chassis.migrate.migrate`."""

from __future__ import annotations

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "run migrations through chassis.migrate.migrate(engine) or `eocms db upgrade`"
    )

context.configure(connection=connection, target_metadata=None, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
