"""The columns of reporting's exports, defined once for CSV and Parquet.

Each :class:`Column` has a name, an Arrow type (the Parquet schema) and a
description (the README's table). CSV writes the same columns in the same
order: empty for null, ``true``/``false`` for booleans, ISO dates, numbers as
Python prints them. No column holds a direct identifier: clients and plans
appear only by their opaque UUIDs.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa


@dataclass(frozen=True)
class Column:
    """One export column."""

    name: str
    type: pa.DataType
    description: str


def schema(columns: tuple[Column, ...]) -> pa.Schema:
    """The Arrow schema of ``columns`` (every column nullable)."""
    return pa.schema([pa.field(c.name, c.type) for c in columns])


_TEXT, _NUMBER, _INT, _BOOL, _DATE = pa.string(), pa.float64(), pa.int64(), pa.bool_(), pa.date32()

MEASURE_COLUMNS: tuple[Column, ...] = (
    Column("fiscal_year", _TEXT, "Fiscal year, e.g. 2012-13."),
    Column("period", _TEXT, "Month YYYY-MM, quarter q1..q4, or ytd (the whole year)."),
    Column("period_start", _DATE, "First day of the period."),
    Column("period_end", _DATE, "Last day of the period."),
    Column("scope_level", _TEXT, "site, provider, region or province."),
    Column("scope", _TEXT, "Site id, provider id, region, or 'province'."),
    Column("provider_id", _TEXT, "The site's or the provider roll-up's provider."),
    Column("region", _TEXT, "The site's or the region roll-up's region."),
    Column("row_type", _TEXT, "measure (one per measure) or sqs (the scope's SQS)."),
    Column("measure_id", _TEXT, "Measure id (measure rows)."),
    Column("rule_version", _TEXT, "The measure's rule version, e.g. v2 (measure rows)."),
    Column(
        "numerator",
        _NUMBER,
        "Exact count (a pro-rated denominator may be fractional); null when suppressed.",
    ),
    Column("denominator", _NUMBER, "Exact count; 0 means no data; null when suppressed."),
    Column(
        "actual_percent",
        _NUMBER,
        "numerator / denominator in %, 1 place; null without data or when suppressed.",
    ),
    Column("target_percent", _NUMBER, "The rule book's target in %, 1 place."),
    Column("weight", _NUMBER, "The measure's weight in the SQS."),
    Column(
        "score",
        _NUMBER,
        "Measure rows: contribution to the SQS; sqs rows: the SQS; 2 places; null when suppressed.",
    ),
    Column("meets_provincial_standard", _BOOL, "sqs rows: SQS >= the provincial standard."),
    Column("commitment_percent", _NUMBER, "Site measure rows: business-plan commitment in %."),
    Column("gap_percent", _NUMBER, "actual - commitment in %, 1 place; null if either is missing."),
    Column(
        "improvement_commitment_percent",
        _NUMBER,
        "Site measure rows: continuous-improvement target in %.",
    ),
    Column(
        "improvement_gap_percent",
        _NUMBER,
        "actual - improvement target in %, 1 place; null if either is missing.",
    ),
    Column("rulebook_version", _TEXT, "The rule book version that produced the row."),
    Column(
        "suppressed",
        _BOOL,
        "A count of the row is withheld (small-cell rule; null values) or, on sqs rows, a "
        "score of the scope is; false in an exact export.",
    ),
)


def _open_data_columns() -> tuple[Column, ...]:
    groups = {
        "employed": "employed",
        "training_education": "in training or education",
        "unemployed": "unemployed",
        "other": "independent, unable to work or volunteer",
        "unknown": "outcome unknown",
    }
    code = "; 'x' = suppressed (1-4, or derivable from one)"
    return (
        Column("fiscal_year", _TEXT, "Fiscal year, e.g. 2012-13."),
        Column("site_id", _TEXT, "Service delivery site."),
        Column("provider_id", _TEXT, "The site's provider ('unknown' if not in the sites file)."),
        Column("region", _TEXT, "The site's region ('unknown' if not in the sites file)."),
        Column("assisted_clients", _TEXT, "Clients who opened an ES plan in the year" + code),
        *(
            Column(f"exit_{g}", _TEXT, f"Plans closed in the year, {label} at exit{code}")
            for g, label in groups.items()
        ),
        *(
            Column(
                f"three_months_{g}",
                _TEXT,
                f"Plans closed in the year, {label} at 3 months (no follow-up: unknown){code}",
            )
            for g, label in groups.items()
        ),
    )


OPEN_DATA_COLUMNS: tuple[Column, ...] = _open_data_columns()

PLAN_COLUMNS: tuple[Column, ...] = (
    Column("fiscal_year", _TEXT, "The fiscal year extracted (the plan opened or exited in it)."),
    Column("plan_id", _TEXT, "Opaque plan id (UUID)."),
    Column("client_id", _TEXT, "Opaque, pseudonymous client id (UUID)."),
    Column("site_id", _TEXT, "The site holding the plan."),
    Column("provider_id", _TEXT, "The site's provider ('unknown' if not in the sites file)."),
    Column("region", _TEXT, "The site's region ('unknown' if not in the sites file)."),
    Column("opened_on", _DATE, "Plan opened (null if its opening is not known yet)."),
    Column("closed_on", _DATE, "Plan closed (exit); null while open."),
    Column("outcome", _TEXT, "Outcome at exit, e.g. employed-full-time."),
    Column("components_started", _TEXT, "Service components started, ';'-separated, sorted."),
    Column("assisted_participant", _BOOL, "Received Job Search, JMPI or Job/Training Retention."),
    Column("referrals_in", _INT, "Referrals in to the plan."),
    Column("referrals_out", _INT, "Referrals out from the plan."),
    Column("satisfaction_rating", _INT, "Customer satisfaction rating at exit (1-5)."),
    Column("follow_up_3_months", _TEXT, "Outcome at the 3-month follow-up."),
    Column("follow_up_6_months", _TEXT, "Outcome at the 6-month follow-up."),
    Column("follow_up_12_months", _TEXT, "Outcome at the 12-month follow-up."),
    Column("client_site_id", _TEXT, "The site that registered the client."),
    Column("client_registered_on", _DATE, "Client registered."),
    Column("suitable", _BOOL, "Client suitable for assisted service (null: never assessed)."),
    Column("suitability_count", _INT, "Number of suitability indicators met."),
    Column("suitability_band", _TEXT, "Reported band of the indicator count, e.g. 3-5."),
    Column("eligible", _BOOL, "Client eligible for assisted Employment Service."),
)
