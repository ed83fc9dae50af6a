"""Two reporting consumers in one group split the partitions and build the read model of one.

Kafka's consumer group is the scale-out: each member of ``reporting.facts``
gets a share of the topics' partitions (3 per topic here), a key's events stay
on one partition, and so one member writes each fact row. Two runners, each on
its own engine as two processes would be, join one group before anything is
published; the history then goes on the topics, and the read model must equal
the plain reference, with both members having applied a share.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Sequence

import pytest
from sqlalchemy.ext.asyncio import AsyncConnection

from chassis.consumer import DecodedEvent, ProjectionRunner
from chassis.database import create_engine
from services.reporting.adapters.facts_projection import FactsProjection
from tests.support.kafka import KafkaUnderTest
from tests.support.postgres import DatabaseFactory
from tests.support.reporting_history import history, random_journeys
from tests.support.reporting_live import (
    assert_read_model_matches,
    live_runner,
    migrated_reporting_database,
    own_topics,
    publish,
    wait_until_applied,
)

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]

JOIN_DEADLINE_S = 60.0


class Member:
    """The facts projection as one group member runs it, noting the partitions it applied."""

    def __init__(self, inner: FactsProjection) -> None:
        self.inner = inner
        self.partitions: set[tuple[str, int]] = set()

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def topics(self) -> Sequence[str]:
        return self.inner.topics

    @property
    def event_types(self) -> frozenset[str] | None:
        return self.inner.event_types

    async def apply(self, connection: AsyncConnection, events: list[DecodedEvent]) -> None:
        await self.inner.apply(connection, events)
        self.partitions |= {(e.position.topic, e.position.partition) for e in events}


def assigned(runner: ProjectionRunner) -> set[tuple[str, int]]:
    """The partitions the runner's consumer holds now (empty while the group rebalances)."""
    found: set[tuple[str, int]] = set()
    for subscriber in runner.broker.subscribers:
        consumer = getattr(subscriber, "consumer", None)
        if consumer is not None:
            found |= {(tp.topic, tp.partition) for tp in consumer.assignment()}
    return found


async def until_split(runners: list[ProjectionRunner], partitions: int) -> None:
    """Until the members hold disjoint, non-empty shares covering every partition."""
    deadline = time.monotonic() + JOIN_DEADLINE_S
    while True:
        shares = [assigned(r) for r in runners]
        union = set().union(*shares)
        if all(shares) and len(union) == partitions == sum(len(s) for s in shares):
            return
        assert time.monotonic() < deadline, f"the group never split: {shares}"
        await asyncio.sleep(0.2)


async def test_two_members_of_one_group_split_the_partitions_and_build_the_same_read_model(
    kafka: KafkaUnderTest, postgres_database_factory: DatabaseFactory
) -> None:
    url = await migrated_reporting_database(postgres_database_factory)
    events = history(
        random_journeys(random.Random(1313), clients=40),
        {("A", "2012-13"): [10], ("B", "2012-13"): [7]},
    )
    topics = await own_topics(kafka)
    group = kafka.unique("reporting.facts")
    engines = [create_engine(url, pool_size=2) for _ in range(2)]
    members = [Member(FactsProjection(name=group, topics=[*topics.values()])) for _ in engines]
    runners = [
        live_runner(kafka, engine, member)  # type: ignore[arg-type]
        for engine, member in zip(engines, members, strict=True)
    ]
    try:
        async with runners[0], runners[1]:
            await until_split(runners, partitions=3 * len(topics))
            await publish(kafka, topics, events.events)
            await wait_until_applied(engines[0], group, events.events)
        await assert_read_model_matches(engines[0], events)
    finally:
        for engine in engines:
            await engine.dispose()
    first, second = (m.partitions for m in members)
    assert first and second, "both members applied a share"
    assert not first & second, "no partition was applied by both"
