"""Who may receive Second Career, and for what training: rules from the rule book.

Eligible: laid off (on or after the rule book's date, if it sets one); working
fewer hours a week than the rule book's threshold (0 hours, unemployed,
included); an Ontario resident; of an eligible status (citizen or permanent
resident); training towards an occupation in demand. Every failed rule is
reported at once. The training lasts the rule book's min to max weeks, and
academic upgrading adds at most its max weeks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contracts.rulebook import LegalStatus, SecondCareerRules
from services.programs.domain.errors import AcademicUpgradingTooLong, TrainingLengthOutOfRange


@dataclass(frozen=True)
class SecondCareerFacts:
    """What the site verified about the client when applying (kept off the bus)."""

    laid_off: bool
    laid_off_on: date | None
    hours_worked_per_week: int
    ontario_resident: bool
    legal_status: LegalStatus
    occupation_in_demand: bool


def second_career_findings(facts: SecondCareerFacts, rules: SecondCareerRules) -> list[str]:
    """Every eligibility rule the client fails, in words; empty when eligible."""
    findings: list[str] = []
    earliest = rules.laid_off_on_or_after
    if not facts.laid_off:
        findings.append("not laid off")
    elif earliest is not None and facts.laid_off_on is None:
        findings.append(f"the lay-off date is not given (must be on or after {earliest})")
    elif earliest is not None and facts.laid_off_on is not None and facts.laid_off_on < earliest:
        findings.append(f"laid off on {facts.laid_off_on}, before {earliest}")
    if facts.hours_worked_per_week >= rules.working_below_hours_per_week:
        findings.append(
            f"works {facts.hours_worked_per_week} hours a week, not under "
            f"{rules.working_below_hours_per_week}"
        )
    if not facts.ontario_resident:
        findings.append("not an Ontario resident")
    if facts.legal_status not in rules.eligible_statuses:
        allowed = " or ".join(status.value for status in rules.eligible_statuses)
        findings.append(f"status {facts.legal_status.value} is not {allowed}")
    if not facts.occupation_in_demand:
        findings.append("the occupation is not shown to be in demand")
    return findings


def check_training_length(
    training_weeks: int, academic_upgrading_weeks: int, rules: SecondCareerRules
) -> None:
    """Refuse training outside the allowed weeks, or too much academic upgrading."""
    allowed = rules.training_weeks
    if not allowed.contains(training_weeks):
        raise TrainingLengthOutOfRange(training_weeks, allowed.min, allowed.max)
    if not 0 <= academic_upgrading_weeks <= rules.academic_upgrading_max_weeks:
        raise AcademicUpgradingTooLong(academic_upgrading_weeks, rules.academic_upgrading_max_weeks)
