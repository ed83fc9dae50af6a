"""The ES business plan aggregate: one site's plan for one fiscal year.

Submitted (revision 1) by the provider, reviewed by the region's Employment
and Training Consultant, returned for revision with comments, revised any
number of times before approval (each revision replaces the commitments whole),
then approved once by the ministry; an approved plan never changes. Where the
plan stands in its year's planning cycle (on time, late, ...) is
:meth:`BusinessPlan.standing`, against the rule book's calendar. Commitments are
checked against the plan year's rule book
(:mod:`~services.programs.domain.business_plan_commitments`). The stream id is
:func:`business_plan_stream_id`; a second submission for the same site and
year is refused by the event store (the stream already exists).
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from chassis.aggregate import Aggregate
from contracts.programs import (
    BusinessPlanApproved,
    BusinessPlanReturned,
    BusinessPlanReviewStarted,
    BusinessPlanRevised,
    BusinessPlanSubmitted,
)
from contracts.registry import EventSchema
from contracts.rulebook import RuleBook
from contracts.rulebook.planning import PlanningCalendar, PlanStanding, ReviewState, plan_status
from services.programs.domain import errors
from services.programs.domain import participation_errors as refusals
from services.programs.domain.business_plan_commitments import PlanCommitments, check_commitments
from services.programs.domain.dates import require_not_before, require_not_in_future


class BusinessPlanStatus(StrEnum):
    """Submitted (or revised), in review, returned for revision, or approved."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in-review"
    RETURNED = "returned-for-revision"
    APPROVED = "approved"


_REVIEW_STATES = {
    BusinessPlanStatus.SUBMITTED: ReviewState.SUBMITTED,
    BusinessPlanStatus.IN_REVIEW: ReviewState.IN_REVIEW,
    BusinessPlanStatus.RETURNED: ReviewState.RETURNED,
    BusinessPlanStatus.APPROVED: ReviewState.APPROVED,
}


def business_plan_stream_id(site_id: str, fiscal_year: str) -> str:
    """The stream of a site's plan for a fiscal year: ``business-plan:S001:2012-13``."""
    return f"business-plan:{site_id}:{fiscal_year}"


COMMENTS_KEY = "return-comments"
"""Where the consultant's comments on a returned plan are kept (free text, off the bus)."""


class BusinessPlan(Aggregate):
    """A site's ES business plan for one fiscal year."""

    keeps_free_text = True

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
        self.first_submitted_on: date | None = None
        self.first_submitted_at: datetime | None = None
        self.comments: str | None = None
        """The consultant's comments when the plan was last returned."""

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
        submitted_at: datetime | None = None,
    ) -> BusinessPlan:
        """Submit the site's plan for the rule book's fiscal year (``submitted_at``: the
        instant, with its offset, judged against the planning deadline)."""
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
                submitted_at=submitted_at,
            )
        )
        return plan

    def start_review(self, *, on: date, today: date) -> None:
        """The region's consultant starts reviewing the submitted (or revised) plan."""
        self._require_status({BusinessPlanStatus.SUBMITTED}, "start a review")
        self._require_date("the review date", on, today)
        self._record(BusinessPlanReviewStarted(**self._ids(), review_started_on=on))

    def return_for_revision(self, *, comments: str, on: date, today: date) -> None:
        """The consultant returns the plan to the provider with comments."""
        statuses = {BusinessPlanStatus.SUBMITTED, BusinessPlanStatus.IN_REVIEW}
        self._require_status(statuses, "return it for revision")
        self._require_date("the return date", on, today)
        self._record(
            BusinessPlanReturned(**self._ids(), returned_on=on),
            texts={COMMENTS_KEY: comments},
        )

    def standing(self, calendar: PlanningCalendar | None, now: datetime) -> PlanStanding | None:
        """Where the plan stands in its year's planning cycle (None without a calendar).

        Lateness is judged on the first submission's instant; a submission known by
        its date only counts as made at the start of that day, local time.
        """
        if calendar is None or self.first_submitted_on is None:
            return None
        submitted_at = self.first_submitted_at or datetime.combine(
            self.first_submitted_on, time(0), ZoneInfo(calendar.time_zone)
        )
        review = _REVIEW_STATES[self.status]
        return plan_status(calendar, first_submitted_at=submitted_at, review=review, now=now)

    def _ids(self) -> dict[str, Any]:
        return {"site_id": self.site_id, "fiscal_year": self.fiscal_year, "revision": self.revision}

    def _require_status(self, allowed: set[BusinessPlanStatus], action: str) -> None:
        self._require_not_approved(action)
        if self.status not in allowed:
            raise errors.InvalidTransition("the business plan", self.status.value, action)

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
            case BusinessPlanSubmitted(submitted_on=on):
                self._take(event, BusinessPlanStatus.SUBMITTED, on)
                self.first_submitted_on, self.first_submitted_at = on, event.submitted_at
            case BusinessPlanRevised(revised_on=on):
                self._take(event, BusinessPlanStatus.SUBMITTED, on)
            case BusinessPlanReviewStarted(review_started_on=on):
                self._status, self.last_changed_on = BusinessPlanStatus.IN_REVIEW, on
            case BusinessPlanReturned(returned_on=on):
                self._status, self.last_changed_on = BusinessPlanStatus.RETURNED, on
                self.comments = self._text(COMMENTS_KEY)
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
