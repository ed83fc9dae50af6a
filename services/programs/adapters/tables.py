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

service_plans = sa.Table(
    "service_plans",
    metadata,
    sa.Column("plan_id", sa.Uuid, primary_key=True),
    sa.Column("client_id", sa.Uuid, nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("self_employment", sa.Boolean, nullable=False),
    sa.Column("closed", sa.Boolean, nullable=False),
)
"""Caseload's ES plans (from its plan events): whose, where, naming self-employment, closed."""

second_career_referrals = sa.Table(
    "second_career_referrals",
    metadata,
    sa.Column("event_id", sa.Uuid, primary_key=True),
    sa.Column("client_id", sa.Uuid, nullable=False),
    sa.Column("plan_id", sa.Uuid, nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("referred_on", sa.Date, nullable=False),
    sa.Index("ix_second_career_referrals_client_site", "client_id", "site_id"),
)
"""Referrals out to Second Career that caseload's ES plans recorded, one row per event."""

program_cases = sa.Table(
    "program_cases",
    metadata,
    sa.Column("resource_id", sa.Uuid, primary_key=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("client_id", sa.Uuid, nullable=True),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("status", sa.String(32), nullable=False),
    sa.Column("since", sa.Date, nullable=True),
    sa.Column("version", sa.Integer, nullable=False),
)
"""Second Career applications and SEB participations with their status, for lists.

Written in the transaction that saves the aggregate (:mod:`.program_cases`).
"""
