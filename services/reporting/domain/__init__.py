"""Reporting's domain: facts folded from events, ES measures, SQS, roll-ups, site-years.

Pure: imports only the standard library, pydantic and ``contracts``. See
README.md beside this file for the measures' definitions and the period,
pro-rating and rounding rules.
"""

from services.reporting.domain.commitments import BusinessPlanCommitment
from services.reporting.domain.es_measures import ES_MEASURES
from services.reporting.domain.facts import ClientFact, PlanFact, Referral, ReportingFacts
from services.reporting.domain.fold import apply_event, fold_events
from services.reporting.domain.improvement import (
    ImprovementGap,
    business_plan_gaps,
    improvement_gaps,
)
from services.reporting.domain.measure_registry import (
    Count,
    MeasureFunction,
    MeasureRegistry,
    UnknownMeasure,
)
from services.reporting.domain.periods import (
    Period,
    month_period,
    parse_period,
    quarter_period,
    year_to_date_period,
)
from services.reporting.domain.rollup import counts_of, roll_up, summed_counts
from services.reporting.domain.scoring import MeasureResult, SqsResult, exact, rounded
from services.reporting.domain.sites import Site
from services.reporting.domain.sqs import (
    counts_for_site,
    counts_for_sites,
    sqs_for_provider,
    sqs_for_province,
    sqs_for_region,
    sqs_for_site,
    sqs_for_sites,
)
from services.reporting.domain.stamped_event import Stamp, StampedEvent

__all__ = [
    "ES_MEASURES",
    "BusinessPlanCommitment",
    "ClientFact",
    "Count",
    "ImprovementGap",
    "MeasureFunction",
    "MeasureRegistry",
    "MeasureResult",
    "Period",
    "PlanFact",
    "Referral",
    "ReportingFacts",
    "Site",
    "SqsResult",
    "Stamp",
    "StampedEvent",
    "UnknownMeasure",
    "apply_event",
    "business_plan_gaps",
    "counts_for_site",
    "counts_for_sites",
    "counts_of",
    "exact",
    "fold_events",
    "improvement_gaps",
    "month_period",
    "parse_period",
    "quarter_period",
    "roll_up",
    "rounded",
    "sqs_for_provider",
    "sqs_for_province",
    "sqs_for_region",
    "sqs_for_site",
    "sqs_for_sites",
    "summed_counts",
    "year_to_date_period",
]
