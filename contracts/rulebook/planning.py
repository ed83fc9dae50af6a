"""The business-planning cycle of a fiscal year, and where a site's plan stands in it.

The calendar is rule-book data (``programs.business_plans.calendar``): when the
guidelines were posted, the date and local time plans are due (17:00 Toronto
time), when plans are finalised with the ministry, and what a late or missing
plan may cost. :func:`plan_status` places a site's plan in the cycle:

- ``not-submitted``: nothing submitted yet (``missing`` once the deadline has passed);
- ``submitted-on-time`` / ``submitted-late``: first submitted before / after the deadline;
- ``in-review``: the region's consultant is reviewing it;
- ``returned-for-revision``: the consultant returned it with comments;
- ``approved``: approved by the ministry; its commitments are Schedule B.

A plan resubmitted after being returned is again ``submitted-on-time`` or
``submitted-late`` by its *first* submission: lateness is about the deadline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time
from enum import StrEnum
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field

from contracts.rulebook.base import RuleBookPart


def _check_clock(text: str) -> str:
    if not re.fullmatch(r"([01][0-9]|2[0-3]):[0-5][0-9]", text):
        raise ValueError(f"{text!r} is not a time of day written like '17:00'")
    return text


def _check_zone(text: str) -> str:
    try:
        ZoneInfo(text)
    except Exception:
        raise ValueError(f"{text!r} is not a known time zone, e.g. 'America/Toronto'") from None
    return text


class PlanningCalendar(RuleBookPart):
    """One fiscal year's business-planning calendar."""

    guidelines_posted_on: date | None = Field(
        default=None, description="Guidelines and templates posted (information sessions)."
    )
    due_on: date = Field(description="The day plans are due.")
    due_time: Annotated[str, AfterValidator(_check_clock)] = Field(
        default="17:00", description="Local time on the due day after which a plan is late."
    )
    time_zone: Annotated[str, AfterValidator(_check_zone)] = "America/Toronto"
    finalised_by: date | None = Field(
        default=None, description="Plans finalised with the ministry by this day."
    )
    late_consequence: str = Field(
        default="payment dates for the year may move (under review)",
        description="What a late or missing plan may cost the site.",
    )
    source: str | None = None

    def deadline(self) -> datetime:
        """The instant plans are due (aware): the due day at ``due_time`` in ``time_zone``."""
        hours, minutes = (int(part) for part in self.due_time.split(":"))
        return datetime.combine(self.due_on, time(hours, minutes), ZoneInfo(self.time_zone))

    def on_time(self, submitted_at: datetime) -> bool:
        """Whether a submission at this instant (aware) meets the deadline (at it: on time)."""
        return submitted_at <= self.deadline()


class PlanStatus(StrEnum):
    """Where a site's plan stands in its year's planning cycle."""

    NOT_SUBMITTED = "not-submitted"
    SUBMITTED_ON_TIME = "submitted-on-time"
    SUBMITTED_LATE = "submitted-late"
    IN_REVIEW = "in-review"
    RETURNED_FOR_REVISION = "returned-for-revision"
    APPROVED = "approved"


class ReviewState(StrEnum):
    """What the ministry has done with a submitted plan (events say which)."""

    SUBMITTED = "submitted"
    IN_REVIEW = "in-review"
    RETURNED = "returned"
    APPROVED = "approved"


@dataclass(frozen=True)
class PlanStanding:
    """A plan's status, whether it was late or is missing, and what that may cost."""

    status: PlanStatus
    late: bool
    missing: bool
    consequence: str | None

    @property
    def flagged(self) -> bool:
        """Late or missing: a compliance flag."""
        return self.late or self.missing


def plan_status(
    calendar: PlanningCalendar,
    *,
    first_submitted_at: datetime | None,
    review: ReviewState | None,
    now: datetime,
) -> PlanStanding:
    """A site's plan in the cycle, from its first submission instant and review state."""
    if first_submitted_at is None:
        missing = now > calendar.deadline()
        return PlanStanding(
            PlanStatus.NOT_SUBMITTED, False, missing, calendar.late_consequence if missing else None
        )
    late = not calendar.on_time(first_submitted_at)
    consequence = calendar.late_consequence if late else None
    status = {
        ReviewState.IN_REVIEW: PlanStatus.IN_REVIEW,
        ReviewState.RETURNED: PlanStatus.RETURNED_FOR_REVISION,
        ReviewState.APPROVED: PlanStatus.APPROVED,
    }.get(
        review or ReviewState.SUBMITTED,
        PlanStatus.SUBMITTED_LATE if late else PlanStatus.SUBMITTED_ON_TIME,
    )
    return PlanStanding(status, late, False, consequence)
