"""``eocms projections rebuild`` end to end: PostgreSQL rebuilt and swapped; SQLite refused."""

from __future__ import annotations

import random
import threading

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner, Result

from chassis.database import create_engine
from eocms.cli import app
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.tables import business_plan_milestones
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


def invoke(args: list[str], env: dict[str, str]) -> Result:
    """Run the CLI in its own thread: it starts its own event loop."""
    results: list[Result] = []
    thread = threading.Thread(target=lambda: results.append(CliRunner().invoke(app, args, env=env)))
    thread.start()
    thread.join()
    return results[0]


async def test_the_cli_rebuilds_the_read_model_and_says_what_it_did(
    kafka: KafkaUnderTest,
    postgres_database_factory: DatabaseFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(5)
    events = history(random_journeys(rng, clients=20), {("A", "2012-13"): [10]})
    topics = await own_topics(kafka)
    live = FactsProjection(name=kafka.unique("reporting.facts"), topics=[*topics.values()])
    url = await migrated_reporting_database(postgres_database_factory)
    engine = create_engine(url)
    try:
        await publish(kafka, topics, events.events)
        async with live_runner(kafka, engine, live):
            await wait_until_applied(engine, live.name, events.events)
        # The session broker's topics are shared: the CLI's projection reads this test's own.
        monkeypatch.setattr("eocms.cli.projections.projections", lambda settings: [live])
        result = invoke(
            ["projections", "rebuild", "--projection", live.name, "--database-url", url,
             "--bootstrap-servers", kafka.bootstrap_servers],
            {"KAFKA_ENABLE_IDEMPOTENCE": str(not kafka.local).lower()},
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "swapped" in result.output and "yes" in result.output
        assert "events replayed" in result.output
        await assert_read_model_matches(engine, events, refresh=False)
        async with engine.connect() as connection:  # the plan milestones are rebuilt too
            milestones = sa.select(
                business_plan_milestones.c.site_id, business_plan_milestones.c.kind
            )
            assert [tuple(row) for row in await connection.execute(milestones)] == [
                ("A", "approved")
            ]
    finally:
        await engine.dispose()


def test_the_cli_refuses_sqlite_with_the_reason(kafka: KafkaUnderTest, tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite+aiosqlite:///{tmp_path / 'reporting.db'}"
    result = invoke(
        ["projections", "rebuild", "--database-url", url,
         "--bootstrap-servers", kafka.bootstrap_servers],
        {},
    )  # fmt: skip
    assert result.exit_code == 2
    assert "needs PostgreSQL" in result.output
