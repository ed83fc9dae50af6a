"""What every reporting figure needs: fresh databases, a local broker, the province on it.

Databases are ``eocms_rbench_<random>_<role>`` on the server of the run's
admin URL, migrated with the chassis scripts plus the service's own branch,
and dropped at the end. The broker is the local Tansu one (memory only),
started and stopped by the run.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import asyncpg
from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy.engine import make_url

from chassis.broker.local import LocalKafkaBroker
from chassis.broker.topics import ensure_topics
from chassis.database import create_engine
from chassis.migrate import migrate
from chassis.settings import KafkaSettings
from contracts.topics import EVENT_TOPICS


@dataclass(frozen=True)
class Database:
    """One benchmark database, as a libpq DSN and as a SQLAlchemy async URL."""

    name: str
    dsn: str

    @property
    def url(self) -> str:
        """The URL services and ``chassis.database.create_engine`` take."""
        return make_url(self.dsn).set(drivername="postgresql+asyncpg").render_as_string(False)


class Databases:
    """Creates migrated databases for one run and drops them all at the end."""

    def __init__(self, admin_dsn: str) -> None:
        self.admin_dsn = make_url(admin_dsn).set(drivername="postgresql").render_as_string(False)
        self.run_id = uuid.uuid4().hex[:8]
        self._created: list[str] = []

    async def create(
        self, role: str, version_locations: Sequence[Path] = (), *, migrated: bool = True
    ) -> Database:
        """A new database for ``role``, migrated (chassis tables + ``version_locations``).

        ``migrated`` False leaves it empty, for a service that migrates on start.
        """
        name = f"eocms_rbench_{self.run_id}_{role}"
        admin = await asyncpg.connect(self.admin_dsn, timeout=10)
        try:
            await admin.execute(f'CREATE DATABASE "{name}"')
        finally:
            await admin.close()
        self._created.append(name)
        url = make_url(self.admin_dsn).set(database=name)
        database = Database(name, url.render_as_string(hide_password=False))
        if not migrated:
            return database
        engine = create_engine(database.url, pool_size=1)
        try:
            await migrate(engine, extra_version_locations=list(version_locations))
        finally:
            await engine.dispose()
        return database

    async def drop_all(self) -> None:
        """Drop every database this run created."""
        admin = await asyncpg.connect(self.admin_dsn, timeout=10)
        try:
            for name in self._created:
                await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        finally:
            await admin.close()
        self._created.clear()


@asynccontextmanager
async def run_databases(admin_dsn: str) -> AsyncIterator[Databases]:
    """A :class:`Databases` whose databases are dropped on the way out."""
    databases = Databases(admin_dsn)
    try:
        yield databases
    finally:
        await databases.drop_all()


@asynccontextmanager
async def local_broker() -> AsyncIterator[LocalKafkaBroker]:
    """The local broker with the three events topics created, stopped on the way out."""
    broker = LocalKafkaBroker()
    aiokafka_log = logging.getLogger("aiokafka")
    level = aiokafka_log.level
    aiokafka_log.setLevel(logging.CRITICAL)  # refused connections while it boots
    try:
        await broker.start()
    finally:
        aiokafka_log.setLevel(level)
    try:
        await ensure_topics(
            broker.bootstrap_servers,
            EVENT_TOPICS.values(),
            partitions=KafkaSettings().topic_partitions,
        )
        yield broker
    finally:
        await broker.stop()


def broker_pid(broker: LocalKafkaBroker) -> int | None:
    """The broker's process id, for CPU accounting."""
    process = getattr(broker, "_process", None)
    return process.pid if process is not None else None


class CommittedOffsets:
    """Reads a consumer group's committed offsets without joining the group.

    (aiokafka's admin ``list_consumer_group_offsets`` speaks an OffsetFetch
    version the local broker does not answer; a group consumer that never
    subscribes asks the coordinator the way consumers do.)
    """

    def __init__(self, bootstrap_servers: str, group_id: str, topics: Sequence[str]) -> None:
        self._topics = tuple(topics)
        self._consumer = AIOKafkaConsumer(
            bootstrap_servers=bootstrap_servers, group_id=group_id, enable_auto_commit=False
        )
        self._partitions: list[TopicPartition] = []

    async def start(self) -> None:
        """Connect and learn the topics' partitions."""
        await self._consumer.start()
        await self._consumer.topics()
        self._partitions = [
            TopicPartition(topic, p)
            for topic in self._topics
            for p in sorted(self._consumer.partitions_for_topic(topic) or ())
        ]

    async def stop(self) -> None:
        """Disconnect."""
        await self._consumer.stop()

    async def lag(self) -> int:
        """Records on the topics the group has not committed yet."""
        ends = await self._consumer.end_offsets(self._partitions)
        return sum(ends.values()) - await self.total()

    async def total(self) -> int:
        """Sum of the committed offsets over every partition: records the group finished."""
        total = 0
        for partition in self._partitions:
            committed = await self._consumer.committed(partition)
            total += committed or 0
        return total


async def wait_until_caught_up(
    bootstrap_servers: str, group_id: str, timeout_s: float = 600.0
) -> None:
    """Wait until ``group_id`` committed every record the events topics hold now."""
    offsets = CommittedOffsets(bootstrap_servers, group_id, list(EVENT_TOPICS.values()))
    await offsets.start()
    try:
        deadline = time.monotonic() + timeout_s
        while (lag := await offsets.lag()) > 0:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{group_id} still {lag} records behind")
            await asyncio.sleep(0.5)
    finally:
        await offsets.stop()
