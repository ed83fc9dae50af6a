"""Background loops of a service's lifespan start at once and stop when asked."""

from __future__ import annotations

import asyncio

import pytest

from chassis.lifecycle import run_until_stopped

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
