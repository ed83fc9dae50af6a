"""Reporting's SQL views for analysts (``psql``): measures, SQS per site, plan-level facts.

Plain SQL valid on PostgreSQL and SQLite (``* 1.0`` keeps SQLite from
dividing integers). The views only present what the
read model stores (the domain computed every count and score); the numbers
they show are rounded for reading: actual and target as percentages to 1
place, scores and the SQS to 2 places (half up on PostgreSQL, as the API).
The exact values stay in the tables (``*_num`` / ``*_den``).

Views name unqualified tables, so they bind to the tables of the schema they
are created in; a rebuild that swaps tables drops and recreates them
(:func:`drop_view_statements`, then :func:`create_view_statements`).
See ``services/reporting/README.md`` for the columns and example queries.

The ``*_analyst_v`` views are what ministry analysts are granted: the same rows
with the counts withheld from analysts null (``reporting_withheld_counts``,
written by the service from ``app/suppression.py``, the rule the API applies),
and a fiscal year shown only while those marks were computed from the rows
there now (``reporting_released_years``), so a count not yet checked is never
shown. ``reporting_measures_v`` and ``reporting_sqs_v`` keep exact counts: for
site staff and operators, not to be granted to analysts.
"""

from __future__ import annotations

MEASURES_VIEW = "reporting_measures_v"
SQS_VIEW = "reporting_sqs_v"
PLANS_VIEW = "reporting_plans_v"
ANALYST_MEASURES_VIEW = "reporting_measures_analyst_v"
ANALYST_SQS_VIEW = "reporting_sqs_analyst_v"
ANALYST_VIEWS = (ANALYST_MEASURES_VIEW, ANALYST_SQS_VIEW)
VIEWS = (MEASURES_VIEW, SQS_VIEW, PLANS_VIEW, *ANALYST_VIEWS)


def _ratio(numerator: str, denominator: str) -> str:
    return f"(CAST({numerator} AS NUMERIC) * 1.0 / {denominator})"


def _count(name: str) -> str:
    """A stored count: the integer when whole, else the fraction to 6 places."""
    return (
        f"CASE WHEN {name}_den = 1 THEN CAST({name}_num AS NUMERIC) "
        f"ELSE ROUND({_ratio(f'{name}_num', f'{name}_den')}, 6) END"
    )


_MEASURES = f"""
CREATE VIEW {MEASURES_VIEW} AS
SELECT
    m.fiscal_year,
    m.period,
    p.period_start,
    p.period_end,
    m.site_id,
    COALESCE(s.provider_id, 'unknown') AS provider_id,
    COALESCE(s.region, 'unknown') AS region,
    m.measure_id,
    m.rule_version,
    {_count("m.numerator")} AS numerator,
    {_count("m.denominator")} AS denominator,
    CASE WHEN m.denominator_num = 0 THEN NULL ELSE ROUND(
        100.0 * CAST(m.numerator_num AS NUMERIC) * m.denominator_den
        / (CAST(m.numerator_den AS NUMERIC) * m.denominator_num), 1) END AS actual_percent,
    ROUND(100.0 * m.target, 1) AS target_percent,
    m.weight,
    ROUND({_ratio("m.score_num", "m.score_den")}, 2) AS score,
    m.rulebook_version
FROM reporting_measures AS m
JOIN reporting_site_periods AS p
  ON p.fiscal_year = m.fiscal_year AND p.period = m.period AND p.site_id = m.site_id
LEFT JOIN reporting_sites AS s ON s.site_id = m.site_id
"""

_SQS = f"""
CREATE VIEW {SQS_VIEW} AS
SELECT
    p.fiscal_year,
    p.period,
    p.period_start,
    p.period_end,
    p.site_id,
    COALESCE(s.provider_id, 'unknown') AS provider_id,
    COALESCE(s.region, 'unknown') AS region,
    ROUND({_ratio("p.sqs_num", "p.sqs_den")}, 2) AS sqs,
    p.meets_provincial_standard,
    p.rulebook_version
FROM reporting_site_periods AS p
LEFT JOIN reporting_sites AS s ON s.site_id = p.site_id
"""

_PLANS = f"""
CREATE VIEW {PLANS_VIEW} AS
SELECT
    pf.plan_id,
    pf.client_id,
    pf.site_id,
    COALESCE(s.provider_id, 'unknown') AS provider_id,
    COALESCE(s.region, 'unknown') AS region,
    pf.opened_on,
    pf.closed_on,
    pf.outcome,
    pf.satisfaction_rating,
    pf.components_started,
    c.suitable,
    c.suitability_count,
    c.suitability_band,
    c.eligible,
    (SELECT COUNT(*) FROM reporting_referrals AS r
      WHERE r.plan_id = pf.plan_id AND r.direction = 'in') AS referrals_in,
    (SELECT COUNT(*) FROM reporting_referrals AS r
      WHERE r.plan_id = pf.plan_id AND r.direction = 'out') AS referrals_out,
    (SELECT MIN(r.referred_on) FROM reporting_referrals AS r
      WHERE r.plan_id = pf.plan_id AND r.direction = 'out') AS first_referral_out_on
FROM reporting_plan_facts AS pf
LEFT JOIN reporting_client_facts AS c ON c.client_id = pf.client_id
LEFT JOIN reporting_sites AS s ON s.site_id = pf.site_id
"""


_CURRENT = """
JOIN reporting_released_years AS r ON r.fiscal_year = v.fiscal_year
WHERE r.site_years = (SELECT COUNT(*) FROM reporting_site_years AS y
                       WHERE y.fiscal_year = v.fiscal_year)
  AND r.refreshed_at = (SELECT MAX(y.refreshed_at) FROM reporting_site_years AS y
                         WHERE y.fiscal_year = v.fiscal_year)
"""

_ANALYST_MEASURES = f"""
CREATE VIEW {ANALYST_MEASURES_VIEW} AS
SELECT
    v.fiscal_year,
    v.period,
    v.period_start,
    v.period_end,
    v.site_id,
    v.provider_id,
    v.region,
    v.measure_id,
    v.rule_version,
    CASE WHEN w.numerator THEN NULL ELSE v.numerator END AS numerator,
    CASE WHEN w.denominator THEN NULL ELSE v.denominator END AS denominator,
    CASE WHEN w.measure_id IS NULL THEN v.actual_percent END AS actual_percent,
    v.target_percent,
    v.weight,
    CASE WHEN w.measure_id IS NULL THEN v.score END AS score,
    w.measure_id IS NOT NULL AS suppressed,
    v.rulebook_version
FROM {MEASURES_VIEW} AS v
LEFT JOIN reporting_withheld_counts AS w
  ON w.fiscal_year = v.fiscal_year AND w.period = v.period
 AND w.site_id = v.site_id AND w.measure_id = v.measure_id
{_CURRENT}
"""

_ANALYST_SQS = f"""
CREATE VIEW {ANALYST_SQS_VIEW} AS
SELECT
    v.fiscal_year,
    v.period,
    v.period_start,
    v.period_end,
    v.site_id,
    v.provider_id,
    v.region,
    CASE WHEN w.site_id IS NULL THEN v.sqs END AS sqs,
    v.meets_provincial_standard,
    w.site_id IS NOT NULL AS suppressed,
    v.rulebook_version
FROM {SQS_VIEW} AS v
LEFT JOIN (SELECT DISTINCT fiscal_year, period, site_id FROM reporting_withheld_counts) AS w
  ON w.fiscal_year = v.fiscal_year AND w.period = v.period AND w.site_id = v.site_id
{_CURRENT}
"""


def create_view_statements(*, analyst: bool = True) -> list[str]:
    """``CREATE VIEW`` statements of every reporting view (after the tables exist);
    without the analysts' views (``analyst=False``) for the tables of ``r0002``."""
    plain = [_MEASURES.strip(), _SQS.strip(), _PLANS.strip()]
    return [*plain, *analyst_view_statements()] if analyst else plain


def analyst_view_statements() -> list[str]:
    """``CREATE VIEW`` statements of the analysts' views (migration ``r0005``)."""
    return [_ANALYST_MEASURES.strip(), _ANALYST_SQS.strip()]


def drop_analyst_views() -> list[str]:
    """``DROP VIEW IF EXISTS`` statements of the analysts' views."""
    return [f"DROP VIEW IF EXISTS {name}" for name in ANALYST_VIEWS]


def drop_view_statements() -> list[str]:
    """``DROP VIEW IF EXISTS`` statements of every reporting view (analysts' first: they
    read the others)."""
    return [f"DROP VIEW IF EXISTS {name}" for name in (*ANALYST_VIEWS, *VIEWS[:3])]
