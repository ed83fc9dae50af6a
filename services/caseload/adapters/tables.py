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

plan_summaries = sa.Table(
    "plan_summaries",
    metadata,
    sa.Column("plan_id", sa.Uuid, primary_key=True),
    sa.Column("client_id", sa.Uuid, nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("caseworker", sa.String(200), nullable=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("goal", sa.String(500), nullable=False),
    sa.Column("opened_on", sa.Date, nullable=False),
    sa.Column("last_activity_on", sa.Date, nullable=False),
    sa.Column("exit_date", sa.Date, nullable=True),
    sa.Column("satisfaction_recorded", sa.Boolean, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
)
"""One row per plan for caseload lists, written in the transaction of each save."""

plan_services_in_progress = sa.Table(
    "plan_services_in_progress",
    metadata,
    sa.Column("plan_id", sa.Uuid, primary_key=True),
    sa.Column("component", sa.String(64), primary_key=True),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("started_on", sa.Date, nullable=False),
)
"""Services started and not completed, one row each (the worklist of that name)."""

pending_follow_ups = sa.Table(
    "pending_follow_ups",
    metadata,
    sa.Column("plan_id", sa.Uuid, primary_key=True),
    sa.Column("checkpoint", sa.Integer, primary_key=True),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("opens_on", sa.Date, nullable=False),
    sa.Column("due_on", sa.Date, nullable=False),
    sa.Column("closes_on", sa.Date, nullable=False),
)
"""Follow-ups of closed plans not yet recorded, with their window (the follow-up worklist)."""
