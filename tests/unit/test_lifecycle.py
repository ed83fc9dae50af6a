"""Background work of a service's lifespan: loops and consumers start at once, stop when asked."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import cast

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.consumer import ProjectionRunner
from chassis.lifecycle import ProjectionStart, run_until_stopped
from chassis.readiness import CheckResult, CheckStatus, consumer_readiness

pytestmark = pytest.mark.asyncio


async def test_a_loop_runs_until_its_stop_callback_is_awaited() -> None:
    started = asyncio.Event()
    finished: list[str] = []

    async def loop(stop: asyncio.Event) -> None:
        started.set()
        await stop.wait()
        finished.append("cleaned up after the stop")

    stop_and_wait = run_until_stopped(loop)
    await asyncio.wait_for(started.wait(), timeout=5)
    assert finished == []
    await stop_and_wait()

    assert finished == ["cleaned up after the stop"]


class FakeRunner:
    """A projection runner whose start fails ``failures`` times, then waits for ``joined``."""

    def __init__(self, failures: int = 0) -> None:
        self.projection = SimpleNamespace(name="reporting.facts")
        self.failures = failures
        self.joined = asyncio.Event()
        self.attempts = 0
        self.attempted = asyncio.Event()
        self.running = False
        self.consuming = asyncio.Event()
        self.cancelled_starts = 0
        self.states_at_stop: list[str] = []
        self.owner: ProjectionStart | None = None

    async def start(self) -> None:
        self.attempts += 1
        self.attempted.set()
        if self.failures:
            self.failures -= 1
            raise ConnectionError("broker not there yet")
        try:
            await self.joined.wait()
        except asyncio.CancelledError:
            self.cancelled_starts += 1
            raise
        self.running = True
        self.consuming.set()

    async def stop(self) -> None:
        assert self.owner is not None
        self.states_at_stop.append(str(self.owner.result))
        self.running = False


def started(runner: FakeRunner) -> ProjectionStart:
    start = ProjectionStart(cast(ProjectionRunner, runner), first_pause_s=0.01)
    runner.owner = start
    return start


async def until(event: asyncio.Event) -> None:
    """Wait until ``event`` is set, at most 5 s."""
    await asyncio.wait_for(event.wait(), timeout=5)


async def test_a_consumer_is_starting_until_its_group_is_joined_then_joined() -> None:
    runner = FakeRunner()
    start = started(runner)
    stop_and_wait = run_until_stopped(start.run)
    await until(runner.attempted)
    assert start.result == CheckResult(CheckStatus.STARTING)

    runner.joined.set()
    await until(runner.consuming)
    assert str(start.result) == "joined"

    await stop_and_wait()
    assert not runner.running


async def test_a_failed_start_is_reported_cleaned_up_and_retried_until_it_joins() -> None:
    runner = FakeRunner(failures=2)
    runner.joined.set()
    start = started(runner)
    stop_and_wait = run_until_stopped(start.run)
    await until(runner.consuming)

    assert runner.attempts == 3
    assert runner.states_at_stop == ["failed (ConnectionError)", "failed (ConnectionError)"]
    assert str(start.result) == "joined"
    await stop_and_wait()


async def test_stopping_while_the_group_is_joining_cancels_the_join_and_stops_the_runner() -> None:
    runner = FakeRunner()
    start = started(runner)
    stop_and_wait = run_until_stopped(start.run)
    await until(runner.attempted)

    await asyncio.wait_for(stop_and_wait(), timeout=5)

    assert runner.cancelled_starts == 1
    assert runner.states_at_stop == ["starting"]
    assert not runner.running


async def test_a_consumer_check_can_only_make_the_consumer_look_worse() -> None:
    consumer = SimpleNamespace(group="reporting.facts", result=CheckResult(CheckStatus.JOINED))
    asked: list[str] = []

    async def parked_for_too_long(engine: object, group: str) -> CheckResult | None:
        asked.append(group)
        return CheckResult(CheckStatus.DEGRADED, "2 events parked for 95 s")

    async def nothing_to_say(engine: object, group: str) -> CheckResult | None:
        return None

    engine = cast(AsyncEngine, object())
    quiet = consumer_readiness(consumer, engine=engine, checks=[nothing_to_say])
    parked = consumer_readiness(
        consumer, engine=engine, checks=[nothing_to_say, parked_for_too_long]
    )

    assert str(await quiet()) == "joined"
    assert str(await parked()) == "degraded (2 events parked for 95 s)"
    assert asked == ["reporting.facts"]
    consumer.result = CheckResult(CheckStatus.FAILED, "KafkaConnectionError")
    assert str(await parked()) == "failed (KafkaConnectionError)"
