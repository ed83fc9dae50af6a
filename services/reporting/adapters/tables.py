"""Every reporting table: facts, and the measures read model (migrations ``r0001``, ``r0002``).

Tables are unqualified (no schema): a connection with
``schema_translate_map={None: "<schema>"}`` works on a copy in another schema
(the rebuild relies on it).

Facts:

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
    # r0003: how the client came (a referral in recorded at registration).
    sa.Column("referral_source", sa.String(64), nullable=True),
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

# r0004: one row per business-plan event (``business_plan_milestones``); the planning
# status is derived from the set of a plan's rows (``domain/business_planning.py``).
business_plan_milestones = sa.Table(
    "reporting_business_plan_milestones",
    metadata,
    sa.Column("event_id", sa.String(64), primary_key=True),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("fiscal_year", sa.String(7), nullable=False),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("occurred_on", sa.Date, nullable=False),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=True),
)
sa.Index(
    "ix_reporting_business_plan_milestones_year_site",
    business_plan_milestones.c.fiscal_year,
    business_plan_milestones.c.site_id,
)

sa.Index("ix_reporting_plan_facts_client_id", plan_facts.c.client_id)
sa.Index("ix_reporting_plan_facts_site_opened", plan_facts.c.site_id, plan_facts.c.opened_on)
sa.Index("ix_reporting_plan_facts_site_closed", plan_facts.c.site_id, plan_facts.c.closed_on)

# --- The measures read model (migration r0002), kept by ``measures_refresh`` -------------
#
# Exact fractions are stored as two integers (``*_num`` / ``*_den``, den > 0): the
# domain's ``Fraction`` values round-trip unchanged. Periods are keyed by ``period``:
# a month ``YYYY-MM``, a quarter ``q1``..``q4``, or ``ytd:YYYY-MM`` (1 April to the
# last day of that month: the year to date at each month end).

measures = sa.Table(
    "reporting_measures",
    metadata,
    sa.Column("fiscal_year", sa.String(7), nullable=False),
    sa.Column("period", sa.String(16), nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("measure_id", sa.String(64), nullable=False),
    sa.Column("rule_version", sa.String(16), nullable=False),
    sa.Column("rulebook_version", sa.String(32), nullable=False),
    sa.Column("numerator_num", sa.BigInteger, nullable=False),
    sa.Column("numerator_den", sa.BigInteger, nullable=False),
    sa.Column("denominator_num", sa.BigInteger, nullable=False),
    sa.Column("denominator_den", sa.BigInteger, nullable=False),
    sa.Column("target", sa.Numeric(12, 6), nullable=False),
    sa.Column("weight", sa.Numeric(12, 6), nullable=False),
    sa.Column("score_num", sa.BigInteger, nullable=False),
    sa.Column("score_den", sa.BigInteger, nullable=False),
    sa.PrimaryKeyConstraint(
        "fiscal_year", "period", "site_id", "measure_id", name="pk_reporting_measures"
    ),
)
"""One row per (fiscal year, period, site, measure): the domain's count and score."""

site_periods = sa.Table(
    "reporting_site_periods",
    metadata,
    sa.Column("fiscal_year", sa.String(7), nullable=False),
    sa.Column("period", sa.String(16), nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("period_start", sa.Date, nullable=False),
    sa.Column("period_end", sa.Date, nullable=False),
    sa.Column("months", sa.Integer, nullable=False),
    sa.Column("rulebook_version", sa.String(32), nullable=False),
    sa.Column("sqs_num", sa.BigInteger, nullable=False),
    sa.Column("sqs_den", sa.BigInteger, nullable=False),
    sa.Column("meets_provincial_standard", sa.Boolean, nullable=False),
    sa.PrimaryKeyConstraint("fiscal_year", "period", "site_id", name="pk_reporting_site_periods"),
)
"""One row per (fiscal year, period, site): the period's dates and the site's exact SQS."""

site_years = sa.Table(
    "reporting_site_years",
    metadata,
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("fiscal_year", sa.String(7), nullable=False),
    sa.Column("rulebook_version", sa.String(32), nullable=False),
    sa.Column("last_activity_on", sa.Date, nullable=True),
    sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("site_id", "fiscal_year", name="pk_reporting_site_years"),
)
"""Each computed (site, fiscal year): the rule book used and the latest plan date in the year.

``last_activity_on`` (latest opening or exit date of the site's plans in the
year) tells a year-to-date query whether a month-end row also answers an
earlier as-of date of that month.
"""

dirty_site_years = sa.Table(
    "reporting_dirty_site_years",
    metadata,
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("fiscal_year", sa.String(7), nullable=False),
    sa.Column("marked_at", sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint("site_id", "fiscal_year", name="pk_reporting_dirty_site_years"),
)
"""(site, fiscal year) whose facts changed since its measures were computed."""

rulebooks = sa.Table(
    "reporting_rulebooks",
    metadata,
    sa.Column("fiscal_year", sa.String(7), primary_key=True),
    sa.Column("version", sa.String(32), nullable=False),
    sa.Column("digest", sa.String(64), nullable=False),
    sa.Column("content", sa.Text, nullable=False),
    sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
)
"""The rule book each fiscal year's measures are computed with: version, digest and content."""

sites = sa.Table(
    "reporting_sites",
    metadata,
    sa.Column("site_id", sa.String(64), primary_key=True),
    sa.Column("provider_id", sa.String(64), nullable=False),
    sa.Column("region", sa.String(64), nullable=False),
)
"""The sites reference file as last loaded by the service (for the SQL views' provider, region)."""

withheld_counts = sa.Table(
    "reporting_withheld_counts",
    metadata,
    sa.Column("fiscal_year", sa.String(7), nullable=False),
    sa.Column("period", sa.String(16), nullable=False),
    sa.Column("site_id", sa.String(64), nullable=False),
    sa.Column("measure_id", sa.String(64), nullable=False),
    sa.Column("numerator", sa.Boolean, nullable=False),
    sa.Column("denominator", sa.Boolean, nullable=False),
    sa.PrimaryKeyConstraint(
        "fiscal_year", "period", "site_id", "measure_id", name="pk_reporting_withheld_counts"
    ),
)
"""The counts of ``reporting_measures`` withheld from analysts (small-cell suppression,
``app/suppression.py``); the analysts' views null them. Only withheld rows are stored."""

released_years = sa.Table(
    "reporting_released_years",
    metadata,
    sa.Column("fiscal_year", sa.String(7), primary_key=True),
    sa.Column("site_years", sa.Integer, nullable=False),
    sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
    sa.Column("released_at", sa.DateTime(timezone=True), nullable=False),
)
"""For each fiscal year, the read model its withheld counts were computed from (how many
site-years, the latest refresh): the analysts' views show a year only while these match."""
