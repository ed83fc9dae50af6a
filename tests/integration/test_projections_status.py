"""``eocms projections status``: per group lag, parked events, last applied time; read only."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from aiokafka import AIOKafkaProducer
from click.testing import Result
from sqlalchemy.ext.asyncio import AsyncEngine
from typer.testing import CliRunner

from chassis.broker.topics import ensure_topics
from chassis.consumer.lag import ConsumerLagProbe
from chassis.consumer.status import GroupStatus, with_cluster_figures
from chassis.consumer.tables import consumer_activity, consumer_parked_events
from chassis.database import create_engine
from chassis.eventstore.tables import consumer_progress
from chassis.migrate import migrate
from contracts.topics import dead_letter_topic
from eocms.cli.projections import app
from tests.support.kafka import KafkaUnderTest

GROUP = "reporting.facts"


async def eocms_projections(*args: str) -> Result:
    env = {"KAFKA_BOOTSTRAP_SERVERS": ""}
    return await asyncio.to_thread(CliRunner().invoke, app, list(args), env=env)


async def record_a_group(engine: AsyncEngine) -> None:
    """Two streams handled, one record parked ten minutes ago, last applied a minute ago."""
    now = datetime.now(UTC)
    async with engine.begin() as connection:
        await connection.execute(
            sa.insert(consumer_progress),
            [
                {"consumer_group": GROUP, "stream_id": "client-1", "stream_version": 2},
                {"consumer_group": GROUP, "stream_id": "client-2", "stream_version": 1},
            ],
        )
        await connection.execute(
            sa.insert(consumer_parked_events).values(
                consumer_group=GROUP,
                stream_id="client-1",
                stream_version=4,
                topic="eocms.caseload.events",
                partition=2,
                offset=17,
                key=None,
                value=b"{}",
                headers=[],
                parked_at=now - timedelta(minutes=10),
            )
        )
        await connection.execute(
            sa.insert(consumer_activity).values(
                consumer_group=GROUP, last_applied_at=now - timedelta(minutes=1)
            )
        )


async def test_status_reports_parked_events_streams_and_last_applied_time_as_json(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'reporting.db'}"
    engine = create_engine(url)
    try:
        await migrate(engine)
        await record_a_group(engine)
    finally:
        await engine.dispose()

    result = await eocms_projections(
        "status", "--service", "reporting", "--database-url", url, "--format", "json"
    )

    assert result.exit_code == 0, result.output
    [row] = json.loads(result.output)
    assert (row["service"], row["group"], row["streams"]) == ("reporting", GROUP, 2)
    assert row["parked_events"] == 1
    assert row["parked_oldest_seconds"] >= 600
    assert row["last_applied_at"] is not None
    assert row["lag_messages"] is None  # no cluster given
    table = await eocms_projections("status", "--service", "reporting", "--database-url", url)
    assert table.exit_code == 0 and GROUP in table.output


async def test_status_refuses_a_database_without_the_consumer_tables_and_creates_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "empty.db"
    sqlite3.connect(path).close()
    url = f"sqlite+aiosqlite:///{path}"

    result = await eocms_projections("status", "--service", "reporting", "--database-url", url)
    missing = await eocms_projections(
        "status", "--service", "reporting", "--database-url", f"{url}.typo"
    )

    assert result.exit_code == 2
    assert "lacks consumer_progress" in result.output and "eocms migrate" in result.output
    assert "Traceback" not in result.output
    assert sqlite3.connect(path).execute("SELECT name FROM sqlite_master").fetchall() == []
    assert missing.exit_code == 2 and "no database at" in missing.output
    assert not (tmp_path / "empty.db.typo").exists()


@pytest.mark.kafka
async def test_lag_and_dead_letters_come_from_the_cluster(kafka: KafkaUnderTest) -> None:
    topic = kafka.unique("eocms.intake.events")
    group = kafka.unique("reporting")
    dlq = dead_letter_topic(topic, group)
    await ensure_topics(kafka.bootstrap_servers, [topic, dlq], partitions=2)
    producer = AIOKafkaProducer(bootstrap_servers=kafka.bootstrap_servers)
    await producer.start()
    try:
        for n in range(3):
            await producer.send_and_wait(topic, value=b"{}", partition=n % 2)
        await producer.send_and_wait(dlq, value=b"{", partition=0)
    finally:
        await producer.stop()
    row = GroupStatus(
        "reporting",
        group,
        (topic,),
        streams=0,
        parked=0,
        oldest_parked_s=None,
        last_applied_at=None,
    )

    measured = await with_cluster_figures(
        row, ConsumerLagProbe(kafka.bootstrap_servers), timeout_s=15
    )

    assert (measured.lag, measured.lag_by_topic, measured.dead_letters) == (3, {topic: 3}, 1)
