"""The ES business plan aggregate: one site's plan for one fiscal year.

Submitted (revision 1), revised any number of times before approval (each
revision replaces the commitments whole), then approved once; an approved plan
never changes. Commitments are checked against the plan year's rule book
(:mod:`~services.programs.domain.business_plan_commitments`). The stream id is
:func:`business_plan_stream_id`; a second submission for the same site and
year is refused by the event store (the stream already exists).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from chassis.aggregate import Aggregate
from contracts.programs import BusinessPlanApproved, BusinessPlanRevised, BusinessPlanSubmitted
from contracts.registry import EventSchema
from contracts.rulebook import RuleBook
from services.programs.domain import errors
from services.programs.domain import participation_errors as refusals
from services.programs.domain.business_plan_commitments import PlanCommitments, check_commitments
from services.programs.domain.dates import require_not_before, require_not_in_future


class BusinessPlanStatus(StrEnum):
    """Submitted (and possibly revised), or approved."""

    SUBMITTED = "submitted"
    APPROVED = "approved"


def business_plan_stream_id(site_id: str, fiscal_year: str) -> str:
    """The stream of a site's plan for a fiscal year: ``business-plan:S001:2012-13``."""
    return f"business-plan:{site_id}:{fiscal_year}"


class BusinessPlan(Aggregate):
    """A site's ES business plan for one fiscal year."""

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self._initial_state()

    def _initial_state(self) -> None:
        self.site_id: str | None = None
        self.fiscal_year: str | None = None
        self.revision = 0
        self.commitments: PlanCommitments | None = None
        self._status: BusinessPlanStatus | None = None
        self.last_changed_on: date | None = None
        self.approved_on: date | None = None

    @property
    def status(self) -> BusinessPlanStatus:
        """Submitted or approved; raises ``NotStarted`` before submission."""
        if self._status is None:
            raise errors.NotStarted(self.id)
        return self._status

    @classmethod
    def submit(
        cls,
        *,
        site_id: str,
        commitments: PlanCommitments,
        submitted_on: date,
        today: date,
        rulebook: RuleBook,
    ) -> BusinessPlan:
        """Submit the site's plan for the rule book's fiscal year."""
        require_not_in_future("the submission date", submitted_on, today)
        check_commitments(commitments, rulebook)
        plan = cls(business_plan_stream_id(site_id, rulebook.fiscal_year))
        plan._record(
            BusinessPlanSubmitted(
                site_id=site_id,
                fiscal_year=rulebook.fiscal_year,
                revision=1,
                commitments=commitments.to_contract(),
                submitted_on=submitted_on,
            )
        )
        return plan

    def revise(
        self, commitments: PlanCommitments, *, revised_on: date, today: date, rulebook: RuleBook
    ) -> None:
        """Replace the commitments, before approval only."""
        self._require_not_approved("revise it")
        self._require_date("the revision date", revised_on, today)
        if rulebook.fiscal_year != self.fiscal_year:
            raise errors.WrongRuleBook("the plan", str(self.fiscal_year), rulebook.fiscal_year)
        check_commitments(commitments, rulebook)
        self._record(
            BusinessPlanRevised(**self._keys(self.revision + 1, commitments), revised_on=revised_on)
        )

    def approve(self, *, approved_on: date, today: date) -> None:
        """Approve the current commitments, once."""
        self._require_not_approved("approve it again")
        self._require_date("the approval date", approved_on, today)
        assert self.commitments is not None
        self._record(
            BusinessPlanApproved(
                **self._keys(self.revision, self.commitments), approved_on=approved_on
            )
        )

    def _keys(self, revision: int, commitments: PlanCommitments) -> dict[str, Any]:
        return {
            "site_id": self.site_id,
            "fiscal_year": self.fiscal_year,
            "revision": revision,
            "commitments": commitments.to_contract(),
        }

    def _require_not_approved(self, action: str) -> None:
        if self.status is BusinessPlanStatus.APPROVED:
            raise refusals.BusinessPlanApprovedAlready(
                str(self.site_id), str(self.fiscal_year), action
            )

    def _require_date(self, what: str, on: date, today: date) -> None:
        require_not_in_future(what, on, today)
        assert self.last_changed_on is not None
        require_not_before(what, on, "the last change on", self.last_changed_on)

    def apply(self, event: EventSchema) -> None:
        """Change state for one of the plan's events."""
        match event:
            case BusinessPlanSubmitted(submitted_on=on) | BusinessPlanRevised(revised_on=on):
                self._take(event, BusinessPlanStatus.SUBMITTED, on)
            case BusinessPlanApproved(approved_on=on):
                self._take(event, BusinessPlanStatus.APPROVED, on)
                self.approved_on = on
            case _:
                super().apply(event)

    def _take(self, event: Any, status: BusinessPlanStatus, on: date) -> None:
        self.site_id, self.fiscal_year = event.site_id, event.fiscal_year
        self.revision = event.revision
        self.commitments = PlanCommitments.from_contract(event.commitments)
        self._status, self.last_changed_on = status, on
