"""The parts of a service plan's state: immutable values the aggregate replaces on change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from uuid import UUID

from contracts.caseload import (
    FollowUpCheckpoint,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
)

GOAL_KEY = "goal"
"""The key of a plan's goal among its free texts (kept by caseload, never published)."""


def sub_goal_key(component: PlanComponent) -> str:
    """The key of one plan item's sub-goal among the plan's free texts."""
    return f"sub-goal:{component.value}"


class PlanStatus(StrEnum):
    """Open until a service starts, then active; closed at exit."""

    OPEN = "open"
    ACTIVE = "active"
    CLOSED = "closed"


@dataclass(frozen=True)
class PlanHeader:
    """Who the plan is for, where, why, and since when."""

    plan_id: UUID
    client_id: UUID
    site_id: str
    goal: str
    opened_on: date
    referred_in_from: ReferralCategory | None
    self_employment: bool = False
    """Whether the goal is self-employment, as written at opening."""


@dataclass(frozen=True)
class PlanItem:
    """One ES component on the plan and the progress of its service."""

    component: PlanComponent
    sub_goal: str | None
    added_on: date
    started_on: date | None = None
    completed_on: date | None = None
    self_employment: bool = False
    """Whether the item's sub-goal is self-employment."""


@dataclass(frozen=True)
class Referral:
    """A referral in or out recorded on the plan."""

    direction: ReferralDirection
    category: ReferralCategory
    referred_on: date


@dataclass(frozen=True)
class Exit:
    """The plan's closure: exit date and outcome at exit."""

    exit_date: date
    outcome: Outcome


@dataclass(frozen=True)
class Satisfaction:
    """The client's rating of the service at exit."""

    rating: int
    recorded_on: date


@dataclass(frozen=True)
class FollowUp:
    """The outcome found at one follow-up checkpoint."""

    checkpoint: FollowUpCheckpoint
    outcome: Outcome
    recorded_on: date
