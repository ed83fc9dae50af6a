"""Property: any interleaving keeping per-key order, with duplicates, gives the same measures.

Random small journeys across three sites and two fiscal years (2011-12 uses
Service Coordination v1, 2012-13 v2) are folded in several interleavings of
the (topic, client) queues, with redelivered duplicates, and every measure's
numerator and denominator must equal the plain reference computation over the
events in recording order.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contracts.caseload import (
    FollowUpCheckpoint,
    Outcome,
    PlanComponent,
    ReferralCategory,
    ReferralDirection,
)
from contracts.intake import ReferralSource
from contracts.rulebook import load_rulebook
from services.reporting.domain import (
    BusinessPlanCommitment,
    ReportingFacts,
    StampedEvent,
    counts_for_sites,
    fold_events,
    quarter_period,
    year_to_date_period,
)
from services.reporting.domain.periods import month_period
from tests.unit.reporting.builders import Journeys
from tests.unit.reporting.reference_measures import quarter_dates, reference_counts

SITES = ("A", "B", "C")
PLANNED = {("A", "2011-12"): 24, ("A", "2012-13"): 12, ("B", "2012-13"): 7}
RULEBOOKS = {year: load_rulebook(year) for year in ("2011-12", "2012-13")}
FIRST_DAY = date(2011, 4, 1)

OFFSETS = st.sampled_from([0, 1, 30, 31, 60]) | st.integers(0, 120)
"""Days after opening; small shared values make same-day referral and exit common."""

plans = st.fixed_dictionaries(
    {
        "site": st.sampled_from(SITES),
        # days after 2011-04-01; boundaries: 2011-06-30, 2012-03-31, 2012-04-01, 2012-06-30
        "open_after": st.integers(0, 700) | st.sampled_from([90, 365, 366, 456]),
        "referred_in": st.none() | st.sampled_from(list(ReferralCategory)),
        "services": st.lists(st.sampled_from(list(PlanComponent)), max_size=3, unique=True),
        "referrals": st.lists(
            st.tuples(st.sampled_from(list(ReferralDirection)), OFFSETS), max_size=2
        ),
        "exit_after": st.none() | OFFSETS,
        "outcome": st.sampled_from(list(Outcome)),
        "rating": st.none() | st.integers(1, 5),
        "follow_up": st.booleans(),
    }
)
clients = st.fixed_dictionaries(
    {
        "site": st.sampled_from(SITES),
        "came": st.sampled_from(list(ReferralSource)),
        "assessments": st.lists(st.booleans(), max_size=2),
        "plans": st.lists(plans, max_size=2),
    }
)


def build(specs: list[dict]) -> Journeys:
    """The events of the generated journeys, stream by stream in recording order."""
    j = Journeys()
    for index, spec in enumerate(specs):
        name = f"c{index}"
        registered_on = FIRST_DAY
        j.register(name, spec["site"], registered_on, suitable=None, referral_source=spec["came"])
        for count, suitable in enumerate(spec["assessments"]):
            j.assess(name, registered_on + timedelta(days=count), suitable=suitable)
        for number, plan in enumerate(spec["plans"]):
            plan_name, site = f"{name}-p{number}", plan["site"]
            opened = FIRST_DAY + timedelta(days=plan["open_after"])
            j.open(plan_name, name, site, opened, referred_in_from=plan["referred_in"])
            for component in plan["services"]:
                j.start(plan_name, name, site, opened, component)
            exit_on = None
            if plan["exit_after"] is not None:
                exit_on = opened + timedelta(days=plan["exit_after"])
            for direction, after in plan["referrals"]:
                day = opened + timedelta(days=after)
                if exit_on is not None and day > exit_on:
                    continue  # recorded after closing below
                j.refer(plan_name, name, site, day, direction)
            if exit_on is not None:
                received = [c for c in plan["services"] if c is not PlanComponent.CSPC]
                j.close(
                    plan_name, name, site, exit_on, plan["outcome"], received, rating=plan["rating"]
                )
                for direction, after in plan["referrals"]:
                    day = opened + timedelta(days=after)
                    if day > exit_on:
                        j.refer(plan_name, name, site, day, direction)
                if plan["follow_up"]:
                    j.follow_up(
                        plan_name, name, site, exit_on + timedelta(days=91),
                        FollowUpCheckpoint.THREE_MONTHS, plan["outcome"],
                    )  # fmt: skip
    return j


def queue_key(event: StampedEvent) -> tuple[str, str]:
    """(topic, record key): the unit whose order the bus keeps."""
    topic = event.payload.event_type.partition(".")[0]
    return topic, str(event.payload.client_id)


def interleave(events: list[StampedEvent], rng: random.Random) -> list[StampedEvent]:
    """A random merge of the per-(topic, key) queues, then redelivered duplicates."""
    queues: dict[tuple[str, str], list[StampedEvent]] = {}
    for event in events:
        queues.setdefault(queue_key(event), []).append(event)
    pending = [list(reversed(queue)) for queue in queues.values()]
    merged: list[StampedEvent] = []
    while pending:
        queue = rng.choice(pending)
        merged.append(queue.pop())
        if not queue:
            pending.remove(queue)
    for _ in range(rng.randint(0, max(1, len(merged) // 3))):
        original = rng.randrange(len(merged))
        merged.insert(rng.randint(original + 1, len(merged)), merged[original])
    return merged


def with_commitments(facts: ReportingFacts) -> ReportingFacts:
    for (site, year), planned in PLANNED.items():
        commitment = BusinessPlanCommitment(
            site_id=site, fiscal_year=year, planned_assisted_clients=planned
        )
        facts = facts.with_commitment(commitment)
    return facts


def periods_to_check():
    """(period, start, end, months) with dates worked out independently of the domain."""
    for first_year in (2011, 2012):
        year = f"{first_year}-{(first_year + 1) % 100:02d}"
        for quarter in (1, 2, 3, 4):
            start, end = quarter_dates(first_year, quarter)
            yield quarter_period(year, quarter), start, end, 3
        as_of = date(first_year, 11, 17)
        yield year_to_date_period(year, as_of), date(first_year, 4, 1), as_of, 8
    yield month_period("2012-05"), date(2012, 5, 1), date(2012, 5, 31), 1


def planned_for(year: str, months: int) -> dict[str, Fraction]:
    return {site: Fraction(PLANNED.get((site, year), 0) * months, 12) for site in SITES}


def coordination_version(fiscal_year: str) -> str:
    return "v1" if fiscal_year in ("2010-11", "2011-12") else "v2"


def as_pairs(counts) -> dict[str, tuple]:
    return {m: (c.numerator, c.denominator) for m, c in counts.items()}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(specs=st.lists(clients, min_size=1, max_size=6), rng=st.randoms(use_true_random=False))
def test_any_per_key_interleaving_with_duplicates_gives_the_reference_measures(
    specs: list[dict], rng: random.Random
) -> None:
    events = build(specs).events
    payloads = [event.payload for event in events]
    folds = [with_commitments(fold_events(events))]
    folds += [with_commitments(fold_events(interleave(events, rng))) for _ in range(3)]
    assert all(facts == folds[0] for facts in folds)
    for period, start, end, months in periods_to_check():
        rulebook = RULEBOOKS[period.fiscal_year]
        version = coordination_version(period.fiscal_year)
        planned = planned_for(period.fiscal_year, months)
        for site in SITES:
            expected = reference_counts(payloads, {site}, start, end, version, planned)
            for facts in folds:
                assert as_pairs(counts_for_sites(facts, [site], period, rulebook)) == expected


@settings(max_examples=40, deadline=None)
@given(specs=st.lists(clients, min_size=1, max_size=6))
def test_the_province_roll_up_equals_the_computation_over_the_union_of_sites(
    specs: list[dict],
) -> None:
    events = build(specs).events
    payloads = [event.payload for event in events]
    facts = with_commitments(fold_events(events))
    for period, start, end, months in periods_to_check():
        rulebook = RULEBOOKS[period.fiscal_year]
        version = coordination_version(period.fiscal_year)
        union = reference_counts(
            payloads, set(SITES), start, end, version, planned_for(period.fiscal_year, months)
        )
        assert as_pairs(counts_for_sites(facts, SITES, period, rulebook)) == union
