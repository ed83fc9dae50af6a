"""A client's Employment Service journey, drawn with the rates of the client's site.

Registration, a service plan opened a few days later, plan items and their
services, perhaps a referral out (sometimes to Second Career, whose
application then follows), exit with an outcome, a satisfaction rating, and
the follow-ups that fall due before the simulation's horizon.
"""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from eocms.demo.simulator.clients import synthetic_client
from eocms.demo.simulator.province import SiteProfile
from eocms.demo.simulator.second_career import second_career_steps
from eocms.demo.simulator.steps import Action, ChainBuilder, Later, Step

GOALS = (
    "Find full-time work in logistics",
    "Return to work in retail after a lay-off",
    "Find work in health care support",
    "Start an apprenticeship in the trades",
    "Find office and administrative work",
    "Get a job in food services",
    "Move into customer service work",
)
ASSISTED = ("job-search", "jmpi", "job-training-retention")
ASSISTED_WEIGHTS = (70, 20, 10)
REFERRALS_OUT = (
    "literacy-and-basic-skills",
    "apprenticeship",
    "other-eo-program",
    "government-service",
    "community-resource",
)
REFERRALS_IN = ("literacy-and-basic-skills", "other-eo-program", "apprenticeship")
POSITIVE_OUTCOMES = (
    ("employed-full-time", 40),
    ("employed-part-time", 18),
    ("self-employed", 3),
    ("employed-in-area-of-training-or-choice", 6),
    ("employed-in-more-suitable-job", 4),
    ("employed-and-in-education", 2),
    ("in-education", 12),
    ("in-training", 15),
)
OTHER_OUTCOMES = (
    ("unemployed", 55),
    ("unknown", 18),
    ("independent", 8),
    ("volunteer", 7),
    ("unable-to-work", 12),
)
SELF_EMPLOYMENT_GOAL = "Start a small business"
SEB_SHARE = 0.08
"""Share of EI-linked clients whose plan aims at self-employment (then SEB)."""
SECOND_CAREER_SHARE = 0.4
"""Share of a laid-off client's referrals out that go to Second Career."""


def client_journey(
    rng: random.Random, site: SiteProfile, number: int, registered_on: date, horizon: date
) -> list[Step]:
    """Every step of one client's journey dated on or before ``horizon``."""
    key = f"{site.site_id}-{number:04d}"
    journey = _Journey(ChainBuilder(f"client-{key}", site.site_id), key, horizon)
    client = synthetic_client(rng, registered_on, faces_barriers=rng.random() < site.barriers)
    journey.add(
        Action.REGISTER_CLIENT,
        registered_on,
        journey.client_ref,
        {"personal_details": client.personal_details, "profile": client.profile},
    )
    opened_on = registered_on + timedelta(days=rng.randint(0, 6))
    exit_on = opened_on + timedelta(days=rng.randint(45, 210))
    laid_off = client.profile["income_source"] == "employment-insurance"
    self_employment = laid_off and rng.random() < SEB_SHARE
    referred_in = (
        rng.choice(REFERRALS_IN) if client.profile["referral_source"] == "eo-program" else None
    )
    journey.add(
        Action.OPEN_PLAN,
        opened_on,
        journey.plan_ref,
        {
            "goal": SELF_EMPLOYMENT_GOAL if self_employment else rng.choice(GOALS),
            "referred_in_from": referred_in,
            **({"self_employment": True} if self_employment else {}),
        },
        client_ref=journey.client_ref,
    )
    if self_employment:
        exit_on = _self_employment_benefit(rng, journey, opened_on, exit_on)
    second_career = _services_and_referral(rng, site, journey, exit_on, laid_off)
    outcome = "in-training" if second_career else _outcome(rng, site)
    if self_employment and rng.random() < site.impact:
        outcome = "self-employed"
    journey.add(Action.CLOSE_PLAN, exit_on, journey.plan_ref, {"outcome": outcome})
    if rng.random() < site.rating_response:
        rated_on = exit_on + timedelta(days=rng.randint(0, 10))
        journey.after_exit.append(
            Later(
                rated_on, Action.RATE_SATISFACTION, journey.plan_ref, {"rating": _rating(rng, site)}
            )
        )
    if second_career:
        journey.after_exit.extend(second_career_steps(rng, key, journey.client_ref, exit_on))
    journey.after_exit.extend(_follow_ups(rng, journey.plan_ref, exit_on, outcome))
    journey.add_after_exit(exit_on)
    return journey.steps


class _Journey:
    """A client's chain being drawn: its refs, the steps after exit, the horizon."""

    def __init__(self, chain: ChainBuilder, key: str, horizon: date) -> None:
        self.chain, self.horizon = chain, horizon
        self.client_ref, self.plan_ref = f"client:{key}", f"plan:{key}"
        self.seb_ref = f"seb:{key}"
        self.after_exit: list[Later] = []
        self.ended = False

    @property
    def steps(self) -> list[Step]:
        """The steps drawn so far."""
        return self.chain.steps

    @property
    def last_day(self) -> date:
        """The day of the latest step."""
        return self.chain.steps[-1].on

    def add(
        self,
        action: Action,
        on: date,
        ref: str,
        body: dict[str, Any] | None = None,
        *,
        client_ref: str | None = None,
    ) -> None:
        """Add a step, unless the journey already ran past the horizon (then it ends there)."""
        if self.ended or on > self.horizon:
            self.ended = True
            return
        self.chain.add(action, on, ref, body, client_ref=client_ref)

    def add_after_exit(self, exit_on: date) -> None:
        """The steps after exit, none before it, in date order (each thread keeps its own)."""
        later = [replace(item, on=max(item.on, exit_on)) for item in self.after_exit]
        for item in sorted(later, key=lambda entry: entry.on):
            self.add(item.action, item.on, item.ref, dict(item.body), client_ref=item.client_ref)


def _self_employment_benefit(
    rng: random.Random, journey: _Journey, opened_on: date, exit_on: date
) -> date:
    """SEB on the open plan: the site submits, the region's consultant approves, it starts.

    The three fall on one day (the demo's consultant decides at once), so the
    draws and every other step stay as they were. Returns the exit day, late
    enough for the benefit to start.
    """
    weeks = rng.randint(20, 42)
    seb_on = opened_on + timedelta(days=rng.randint(7, 20))
    journey.add(
        Action.SUBMIT_SEB,
        seb_on,
        journey.seb_ref,
        {
            "plan_id": journey.plan_ref,
            "starts_on": seb_on.isoformat(),
            "planned_weeks": weeks,
            "ei_history": {"active_claim": True},
        },
        client_ref=journey.client_ref,
    )
    journey.add(Action.APPROVE_SEB, seb_on, journey.seb_ref)
    journey.add(Action.START_SEB, seb_on, journey.seb_ref)
    journey.after_exit.append(
        Later(seb_on + timedelta(weeks=weeks), Action.COMPLETE_SEB, journey.seb_ref)
    )
    return max(exit_on, seb_on + timedelta(days=rng.randint(30, 90)))


def _services_and_referral(
    rng: random.Random, site: SiteProfile, journey: _Journey, exit_on: date, laid_off: bool
) -> bool:
    """Plan items, their services, maybe a referral out; True when it is to Second Career."""
    day = journey.last_day
    components = _components(rng, site)
    for component in components:
        day = min(day + timedelta(days=rng.randint(0, 4)), exit_on)
        journey.add(Action.ADD_ITEM, day, journey.plan_ref, {"component": component})
        journey.add(Action.START_SERVICE, day, journey.plan_ref, {"component": component})
    second_career = False
    if rng.random() < site.referral_out:
        day = day + (exit_on - day) * rng.randint(2, 8) // 10
        second_career = laid_off and rng.random() < SECOND_CAREER_SHARE
        category = "second-career" if second_career else rng.choice(REFERRALS_OUT)
        journey.add(Action.REFER, day, journey.plan_ref, {"direction": "out", "category": category})
    for component in components[: rng.randint(0, len(components))]:
        journey.add(Action.COMPLETE_SERVICE, exit_on, journey.plan_ref, {"component": component})
    return second_career


def _components(rng: random.Random, site: SiteProfile) -> list[str]:
    components = ["employment-service-plan"] if rng.random() < 0.5 else []
    if rng.random() < site.assisted:
        first = rng.choices(ASSISTED, weights=ASSISTED_WEIGHTS)[0]
        components.append(first)
        if first == "job-search" and rng.random() < 0.3:
            components.append("jmpi")
    return components


def _outcome(rng: random.Random, site: SiteProfile) -> str:
    return _outcome_with(rng, site.impact)


def _outcome_with(rng: random.Random, impact: float) -> str:
    choices = POSITIVE_OUTCOMES if rng.random() < impact else OTHER_OUTCOMES
    return rng.choices([o for o, _ in choices], weights=[w for _, w in choices])[0]


def _rating(rng: random.Random, site: SiteProfile) -> int:
    if rng.random() < site.satisfied:
        return rng.choices((4, 5), weights=(45, 55))[0]
    return rng.choices((1, 2, 3), weights=(15, 30, 55))[0]


def _follow_ups(rng: random.Random, plan_ref: str, exit_on: date, outcome: str) -> list[Later]:
    found = []
    for months in (3, 6, 12):
        if rng.random() < 0.1:  # a missed follow-up: a compliance flag, not a command
            continue
        on = add_months(exit_on, months) + timedelta(days=rng.randint(-7, 14))
        status = outcome if rng.random() < 0.7 else _outcome_with(rng, 0.6)
        found.append(
            Later(on, Action.FOLLOW_UP, plan_ref, {"checkpoint": months, "outcome": status})
        )
    return found


def add_months(day: date, months: int) -> date:
    """The day ``months`` later, clamped to that month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise AssertionError("unreachable")
