"""Refusals of the use cases that are not domain rules."""

from __future__ import annotations

from uuid import UUID

from contracts.rulebook import NoRuleBookForDate

__all__ = ["NoRuleBookForDate", "PlanNotFound"]


class PlanNotFound(LookupError):
    """No service plan has this id."""

    def __init__(self, plan_id: UUID) -> None:
        self.plan_id = plan_id
        super().__init__(f"no service plan {plan_id}")
