"""Eligibility for assisted Employment Service: unemployed and not in full-time study."""

from __future__ import annotations

from dataclasses import dataclass

from contracts.intake import DISQUALIFYING_REASONS, EligibilityReason
from contracts.rulebook import RuleBook
from services.intake.domain.attributes import ClientAttributes


@dataclass(frozen=True)
class Eligibility:
    """The outcome of one eligibility determination under one rule book."""

    fiscal_year: str
    rule_book_version: str
    eligible: bool
    reasons: tuple[EligibilityReason, ...]


def determine_eligibility(attributes: ClientAttributes, rulebook: RuleBook) -> Eligibility:
    """Eligible when working under the rule book's weekly hours and not in full-time study.

    The reasons are the criteria met when eligible, and the criteria failed when not.
    """
    threshold = rulebook.eligibility.assisted_es.unemployed_below_hours_per_week
    findings = (
        EligibilityReason.UNEMPLOYED
        if attributes.hours_worked_per_week < threshold
        else EligibilityReason.WORKING_TOO_MANY_HOURS,
        EligibilityReason.IN_FULL_TIME_EDUCATION
        if attributes.in_full_time_education
        else EligibilityReason.NOT_IN_FULL_TIME_EDUCATION,
    )
    failed = tuple(finding for finding in findings if finding in DISQUALIFYING_REASONS)
    return Eligibility(
        fiscal_year=rulebook.fiscal_year,
        rule_book_version=rulebook.version,
        eligible=not failed,
        reasons=failed or findings,
    )
