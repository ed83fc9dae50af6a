"""Chaos: every service is SIGKILLed once under client journeys, and the promises still hold.

Intake, caseload, programs and reporting run as ``eocms serve`` processes
(:mod:`eocms.service_processes`) on fresh PostgreSQL databases and a local
broker of this test's own, so the topics hold this test's events only and a
rebuild reads exactly them. A driver (:mod:`tests.support.journeys`) runs
client journeys from several workers at once: register, open a plan once
caseload knows the client, add and start a service, close the plan. Each
command has its own idempotency key and correlation id and is retried under
that key on connection errors, 5xx and 409 "in flight". Meanwhile each service
in turn is SIGKILLed and restarted on its port.

Then, from outside, the test checks:

1. every journey completed: each command ended in a 2xx;
2. every command's effect is stored at most once, and every 2xx command's
   effect exactly once (the events carrying its correlation id: present, and
   no event type twice);
3. every stored event is on its topic (the topics read from the beginning);
4. every consumer group applied every stream up to its head;
5. no event is left parked (where the database has a parked-events table);
6. reporting's read model equals what a fresh ``eocms projections rebuild``
   makes of the topics.

All problems are collected and reported together. Bounded: a fixed number of
journeys per worker, one kill per service, and hang guards on every wait.
"""

from __future__ import annotations

import asyncio
import time
from collections import Counter, defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from chassis.broker.local import LocalKafkaBroker
from contracts.topics import EVENT_TOPICS
from eocms.service_processes import (
    ServiceFailed,
    ServiceProcess,
    service_environment,
    start_service_process,
)
from tests.support.journeys import Command, JourneyDriver, JourneyOutcome
from tests.support.pipeline_checks import (
    StoredEvent,
    event_ids_on_topics,
    invoke_cli,
    parked_event_counts,
    reporting_read_model,
    stored_events,
    stream_heads,
    wait_until_applied,
    wait_until_measures_refreshed,
)
from tests.support.postgres import DatabaseFactory

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]

SERVICES = ("intake", "caseload", "programs", "reporting")
WORKERS = 4
JOURNEYS_PER_WORKER = 3
"""Fixed load: 12 journeys, 6 commands each (more if caseload does not know a client yet)."""
FIRST_KILL_AFTER_S = 1.0
BETWEEN_KILLS_S = 1.0
IN_FLIGHT_POLLS = 600
"""Polls, 5 ms apart, for a request in flight to the service about to be killed."""
INTO_THE_REQUEST_S = 0.02
"""From the request leaving the driver to the kill: inside the command's handling."""
DRIVER_DEADLINE_S = 60.0
"""Hang guard: a command still unanswered then counts as failed."""
RESTART_READY_S = 30.0
SETTLE_DEADLINE_S = 45.0
"""Hang guard for relays and consumers to catch up after the load."""
GROUPS = {
    "CASELOAD_KNOWN_CLIENTS_GROUP": "caseload.known-clients",
    "PROGRAMS_KNOWN_CLIENTS_GROUP": "programs.known-clients",
    "PROGRAMS_SERVICE_PLANS_GROUP": "programs.service-plans",
    "REPORTING_FACTS_GROUP": "reporting.facts",
}
"""Each consumer group (names of this test's own broker), by the setting naming it."""
CONSUMERS = {
    # group setting: (database of the group, stores whose streams it reads)
    "CASELOAD_KNOWN_CLIENTS_GROUP": ("caseload", ("intake",)),
    "PROGRAMS_KNOWN_CLIENTS_GROUP": ("programs", ("intake",)),
    "PROGRAMS_SERVICE_PLANS_GROUP": ("programs", ("caseload",)),
    "REPORTING_FACTS_GROUP": ("reporting", ("intake", "caseload", "programs")),
}


@dataclass
class ChaosRun:
    """What happened: the services, the driver's commands and journeys, the kills."""

    processes: dict[str, ServiceProcess]
    urls: dict[str, str]
    commands: list[Command] = field(default_factory=list)
    journeys: list[JourneyOutcome] = field(default_factory=list)
    kills: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def outputs(self, limit: int = 2500) -> str:
        """Each process' output tail, for the failure message."""
        return "\n".join(f"--- {n} ---\n{p.output(limit)}" for n, p in self.processes.items())


@pytest.fixture
async def broker() -> AsyncIterator[LocalKafkaBroker]:
    """A broker of this test's own: its topics hold only this test's events."""
    async with LocalKafkaBroker() as broker:
        yield broker


@pytest.fixture
async def running(
    broker: LocalKafkaBroker, postgres_database_factory: DatabaseFactory, tmp_path: Path
) -> AsyncIterator[ChaosRun]:
    """The four services, each on a fresh database, all ready."""
    urls = {name: await postgres_database_factory() for name in SERVICES}
    processes: dict[str, ServiceProcess] = {}
    try:
        for name in SERVICES:
            env = service_environment(
                name,
                database_url=urls[name],
                bootstrap_servers=broker.bootstrap_servers,
                local_broker=True,
                data_dir=tmp_path / f"{name}-data",
                extra=GROUPS,
            )
            processes[name] = start_service_process(name, env, tmp_path)
        for process in processes.values():
            await process.wait_ready()
        yield ChaosRun(processes, urls)
    finally:
        for process in processes.values():
            process.stop()


async def test_every_promise_holds_when_each_service_is_killed_under_load(
    running: ChaosRun, broker: LocalKafkaBroker
) -> None:
    await drive_while_killing(running)
    check_journeys(running)
    stored = {name: await stored_events(running.urls[name]) for name in EVENT_TOPICS}
    check_effects_stored_once(running, stored)
    await check_events_on_topics(running, broker, stored)
    await check_consumers_applied(running, stored)
    await check_nothing_parked(running)
    await check_rebuild_reproduces_reporting(running, broker)
    for note in running.notes:
        print(f"note: {note}")  # shown with -rA: what the run could not check
    assert not running.problems, (
        f"{len(running.problems)} broken promise(s):\n- "
        + "\n- ".join(running.problems)
        + f"\nkills: {running.kills}\n{running.outputs()}"
    )


async def drive_while_killing(run: ChaosRun) -> None:
    """Journeys from every worker while each service is killed and restarted once."""
    sites = [f"K{worker:03d}" for worker in range(WORKERS)]
    async with httpx.AsyncClient(timeout=10.0) as http:
        driver = JourneyDriver(
            http,
            lambda name: run.processes[name].base_url,
            sites=sites,
            deadline=time.monotonic() + DRIVER_DEADLINE_S,
        )

        async def worker(index: int) -> None:
            for number in range(JOURNEYS_PER_WORKER):
                run.journeys.append(
                    await driver.journey(sites[index], index * JOURNEYS_PER_WORKER + number)
                )

        workers = [asyncio.create_task(worker(index)) for index in range(WORKERS)]
        await kill_each_service_once(run, driver)
        await asyncio.gather(*workers)
        run.commands = driver.commands


async def kill_each_service_once(run: ChaosRun, driver: JourneyDriver) -> None:
    """SIGKILL each service in turn, restart it on its port, wait until it is ready.

    A service that takes commands is killed while one of the driver's requests
    to it is in flight (if one comes within a few seconds), so the kill lands
    inside a command, where the idempotency and outbox promises are at stake.
    """
    await asyncio.sleep(FIRST_KILL_AFTER_S)
    for name in SERVICES:
        process = run.processes[name]
        hit = await _in_flight_soon(driver, name)
        process.kill()
        run.notes.append(f"{name} SIGKILLed {'during' if hit else 'between'} requests")
        process.start()
        try:
            took = await process.wait_ready(RESTART_READY_S)
            run.kills.append(f"{name}: ready {took:.1f}s after SIGKILL")
            run.notes.append(run.kills[-1])
        except ServiceFailed as error:
            run.problems.append(f"{name} did not come back after SIGKILL: {str(error)[:300]}")
        await asyncio.sleep(BETWEEN_KILLS_S)


async def _in_flight_soon(driver: JourneyDriver, service: str) -> bool:
    """Wait (a few seconds at most) until a request to ``service`` is in flight."""
    for _ in range(IN_FLIGHT_POLLS):
        if driver.in_flight[service] > 0:
            await asyncio.sleep(INTO_THE_REQUEST_S)
            return True
        await asyncio.sleep(0.005)
    return False


def check_journeys(run: ChaosRun) -> None:
    """1. Every command of every journey ended in a 2xx."""
    for journey in run.journeys:
        if journey.failure is not None:
            run.problems.append(f"journey at {journey.site} stopped: {journey.failure}")


def check_effects_stored_once(run: ChaosRun, stored: dict[str, list[StoredEvent]]) -> None:
    """2. Per command (correlation id): no event type stored twice; a 2xx stored something."""
    by_correlation: dict[str, list[StoredEvent]] = defaultdict(list)
    for events in stored.values():
        for event in events:
            by_correlation[event.correlation_id].append(event)
    for command in run.commands:
        effect = by_correlation.get(command.correlation_id, [])
        twice = [t for t, n in Counter(e.event_type for e in effect).items() if n > 1]
        if twice:
            run.problems.append(f"stored more than once ({twice}): {command.describe()}")
        if command.succeeded and not effect:
            run.problems.append(
                f"answered {command.status} but stored nothing: {command.describe()}"
            )
        if effect and not command.succeeded:
            run.notes.append(f"stored, never acknowledged with a 2xx: {command.describe()}")


async def check_events_on_topics(
    run: ChaosRun, broker: LocalKafkaBroker, stored: dict[str, list[StoredEvent]]
) -> None:
    """3. Every stored event is on its service's topic (relays get time to catch up)."""
    deadline = time.monotonic() + SETTLE_DEADLINE_S
    while True:
        on_topics = await event_ids_on_topics(broker.bootstrap_servers, EVENT_TOPICS.values())
        missing = {
            name: [e for e in events if e.event_id not in on_topics[EVENT_TOPICS[name]]]
            for name, events in stored.items()
        }
        if not any(missing.values()) or time.monotonic() > deadline:
            break
        await asyncio.sleep(1.0)
    for name, events in missing.items():
        if events:
            sample = [(e.stream_id, e.stream_version, e.event_type) for e in events[:5]]
            run.problems.append(
                f"{len(events)} of {name}'s stored events not on its topic: {sample}"
            )


async def check_consumers_applied(run: ChaosRun, stored: dict[str, list[StoredEvent]]) -> None:
    """4. Every consumer group applied every stream it reads up to the stream's head."""
    for setting, (database, sources) in CONSUMERS.items():
        heads = stream_heads([e for source in sources for e in stored[source]])
        try:
            await wait_until_applied(run.urls[database], GROUPS[setting], heads, SETTLE_DEADLINE_S)
        except AssertionError as error:
            run.problems.append(str(error))


async def check_nothing_parked(run: ChaosRun) -> None:
    """5. No event is left parked in any consumer's database."""
    for name in ("caseload", "programs", "reporting"):
        counts = await parked_event_counts(run.urls[name])
        if counts is None:
            run.notes.append(f"{name}'s database has no parked-events table: not checked")
        elif any(counts.values()):
            run.problems.append(f"{name} has events left parked: {counts}")


async def check_rebuild_reproduces_reporting(run: ChaosRun, broker: LocalKafkaBroker) -> None:
    """6. Reporting's read model, once caught up and stopped, equals a rebuild from the topics."""
    url = run.urls["reporting"]
    try:
        await wait_until_measures_refreshed(url, SETTLE_DEADLINE_S)
    except AssertionError as error:
        run.problems.append(f"reporting's measures: {error}")
    run.processes["reporting"].stop()
    built_live = await reporting_read_model(url)
    rebuilt = await invoke_cli(
        ["projections", "rebuild", "--database-url", url,
         "--bootstrap-servers", broker.bootstrap_servers],
        {"KAFKA_ENABLE_IDEMPOTENCE": "false", **GROUPS},
    )  # fmt: skip
    if rebuilt.exit_code != 0:
        run.problems.append(f"rebuild failed ({rebuilt.exit_code}): {rebuilt.output[-1500:]}")
        return
    after = await reporting_read_model(url)
    differing = [table for table in built_live if built_live[table] != after.get(table)]
    if differing:
        detail = {t: (len(built_live[t]), len(after.get(t, []))) for t in differing}
        run.problems.append(
            f"the rebuild differs from the live read model (rows live, rebuilt): {detail}"
        )
