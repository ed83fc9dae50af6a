"""Compliance flags per site as of a day (DOMAIN.md, "Reports analysts expect").

- **Follow-ups** at 3, 6 and 12 months after exit: *due* from the day the
  checkpoint falls (exit date + N months) while none is recorded, *missed* once
  ``follow_up_grace_days`` have passed since without one ([U] 30 days, a
  parameter until the rule book's follow-up windows say otherwise).
- **Plans open without activity**: open (not closed) plans whose latest known
  activity (opening, a referral) is more than the rule book's
  ``inactivity_days`` before the day.
- **Survey response rates under the gate** (15%) over the fiscal year to date,
  overall and per assisted component (:mod:`.indicators`).
- **No approved business plan** (Schedule B) for the fiscal year. Plans
  submitted late or not submitted by the deadline are flagged from reporting's
  plan milestones (:mod:`.business_planning`).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID

from contracts.caseload import FollowUpCheckpoint
from contracts.rulebook import RuleBook
from services.reporting.domain.facts import ReportingFacts
from services.reporting.domain.indicators import ResponseRate, survey_response_rates
from services.reporting.domain.periods import year_to_date_period

FOLLOW_UP_GRACE_DAYS = 30
"""[U] Days after a follow-up falls due before it counts as missed."""


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, clamped to the month's last day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class FollowUpFlag:
    """A follow-up of a plan due or missed."""

    plan_id: UUID
    checkpoint: int
    due_on: date
    missed: bool


@dataclass(frozen=True)
class InactivePlan:
    """An open plan without activity for longer than the rule book allows."""

    plan_id: UUID
    last_activity_on: date
    days_without_activity: int


@dataclass(frozen=True)
class SiteCompliance:
    """One site's compliance flags as of a day."""

    site_id: str
    as_of: date
    follow_ups: list[FollowUpFlag] = field(default_factory=list)
    inactive_plans: list[InactivePlan] = field(default_factory=list)
    low_response_rates: list[ResponseRate] = field(default_factory=list)
    business_plan_missing: bool = False

    @property
    def follow_ups_due(self) -> int:
        """How many follow-ups are due (not yet missed)."""
        return sum(not flag.missed for flag in self.follow_ups)

    @property
    def follow_ups_missed(self) -> int:
        """How many follow-ups are missed."""
        return sum(flag.missed for flag in self.follow_ups)


def site_compliance(
    facts: ReportingFacts,
    site_id: str,
    as_of: date,
    rulebook: RuleBook,
    *,
    follow_up_grace_days: int = FOLLOW_UP_GRACE_DAYS,
) -> SiteCompliance:
    """Every compliance flag of one site as of ``as_of`` (rule book of its fiscal year)."""
    follow_ups: list[FollowUpFlag] = []
    inactive: list[InactivePlan] = []
    for plan in sorted(facts.plans_at(site_id), key=lambda p: str(p.plan_id)):
        if plan.closed_on is not None:
            for checkpoint in FollowUpCheckpoint:
                due = add_months(plan.closed_on, checkpoint.months)
                if checkpoint in plan.follow_ups or as_of < due:
                    continue
                missed = as_of > due + timedelta(days=follow_up_grace_days)
                follow_ups.append(FollowUpFlag(plan.plan_id, checkpoint.months, due, missed))
        elif plan.opened_on is not None and rulebook.inactivity_days is not None:
            dates = [
                plan.opened_on,
                *(r.referred_on for r in plan.referrals if r.referred_on <= as_of),
            ]
            last = max(dates)
            idle = (as_of - last).days
            if idle > rulebook.inactivity_days:
                inactive.append(InactivePlan(plan.plan_id, last, idle))
    period = year_to_date_period(rulebook.fiscal_year, as_of)
    low = [
        rate for rate in survey_response_rates(facts, site_id, period, rulebook) if rate.below_gate
    ]
    return SiteCompliance(
        site_id=site_id,
        as_of=as_of,
        follow_ups=follow_ups,
        inactive_plans=inactive,
        low_response_rates=low,
        business_plan_missing=facts.commitment(site_id, rulebook.fiscal_year) is None,
    )
