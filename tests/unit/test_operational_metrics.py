"""The pure parts of the operational metrics: lag arithmetic, registration, dead-letter counts."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi import FastAPI

from chassis.broker.security import KafkaSecurity
from chassis.consumer import BatchOutcome
from chassis.consumer.lag import PartitionLag, lag_messages, projection_lag_seconds
from chassis.consumer.metrics import watch_projection
from chassis.consumer.parked_health import parked_verdict
from chassis.consumer.parking_table import ParkedSummary
from chassis.http import AuthSettings, ServiceMetrics, create_service_app
from chassis.http.metrics import current_service_metrics
from chassis.settings import ServiceSettings


def partition(committed: int | None, high: int, first: int | None, stamp_s: float | None) -> Any:
    return PartitionLag(
        group="g",
        topic="t",
        partition=0,
        high_watermark=high,
        committed=committed,
        first_pending_offset=first,
        first_pending_timestamp_ms=None if stamp_s is None else int(stamp_s * 1000),
    )


def test_lag_is_the_high_watermark_minus_the_committed_offset() -> None:
    assert lag_messages(high_watermark=10, committed=7, first_available=7) == 3
    assert lag_messages(high_watermark=10, committed=10, first_available=None) == 0


def test_without_a_commit_the_lag_counts_from_the_first_available_record() -> None:
    assert lag_messages(high_watermark=10, committed=None, first_available=4) == 6
    assert lag_messages(high_watermark=0, committed=None, first_available=None) == 0


def test_a_committed_offset_past_the_reported_end_is_no_lag() -> None:
    assert lag_messages(high_watermark=5, committed=6, first_available=None) == 0


def test_projection_lag_is_the_age_of_the_oldest_pending_record() -> None:
    partitions = [partition(3, 5, 3, 100.0), partition(0, 2, 0, 90.0), partition(7, 7, None, None)]
    assert projection_lag_seconds(partitions, now_s=130.0) == pytest.approx(40.0)


def test_projection_lag_is_zero_when_caught_up_or_the_clock_is_behind() -> None:
    assert projection_lag_seconds([partition(5, 5, None, None)], now_s=130.0) == 0
    assert projection_lag_seconds([], now_s=130.0) == 0
    assert projection_lag_seconds([partition(3, 5, 3, 200.0)], now_s=130.0) == 0


def test_an_instrument_is_registered_once_per_name() -> None:
    metrics = ServiceMetrics()
    first = metrics.gauge("eocms_example", "An example.", ("group",))
    assert metrics.gauge("eocms_example", "An example.", ("group",)) is first
    with pytest.raises(ValueError, match="another shape"):
        metrics.gauge("eocms_example", "An example.", ("topic",))
    with pytest.raises(ValueError, match="another shape"):
        metrics.counter("eocms_example", "An example.", ("group",))


@dataclass
class FakeProjection:
    name: str = "reporting.facts"
    topics: tuple[str, ...] = ("intake", "caseload")


@dataclass
class FakeRunner:
    """The parts of a ProjectionRunner that ``watch_projection`` uses."""

    projection: FakeProjection = field(default_factory=FakeProjection)
    bootstrap_servers: str = "127.0.0.1:1"
    security: KafkaSecurity = field(default_factory=KafkaSecurity.plaintext)
    observers: list[Any] = field(default_factory=list)
    parked: ParkedSummary = field(default_factory=lambda: ParkedSummary("reporting.facts", 0, None))

    def observe(self, observer: Any) -> None:
        self.observers.append(observer)

    async def parked_summary(self) -> ParkedSummary:
        return self.parked

    def handled(self, outcome: BatchOutcome) -> None:
        for observer in self.observers:
            observer(outcome)


class FakeProbe:
    """Answers with the partitions it is given, or fails while ``broken``."""

    def __init__(self, partitions: list[PartitionLag]) -> None:
        self.partitions = partitions
        self.broken = False
        self.calls = 0

    async def measure(self, group: str, topics: Any) -> list[PartitionLag]:
        self.calls += 1
        if self.broken:
            raise ConnectionError("broker unreachable")
        return self.partitions


async def test_lag_is_sampled_at_scrape_and_dropped_rather_than_left_stale() -> None:
    metrics, runner = ServiceMetrics(), FakeRunner()
    pending = partition(committed=3, high=5, first=3, stamp_s=time.time() - 60)
    probe = FakeProbe([pending])
    watch_projection(metrics, runner, probe=probe)  # type: ignore[arg-type]
    lag = {"group": "reporting.facts", "topic": "t", "partition": "0"}
    projection = {"projection": "reporting.facts"}

    await metrics.exposition()
    assert metrics.registry.get_sample_value("eocms_consumer_lag_messages", lag) == 2
    assert metrics.registry.get_sample_value("eocms_projection_lag_seconds", projection) >= 60

    probe.broken = True
    await metrics.exposition()  # a failing sampler is logged, the scrape still answers
    assert metrics.registry.get_sample_value("eocms_consumer_lag_messages", lag) is None
    assert metrics.registry.get_sample_value("eocms_projection_lag_seconds", projection) is None


async def test_a_stopped_projections_lag_is_no_longer_sampled_nor_shown() -> None:
    metrics, runner = ServiceMetrics(), FakeRunner()
    probe = FakeProbe([partition(committed=3, high=5, first=3, stamp_s=time.time())])
    unwatch = watch_projection(metrics, runner, probe=probe)  # type: ignore[arg-type]
    await metrics.exposition()
    lag = {"group": "reporting.facts", "topic": "t", "partition": "0"}
    assert metrics.registry.get_sample_value("eocms_consumer_lag_messages", lag) == 2

    unwatch()
    await metrics.exposition()

    assert probe.calls == 1
    assert metrics.registry.get_sample_value("eocms_consumer_lag_messages", lag) is None


def dead_letters(metrics: ServiceMetrics, topic: str) -> float | None:
    labels = {"group": "reporting.facts", "topic": topic}
    return metrics.registry.get_sample_value("eocms_dead_letters_total", labels)


def test_dead_letters_are_counted_per_source_topic_once_a_batch_is_done() -> None:
    metrics, runner = ServiceMetrics(), FakeRunner()
    watch_projection(metrics, runner)  # type: ignore[arg-type]
    assert (dead_letters(metrics, "intake"), dead_letters(metrics, "caseload")) == (0, 0)

    runner.handled(BatchOutcome(3, 0, 0, 2, dead_letters_by_topic={"intake": 2}))
    runner.handled(BatchOutcome(1, 0, 0, 1, dead_letters_by_topic={"caseload": 1, "intake": 0}))
    runner.handled(BatchOutcome(5, 0, 0, 0))

    assert (dead_letters(metrics, "intake"), dead_letters(metrics, "caseload")) == (2, 1)


async def test_an_apps_metrics_are_current_while_its_lifespan_runs() -> None:
    seen: list[ServiceMetrics | None] = []

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        seen.append(current_service_metrics())
        yield

    metrics = ServiceMetrics()
    app = create_service_app(
        title="t",
        version="0",
        settings=ServiceSettings(),
        auth=AuthSettings(),
        lifespan=lifespan,
        metrics=metrics,
    )
    messages: asyncio.Queue[dict[str, str]] = asyncio.Queue()
    for message in ("lifespan.startup", "lifespan.shutdown"):
        messages.put_nowait({"type": message})
    sent: list[str] = []

    async def send(message: dict[str, Any]) -> None:
        sent.append(message["type"])

    await app({"type": "lifespan", "asgi": {"version": "3.0"}}, messages.get, send)

    assert sent == ["lifespan.startup.complete", "lifespan.shutdown.complete"]
    assert seen == [metrics]
    assert current_service_metrics() is None


async def test_parked_events_and_the_oldest_age_are_sampled_per_group_at_scrape() -> None:
    metrics, runner = ServiceMetrics(), FakeRunner()
    watch_projection(metrics, runner, probe=FakeProbe([]))  # type: ignore[arg-type]
    group = {"group": "reporting.facts"}

    await metrics.exposition()
    assert metrics.registry.get_sample_value("eocms_consumer_parked_events", group) == 0
    assert metrics.registry.get_sample_value("eocms_consumer_parked_oldest_seconds", group) == 0

    since = datetime.now(UTC) - timedelta(seconds=90)
    runner.parked = ParkedSummary("reporting.facts", 3, since)
    await metrics.exposition()
    assert metrics.registry.get_sample_value("eocms_consumer_parked_events", group) == 3
    oldest = metrics.registry.get_sample_value("eocms_consumer_parked_oldest_seconds", group)
    assert oldest is not None and oldest >= 90


def test_readiness_is_degraded_only_once_a_parked_record_waits_longer_than_allowed() -> None:
    now = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)
    fresh = ParkedSummary("caseload.clients", 2, now - timedelta(seconds=30))
    stale = ParkedSummary("reporting.facts", 1, now - timedelta(seconds=400))
    nothing = ParkedSummary("programs.clients", 0, None)

    assert str(parked_verdict([fresh, nothing], degraded_after_s=300, now=now)) == "ok"
    verdict = parked_verdict([fresh, stale, nothing], degraded_after_s=300, now=now)
    assert str(verdict) == "degraded (reporting.facts has 1 parked, oldest 400 s)"
