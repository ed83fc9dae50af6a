"""A synthetic provincial fiscal year of events, as the relays put them on the bus.

Deterministic for a seed: ``ProvinceShape()`` is the issue's full size, 400
sites and 200,000 clients, about 3 million events for fiscal year 2012-13.
Each client is registered, assessed and found eligible (or not) in intake's
stream ``client-<id>``; about 92 % are eligible and open one plan (15 % a
second one later) whose caseload stream ``plan-<id>`` adds items, starts and
completes services, refers out, closes with an outcome, records satisfaction
and follow-ups. Each site's business plan for the year is submitted and
approved on programs' stream ``business-plan:<site>:<year>``. No personal
data: ids are random from the seed, profiles synthetic.

Records are exactly what :class:`chassis.outbox.OutboxRelay` publishes: the
topic of the event type, the key of :meth:`EventSchema.partition_key` (the
client id for client events, else the stream id), the
:class:`contracts.envelope.EventEnvelope` as JSON with the relay's formatting
and the headers of :func:`chassis.outbox.message.record_headers`. Payloads
are built as plain dictionaries for speed; the smoke test decodes a sample
with the registry, and the projection would dead-letter anything invalid.

Generation is streamed in chunks of clients; within a chunk the events are
ordered by time, so a consumer's batch mixes many clients as it would in
production, while every stream keeps its version order (and so every key its
order, because a stream's events have increasing timestamps).
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiokafka import AIOKafkaProducer

from chassis.broker.producer import MAX_BATCH_BYTES, CachedKeyPartitioner
from chassis.outbox.message import Headers, record_headers
from contracts.topics import topic_for_event_type

FULL_SITES = 400
FULL_CLIENTS = 200_000
CHUNK_CLIENTS = 2_000
"""Clients generated (and time-ordered) together; bounds the generator's memory."""

SUITABILITY_INDICATORS = (
    "age-15-24-or-45-64",
    "education-below-grade-12",
    "income-source",
    "out-of-work-6-months",
    "out-of-school-6-years",
    "interrupted-employment-or-no-canadian-experience",
    "indigenous",
)
"""Indicator ids of the 2012-13 rule book (the generator picks among them)."""

_COMPONENTS = ("job-search", "jmpi", "job-training-retention", "employment-service-plan")
_COMPONENT_WEIGHTS = (50, 20, 15, 15)
_OUTCOMES = (
    "employed-full-time",
    "employed-part-time",
    "self-employed",
    "in-education",
    "in-training",
    "unemployed",
    "unable-to-work",
    "volunteer",
    "unknown",
)
_OUTCOME_WEIGHTS = (35, 18, 5, 8, 7, 17, 4, 3, 3)
_REFERRALS = ("second-career", "literacy-and-basic-skills", "community-resource", "apprenticeship")


@dataclass(frozen=True)
class ProvinceShape:
    """How big the synthetic province is."""

    sites: int = FULL_SITES
    clients: int = FULL_CLIENTS
    fiscal_year: str = "2012-13"
    seed: int = 2012

    @classmethod
    def scaled(cls, scale: float, *, seed: int = 2012) -> ProvinceShape:
        """The full province times ``scale`` (sites and clients alike; at least 2 sites)."""
        return cls(
            sites=max(2, round(FULL_SITES * scale)),
            clients=max(20, round(FULL_CLIENTS * scale)),
            seed=seed,
        )

    @property
    def first_day(self) -> date:
        """1 April of the fiscal year."""
        return date(int(self.fiscal_year[:4]), 4, 1)

    @property
    def site_ids(self) -> list[str]:
        """``S001`` ... in order."""
        return [site_id(n) for n in range(1, self.sites + 1)]

    @property
    def expected_events(self) -> int:
        """A rough size, for progress bars: about 15 events per client."""
        return self.clients * 15 + self.sites * 2


def site_id(number: int) -> str:
    """The id of the ``number``-th synthetic site."""
    return f"S{number:03d}"


@dataclass(frozen=True, slots=True)
class BusRecord:
    """One record as the relay publishes it."""

    topic: str
    key: bytes
    value: bytes
    headers: Headers
    occurred_at: datetime = field(compare=False)


@dataclass
class ProvinceStats:
    """What a generation produced, by topic and in total."""

    events: int = 0
    by_topic: dict[str, int] = field(default_factory=dict)
    plans: int = 0
    closed_plans: int = 0
    clients: int = 0
    eligible_by_site: dict[str, list[str]] | None = None
    """With a dict given, the eligible clients' ids are collected per site."""

    def count(self, record: BusRecord) -> None:
        """Count one record."""
        self.events += 1
        self.by_topic[record.topic] = self.by_topic.get(record.topic, 0) + 1


class _Streams:
    """Builds envelopes for one chunk with ids drawn from the generator's random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def record(
        self,
        event_type: str,
        payload: dict[str, Any],
        *,
        stream_id: str,
        version: int,
        key: str,
        at: datetime,
        site: str | None,
        actor: str,
    ) -> BusRecord:
        """The relay's record of one event."""
        event_id = self.uuid()
        correlation_id = self.uuid()
        stamp = at.isoformat()
        envelope = {
            "event_id": str(event_id),
            "event_type": event_type,
            "schema_version": 1,
            "stream_id": stream_id,
            "stream_version": version,
            "occurred_at": stamp,
            "recorded_at": (at + timedelta(milliseconds=3)).isoformat(),
            "correlation_id": str(correlation_id),
            "causation_id": None,
            "actor": actor,
            "site_id": site,
            "payload": "__PAYLOAD__",
        }
        text = json.dumps(envelope, separators=(", ", " : "))
        body = json.dumps(payload, separators=(", ", ": "))
        value = text.replace('"__PAYLOAD__"', body, 1).encode()
        headers = record_headers(
            event_id=event_id,
            event_type=event_type,
            schema_version=1,
            stream_id=stream_id,
            stream_version=version,
            correlation_id=correlation_id,
            causation_id=None,
        )
        return BusRecord(topic_for_event_type(event_type), key.encode(), value, headers, at)


def _at(day: date, minute: int) -> datetime:
    """A timestamp on ``day``, ``minute`` minutes after 09:00 UTC."""
    return datetime(day.year, day.month, day.day, 9, tzinfo=UTC) + timedelta(minutes=minute)


def _band(count: int) -> str:
    if count == 0:
        return "0"
    if count <= 2:
        return "1-2"
    return "3-5" if count <= 5 else "6+"


def generate(shape: ProvinceShape, stats: ProvinceStats | None = None) -> Iterator[list[BusRecord]]:
    """Chunks of records (business plans first, then clients), each chunk in time order."""
    rng = random.Random(shape.seed)
    streams = _Streams(rng)
    stats = stats if stats is not None else ProvinceStats()
    plans = _business_plans(shape, streams)
    for record in plans:
        stats.count(record)
    yield plans
    for start in range(0, shape.clients, CHUNK_CLIENTS):
        chunk: list[BusRecord] = []
        for _ in range(min(CHUNK_CLIENTS, shape.clients - start)):
            chunk.extend(_client_journey(shape, streams, stats))
        chunk.sort(key=lambda record: record.occurred_at)  # stable: streams keep their order
        for record in chunk:
            stats.count(record)
        yield chunk


def _business_plans(shape: ProvinceShape, streams: _Streams) -> list[BusRecord]:
    rng = streams.rng
    records = []
    for site in shape.site_ids:
        per_site = shape.clients / shape.sites * 0.92  # about one plan per eligible client
        planned = max(1, round(per_site * rng.uniform(0.9, 1.3)))
        commitments = {
            "core_measures": {
                "customer_satisfaction": float(rng.randint(80, 90)),
                "service_coordination": float(rng.randint(40, 60)),
                "client_suitability": float(rng.randint(35, 50)),
                "client_impact": float(rng.randint(65, 80)),
                "service_efficiency": float(rng.randint(85, 100)),
            },
            "planned_assisted_clients": planned,
            "planned_ri_clients": rng.randint(1000, 5000),
            "continuous_improvement": {"client_impact": float(rng.randint(70, 85))},
        }
        stream = f"business-plan:{site}:{shape.fiscal_year}"
        base = {"site_id": site, "fiscal_year": shape.fiscal_year, "revision": 1}
        submitted_on = shape.first_day - timedelta(days=45)
        approved_on = shape.first_day - timedelta(days=15)
        for version, (event_type, extra, day) in enumerate(
            (
                ("programs.BusinessPlanSubmitted", {"submitted_on": submitted_on}, submitted_on),
                ("programs.BusinessPlanApproved", {"approved_on": approved_on}, approved_on),
            ),
            start=1,
        ):
            payload = {**base, "commitments": commitments, **_iso(extra)}
            records.append(
                streams.record(
                    event_type,
                    payload,
                    stream_id=stream,
                    version=version,
                    key=stream,
                    at=_at(day, 0),
                    site=site,
                    actor="ministry-analyst-1",
                )
            )
    return records


def _iso(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def _client_journey(
    shape: ProvinceShape, streams: _Streams, stats: ProvinceStats
) -> list[BusRecord]:
    """One client's intake events and plans, each stream in version order."""
    rng = streams.rng
    client = streams.uuid()
    key = str(client)
    site = site_id(rng.randint(1, shape.sites))
    actor = f"caseworker-{site}-{rng.randint(1, 6)}"
    registered_on = shape.first_day + timedelta(days=rng.randint(0, 350))
    stats.clients += 1
    records: list[BusRecord] = []
    intake_stream = f"client-{client}"
    version = 0

    def intake(event_type: str, payload: dict[str, Any], minute: int) -> None:
        nonlocal version
        version += 1
        records.append(
            streams.record(
                event_type,
                {"client_id": key, **payload},
                stream_id=intake_stream,
                version=version,
                key=key,
                at=_at(registered_on, minute),
                site=site,
                actor=actor,
            )
        )

    intake(
        "intake.ClientRegistered",
        {
            "site_id": site,
            "registered_on": registered_on.isoformat(),
            "age_band": rng.choice(("15-24", "25-44", "25-44", "45-64")),
            "education_level": rng.choice(("below-grade-12", "grade-12", "university")),
            "income_source": rng.choice(("ontario-works", "employment-insurance", "no-income")),
            "months_out_of_work": rng.randint(0, 24),
            "years_out_of_school": rng.randint(0, 25),
            "interrupted_employment": rng.random() < 0.3,
            "no_canadian_work_experience": rng.random() < 0.2,
            "designated_groups": [],
            "referral_source": rng.choice(("eo-program", "self-referred")),
            "hours_worked_per_week": 0,
            "in_full_time_education": False,
        },
        0,
    )
    indicators = rng.sample(SUITABILITY_INDICATORS, rng.randint(0, 5))
    intake(
        "intake.SuitabilityAssessed",
        {
            "assessed_on": registered_on.isoformat(),
            "fiscal_year": shape.fiscal_year,
            "rule_book_version": f"{shape.fiscal_year}.1",
            "indicators": indicators,
            "indicator_count": len(indicators),
            "band": _band(len(indicators)),
            "suitable": len(indicators) >= 2,
        },
        5,
    )
    eligible = rng.random() < 0.92
    intake(
        "intake.EligibilityDetermined",
        {
            "determined_on": registered_on.isoformat(),
            "fiscal_year": shape.fiscal_year,
            "rule_book_version": f"{shape.fiscal_year}.1",
            "eligible_for_assisted_es": eligible,
            "reasons": ["unemployed", "not-in-full-time-education-or-training"]
            if eligible
            else ["working-too-many-hours"],
        },
        10,
    )
    if eligible and stats.eligible_by_site is not None:
        stats.eligible_by_site.setdefault(site, []).append(key)
    if eligible:
        opened_on = registered_on + timedelta(days=rng.randint(0, 10))
        records.extend(_plan(streams, stats, key, site, actor, opened_on))
        if rng.random() < 0.15:
            later = opened_on + timedelta(days=rng.randint(120, 200))
            records.extend(_plan(streams, stats, key, site, actor, later))
    return records


def _plan(
    streams: _Streams,
    stats: ProvinceStats,
    client: str,
    site: str,
    actor: str,
    opened_on: date,
) -> list[BusRecord]:
    """One service plan's events, from opening to the last follow-up."""
    rng = streams.rng
    plan = str(streams.uuid())
    stream = f"plan-{plan}"
    records: list[BusRecord] = []
    base = {"client_id": client, "plan_id": plan, "site_id": site}
    stats.plans += 1

    def add(event_type: str, payload: dict[str, Any], day: date) -> None:
        version = len(records) + 1
        records.append(
            streams.record(
                event_type,
                {**base, **_iso(payload)},
                stream_id=stream,
                version=version,
                key=client,
                at=_at(day, version),
                site=site,
                actor=actor,
            )
        )

    referred_in = rng.choice(_REFERRALS) if rng.random() < 0.15 else None
    add(
        "caseload.ServicePlanOpened",
        {
            "goal": "Find steady work in the region",
            "opened_on": opened_on,
            "referred_in_from": referred_in,
        },
        opened_on,
    )
    add(
        "caseload.PlanItemAdded",
        {"component": "cspc", "sub_goal": None, "added_on": opened_on},
        opened_on,
    )
    components: list[str] = []
    while len(components) < 2:
        component = rng.choices(_COMPONENTS, _COMPONENT_WEIGHTS)[0]
        if component not in components:
            components.append(component)
    day = opened_on
    for component in components:
        day += timedelta(days=rng.randint(1, 7))
        add(
            "caseload.PlanItemAdded",
            {"component": component, "sub_goal": "Work towards the goal", "added_on": day},
            day,
        )
    for component in components:
        day += timedelta(days=rng.randint(1, 10))
        add("caseload.ServiceStarted", {"component": component, "started_on": day}, day)
    for component in components:
        if rng.random() < 0.75:
            day += timedelta(days=rng.randint(5, 40))
            add("caseload.ServiceCompleted", {"component": component, "completed_on": day}, day)
    if rng.random() < 0.6:
        day += timedelta(days=rng.randint(1, 20))
        add(
            "caseload.ReferralRecorded",
            {"direction": "out", "category": rng.choice(_REFERRALS), "referred_on": day},
            day,
        )
    if rng.random() < 0.85:
        exit_date = day + timedelta(days=rng.randint(5, 60))
        outcome = rng.choices(_OUTCOMES, _OUTCOME_WEIGHTS)[0]
        add(
            "caseload.ServicePlanClosed",
            {"exit_date": exit_date, "outcome": outcome, "components_received": sorted(components)},
            exit_date,
        )
        stats.closed_plans += 1
        if rng.random() < 0.8:
            rating = rng.choices((1, 2, 3, 4, 5), (3, 4, 10, 38, 45))[0]
            recorded_on = exit_date + timedelta(days=rng.randint(0, 5))
            add(
                "caseload.SatisfactionRecorded",
                {"rating": rating, "recorded_on": recorded_on},
                recorded_on,
            )
        for checkpoint in (3, 6, 12):
            if rng.random() < 0.65:
                due = exit_date + timedelta(days=30 * checkpoint)
                add(
                    "caseload.FollowUpRecorded",
                    {
                        "checkpoint": checkpoint,
                        "outcome": rng.choices(_OUTCOMES, _OUTCOME_WEIGHTS)[0],
                        "recorded_on": due,
                    },
                    due,
                )
    return records


def loading_producer(bootstrap_servers: str) -> AIOKafkaProducer:
    """An unstarted producer for bulk loading: big batches, leader acks, no idempotence.

    Loading is setup, not a reporting figure; the relay's own producer
    settings (acks=all, 5 ms linger) are measured by ``python -m benchmarks``.
    """
    return AIOKafkaProducer(
        bootstrap_servers=bootstrap_servers,
        client_id="eocms-bench-loader",
        acks=1,
        enable_idempotence=False,
        linger_ms=20,
        max_batch_size=MAX_BATCH_BYTES,
        partitioner=CachedKeyPartitioner(),
    )


async def produce(
    producer: AIOKafkaProducer,
    chunks: Iterable[list[BusRecord]],
    *,
    on_chunk: Any = None,
) -> tuple[int, float]:
    """Send every record in order and wait for every acknowledgement; (records, seconds).

    One chunk's acknowledgements are awaited while the next chunk is being
    sent, so generation and the broker overlap without unbounded memory.
    """
    started = time.perf_counter()
    total = 0
    pending: list[asyncio.Future[Any]] = []
    for chunk in chunks:
        deliveries = [
            await producer.send(r.topic, r.value, r.key, headers=r.headers) for r in chunk
        ]
        if pending:
            await asyncio.gather(*pending)
        pending = deliveries
        total += len(chunk)
        if on_chunk is not None:
            on_chunk(len(chunk))
    if pending:
        await asyncio.gather(*pending)
    return total, time.perf_counter() - started
