"""Factories of synthetic caseload plan events, as caseload would publish them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

from contracts.caseload import (
    Outcome,
    PlanComponent,
    PlanItemAdded,
    ReferralCategory,
    ReferralDirection,
    ReferralRecorded,
    ServicePlanClosed,
    ServicePlanOpened,
)

OPENED_ON = date(2012, 5, 2)


@dataclass(frozen=True)
class SyntheticPlan:
    """One client's ES plan at a site; its methods make that plan's events."""

    client_id: uuid.UUID = field(default_factory=uuid.uuid4)
    plan_id: uuid.UUID = field(default_factory=uuid.uuid4)
    site_id: str = "S001"

    def _keys(self) -> dict[str, object]:
        return {"client_id": self.client_id, "plan_id": self.plan_id, "site_id": self.site_id}

    def opened(self, *, self_employment: bool = False) -> ServicePlanOpened:
        """The plan's opening; ``self_employment`` says its goal is self-employment."""
        goal = "Start a small business" if self_employment else "Find work in logistics"
        return ServicePlanOpened(
            **self._keys(), goal=goal, opened_on=OPENED_ON, self_employment=self_employment
        )

    def item_added(
        self,
        component: PlanComponent = PlanComponent.EMPLOYMENT_SERVICE_PLAN,
        *,
        self_employment: bool = False,
    ) -> PlanItemAdded:
        """An item added a week after the opening, its sub-goal self-employment or not."""
        return PlanItemAdded(
            **self._keys(),
            component=component,
            sub_goal="Write a business plan" if self_employment else "Apply to employers",
            added_on=date(2012, 5, 9),
            self_employment=self_employment,
        )

    def referred_out(
        self,
        category: ReferralCategory = ReferralCategory.SECOND_CAREER,
        *,
        on: date = date(2012, 5, 20),
        direction: ReferralDirection = ReferralDirection.OUT,
    ) -> ReferralRecorded:
        """A referral recorded on the plan (out to Second Career unless told otherwise)."""
        return ReferralRecorded(
            **self._keys(), direction=direction, category=category, referred_on=on
        )

    def closed(self) -> ServicePlanClosed:
        """The plan's closure at the client's exit."""
        return ServicePlanClosed(
            **self._keys(),
            exit_date=date(2012, 8, 31),
            outcome=Outcome.SELF_EMPLOYED,
            components_received=[PlanComponent.CSPC],
        )
