"""Caseload's own tables beside the event store (created by its Alembic migrations)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

known_clients = sa.Table(
    "known_clients",
    metadata,
    sa.Column("client_id", sa.Uuid, primary_key=True),
    sa.Column("site_id", sa.String(64), nullable=True),
    sa.Column("registered", sa.Boolean, nullable=False, default=False),
    sa.Column("eligible", sa.Boolean, nullable=True),
    sa.Column("updated", sa.Date, nullable=True),
)
"""What caseload knows of each client intake told it about (from intake's events)."""

active_plans = sa.Table(
    "active_plans",
    metadata,
    sa.Column("client_id", sa.Uuid, nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("plan_id", sa.Uuid, nullable=False),
    sa.PrimaryKeyConstraint("client_id", "site_id", name="pk_active_plans"),
)
"""One row per plan not yet closed: enforces one active plan per client per site."""

plan_directory = sa.Table(
    "plan_directory",
    metadata,
    sa.Column("plan_id", sa.Uuid, primary_key=True),
    sa.Column("client_id", sa.Uuid, nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False),
)
"""Every plan's client and site, for site-scoped lookups without loading the stream."""
