"""A service serves HTTP before its consumers join, and readiness notices a frozen broker.

Caseload (its known-clients projection configured) against a broker of its
own: the shared session broker is never frozen. ``SIGSTOP`` leaves the
broker's port accepting connections while nothing answers, as an overloaded
or hung broker would; ``SIGCONT`` lets it go on.
"""

from __future__ import annotations

import asyncio
import os
import signal
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from typing import Any

import httpx
import pytest

from chassis.broker.local import LocalKafkaBroker
from chassis.clock import fixed_clock
from chassis.settings import KafkaSettings
from services.caseload.bootstrap import create_app
from services.caseload.settings import CaseloadSettings
from tests.integration.caseload.service import AUTH, TODAY, Caseload, token

pytestmark = [pytest.mark.postgres, pytest.mark.kafka, pytest.mark.slow]

DatabaseFactory = Callable[[], Awaitable[str]]

BOUND_S = 90.0
"""Upper bound for anything these tests wait for (a join after a thaw takes seconds)."""


@pytest.fixture(scope="module")
async def own_broker() -> AsyncIterator[LocalKafkaBroker]:
    """A local broker for this module only, so freezing it stops no other test."""
    async with LocalKafkaBroker() as broker:
        yield broker


@contextmanager
def frozen(broker: LocalKafkaBroker) -> Iterator[None]:
    """The broker's processes stopped (``SIGSTOP``) for the block, continued after it."""
    assert broker.pid is not None
    os.killpg(broker.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(broker.pid, signal.SIGCONT)


@asynccontextmanager
async def caseload_on(broker: LocalKafkaBroker, url: str) -> AsyncIterator[Caseload]:
    """Caseload with its relay and known-clients projection on ``broker``, lifespan entered.

    The lifespan's start is bounded: it must not wait for the broker.
    """
    settings = CaseloadSettings(
        database_url=url, known_clients_group=f"caseload.known-clients-{uuid.uuid4().hex[:8]}"
    )
    kafka = KafkaSettings(bootstrap_servers=broker.bootstrap_servers, topic_partitions=3)
    app = create_app(settings, kafka, auth=AUTH, local_broker=True, clock=fixed_clock(TODAY))
    lifespan = app.router.lifespan_context(app)
    await asyncio.wait_for(lifespan.__aenter__(), timeout=30)
    try:
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://caseload.test") as http:
            yield Caseload(app, http, url)
    finally:
        await lifespan.__aexit__(None, None, None)


async def readiness(caseload: Caseload) -> tuple[int, dict[str, Any]]:
    """Status and body of ``/health/ready``, which must answer within a few seconds."""
    response = await asyncio.wait_for(caseload.http.get("/health/ready"), timeout=10)
    return response.status_code, response.json()


async def eventually_ready(caseload: Caseload, *, consumer: str = "joined") -> dict[str, Any]:
    """Poll readiness until 200 with the consumer in state ``consumer`` (bounded by BOUND_S)."""
    deadline = time.monotonic() + BOUND_S
    while True:
        status, body = await readiness(caseload)
        if status == 200 and consumer_state(body) == consumer:
            return body
        if time.monotonic() > deadline:
            pytest.fail(f"not ready with the consumer {consumer} within {BOUND_S}s: {body}")
        await asyncio.sleep(0.5)


def consumer_state(body: dict[str, Any]) -> str:
    """The state readiness reports for the one consumer."""
    [state] = [v for name, v in body["checks"].items() if name.startswith("consumer:")]
    return str(state)


async def test_http_serves_commands_while_the_consumer_group_has_not_joined(
    own_broker: LocalKafkaBroker, postgres_database_factory: DatabaseFactory
) -> None:
    url = await postgres_database_factory()
    with frozen(own_broker):
        async with caseload_on(own_broker, url) as caseload:
            # The lifespan is done although no consumer can have joined a frozen broker.
            assert (await caseload.http.get("/health/live")).status_code == 200
            client_id = await caseload.register()
            opened = await caseload.post(
                "/service-plans",
                {
                    "client_id": str(client_id),
                    "site_id": "S001",
                    "goal": "Find work",
                    "opened_on": "2012-05-02",
                },
                token("carol", "caseworker", "S001"),
            )
            assert opened.status_code == 201, opened.text
            status, body = await readiness(caseload)
            assert status == 503
            assert body["checks"]["database"] == "ok"
            assert body["checks"]["broker"].startswith("failed")
            assert consumer_state(body) == "starting"

            os.killpg(own_broker.pid or 0, signal.SIGCONT)
            ready = await eventually_ready(caseload)
            assert ready["checks"]["broker"] == "ok"


async def test_readiness_fails_on_a_frozen_broker_and_recovers_when_it_thaws(
    own_broker: LocalKafkaBroker, postgres_database_factory: DatabaseFactory
) -> None:
    url = await postgres_database_factory()
    async with caseload_on(own_broker, url) as caseload:
        ready = await eventually_ready(caseload)
        assert ready == {"status": "ready", "checks": ready["checks"]}
        assert ready["checks"]["broker"] == "ok"
        assert consumer_state(ready) == "joined"

        with frozen(own_broker):
            status, body = await readiness(caseload)
            assert status == 503
            assert body["type"] == "/problems/not-ready"
            assert body["checks"]["database"] == "ok"
            assert body["checks"]["broker"] == "failed (TimeoutError)"
            # Live still answers: the orchestrator keeps the process, the balancer skips it.
            assert (await caseload.http.get("/health/live")).status_code == 200

        again = await eventually_ready(caseload)
        assert again["checks"]["broker"] == "ok"
