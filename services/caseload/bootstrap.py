"""Caseload's one composition root: ``create_app`` wires settings, store, bus and HTTP.

Nothing is created at import. ``create_app`` composes the chassis's service
wiring (:mod:`chassis.wiring`): the engine (it connects lazily), the app and
its collaborators. The app's lifespan migrates the database and serves; when
a broker is configured, the outbox relay (creating the topics) and the
known-clients projection start in the background. Without a broker the app
still serves HTTP, with a warning: known clients then only come from tests or
tools writing the view directly.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

import contracts.caseload  # noqa: F401  (registers caseload's event schemas)
from chassis.clock import Clock
from chassis.http import AuthSettings
from chassis.settings import KafkaSettings
from chassis.wiring import ServiceWiring
from contracts.rulebook import RuleBookShelf
from contracts.topics import EVENT_TOPICS
from services.caseload.adapters.lookups import SqlActivePlans, SqlKnownClients, SqlPlanDirectory
from services.caseload.adapters.migrations import VERSIONS
from services.caseload.adapters.plan_lists import SqlPlanLists
from services.caseload.adapters.plan_repository import ServicePlanRepository
from services.caseload.adapters.plan_summaries import backfill_plan_summaries
from services.caseload.adapters.report_repository import ResourceAndInformationRepository
from services.caseload.domain.errors import UnknownClient
from services.caseload.entrypoints.client_arrival import PatientKnownClients, client_not_yet_known
from services.caseload.entrypoints.dependencies import Caseload
from services.caseload.entrypoints.http import routers
from services.caseload.entrypoints.problems import DOMAIN_ERRORS
from services.caseload.entrypoints.subscribers import known_clients_runner
from services.caseload.settings import CaseloadSettings

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
    wiring = ServiceWiring(settings, kafka, local_broker=local_broker, migrations=[VERSIONS])
    if run_relay:
        wiring.publish(topics=EVENT_TOPICS.values())
    if run_consumers:
        wiring.project(known_clients_runner)
    app = wiring.create_app(
        title="EOCMS Caseload",
        description=DESCRIPTION,
        auth=auth,
        routers=routers(),
        domain_errors=DOMAIN_ERRORS,
    )
    app.state.caseload = collaborators(
        wiring.engine,
        wiring.rulebooks,
        clock or wiring.clock,
        settings.unknown_client_wait_seconds,
    )
    app.add_exception_handler(UnknownClient, client_not_yet_known)
    plans = app.state.caseload.plans

    async def list_rows_of_older_plans() -> None:
        await backfill_plan_summaries(wiring.engine, plans.get, wiring.rulebooks)

    wiring.on_start(list_rows_of_older_plans)
    app.state.caseload_lists = SqlPlanLists(wiring.engine)
    return app


def collaborators(
    engine: AsyncEngine, rulebooks: RuleBookShelf, clock: Clock, wait_for_clients: float = 0.0
) -> Caseload:
    """The repositories and lookups over the app's engine, the rule books and the clock.

    ``wait_for_clients``: seconds opening a plan waits for an unknown client to arrive.
    """
    return Caseload(
        plans=ServicePlanRepository(engine, rulebooks=rulebooks),
        reports=ResourceAndInformationRepository(engine),
        known_clients=PatientKnownClients(SqlKnownClients(engine), wait_for_clients),
        active_plans=SqlActivePlans(engine),
        directory=SqlPlanDirectory(engine),
        clock=clock,
        rulebooks=rulebooks,
    )
