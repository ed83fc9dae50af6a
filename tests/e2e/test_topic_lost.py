"""A lost topic is restored from the stores, and reporting's rebuild gives the same read model.

Intake, caseload and reporting run as ``eocms serve`` processes on fresh
PostgreSQL databases and a broker of this test's own. Journeys go through
intake and caseload; reporting applies their events. Then the services stop
and the broker goes away with every topic (the local broker keeps them in
memory only, as a deleted topic on a cluster). On a new, empty broker
``eocms outbox republish`` restores intake's and caseload's topics from their
stores, and ``eocms projections rebuild`` rebuilds reporting's read model from
the restored topics: it must equal the one reporting had built live.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from chassis.broker.local import LocalKafkaBroker
from chassis.broker.topics import ensure_topics
from contracts.topics import CASELOAD_EVENTS, EVENT_TOPICS, INTAKE_EVENTS
from eocms.service_processes import ServiceProcess, service_environment, start_service_process
from services.reporting.adapters.tables import client_facts, plan_facts
from tests.support.journeys import JourneyDriver
from tests.support.pipeline_checks import (
    event_ids_on_topics,
    invoke_cli,
    reporting_read_model,
    stored_events,
    stream_heads,
    wait_until_applied,
    wait_until_measures_refreshed,
)
from tests.support.postgres import DatabaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]

SERVICES = ("intake", "caseload", "reporting")
JOURNEYS = 4
DRIVER_DEADLINE_S = 90.0
"""Only reached if a service stops answering: the journeys need a few seconds."""
APPLIED_DEADLINE_S = 90.0
GROUP = "reporting.facts.topic-lost"


@pytest.fixture
async def first_broker() -> AsyncIterator[LocalKafkaBroker]:
    """The broker whose topics get lost."""
    async with LocalKafkaBroker() as broker:
        yield broker


@pytest.fixture
async def empty_broker() -> AsyncIterator[LocalKafkaBroker]:
    """The broker that replaces it, with no topic at all."""
    async with LocalKafkaBroker() as broker:
        yield broker


async def test_a_lost_topic_is_republished_from_the_stores_and_the_rebuild_matches(
    first_broker: LocalKafkaBroker,
    empty_broker: LocalKafkaBroker,
    postgres_database_factory: DatabaseFactory,
    tmp_path: Path,
) -> None:
    urls = {name: await postgres_database_factory() for name in SERVICES}
    processes: dict[str, ServiceProcess] = {}
    try:
        for name in SERVICES:
            env = service_environment(
                name,
                database_url=urls[name],
                bootstrap_servers=first_broker.bootstrap_servers,
                local_broker=True,
                data_dir=tmp_path / f"{name}-data",
                extra={"REPORTING_FACTS_GROUP": GROUP},
            )
            processes[name] = start_service_process(name, env, tmp_path)
        for process in processes.values():
            await process.wait_ready()
        await drive_journeys(processes)
        intake_events = await stored_events(urls["intake"])
        caseload_events = await stored_events(urls["caseload"])
        heads = stream_heads([*intake_events, *caseload_events])
        await wait_until_applied(urls["reporting"], GROUP, heads, APPLIED_DEADLINE_S)
        await wait_until_measures_refreshed(urls["reporting"], APPLIED_DEADLINE_S)
    finally:
        for process in processes.values():
            process.stop()
    built_live = await reporting_read_model(urls["reporting"])
    assert built_live[client_facts.name] and built_live[plan_facts.name], "nothing applied"

    await first_broker.stop()  # every topic is gone with it
    env = {"KAFKA_ENABLE_IDEMPOTENCE": "false", "REPORTING_FACTS_GROUP": GROUP}
    servers = empty_broker.bootstrap_servers
    for name in ("intake", "caseload"):
        republished = await invoke_cli(
            ["outbox", "republish", name, "--database-url", urls[name],
             "--bootstrap-servers", servers],
            env,
        )  # fmt: skip
        assert republished.exit_code == 0, republished.output
        assert "republished" in republished.output

    on_topics = await event_ids_on_topics(servers, [INTAKE_EVENTS, CASELOAD_EVENTS])
    assert on_topics[INTAKE_EVENTS] == {e.event_id for e in intake_events}
    assert on_topics[CASELOAD_EVENTS] == {e.event_id for e in caseload_events}

    await ensure_topics(servers, EVENT_TOPICS.values())  # programs' topic: empty, not lost
    rebuilt = await invoke_cli(
        ["projections", "rebuild", "--database-url", urls["reporting"],
         "--bootstrap-servers", servers],
        env,
    )  # fmt: skip
    assert rebuilt.exit_code == 0, rebuilt.output
    assert await reporting_read_model(urls["reporting"]) == built_live


async def drive_journeys(processes: dict[str, ServiceProcess]) -> None:
    """A few complete journeys at two sites, one after the other."""
    sites = ["T001", "T002"]
    async with httpx.AsyncClient(timeout=10.0) as http:
        driver = JourneyDriver(
            http,
            lambda name: processes[name].base_url,
            sites=sites,
            deadline=time.monotonic() + DRIVER_DEADLINE_S,
        )
        for number in range(JOURNEYS):
            outcome = await driver.journey(sites[number % 2], number)
            assert outcome.failure is None, f"{outcome.failure}\n" + "\n".join(
                p.output(3000) for p in processes.values()
            )
