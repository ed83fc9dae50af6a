"""Programs' own tables beside the event store (created by its Alembic migrations)."""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

known_clients = sa.Table(
    "known_clients",
    metadata,
    sa.Column("client_id", sa.Uuid, primary_key=True),
    sa.Column("site_id", sa.String(64), nullable=True),
    sa.Column("registered_on", sa.Date, nullable=True),
)
"""Clients intake registered (from ``ClientRegistered``): a row means registered."""

business_plan_directory = sa.Table(
    "business_plan_directory",
    metadata,
    sa.Column("plan_id", sa.Uuid, primary_key=True),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("fiscal_year", sa.String(7), nullable=False),
    sa.UniqueConstraint("site_id", "fiscal_year", name="uq_business_plan_site_year"),
)
"""One plan per site and fiscal year: the unique key refuses a second one atomically."""

application_directory = sa.Table(
    "application_directory",
    metadata,
    sa.Column("resource_id", sa.Uuid, primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("client_id", sa.Uuid, nullable=True),
    sa.Column("site_id", sa.String(64), nullable=False),
)
"""Every application, project and participation's site (and client), for site scoping."""
