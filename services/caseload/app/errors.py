"""Refusals of the use cases that are not domain rules."""

from __future__ import annotations

from datetime import date
from uuid import UUID


class PlanNotFound(LookupError):
    """No service plan has this id."""

    def __init__(self, plan_id: UUID) -> None:
        self.plan_id = plan_id
        super().__init__(f"no service plan {plan_id}")


class NoRuleBookForDate(LookupError):
    """No rule book is kept for the fiscal year a date falls in."""

    def __init__(self, fiscal_year: str, day: date) -> None:
        self.fiscal_year, self.day = fiscal_year, day
        super().__init__(f"no rule book is kept for fiscal year {fiscal_year} (the date {day})")
