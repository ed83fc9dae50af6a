"""Reference: the ``eventsourcing`` library (9.5.x) doing the same appends.

Configuration is the library's fastest on PostgreSQL:
``PERSISTENCE_MODULE=eventsourcing.postgres`` with
``POSTGRES_ENABLE_DB_FUNCTIONS=y`` (one call of its plpgsql insert function per
save, which in 9.5.6 takes no table lock), JSON transcoder without compression
or cipher, a psycopg pool with one connection per writer, in its own database.

What is timed is the library's own event store, ``Application.events.put``:
the mapper turns each domain event into a ``StoredEvent`` (JSON encoding) and
the application recorder inserts them in one statement, with optimistic
concurrency from its (originator_id, originator_version) primary key. That is
the like-for-like of our ``EventStore.append``: pending events in, encoded,
stored atomically with a concurrency check; aggregate mutation is timed on
neither side. The domain event carries the same fields as our event's payload
and metadata, with the same Python types, so both sides encode the same data.
Its API is synchronous, so concurrent writers are threads.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any
from uuid import UUID

from eventsourcing.application import Application
from eventsourcing.domain import DomainEvent
from eventsourcing.persistence import JSONTranscoder, Transcoding

from benchmarks.append import AppendCase
from benchmarks.database import BenchDatabases
from benchmarks.measure import Measurement, SyncStep, Window, run_thread_writers
from benchmarks.workload import Workload


class ClientRegistered(DomainEvent):
    """The library-side twin of ``intake.ClientRegistered`` plus its metadata."""

    client_id: UUID
    site_id: str
    registered_on: date
    age_band: str
    education_level: str
    income_source: str
    months_out_of_work: int
    years_out_of_school: int
    interrupted_employment: bool
    no_canadian_work_experience: bool
    designated_groups: list[str]
    referral_source: str
    hours_worked_per_week: int
    in_full_time_education: bool
    correlation_id: UUID
    causation_id: UUID | None
    actor: str


class DateAsISO(Transcoding):
    """``datetime.date`` as an ISO string (the library registers datetimes, not dates)."""

    type = date
    name = "date_iso"

    def encode(self, obj: date) -> str:
        return obj.isoformat()

    def decode(self, data: str) -> date:
        return date.fromisoformat(data)


class EventsourcingBench(Application[UUID]):
    """A bare application: only its event store is used."""

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        transcoder.register(DateAsISO())


EVENTS_TABLE = "eventsourcingbench_events"


def library_environment(databases: BenchDatabases, pool_size: int) -> dict[str, str]:
    """The library's settings: PostgreSQL recorder with database functions."""
    url = databases.es_url
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": url.database or "",
        "POSTGRES_HOST": url.host or "127.0.0.1",
        "POSTGRES_PORT": str(url.port or 5432),
        "POSTGRES_USER": url.username or "postgres",
        "POSTGRES_PASSWORD": url.password or "",
        "POSTGRES_ENABLE_DB_FUNCTIONS": "y",
        "POSTGRES_POOL_SIZE": str(pool_size),
        "POSTGRES_MAX_OVERFLOW": "0",
        "POSTGRES_PRE_PING": "n",
    }


def event_fields(workload: Workload) -> list[dict[str, Any]]:
    """Keyword arguments of the pooled events: payload and metadata, typed as ours."""
    pooled = []
    for payload, metadata in zip(workload.payloads, workload.metadata, strict=True):
        fields = dict(payload)
        fields["designated_groups"] = list(fields["designated_groups"])
        fields.update(
            correlation_id=metadata.correlation_id,
            causation_id=metadata.causation_id,
            actor=metadata.actor,
        )
        pooled.append(fields)
    return pooled


def library_steps(app: EventsourcingBench, workload: Workload, case: AppendCase) -> list[SyncStep]:
    """One step function per thread, saving in the case's shape through ``app.events``."""
    pooled = event_fields(workload)
    counter = itertools.count()
    put = app.events.put
    now: Callable[[], datetime] = ClientRegistered.create_timestamp

    def event(aggregate_id: UUID, version: int, n: int) -> ClientRegistered:
        return ClientRegistered(
            originator_id=aggregate_id,
            originator_version=version,
            timestamp=now(),
            **pooled[n % len(pooled)],
        )

    def new_aggregate_step(size: int) -> SyncStep:
        def step() -> int:
            n = next(counter) * size
            aggregate_id = uuid.uuid4()
            put([event(aggregate_id, v, n + v) for v in range(1, size + 1)])
            return size

        return step

    def own_aggregate_step() -> SyncStep:
        aggregate_id = uuid.uuid4()
        version = 0

        def step() -> int:
            nonlocal version
            put([event(aggregate_id, version + 1, next(counter))])
            version += 1
            return 1

        return step

    if case.shape == "single-own":
        return [own_aggregate_step() for _ in range(case.writers)]
    return [new_aggregate_step(case.events_per_append) for _ in range(case.writers)]


def measure_library(
    databases: BenchDatabases,
    workload: Workload,
    case: AppendCase,
    window: Window,
) -> Measurement:
    """The library's throughput for one case, on an emptied table (synchronous: use a thread)."""
    app = EventsourcingBench(env=library_environment(databases, case.writers))
    try:
        with app.recorder.datastore.transaction(commit=True) as cursor:  # type: ignore[attr-defined]
            cursor.execute(f"TRUNCATE {EVENTS_TABLE}")
        with app.recorder.datastore.get_connection() as connection:  # type: ignore[attr-defined]
            connection.execute("CHECKPOINT")
        steps = library_steps(app, workload, case)
        return run_thread_writers(steps, window)
    finally:
        app.close()
