"""What the services accepted, and the counts reporting must reach once it has caught up.

The driver records each accepted step here. From them follow, per site, the
measure counts that reporting computes from the same events: clients who
started a plan in the year (and how many of them intake found suitable),
plans closed in the year, and rated exits of assisted participants. When
reporting answers these counts, every event that moves them has arrived.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eocms.demo.simulator import Action, Step

ASSISTED_COMPONENTS = frozenset({"job-search", "jmpi", "job-training-retention"})


@dataclass
class _Plan:
    site_id: str
    client_ref: str
    opened_on: date
    components: set[str] = field(default_factory=set)
    closed_on: date | None = None
    rated: bool = False


@dataclass(frozen=True)
class ExpectedCounts:
    """Denominators (and one numerator) reporting must show for a site's year."""

    started_clients: int
    suitable_started_clients: int
    closed_plans: int
    rated_assisted_exits: int


class Tally:
    """Accepted registrations and plan events, by the simulator's refs."""

    def __init__(self, first_day: date | None = None, last_day: date | None = None) -> None:
        self.first_day, self.last_day = first_day, last_day
        self.suitable: dict[str, bool] = {}
        self.plans: dict[str, _Plan] = {}
        self.accepted: dict[Action, int] = {}

    def record(self, step: Step, answer: Mapping[str, Any]) -> None:
        """Note an accepted step and what the service answered."""
        self.accepted[step.action] = self.accepted.get(step.action, 0) + 1
        if step.action is Action.REGISTER_CLIENT:
            suitability = answer.get("suitability") or {}
            self.suitable[step.ref] = bool(suitability.get("suitable"))
        elif step.action is Action.OPEN_PLAN:
            assert step.client_ref is not None
            self.plans[step.ref] = _Plan(step.site_id, step.client_ref, step.on)
        elif step.action is Action.START_SERVICE:
            self.plans[step.ref].components.add(str(step.body["component"]))
        elif step.action is Action.CLOSE_PLAN:
            self.plans[step.ref].closed_on = step.on
        elif step.action is Action.RATE_SATISFACTION:
            self.plans[step.ref].rated = True

    def expected(self, site_id: str) -> ExpectedCounts:
        """The site's counts for the whole fiscal year."""
        plans = [plan for plan in self.plans.values() if plan.site_id == site_id]
        started = {plan.client_ref for plan in plans if self._in_year(plan.opened_on)}
        closed = [plan for plan in plans if self._in_year(plan.closed_on)]
        return ExpectedCounts(
            started_clients=len(started),
            suitable_started_clients=sum(self.suitable.get(ref, False) for ref in started),
            closed_plans=len(closed),
            rated_assisted_exits=sum(
                plan.rated and bool(plan.components & ASSISTED_COMPONENTS) for plan in closed
            ),
        )

    def _in_year(self, day: date | None) -> bool:
        if day is None:
            return False
        if self.first_day is None or self.last_day is None:
            return True
        return self.first_day <= day <= self.last_day
