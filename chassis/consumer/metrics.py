"""A projection runner's operational metrics: consumer lag, projection lag, dead letters.

``watch_projection(metrics, runner)`` registers, on a service's metrics:

- ``eocms_consumer_lag_messages{group,topic,partition}``: the partition's high
  watermark minus the group's committed offset, sampled at the broker on each
  scrape (:mod:`chassis.consumer.lag`);
- ``eocms_projection_lag_seconds{projection}``: age of the oldest record on
  the projection's topics that the group has not committed (whose effect is
  not in the read model yet), 0 when caught up; sampled on each scrape
  (committed records still parked are the parked gauges' business);
- ``eocms_dead_letters_total{group,topic}``: records of ``topic`` the group
  sent to its dead-letter topic, counted once the batch is done;
- ``eocms_consumer_parked_events{group}``: records the group holds in
  ``consumer_parked_events``, received ahead of their stream's next version
  and waiting for it; read from the database on each scrape;
- ``eocms_consumer_parked_oldest_seconds{group}``: how long the oldest of
  them has waited, 0 when none.

When a lag or parked sample fails (the broker is down, the scrape's timeout ran out),
the group's lag series are removed until the next good sample: no figure
rather than a stale one.

:func:`chassis.lifecycle.start_projection` calls it for every service.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Protocol

from chassis.consumer.batch import BatchOutcome
from chassis.consumer.lag import ConsumerLagProbe, PartitionLag, projection_lag_seconds
from chassis.consumer.parking_table import ParkedSummary

if TYPE_CHECKING:
    from prometheus_client import Counter, Gauge

    from chassis.consumer.runner import ProjectionRunner
    from chassis.http.metrics import Sampler

CONSUMER_LAG = "eocms_consumer_lag_messages"
PROJECTION_LAG = "eocms_projection_lag_seconds"
DEAD_LETTERS = "eocms_dead_letters_total"
PARKED_EVENTS = "eocms_consumer_parked_events"
PARKED_OLDEST = "eocms_consumer_parked_oldest_seconds"


class MetricsRegistry(Protocol):
    """What is needed of :class:`chassis.http.metrics.ServiceMetrics`."""

    def gauge(self, name: str, documentation: str, labelnames: tuple[str, ...] = ()) -> Gauge:
        """A gauge, created on first use."""
        ...

    def counter(self, name: str, documentation: str, labelnames: tuple[str, ...] = ()) -> Counter:
        """A counter, created on first use."""
        ...

    def on_scrape(self, sampler: Sampler) -> Callable[[], None]:
        """Run ``sampler`` before each exposition; the callback unregisters it."""
        ...


class LagProbe(Protocol):
    """Measures a group's lag (:class:`~chassis.consumer.lag.ConsumerLagProbe`, or a fake)."""

    async def measure(self, group: str, topics: Sequence[str]) -> list[PartitionLag]:
        """Every partition of ``topics`` as ``group`` sees it now."""
        ...


def watch_projection(
    metrics: MetricsRegistry, runner: ProjectionRunner, *, probe: LagProbe | None = None
) -> Callable[[], None]:
    """Expose ``runner``'s lag (sampled at scrape by ``probe``) and count its dead letters.

    Returns the callback that stops sampling and removes the lag series (once
    the runner stopped, its last figures would only mislead).
    """
    group, topics = runner.projection.name, tuple(runner.projection.topics)
    consumer_lag = metrics.gauge(
        CONSUMER_LAG,
        "Records a consumer group has not committed yet: high watermark minus committed offset.",
        ("group", "topic", "partition"),
    )
    projection_lag = metrics.gauge(
        PROJECTION_LAG,
        "Age in seconds of the oldest record not yet applied by the projection; 0 when caught up.",
        ("projection",),
    )
    dead_letters = metrics.counter(
        DEAD_LETTERS,
        "Records a consumer group sent to its dead-letter topic, by source topic.",
        ("group", "topic"),
    )
    for topic in topics:
        dead_letters.labels(group, topic)  # the series exists (at 0) before any poison
    lag_probe = probe or ConsumerLagProbe(runner.bootstrap_servers, security=runner.security)
    reported: set[tuple[str, str, str]] = set()

    def forget_lag() -> None:
        """No figure rather than a stale one: the series disappear until the next sample."""
        for labels in reported:
            consumer_lag.remove(*labels)
        reported.clear()
        with contextlib.suppress(KeyError):
            projection_lag.remove(group)

    async def sample_lag() -> None:
        try:
            partitions = await lag_probe.measure(group, topics)
        except BaseException:  # broker down, or the scrape's timeout cancelled the sample
            forget_lag()
            raise
        for partition in partitions:
            labels = (group, partition.topic, str(partition.partition))
            consumer_lag.labels(*labels).set(partition.messages)
            reported.add(labels)
        projection_lag.labels(group).set(projection_lag_seconds(partitions, time.time()))

    sample_lag.__name__ = f"consumer_lag[{group}]"
    unregister = metrics.on_scrape(sample_lag)
    unwatch_parked = _watch_parked(metrics, runner)

    def count_dead_letters(outcome: BatchOutcome) -> None:
        for topic, count in outcome.dead_letters_by_topic.items():
            dead_letters.labels(group, topic).inc(count)

    runner.observe(count_dead_letters)

    def unwatch() -> None:
        unregister()
        forget_lag()
        unwatch_parked()

    return unwatch


class ParkedSource(Protocol):
    """What the parked-events gauges need of a runner."""

    @property
    def projection(self) -> object: ...

    async def parked_summary(self) -> ParkedSummary:
        """The group's parked records now."""
        ...


def _watch_parked(metrics: MetricsRegistry, runner: ParkedSource) -> Callable[[], None]:
    group = runner.projection.name  # type: ignore[attr-defined]
    count = metrics.gauge(
        PARKED_EVENTS,
        "Records a consumer group received ahead of their stream's next version, waiting for it.",
        ("group",),
    )
    oldest = metrics.gauge(
        PARKED_OLDEST,
        "Seconds the oldest parked record of a consumer group has waited; 0 when none.",
        ("group",),
    )

    def forget() -> None:
        for gauge in (count, oldest):
            with contextlib.suppress(KeyError):
                gauge.remove(group)

    async def sample_parked() -> None:
        try:
            summary = await runner.parked_summary()
        except BaseException:  # database down, or the scrape's timeout cancelled the sample
            forget()
            raise
        count.labels(group).set(summary.count)
        oldest.labels(group).set(summary.oldest_age_s(datetime.now(UTC)))

    sample_parked.__name__ = f"parked_events[{group}]"
    unregister = metrics.on_scrape(sample_parked)

    def unwatch() -> None:
        unregister()
        forget()

    return unwatch
