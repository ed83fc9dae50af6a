"""The service plan aggregate: one client's Employment Service plan at one site.

Rules kept here (the plan alone can decide them):

- CSPC is always on the plan: opening records its item;
- at most one item per component; services start and complete only for items
  on the plan, complete only once started, and each happens once;
- nothing is added to or changed on a closed plan;
- no date lies after ``today``; plan dates are not before the opening, except a
  referral *in*, which may predate the plan; a completion is not before its
  start; the exit date is not before the opening;
- the plan names self-employment once its opening or any item says so; that
  is never undone while the plan lives (SEB relies on it);
- satisfaction (1 to 5, once) and follow-ups (once per checkpoint, inside its
  window, see :mod:`~services.caseload.domain.follow_up_windows`) come only
  after exit; a rating is not dated before the exit.

The goal and sub-goals are free text: they are recorded beside the events,
never in them (:mod:`chassis.aggregate`), under the keys of
:data:`~services.caseload.domain.plan_state.GOAL_KEY` and
:func:`~services.caseload.domain.plan_state.sub_goal_key`.

Rules needing other plans or clients live in
:mod:`~services.caseload.domain.opening`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from types import MappingProxyType
from typing import Any
from uuid import UUID

from chassis.aggregate import Aggregate
from contracts.caseload import (
    FollowUpCheckpoint,
    FollowUpRecorded,
    Outcome,
    PlanComponent,
    PlanItemAdded,
    ReferralCategory,
    ReferralDirection,
    ReferralRecorded,
    SatisfactionRecorded,
    ServiceCompleted,
    ServicePlanClosed,
    ServicePlanOpened,
    ServiceStarted,
    is_assisted_participant,
)
from contracts.registry import EventSchema
from services.caseload.domain import errors
from services.caseload.domain.dates import require_not_before, require_not_in_future
from services.caseload.domain.follow_up_windows import FollowUpWindows
from services.caseload.domain.plan_state import (
    GOAL_KEY,
    Exit,
    FollowUp,
    PlanHeader,
    PlanItem,
    PlanStatus,
    Referral,
    Satisfaction,
    sub_goal_key,
)

RATINGS = range(1, 6)


class ServicePlan(Aggregate):
    """An ES plan: items, services, referrals, exit, satisfaction and follow-ups.

    Open one with :func:`~services.caseload.domain.opening.open_service_plan`,
    which checks the client and the site's active plans first. The stream id
    is the plan id as a string.
    """

    keeps_free_text = True

    def __init__(self, aggregate_id: str) -> None:
        super().__init__(aggregate_id)
        self._initial_state()

    def _initial_state(self) -> None:
        self._header: PlanHeader | None = None
        self._items: dict[PlanComponent, PlanItem] = {}
        self.referrals: tuple[Referral, ...] = ()
        self.exit: Exit | None = None
        self.satisfaction: Satisfaction | None = None
        self._follow_ups: dict[FollowUpCheckpoint, FollowUp] = {}

    # -- state ------------------------------------------------------------------------------

    @property
    def header(self) -> PlanHeader:
        """Client, site, goal and opening date; raises ``PlanNotOpened`` before opening."""
        if self._header is None:
            raise errors.PlanNotOpened(self.id)
        return self._header

    @property
    def items(self) -> Mapping[PlanComponent, PlanItem]:
        """The plan items by component, read-only."""
        return MappingProxyType(self._items)

    @property
    def follow_ups(self) -> Mapping[FollowUpCheckpoint, FollowUp]:
        """Follow-ups recorded, by checkpoint, read-only."""
        return MappingProxyType(self._follow_ups)

    @property
    def status(self) -> PlanStatus:
        """Closed after exit; active once a service started; open before."""
        if self.exit is not None:
            return PlanStatus.CLOSED
        if self.components_received:
            return PlanStatus.ACTIVE
        return PlanStatus.OPEN

    @property
    def components_received(self) -> list[PlanComponent]:
        """Components whose service started, sorted."""
        return sorted(
            item.component for item in self._items.values() if item.started_on is not None
        )

    @property
    def names_self_employment(self) -> bool:
        """Whether self-employment is written into the plan: its goal or an item's sub-goal."""
        return self.header.self_employment or any(
            item.self_employment for item in self._items.values()
        )

    @property
    def is_assisted_participant(self) -> bool:
        """Whether the client received Job Search, JMPI or Job/Training Retention."""
        return is_assisted_participant(self.components_received)

    # -- commands before exit ------------------------------------------------------------------

    @classmethod
    def open(
        cls,
        *,
        plan_id: UUID,
        client_id: UUID,
        site_id: str,
        goal: str,
        opened_on: date,
        today: date,
        referred_in_from: ReferralCategory | None = None,
        self_employment: bool = False,
    ) -> ServicePlan:
        """Open a plan with its CSPC item (client and site checks: ``open_service_plan``).

        ``self_employment`` says the goal is self-employment (starting a business).
        """
        if not goal.strip():
            raise errors.GoalRequired()
        require_not_in_future("the opening date", opened_on, today)
        plan = cls(str(plan_id))
        plan._record(
            ServicePlanOpened(
                client_id=client_id,
                plan_id=plan_id,
                site_id=site_id,
                opened_on=opened_on,
                referred_in_from=referred_in_from,
                self_employment=self_employment,
            ),
            texts={GOAL_KEY: goal.strip()},
        )
        plan._record(
            PlanItemAdded(**plan._keys(), component=PlanComponent.CSPC, added_on=opened_on)
        )
        return plan

    def add_item(
        self,
        component: PlanComponent,
        *,
        added_on: date,
        today: date,
        sub_goal: str | None = None,
        self_employment: bool = False,
    ) -> None:
        """Add a plan item for a component not yet on the plan.

        ``self_employment`` says the sub-goal is self-employment: the plan then names it.
        """
        self._require_not_closed("add a plan item")
        if component in self._items:
            raise errors.PlanItemAlreadyOnPlan(component)
        self._require_plan_date("the item's date", added_on, today)
        sub_goal = sub_goal.strip() if sub_goal and sub_goal.strip() else None
        self._record(
            PlanItemAdded(
                **self._keys(),
                component=component,
                added_on=added_on,
                self_employment=self_employment,
            ),
            texts={sub_goal_key(component): sub_goal} if sub_goal else None,
        )

    def start_service(self, component: PlanComponent, *, started_on: date, today: date) -> None:
        """Start the service of a plan item, once."""
        self._require_not_closed("start a service")
        if self._item(component).started_on is not None:
            raise errors.ServiceAlreadyStarted(component)
        self._require_plan_date("the service start", started_on, today)
        self._record(ServiceStarted(**self._keys(), component=component, started_on=started_on))

    def complete_service(
        self, component: PlanComponent, *, completed_on: date, today: date
    ) -> None:
        """Complete a started service, once."""
        self._require_not_closed("complete a service")
        item = self._item(component)
        if item.started_on is None:
            raise errors.ServiceNotStarted(component)
        if item.completed_on is not None:
            raise errors.ServiceAlreadyCompleted(component)
        require_not_in_future("the service completion", completed_on, today)
        require_not_before("the completion", completed_on, "the start", item.started_on)
        self._record(
            ServiceCompleted(**self._keys(), component=component, completed_on=completed_on)
        )

    def record_referral(
        self,
        direction: ReferralDirection,
        category: ReferralCategory,
        *,
        referred_on: date,
        today: date,
    ) -> None:
        """Record a referral in (may predate the plan) or out (not before the opening)."""
        self._require_not_closed("record a referral")
        if direction is ReferralDirection.OUT:
            self._require_plan_date("the referral out", referred_on, today)
        else:
            require_not_in_future("the referral in", referred_on, today)
        self._record(
            ReferralRecorded(
                **self._keys(), direction=direction, category=category, referred_on=referred_on
            )
        )

    def close(self, *, exit_date: date, outcome: Outcome, today: date) -> None:
        """Close the plan at the client's exit with the outcome at exit."""
        self._require_not_closed("close it again")
        self._require_plan_date("the exit date", exit_date, today)
        self._record(
            ServicePlanClosed(
                **self._keys(),
                exit_date=exit_date,
                outcome=outcome,
                components_received=self.components_received,
            )
        )

    # -- commands after exit -------------------------------------------------------------------

    def record_satisfaction(self, rating: int, *, recorded_on: date, today: date) -> None:
        """Record the client's 1-5 rating, once, after exit."""
        exit_ = self._require_closed("record satisfaction")
        if self.satisfaction is not None:
            raise errors.SatisfactionAlreadyRecorded(self.header.plan_id)
        if rating not in RATINGS:
            raise errors.RatingOutOfRange(rating)
        require_not_in_future("the rating date", recorded_on, today)
        require_not_before("the rating date", recorded_on, "the exit date", exit_.exit_date)
        self._record(SatisfactionRecorded(**self._keys(), rating=rating, recorded_on=recorded_on))

    def record_follow_up(
        self,
        checkpoint: FollowUpCheckpoint,
        outcome: Outcome,
        *,
        recorded_on: date,
        today: date,
        windows: FollowUpWindows,
    ) -> None:
        """Record a follow-up's outcome, once per checkpoint, inside its window.

        ``windows`` are those of the rule book of the fiscal year the plan
        closed in (:func:`~services.caseload.domain.follow_up_windows.follow_up_windows`).
        """
        exit_date = self._require_closed("record a follow-up").exit_date
        if checkpoint in self._follow_ups:
            raise errors.FollowUpAlreadyRecorded(checkpoint)
        require_not_in_future("the follow-up date", recorded_on, today)
        window = windows[checkpoint]
        if not window.contains(exit_date, recorded_on):
            opens, closes = window.opens(exit_date), window.closes(exit_date)
            raise errors.FollowUpOutsideWindow(checkpoint, recorded_on, opens, closes)
        self._record(
            FollowUpRecorded(
                **self._keys(), checkpoint=checkpoint, outcome=outcome, recorded_on=recorded_on
            )
        )

    # -- rules shared by commands ------------------------------------------------------------

    def _keys(self) -> dict[str, Any]:
        header = self.header
        return {"client_id": header.client_id, "plan_id": header.plan_id, "site_id": header.site_id}

    def _require_not_closed(self, action: str) -> None:
        plan_id = self.header.plan_id  # raises PlanNotOpened first
        if self.exit is not None:
            raise errors.PlanClosed(plan_id, action)

    def _require_closed(self, action: str) -> Exit:
        plan_id = self.header.plan_id  # raises PlanNotOpened first
        if self.exit is None:
            raise errors.PlanNotClosed(plan_id, action)
        return self.exit

    def _require_plan_date(self, what: str, on: date, today: date) -> None:
        require_not_in_future(what, on, today)
        require_not_before(what, on, "the plan's opening on", self.header.opened_on)

    def _item(self, component: PlanComponent) -> PlanItem:
        try:
            return self._items[component]
        except KeyError:
            raise errors.ServiceNotOnPlan(component) from None

    # -- state changes -----------------------------------------------------------------------

    def apply(self, event: EventSchema) -> None:
        """Change state for one of the plan's events."""
        match event:
            case ServicePlanOpened():
                self._header = PlanHeader(
                    plan_id=event.plan_id,
                    client_id=event.client_id,
                    site_id=event.site_id,
                    goal=self._text(GOAL_KEY) or "",
                    opened_on=event.opened_on,
                    referred_in_from=event.referred_in_from,
                    self_employment=event.self_employment,
                )
                if event.referred_in_from is not None:  # the shorthand of a referral in
                    referral = Referral(
                        ReferralDirection.IN, event.referred_in_from, event.opened_on
                    )
                    self.referrals = (referral,)
            case PlanItemAdded(component=component, added_on=added_on):
                sub_goal = self._text(sub_goal_key(component))
                self._items[component] = PlanItem(
                    component, sub_goal, added_on, self_employment=event.self_employment
                )
            case ServiceStarted(component=component, started_on=started_on):
                self._items[component] = replace(self._items[component], started_on=started_on)
            case ServiceCompleted(component=component, completed_on=completed_on):
                item = replace(self._items[component], completed_on=completed_on)
                self._items[component] = item
            case ReferralRecorded(direction=direction, category=category, referred_on=on):
                self.referrals = (*self.referrals, Referral(direction, category, on))
            case ServicePlanClosed(exit_date=exit_date, outcome=outcome):
                self.exit = Exit(exit_date, outcome)
            case SatisfactionRecorded(rating=rating, recorded_on=recorded_on):
                self.satisfaction = Satisfaction(rating, recorded_on)
            case FollowUpRecorded(checkpoint=checkpoint, outcome=outcome, recorded_on=on):
                self._follow_ups[checkpoint] = FollowUp(checkpoint, outcome, on)
            case _:
                super().apply(event)
