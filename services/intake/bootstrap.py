"""Intake's composition root: the one place that builds its app and collaborators.

``create_app`` makes no connection: the engine connects, migrations run and
the outbox relay starts in the app's lifespan, and all of it is closed on
shutdown. Without ``KAFKA_BOOTSTRAP_SERVERS`` (or with ``run_relay=False``)
the app serves HTTP while events wait in the outbox for a relay.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from datetime import date, datetime
from zoneinfo import ZoneInfo

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.security import KafkaSecurity
from chassis.broker.topics import ensure_topics
from chassis.database import create_engine
from chassis.eventstore import create_event_store
from chassis.http import (
    AuthSettings,
    IdempotencyStore,
    ReadinessCheck,
    broker_reachable,
    create_service_app,
    database_ready,
)
from chassis.lifecycle import start_outbox_relay
from chassis.logging import get_logger
from chassis.migrate import migrate
from chassis.settings import KafkaSettings
from contracts.topics import INTAKE_EVENTS
from services.intake import domain
from services.intake.adapters import (
    MIGRATIONS,
    ClientDirectory,
    ClientRepository,
    PersonalDataVault,
)
from services.intake.app import NoRuleBookForDate, RuleBookShelf, UnknownClient
from services.intake.entrypoints import http
from services.intake.entrypoints.dependencies import IntakeContext
from services.intake.settings import IntakeSettings

log = get_logger(__name__)

ONTARIO = ZoneInfo("America/Toronto")

DOMAIN_ERRORS: dict[type[Exception], int] = {
    domain.ClientAlreadyRegistered: 409,
    domain.ClientNotRegistered: 404,
    domain.InvalidProfile: 422,
    domain.InvalidPersonalDetails: 422,
    domain.DateInFuture: 422,
    domain.DateBeforeRegistration: 422,
    domain.WrongRuleBook: 422,
    NoRuleBookForDate: 422,
    UnknownClient: 404,
}
"""Domain and use-case errors and their HTTP statuses (subclasses take the nearest).

Stale versions (``ConcurrencyConflict``) are the chassis' 409 already."""


def today_in_ontario() -> date:
    """Today's date where the sites are."""
    return datetime.now(ONTARIO).date()


def create_app(
    settings: IntakeSettings | None = None,
    kafka: KafkaSettings | None = None,
    *,
    auth: AuthSettings | None = None,
    local_broker: bool = False,
    run_relay: bool = True,
) -> FastAPI:
    """Intake's FastAPI app, wired; connections open in its lifespan.

    ``local_broker`` says the configured bootstrap servers are the project's
    local broker (no idempotent producer). ``run_relay=False`` leaves events
    in the outbox for a separately run relay.
    """
    settings = settings or IntakeSettings()
    kafka = kafka or KafkaSettings()
    auth = auth or AuthSettings()
    vault = PersonalDataVault(
        settings.master_key_for(production=auth.mode == "prod"),
        key_version=settings.pii_key_version,
    )
    engine = create_engine(settings.resolved_database_url())
    checks: dict[str, ReadinessCheck] = {"database": database_ready(engine)}
    if kafka.bootstrap_servers:
        checks["broker"] = broker_reachable(
            kafka.bootstrap_servers,
            security=KafkaSecurity.for_cluster(kafka, local_broker=local_broker),
        )
    app = create_service_app(
        title="EOCMS Intake",
        version="1.0.0",
        description="Client registration, profile, suitability and eligibility for "
        "Employment Service. Personal details are encrypted per client and never published.",
        settings=settings,
        auth=auth,
        routers=[http.router],
        idempotency=IdempotencyStore(engine),
        readiness_checks=checks,
        domain_errors=DOMAIN_ERRORS,
        lifespan=_lifespan(engine, settings, kafka, local_broker, run_relay),
    )
    app.state.intake = IntakeContext(
        engine=engine,
        repository=ClientRepository(create_event_store(engine)),
        directory=ClientDirectory(engine),
        vault=vault,
        rulebooks=RuleBookShelf(),
        today=today_in_ontario,
    )
    return app


def _lifespan(
    engine: AsyncEngine,
    settings: IntakeSettings,
    kafka: KafkaSettings,
    local_broker: bool,
    run_relay: bool,
):  # type: ignore[no-untyped-def]
    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        async with AsyncExitStack() as stack:
            stack.push_async_callback(engine.dispose)
            await migrate(engine, [MIGRATIONS])
            if kafka.bootstrap_servers and run_relay:
                await ensure_topics(
                    kafka.bootstrap_servers,
                    [INTAKE_EVENTS],
                    partitions=kafka.topic_partitions,
                    security=KafkaSecurity.for_cluster(kafka, local_broker=local_broker),
                )
                await start_outbox_relay(
                    stack, engine=engine, kafka=kafka, local_broker=local_broker, settings=settings
                )
            else:
                log.warning(
                    "no outbox relay: events wait in the outbox",
                    service=settings.service_name,
                    kafka_configured=bool(kafka.bootstrap_servers),
                )
            yield

    return lifespan
