"""Synthetic event histories for reporting's database tests, and what they must add up to.

A :class:`History` is the plain, recording-ordered list of events of some
generated client journeys (intake and caseload, via the unit tests'
``Journeys`` builder) plus approved business plans (programs), as the relays
would publish them: envelope JSON values, keyed by client (or by business
plan), with the relay's headers.

- :func:`interleave` merges the per-(topic, key) queues at random (the only
  order the bus keeps), injects redelivered duplicates and cuts batches;
- :func:`split_streams` re-keys events so that one stream's events travel
  under several keys (on several partitions), as older producers published
  some streams: consumers then receive versions ahead of their predecessor;
- :func:`expected_sites` is the reference: the five measures' numerators and
  denominators per site and period from the plain payload list
  (``tests/unit/reporting/reference_measures.py``) and a plain SQS over them,
  written without ``services.reporting``.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

from hypothesis import strategies as st

from contracts.caseload import Outcome, PlanComponent, ReferralCategory, ReferralDirection
from contracts.envelope import EventEnvelope
from contracts.programs import BusinessPlanApproved, BusinessPlanCommitments
from contracts.registry import EventSchema
from contracts.rulebook import load_rulebook
from contracts.topics import CASELOAD_EVENTS, INTAKE_EVENTS, PROGRAMS_EVENTS
from services.reporting.domain import StampedEvent
from tests.unit.reporting.reference_measures import quarter_dates, reference_counts
from tests.unit.reporting.test_fold_properties import SITES, build, clients

FISCAL_YEARS = ("2011-12", "2012-13")
"""The generated journeys' plans open between April 2011 and March 2013."""


@dataclass(frozen=True, slots=True)
class PublishedEvent:
    """One event as a relay publishes it."""

    topic: str
    key: bytes
    value: bytes
    headers: tuple[tuple[str, bytes], ...]
    stream_id: str
    payload: EventSchema


@dataclass(frozen=True, slots=True)
class ConsumedRecord:
    """A consumed record (satisfies ``chassis.consumer.records.KafkaRecord``)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes], ...]


@dataclass
class History:
    """Every event of a generated history, in recording order (no duplicates)."""

    events: list[PublishedEvent] = field(default_factory=list)

    @property
    def payloads(self) -> list[EventSchema]:
        """The plain event list the reference reads."""
        return [event.payload for event in self.events]


business_plans = st.dictionaries(
    st.tuples(st.sampled_from(SITES), st.sampled_from(FISCAL_YEARS)),
    st.lists(st.integers(0, 40), min_size=1, max_size=2),  # planned clients per revision
    max_size=4,
)
"""Approved business plans per (site, fiscal year): one or two revisions."""

journeys = st.lists(clients, min_size=1, max_size=6)
"""Clients with assessments and plans at sites A-C (see the unit property test)."""


def random_journeys(rng: random.Random, *, clients: int) -> list[dict]:
    """Journey specs like :data:`journeys` draws, from a seeded ``random`` (for fixed scenarios)."""

    def plan() -> dict:
        return {
            "site": rng.choice(SITES),
            "open_after": rng.randint(0, 700),
            "referred_in": rng.choice([None, *ReferralCategory]),
            "services": rng.sample(list(PlanComponent), rng.randint(0, 3)),
            "referrals": [
                (rng.choice(list(ReferralDirection)), rng.randint(0, 120))
                for _ in range(rng.randint(0, 2))
            ],
            "exit_after": rng.choice([None, rng.randint(0, 120)]),
            "outcome": rng.choice(list(Outcome)),
            "rating": rng.choice([None, 1, 2, 3, 4, 5]),
            "follow_up": rng.random() < 0.5,
        }

    return [
        {
            "site": rng.choice(SITES),
            "assessments": [rng.random() < 0.5 for _ in range(rng.randint(0, 2))],
            "plans": [plan() for _ in range(rng.randint(0, 2))],
        }
        for _ in range(clients)
    ]


def history(specs: list[dict], plans: dict[tuple[str, str], list[int]]) -> History:
    """The events of generated journeys and business plans, as the relays would publish them."""
    result = History()
    for (site, year), revisions in sorted(plans.items()):
        for revision, planned in enumerate(revisions, start=1):
            result.events.append(_approval(site, year, revision, planned))
    for event in build(specs).events:
        result.events.append(_journey_event(event))
    return result


def interleave(events: Sequence[PublishedEvent], rng: random.Random) -> list[list[PublishedEvent]]:
    """A random merge keeping per-(topic, key) order, with duplicates, cut into batches."""
    queues: dict[tuple[str, bytes], list[PublishedEvent]] = {}
    for event in events:
        queues.setdefault((event.topic, event.key), []).append(event)
    pending = [list(reversed(queue)) for queue in queues.values()]
    merged: list[PublishedEvent] = []
    while pending:
        queue = rng.choice(pending)
        merged.append(queue.pop())
        if not queue:
            pending.remove(queue)
    for _ in range(rng.randint(0, max(1, len(merged) // 3))):
        original = rng.randrange(len(merged))
        merged.insert(rng.randint(original + 1, len(merged)), merged[original])
    batches: list[list[PublishedEvent]] = []
    while merged:
        size = rng.randint(1, max(1, len(merged)))
        batches.append(merged[:size])
        merged = merged[size:]
    return batches


def split_streams(events: Sequence[PublishedEvent], ways: int = 3) -> list[PublishedEvent]:
    """The events with each stream's versions spread over ``ways`` keys (version modulo ways)."""
    split = []
    for event in events:
        version = int(dict(event.headers)["stream_version"])
        split.append(replace(event, key=event.key + f"#{version % ways}".encode()))
    return split


def as_records(batch: Sequence[PublishedEvent], first_offset: int) -> list[ConsumedRecord]:
    """Consumed records of a batch (offsets are not used by the progress logic)."""
    return [
        ConsumedRecord(e.topic, 0, first_offset + n, e.key, e.value, e.headers)
        for n, e in enumerate(batch)
    ]


@dataclass(frozen=True, slots=True)
class CheckedPeriod:
    """A period to compare: how ``sqs_table`` names it and its dates worked out by hand."""

    fiscal_year: str
    text: str
    start: date
    end: date
    months: int
    as_of: date


def periods_to_check() -> list[CheckedPeriod]:
    """Each quarter, a year to date to mid-November, and May 2012."""
    periods = []
    for first_year, year in ((2011, "2011-12"), (2012, "2012-13")):
        for quarter in (1, 2, 3, 4):
            start, end = quarter_dates(first_year, quarter)
            periods.append(CheckedPeriod(year, f"q{quarter}", start, end, 3, end))
        as_of = date(first_year, 11, 17)
        periods.append(CheckedPeriod(year, "ytd", date(first_year, 4, 1), as_of, 8, as_of))
    may = date(2012, 5, 31)
    periods.append(CheckedPeriod("2012-13", "2012-05", date(2012, 5, 1), may, 1, may))
    return periods


SiteFigures = dict[str, tuple[dict[str, tuple[Fraction, Fraction]], Fraction]]
"""Per site: each measure's (numerator, denominator), and the SQS."""


def expected_sites(history: History, period: CheckedPeriod) -> SiteFigures:
    """The reference figures of every site with any count in ``period``."""
    rulebook = load_rulebook(period.fiscal_year)
    payloads = history.payloads
    planned = _planned(payloads, period.fiscal_year)
    version = rulebook.measures["service_coordination"].rule_version
    figures: SiteFigures = {}
    for site in SITES:
        in_period = {site: Fraction(planned.get(site, 0) * period.months, 12)}
        counts = reference_counts(payloads, {site}, period.start, period.end, version, in_period)
        pairs = {m: (Fraction(n), Fraction(d)) for m, (n, d) in counts.items()}
        if any(n or d for n, d in pairs.values()):
            figures[site] = (pairs, _plain_sqs(pairs, rulebook))
    return figures


def _plain_sqs(pairs: dict[str, tuple[Fraction, Fraction]], rulebook) -> Fraction:  # type: ignore[no-untyped-def]
    cap = Fraction(str(rulebook.score_cap))
    total = Fraction(0)
    for measure_id, measure in rulebook.measures.items():
        numerator, denominator = pairs[measure_id]
        if denominator == 0:
            continue
        performance = (numerator / denominator) / Fraction(str(measure.target))
        total += Fraction(str(measure.weight)) * min(performance, cap) * 10
    return total


def _planned(payloads: list[EventSchema], fiscal_year: str) -> dict[str, int]:
    """Planned assisted clients per site: the last approval of the year in recording order."""
    planned = {}
    for payload in payloads:
        if isinstance(payload, BusinessPlanApproved) and payload.fiscal_year == fiscal_year:
            planned[payload.site_id] = payload.commitments.planned_assisted_clients
    return planned


def _approval(site: str, year: str, revision: int, planned: int) -> PublishedEvent:
    approved_on = date(int(year[:4]), 3, 1)
    payload = BusinessPlanApproved(
        site_id=site,
        fiscal_year=year,
        revision=revision,
        approved_on=approved_on,
        commitments=BusinessPlanCommitments(
            core_measures={"service_efficiency": 90.0},
            planned_assisted_clients=planned,
            planned_ri_clients=10,
        ),
    )
    stream = f"business-plan:{site}:{year}"
    occurred = datetime(approved_on.year, 3, 1, 12, tzinfo=UTC) + timedelta(minutes=revision)
    return _published(payload, PROGRAMS_EVENTS, stream, stream, revision, occurred, uuid.uuid4())


def _journey_event(event: StampedEvent) -> PublishedEvent:
    payload = event.payload
    plan_id = getattr(payload, "plan_id", None)
    client = str(payload.client_id)  # type: ignore[attr-defined]
    topic, stream = (CASELOAD_EVENTS, f"plan:{plan_id}") if plan_id else (INTAKE_EVENTS, "")
    stream = stream or f"client:{client}"
    return _published(
        payload, topic, client, stream, event.stream_version, event.occurred_at, event.event_id
    )


def _published(
    payload: EventSchema,
    topic: str,
    key: str,
    stream: str,
    version: int,
    occurred_at: datetime,
    event_id: uuid.UUID,
) -> PublishedEvent:
    envelope = EventEnvelope(
        event_id=event_id,
        event_type=payload.event_type,
        schema_version=payload.schema_version,
        stream_id=stream,
        stream_version=version,
        occurred_at=occurred_at,
        recorded_at=occurred_at,
        correlation_id=uuid.uuid4(),
        actor="synthetic",
        payload=payload.model_dump(mode="json"),
    )
    value = envelope.model_dump_json().encode()
    headers = tuple(
        (name, str(getattr(envelope, name)).encode())
        for name in ("event_id", "event_type", "schema_version", "stream_id", "stream_version")
    )
    return PublishedEvent(topic, key.encode(), value, headers, stream, payload)
