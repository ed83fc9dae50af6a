"""Each site's business plan in its year's planning cycle, from the plan's milestones.

Reporting keeps one :class:`PlanMilestone` per business-plan event (submitted,
revised, review started, returned, approved; no comments: they stay in the
programs service). Where a plan stands is derived from the *set* of its
milestones, never from the order they arrived in:

- approved if any milestone is an approval (an approved plan never changes);
- else, of the latest revision: returned if it was returned, in review if its
  review started, else submitted (programs starts a review only on a submitted
  revision, and a revision after a return makes a new one);
- lateness by the first submission's instant (``submitted_at``; a submission
  known by its date only counts as made at the start of that day, local time,
  as the programs service judges it); a plan whose submission reporting has
  not seen (only later milestones) is not judged late.

The status itself is the rule book's one function,
:func:`contracts.rulebook.planning.plan_status` (the same the programs service
uses); a year without a planning calendar has no status (``standing`` None).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from contracts.rulebook.planning import PlanningCalendar, PlanStanding, ReviewState, plan_status


class MilestoneKind(StrEnum):
    """Which business-plan event a milestone records."""

    SUBMITTED = "submitted"
    REVISED = "revised"
    REVIEW_STARTED = "review-started"
    RETURNED = "returned"
    APPROVED = "approved"


@dataclass(frozen=True)
class PlanMilestone:
    """One business-plan event as reporting keeps it (keyed by its event id)."""

    event_id: str
    site_id: str
    fiscal_year: str
    kind: MilestoneKind
    revision: int
    on: date
    submitted_at: datetime | None = None
    """The submission's instant (submissions only; None when known by its date only)."""


@dataclass(frozen=True)
class SitePlanning:
    """One site's plan for a fiscal year, where it stands as judged at ``judged_at``."""

    site_id: str
    fiscal_year: str
    standing: PlanStanding | None
    """None when the year has no planning calendar."""
    first_submitted_at: datetime | None
    revision: int | None
    approved_on: date | None
    judged_at: datetime
    due_at: datetime | None


def review_state(milestones: Iterable[PlanMilestone]) -> ReviewState | None:
    """What the ministry has done with the plan, from its milestones (None: none)."""
    chosen = list(milestones)
    if not chosen:
        return None
    if any(m.kind is MilestoneKind.APPROVED for m in chosen):
        return ReviewState.APPROVED
    latest = max(m.revision for m in chosen)
    kinds = {m.kind for m in chosen if m.revision == latest}
    if MilestoneKind.RETURNED in kinds:
        return ReviewState.RETURNED
    if MilestoneKind.REVIEW_STARTED in kinds:
        return ReviewState.IN_REVIEW
    return ReviewState.SUBMITTED


def first_submission(milestones: Iterable[PlanMilestone], time_zone: str) -> datetime | None:
    """The instant the plan was first submitted (None: no submission known).

    The submission's own instant, else the start of its day in ``time_zone``.
    """
    submissions = [m for m in milestones if m.kind is MilestoneKind.SUBMITTED]
    if not submissions:
        return None
    first = min(submissions, key=lambda m: (m.on, m.revision, m.event_id))
    if first.submitted_at is not None:
        return first.submitted_at
    return datetime.combine(first.on, time(0), ZoneInfo(time_zone))


def judged_at(as_of: date, now: datetime, time_zone: str) -> datetime:
    """When a status "as of" a day is judged: now, or the end of that day if it is past."""
    zone = ZoneInfo(time_zone)
    if as_of >= now.astimezone(zone).date():
        return now
    end_of_day = datetime.combine(as_of + timedelta(days=1), time(0), zone)
    return end_of_day - timedelta(microseconds=1)


def site_planning(
    site_id: str,
    fiscal_year: str,
    calendar: PlanningCalendar | None,
    milestones: Iterable[PlanMilestone],
    now: datetime,
) -> SitePlanning:
    """Where the site's plan stands at ``now`` (aware) in the year's planning cycle."""
    chosen = [m for m in milestones if m.site_id == site_id and m.fiscal_year == fiscal_year]
    zone = calendar.time_zone if calendar is not None else "America/Toronto"
    submitted_at = first_submission(chosen, zone)
    standing = None
    if calendar is not None:
        # A plan known only by later milestones (its submission not seen) is not judged late.
        judged = submitted_at or (calendar.deadline() if chosen else None)
        standing = plan_status(
            calendar, first_submitted_at=judged, review=review_state(chosen), now=now
        )
    approvals = [m.on for m in chosen if m.kind is MilestoneKind.APPROVED]
    return SitePlanning(
        site_id=site_id,
        fiscal_year=fiscal_year,
        standing=standing,
        first_submitted_at=submitted_at,
        revision=max((m.revision for m in chosen), default=None),
        approved_on=min(approvals, default=None),
        judged_at=now,
        due_at=None if calendar is None else calendar.deadline(),
    )
