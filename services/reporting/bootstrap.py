"""Reporting's one composition root: ``create_app`` wires settings, fact tables, bus and HTTP.

Nothing is created at import. The app's lifespan migrates the database,
brings the measures read model up to date (recomputing fiscal years whose
rule book changed), runs the measures refresher in the background and, when
a broker is configured, creates the topics and runs the facts projection.
Reporting has no outbox of its own, so ``run_relay`` is accepted for
symmetry with the other services and ignored. Without a broker the app
serves whatever facts its database holds, with a warning.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.security import KafkaSecurity
from chassis.broker.topics import ensure_topics
from chassis.database import create_engine
from chassis.http import AuthSettings, broker_reachable, create_service_app, database_ready
from chassis.lifecycle import run_until_stopped, start_projection
from chassis.logging import get_logger
from chassis.migrate import migrate
from chassis.settings import KafkaSettings
from contracts.topics import EVENT_TOPICS
from services.reporting.adapters.facts_repository import (
    FactsRepository,
    read_sites_file,
    store_sites_reference,
)
from services.reporting.adapters.measures_refresh import rulebooks_in
from services.reporting.adapters.migrations import VERSIONS
from services.reporting.entrypoints.dashboard import install_dashboard
from services.reporting.entrypoints.http import routers
from services.reporting.entrypoints.refresher import MeasuresRefresher
from services.reporting.entrypoints.subscribers import facts_runner
from services.reporting.settings import ReportingSettings

log = get_logger(__name__)

DESCRIPTION = (
    "Employment Service measures and the Service Quality Standard per site, provider, "
    "region and province, computed from facts folded from intake, caseload and programs "
    "events. Errors are application/problem+json."
)


def create_app(
    settings: ReportingSettings | None = None,
    kafka: KafkaSettings | None = None,
    *,
    auth: AuthSettings | None = None,
    local_broker: bool = False,
    run_relay: bool = True,
    run_consumers: bool = True,
) -> FastAPI:
    """Reporting's FastAPI app; ``kafka`` with bootstrap servers runs the facts projection.

    ``run_relay`` is ignored (reporting publishes nothing); ``run_consumers``
    False serves HTTP over the database without consuming.
    """
    del run_relay
    settings = settings or ReportingSettings()
    engine = create_engine(settings.resolved_database_url())
    servers = kafka.bootstrap_servers if kafka is not None else None
    checks = {"database": database_ready(engine)}
    if servers:
        assert kafka is not None
        checks["broker"] = broker_reachable(
            servers, security=KafkaSecurity.for_cluster(kafka, local_broker=local_broker)
        )
    wiring = _Wiring(settings, engine, kafka if servers else None, local_broker, run_consumers)
    auth = auth or AuthSettings()
    app = create_service_app(
        title="EOCMS Reporting",
        version="1.0.0",
        description=DESCRIPTION,
        settings=settings,
        auth=auth,
        routers=routers(),
        readiness_checks=checks,
        lifespan=wiring.lifespan,
    )
    years = sorted(rulebooks_in(settings.rulebook_directory))
    install_dashboard(app, auth=auth, fiscal_years=years)
    return app


class _Wiring:
    """What the lifespan starts and stops, in order."""

    def __init__(
        self,
        settings: ReportingSettings,
        engine: AsyncEngine,
        kafka: KafkaSettings | None,
        local_broker: bool,
        run_consumers: bool,
    ) -> None:
        self.settings, self.engine, self.kafka = settings, engine, kafka
        self.local_broker, self.run_consumers = local_broker, run_consumers

    @asynccontextmanager
    async def lifespan(self, app: FastAPI) -> AsyncIterator[None]:
        """Migrate, wire the repository, run the projection; undo it all on the way out."""
        async with AsyncExitStack() as stack:
            stack.push_async_callback(self.engine.dispose)
            await migrate(self.engine, extra_version_locations=[VERSIONS])
            await self.start_refresher(stack)
            app.state.reporting = FactsRepository(
                self.engine, self.settings.sites_file, self.settings.rulebook_directory
            )
            app.state.reporting_time_zone = self.settings.time_zone
            if self.kafka is None:
                log.warning(
                    "no Kafka configured: reporting serves the facts its database holds",
                    service=self.settings.service_name,
                )
            elif self.run_consumers:
                await self.start_consumers(self.kafka, stack)
            yield

    async def start_refresher(self, stack: AsyncExitStack) -> None:
        """Store the sites reference, bring the measures read model up to date (a changed
        rule book recomputes its years), then refresh in the background (stopped by
        ``stack``)."""
        listed = read_sites_file(self.settings.sites_file) if self.settings.sites_file else []
        async with self.engine.begin() as connection:
            await store_sites_reference(connection, listed)
        refresher = MeasuresRefresher(
            self.engine,
            rulebooks=rulebooks_in(self.settings.rulebook_directory),
            interval_s=self.settings.refresh_interval_s,
            site_years_per_pass=self.settings.refresh_site_years_per_pass,
        )
        await refresher.refresh_everything_dirty()
        stack.push_async_callback(run_until_stopped(refresher.run))

    async def start_consumers(self, kafka: KafkaSettings, stack: AsyncExitStack) -> None:
        """Create the topics and run the facts projection (stopped by ``stack``)."""
        servers = kafka.bootstrap_servers
        assert servers
        await ensure_topics(
            servers,
            EVENT_TOPICS.values(),
            partitions=kafka.topic_partitions,
            security=KafkaSecurity.for_cluster(kafka, local_broker=self.local_broker),
        )
        runner = facts_runner(
            engine=self.engine,
            settings=self.settings,
            kafka=kafka,
            bootstrap_servers=servers,
            local_broker=self.local_broker,
        )
        await start_projection(stack, runner)
