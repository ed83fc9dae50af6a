"""Why caseload refuses a command: one exception per broken rule, with a plain message."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from uuid import UUID

from contracts.caseload import FollowUpCheckpoint, PlanComponent


class CaseloadError(Exception):
    """A caseload rule refused a command; nothing was recorded."""


class UnknownClient(CaseloadError):
    """The client is not in caseload's view of registered clients."""

    def __init__(self, client_id: UUID) -> None:
        self.client_id = client_id
        super().__init__(f"client {client_id} is not registered")


class ClientNotEligible(CaseloadError):
    """The client is registered but not eligible for assisted Employment Service."""

    def __init__(self, client_id: UUID) -> None:
        self.client_id = client_id
        super().__init__(f"client {client_id} is not eligible for assisted Employment Service")


class ActivePlanExists(CaseloadError):
    """The client already has an active ES plan at this site."""

    def __init__(self, client_id: UUID, site_id: str) -> None:
        self.client_id, self.site_id = client_id, site_id
        super().__init__(f"client {client_id} already has an active service plan at {site_id}")


class GoalRequired(CaseloadError):
    """A plan cannot be opened without a goal."""

    def __init__(self) -> None:
        super().__init__("a service plan needs a goal")


class PlanNotOpened(CaseloadError):
    """The stream holds no opened plan."""

    def __init__(self, plan_id: str) -> None:
        self.plan_id = plan_id
        super().__init__(f"service plan {plan_id} was never opened")


class PlanClosed(CaseloadError):
    """Nothing can be added to or changed on a closed plan."""

    def __init__(self, plan_id: UUID, action: str) -> None:
        self.plan_id, self.action = plan_id, action
        super().__init__(f"service plan {plan_id} is closed: cannot {action}")


class PlanNotClosed(CaseloadError):
    """Satisfaction and follow-ups come only after exit."""

    def __init__(self, plan_id: UUID, action: str) -> None:
        self.plan_id, self.action = plan_id, action
        super().__init__(f"service plan {plan_id} is not closed yet: cannot {action} before exit")


class PlanItemAlreadyOnPlan(CaseloadError):
    """A plan holds at most one item per ES component."""

    def __init__(self, component: PlanComponent) -> None:
        self.component = component
        super().__init__(f"the plan already has a {component} item")


class ServiceNotOnPlan(CaseloadError):
    """Services can start or complete only for items on the plan."""

    def __init__(self, component: PlanComponent) -> None:
        self.component = component
        super().__init__(f"{component} is not an item of this plan")


class ServiceAlreadyStarted(CaseloadError):
    """A plan item's service starts once."""

    def __init__(self, component: PlanComponent) -> None:
        self.component = component
        super().__init__(f"the {component} service has already started")


class ServiceNotStarted(CaseloadError):
    """Only a started service can be completed."""

    def __init__(self, component: PlanComponent) -> None:
        self.component = component
        super().__init__(f"the {component} service has not started, so it cannot be completed")


class ServiceAlreadyCompleted(CaseloadError):
    """A plan item's service completes once."""

    def __init__(self, component: PlanComponent) -> None:
        self.component = component
        super().__init__(f"the {component} service is already completed")


class DateInFuture(CaseloadError):
    """Caseload records facts: no date may lie after today."""

    def __init__(self, what: str, on: date, today: date) -> None:
        self.what, self.on, self.today = what, on, today
        super().__init__(f"{what} {on} is in the future (today is {today})")


class DateOutOfOrder(CaseloadError):
    """A date lies before the fact it must follow."""

    def __init__(self, what: str, on: date, earlier_what: str, earlier_on: date) -> None:
        self.what, self.on = what, on
        self.earlier_what, self.earlier_on = earlier_what, earlier_on
        super().__init__(f"{what} {on} is before {earlier_what} {earlier_on}")


class RatingOutOfRange(CaseloadError):
    """Customer satisfaction is rated 1 to 5."""

    def __init__(self, rating: int) -> None:
        self.rating = rating
        super().__init__(f"a satisfaction rating is 1 to 5, not {rating}")


class SatisfactionAlreadyRecorded(CaseloadError):
    """A plan gets one satisfaction rating."""

    def __init__(self, plan_id: UUID) -> None:
        self.plan_id = plan_id
        super().__init__(f"service plan {plan_id} already has a satisfaction rating")


class FollowUpAlreadyRecorded(CaseloadError):
    """Each follow-up checkpoint is recorded once."""

    def __init__(self, checkpoint: FollowUpCheckpoint) -> None:
        self.checkpoint = checkpoint
        super().__init__(f"the {checkpoint.months}-month follow-up is already recorded")


class FollowUpOutsideWindow(CaseloadError):
    """A follow-up date lies outside its checkpoint's window."""

    def __init__(self, checkpoint: FollowUpCheckpoint, on: date, opens: date, closes: date) -> None:
        self.checkpoint, self.on, self.opens, self.closes = checkpoint, on, opens, closes
        super().__init__(
            f"the {checkpoint.months}-month follow-up can be recorded from {opens} "
            f"to {closes}, not on {on}"
        )


class NoFollowUpRules(CaseloadError):
    """The rule book has no ``follow_ups`` section to set the windows with."""

    def __init__(self, fiscal_year: str) -> None:
        self.fiscal_year = fiscal_year
        super().__init__(f"the rule book for {fiscal_year} has no follow-up windows")


class InvalidMonth(CaseloadError):
    """A reporting month is written YYYY-MM."""

    def __init__(self, month: str) -> None:
        self.month = month
        super().__init__(f"{month!r} is not a month written YYYY-MM")


class MonthAlreadyReported(CaseloadError):
    """One R&I report per site per month; changes go through a correction."""

    def __init__(self, site_id: str, month: str) -> None:
        self.site_id, self.month = site_id, month
        super().__init__(f"{site_id} already reported R&I for {month}: correct it instead")


class MonthNotReported(CaseloadError):
    """Only a filed R&I report can be corrected."""

    def __init__(self, stream_id: str) -> None:
        self.stream_id = stream_id
        super().__init__(f"no R&I report was filed for {stream_id}: report it first")


class CorrectionChangesNothing(CaseloadError):
    """A correction must change at least one count."""

    def __init__(self, site_id: str, month: str) -> None:
        self.site_id, self.month = site_id, month
        super().__init__(f"the correction repeats {site_id}'s current R&I counts for {month}")


class InconsistentCounts(CaseloadError):
    """R&I counts contradict each other."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("inconsistent R&I counts: " + "; ".join(self.problems))
