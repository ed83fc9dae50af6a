"""The service wiring kit: what every service's composition root puts together.

Each service's ``bootstrap.create_app`` builds one :class:`ServiceWiring` from
its settings and the Kafka settings, says what the service runs, and asks for
the app::

    wiring = ServiceWiring(settings, kafka, local_broker=local_broker, migrations=[VERSIONS])
    wiring.publish(topics=[CASELOAD_EVENTS])           # the outbox relay
    wiring.project(known_clients_runner)               # a projection (or several)
    app = wiring.create_app(title=..., description=..., auth=auth, routers=routers())

The kit holds, for that one app: the engine (it connects lazily), the
``clock`` of the configured time zone, the ``rulebooks`` shelf, the app's
metrics and its readiness checks (database; broker when one is configured;
each consumer once the lifespan runs). Nothing is created at import, and
nothing connects before the app's lifespan starts.

The lifespan migrates the database, runs the service's start steps (database
work that must be done before serving), then yields: HTTP serves as soon as
the database is ready. The background loops, the relay and the projections
run in background tasks (:mod:`chassis.lifecycle`); the relay and the
projections retry until the broker answers. Readiness reports each consumer
``starting``, ``joined`` or ``failed``, worsened by what the consumer checks of
:func:`default_consumer_checks` say (e.g. ``degraded`` for events parked too
long, once such a check is added there). On shutdown everything stops in the
reverse order, and the engine is disposed last.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from fastapi import APIRouter, FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.security import KafkaSecurity
from chassis.clock import Clock, site_clock
from chassis.consumer import ProjectionRunner
from chassis.consumer.parked_health import parked_consumer_check
from chassis.database import create_engine
from chassis.eventstore import limit_records
from chassis.http.app import create_service_app
from chassis.http.health import broker_answers, database_ready
from chassis.http.idempotency_store import IdempotencyStore
from chassis.http.metrics import ServiceMetrics
from chassis.http.problem_handlers import DomainErrors
from chassis.http.settings import AuthSettings
from chassis.http.tokens import TokenVerifier
from chassis.lifecycle import (
    run_until_stopped,
    start_outbox_relay,
    start_projection,
)
from chassis.logging import get_logger
from chassis.migrate import migrate
from chassis.readiness import ConsumerCheck, ReadinessCheck, consumer_readiness
from chassis.settings import ConsumerSettings, KafkaSettings, ServiceSettings
from contracts.rulebook import RuleBookShelf

log = get_logger(__name__)

CONSUMER_CHECK_PREFIX = "consumer:"
"""Readiness names a consumer ``consumer:<group>``."""


@dataclass(frozen=True)
class Bus:
    """The Kafka cluster a service talks to, and whether it is the local development broker."""

    kafka: KafkaSettings
    local: bool

    @classmethod
    def of(cls, kafka: KafkaSettings | None, *, local_broker: bool) -> Bus | None:
        """The bus ``kafka`` describes; ``None`` when no bootstrap servers are configured."""
        if kafka is None or not kafka.bootstrap_servers:
            return None
        return cls(kafka, local_broker)

    @property
    def servers(self) -> str:
        """The bootstrap servers."""
        assert self.kafka.bootstrap_servers
        return self.kafka.bootstrap_servers

    @property
    def security(self) -> KafkaSecurity:
        """How clients connect (PLAINTEXT for the local broker)."""
        return KafkaSecurity.for_cluster(self.kafka, local_broker=self.local)


class RunnerFactory(Protocol):
    """Builds a service's unstarted projection runner(s) (its ``entrypoints.subscribers``)."""

    def __call__(
        self,
        *,
        engine: AsyncEngine,
        settings: Any,
        kafka: KafkaSettings,
        bootstrap_servers: str,
        local_broker: bool,
    ) -> ProjectionRunner | Iterable[ProjectionRunner]: ...


StartStep = Callable[[], Awaitable[None]]
"""Database work done after the migrations and before HTTP serves."""

BackgroundLoop = Callable[[asyncio.Event], Awaitable[None]]
"""A loop that runs until its event is set (e.g. reporting's measures refresher)."""


def default_consumer_checks(settings: ServiceSettings) -> list[ConsumerCheck]:
    """The checks every consumer of every service gets, beyond the consumer's own state.

    One for now: a group whose oldest parked event has waited longer than
    ``CONSUMER_PARKED_DEGRADED_AFTER_S`` makes its consumer ``degraded``
    (:mod:`chassis.consumer.parked_health`). ``settings`` is the service's,
    for checks that depend on it.
    """
    del settings
    return [parked_consumer_check(degraded_after_s=ConsumerSettings().parked_degraded_after_s)]


class ServiceWiring:
    """One service's runtime parts and the lifespan that starts and stops them."""

    def __init__(
        self,
        settings: ServiceSettings,
        kafka: KafkaSettings | None = None,
        *,
        local_broker: bool = False,
        migrations: Sequence[Path] = (),
        consumer_checks: Sequence[ConsumerCheck] | None = None,
    ) -> None:
        self.settings = settings
        self.engine = create_engine(settings.resolved_database_url())
        if kafka is not None:
            limit_records(self.engine, kafka.max_record_bytes)  # events the broker can carry
        self.bus = Bus.of(kafka, local_broker=local_broker)
        self.clock: Clock = site_clock(settings.time_zone)
        self.rulebooks = RuleBookShelf()
        self.metrics = ServiceMetrics()
        self.readiness: dict[str, ReadinessCheck] = {"database": database_ready(self.engine)}
        if self.bus is not None:
            self.readiness["broker"] = broker_answers(self.bus.servers, security=self.bus.security)
        self._migrations = list(migrations)
        self._consumer_checks = list(
            default_consumer_checks(settings) if consumer_checks is None else consumer_checks
        )
        self._published_topics: list[str] | None = None
        self._runner_factories: list[RunnerFactory] = []
        self._start_steps: list[StartStep] = []
        self._stop_steps: list[StartStep] = []
        self._loops: list[BackgroundLoop] = []

    def publish(self, topics: Iterable[str]) -> None:
        """Run the outbox relay when a broker is configured, creating ``topics`` first."""
        self._published_topics = list(topics)

    def project(self, runners: RunnerFactory) -> None:
        """Run the projection runner(s) ``runners`` builds when a broker is configured."""
        self._runner_factories.append(runners)

    def on_start(self, step: StartStep) -> None:
        """Do ``step`` after the migrations, before HTTP serves (in the order given)."""
        self._start_steps.append(step)

    def on_stop(self, step: StartStep) -> None:
        """Do ``step`` at shutdown, after the background work stopped, before the engine closes."""
        self._stop_steps.append(step)

    def run_in_background(self, loop: BackgroundLoop) -> None:
        """Run ``loop`` from the start of the lifespan until its end."""
        self._loops.append(loop)

    def create_app(
        self,
        *,
        title: str,
        description: str,
        auth: AuthSettings | TokenVerifier | None,
        routers: Sequence[APIRouter],
        domain_errors: DomainErrors | None = None,
        commands: bool = True,
        version: str = "1.0.0",
    ) -> FastAPI:
        """The service's FastAPI app with this wiring's lifespan, readiness and metrics.

        ``commands`` says the routers hold command routes (they then share an
        idempotency store on this engine).
        """
        return create_service_app(
            title=title,
            version=version,
            description=description,
            settings=self.settings,
            auth=auth or AuthSettings(),
            routers=routers,
            idempotency=IdempotencyStore(self.engine) if commands else None,
            readiness_checks=self.readiness,
            domain_errors=domain_errors,
            metrics=self.metrics,
            lifespan=self.lifespan,
        )

    @asynccontextmanager
    async def lifespan(self, _app: FastAPI) -> AsyncIterator[None]:
        """Migrate and run the start steps, start the rest in the background, then serve."""
        async with AsyncExitStack() as stack:
            stack.push_async_callback(self.engine.dispose)
            for stop_step in self._stop_steps:
                stack.push_async_callback(stop_step)
            await migrate(self.engine, extra_version_locations=self._migrations)
            for step in self._start_steps:
                await step()
            for loop in self._loops:
                stack.push_async_callback(run_until_stopped(loop))
            if self.bus is None:
                self._warn_without_bus()
            else:
                await self._start_bus(self.bus, stack)
            yield

    async def _start_bus(self, bus: Bus, stack: AsyncExitStack) -> None:
        if self._published_topics is not None:
            await start_outbox_relay(
                stack,
                engine=self.engine,
                kafka=bus.kafka,
                local_broker=bus.local,
                settings=self.settings,
                topics=self._published_topics,
                metrics=self.metrics,
                security=bus.security,
            )
        for factory in self._runner_factories:
            built = factory(
                engine=self.engine,
                settings=self.settings,
                kafka=bus.kafka,
                bootstrap_servers=bus.servers,
                local_broker=bus.local,
            )
            for runner in [built] if isinstance(built, ProjectionRunner) else built:
                start = await start_projection(stack, runner, metrics=self.metrics)
                name = CONSUMER_CHECK_PREFIX + start.group
                self.readiness[name] = consumer_readiness(
                    start, engine=self.engine, checks=self._consumer_checks
                )
                stack.callback(self.readiness.pop, name, None)

    def _warn_without_bus(self) -> None:
        if self._published_topics is not None:
            log.warning(
                "no Kafka configured: events wait in the outbox",
                service=self.settings.service_name,
            )
        if self._runner_factories:
            log.warning(
                "no Kafka configured: no projection runs; the read models stay as they are",
                service=self.settings.service_name,
            )
