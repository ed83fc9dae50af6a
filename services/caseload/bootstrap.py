"""Caseload's one composition root: ``create_app`` wires settings, store, bus and HTTP.

Nothing is created at import. ``create_app`` builds the engine (it connects
lazily) and the app; the app's lifespan migrates the database, builds the
collaborators and, when a broker is configured, creates the topics, runs the
outbox relay and the known-clients projection. Without a broker the app
still serves HTTP, with a warning: known clients then only come from tests or
tools writing the view directly.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

import contracts.caseload  # noqa: F401  (registers caseload's event schemas)
from chassis.broker.security import KafkaSecurity
from chassis.broker.topics import ensure_topics
from chassis.database import create_engine
from chassis.http import (
    AuthSettings,
    IdempotencyStore,
    broker_reachable,
    create_service_app,
    database_ready,
)
from chassis.lifecycle import start_outbox_relay, start_projection
from chassis.logging import get_logger
from chassis.migrate import migrate
from chassis.settings import KafkaSettings
from contracts.topics import EVENT_TOPICS
from services.caseload.adapters.lookups import SqlActivePlans, SqlKnownClients, SqlPlanDirectory
from services.caseload.adapters.migrations import VERSIONS
from services.caseload.adapters.plan_repository import ServicePlanRepository
from services.caseload.adapters.report_repository import ResourceAndInformationRepository
from services.caseload.app.clock import Clock, site_clock
from services.caseload.app.rulebooks import RuleBookShelf
from services.caseload.entrypoints.dependencies import Caseload
from services.caseload.entrypoints.http import routers
from services.caseload.entrypoints.problems import DOMAIN_ERRORS
from services.caseload.entrypoints.subscribers import known_clients_runner
from services.caseload.settings import CaseloadSettings

log = get_logger(__name__)

DESCRIPTION = (
    "Employment Service plans (items, services, referrals, exit, satisfaction, follow-ups) "
    "and sites' monthly Resource and Information reports. Errors are "
    "application/problem+json; every command needs an Idempotency-Key."
)


def create_app(
    settings: CaseloadSettings | None = None,
    kafka: KafkaSettings | None = None,
    *,
    auth: AuthSettings | None = None,
    local_broker: bool = False,
    run_relay: bool = True,
    run_consumers: bool = True,
    clock: Clock | None = None,
) -> FastAPI:
    """Caseload's FastAPI app; ``kafka`` with bootstrap servers turns the bus on.

    ``local_broker`` says the servers are the local development broker (no
    idempotent producer); ``run_relay`` and ``run_consumers`` switch the
    outbox relay and the projection runner off; ``clock`` replaces the sites'
    calendar (tests, simulations).
    """
    settings = settings or CaseloadSettings()
    engine = create_engine(settings.resolved_database_url())
    servers = kafka.bootstrap_servers if kafka is not None else None
    checks = {"database": database_ready(engine)}
    if servers:
        assert kafka is not None
        checks["broker"] = broker_reachable(
            servers, security=KafkaSecurity.for_cluster(kafka, local_broker=local_broker)
        )
    wiring = _Wiring(
        settings=settings,
        engine=engine,
        kafka=kafka if servers else None,
        local_broker=local_broker,
        run_relay=run_relay,
        run_consumers=run_consumers,
        clock=clock or site_clock(settings.time_zone),
    )
    return create_service_app(
        title="EOCMS Caseload",
        version="1.0.0",
        description=DESCRIPTION,
        settings=settings,
        auth=auth or AuthSettings(),
        routers=routers(),
        idempotency=IdempotencyStore(engine),
        readiness_checks=checks,
        domain_errors=DOMAIN_ERRORS,
        lifespan=wiring.lifespan,
    )


class _Wiring:
    """What the lifespan starts and stops, in order."""

    def __init__(
        self,
        *,
        settings: CaseloadSettings,
        engine: AsyncEngine,
        kafka: KafkaSettings | None,
        local_broker: bool,
        run_relay: bool,
        run_consumers: bool,
        clock: Clock,
    ) -> None:
        self.settings, self.engine, self.kafka = settings, engine, kafka
        self.local_broker = local_broker
        self.run_relay, self.run_consumers = run_relay, run_consumers
        self.clock = clock

    @asynccontextmanager
    async def lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        """Migrate, wire the collaborators, start the bus parts; undo it all on the way out."""
        async with AsyncExitStack() as stack:
            stack.push_async_callback(self.engine.dispose)
            await migrate(self.engine, extra_version_locations=[VERSIONS])
            app.state.caseload = self.collaborators()
            if self.kafka is None:
                log.warning(
                    "no Kafka configured: caseload serves HTTP, publishes nothing and "
                    "learns of no registrations",
                    service=self.settings.service_name,
                )
            else:
                await self.start_bus(self.kafka, stack)
            yield

    def collaborators(self) -> Caseload:
        """The repositories and lookups over this app's engine."""
        return Caseload(
            plans=ServicePlanRepository(self.engine),
            reports=ResourceAndInformationRepository(self.engine),
            known_clients=SqlKnownClients(self.engine),
            active_plans=SqlActivePlans(self.engine),
            directory=SqlPlanDirectory(self.engine),
            clock=self.clock,
            rulebooks=RuleBookShelf(),
        )

    async def start_bus(self, kafka: KafkaSettings, stack: AsyncExitStack) -> None:
        """Create the topics, run the relay and the projection (each stopped by ``stack``)."""
        servers = kafka.bootstrap_servers
        assert servers
        await ensure_topics(
            servers,
            EVENT_TOPICS.values(),
            partitions=kafka.topic_partitions,
            security=KafkaSecurity.for_cluster(kafka, local_broker=self.local_broker),
        )
        if self.run_relay:
            await start_outbox_relay(
                stack,
                engine=self.engine,
                kafka=kafka,
                local_broker=self.local_broker,
                settings=self.settings,
            )
        if self.run_consumers:
            runner = known_clients_runner(
                engine=self.engine,
                settings=self.settings,
                kafka=kafka,
                bootstrap_servers=servers,
                local_broker=self.local_broker,
            )
            await start_projection(stack, runner)
