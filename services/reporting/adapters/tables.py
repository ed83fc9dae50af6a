"""Reporting's fact tables (created by its Alembic migrations, branch ``reporting``).

One row per client and per plan, referrals keyed by the id of the event that
recorded them, follow-ups keyed by (plan, checkpoint) and commitments per
(site, fiscal year). ``stamps`` holds, per fact group, the stamp
``{occurred_at, stream_version, event_id}`` of the event that set it: the
projection only replaces a group with a newer stamp (the domain fold's rule).
No direct identifiers are stored: ids are opaque UUIDs.
"""

from __future__ import annotations

import sqlalchemy as sa

metadata = sa.MetaData()

client_facts = sa.Table(
    "reporting_client_facts",
    metadata,
    sa.Column("client_id", sa.Uuid, primary_key=True),
    sa.Column("site_id", sa.String(64), nullable=True),
    sa.Column("registered_on", sa.Date, nullable=True),
    sa.Column("suitable", sa.Boolean, nullable=True),
    sa.Column("suitability_count", sa.Integer, nullable=True),
    sa.Column("suitability_band", sa.String(64), nullable=True),
    sa.Column("eligible", sa.Boolean, nullable=True),
    sa.Column("stamps", sa.JSON, nullable=False),
)

plan_facts = sa.Table(
    "reporting_plan_facts",
    metadata,
    sa.Column("plan_id", sa.Uuid, primary_key=True),
    sa.Column("client_id", sa.Uuid, nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False, index=True),
    sa.Column("opened_on", sa.Date, nullable=True),
    sa.Column("closed_on", sa.Date, nullable=True),
    sa.Column("outcome", sa.String(64), nullable=True),
    sa.Column("components_started", sa.JSON, nullable=False),
    sa.Column("satisfaction_rating", sa.Integer, nullable=True),
    sa.Column("stamps", sa.JSON, nullable=False),
)

referrals = sa.Table(
    "reporting_referrals",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("plan_id", sa.Uuid, nullable=False, index=True),
    sa.Column("direction", sa.String(16), nullable=False),
    sa.Column("category", sa.String(64), nullable=False),
    sa.Column("referred_on", sa.Date, nullable=False),
)

follow_ups = sa.Table(
    "reporting_follow_ups",
    metadata,
    sa.Column("plan_id", sa.Uuid, nullable=False),
    sa.Column("checkpoint", sa.Integer, nullable=False),
    sa.Column("outcome", sa.String(64), nullable=False),
    sa.PrimaryKeyConstraint("plan_id", "checkpoint", name="pk_reporting_follow_ups"),
)

commitments = sa.Table(
    "reporting_commitments",
    metadata,
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("fiscal_year", sa.String(7), nullable=False),
    sa.Column("planned_assisted_clients", sa.Integer, nullable=False),
    sa.Column("measure_commitments", sa.JSON, nullable=False),
    sa.Column("improvement_commitments", sa.JSON, nullable=False),
    sa.Column("stamp", sa.JSON, nullable=False),
    sa.PrimaryKeyConstraint("site_id", "fiscal_year", name="pk_reporting_commitments"),
)
