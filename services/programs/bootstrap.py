"""Programs' one composition root: ``create_app`` wires settings, store, bus and HTTP.

Nothing is created at import. ``create_app`` composes the chassis's service
wiring (:mod:`chassis.wiring`): the engine (it connects lazily), the app and
its collaborators. The app's lifespan migrates the database and serves; when
a broker is configured, the outbox relay (creating the topics) and the
projections start in the background (intake's registrations; caseload's ES
plans, which say which plans name self-employment for SEB and which referrals
out to Second Career a site's plans recorded). Without a broker the app still
serves HTTP, with a warning: known clients and plans then only come from tests
or tools writing the lookup tables directly.
"""

from __future__ import annotations

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

import contracts.programs  # noqa: F401  (registers programs' event schemas)
from chassis.clock import Clock
from chassis.http import AuthSettings
from chassis.settings import KafkaSettings
from chassis.wiring import ServiceWiring
from contracts.rulebook import RuleBookShelf
from contracts.topics import EVENT_TOPICS
from services.programs.adapters.lookups import (
    SqlApplicationDirectory,
    SqlKnownClients,
    SqlSecondCareerReferrals,
    SqlSelfEmploymentPlans,
)
from services.programs.adapters.migrations import VERSIONS
from services.programs.adapters.repositories import (
    BusinessPlanRepository,
    jcp_projects,
    seb_participations,
    second_career_applications,
)
from services.programs.entrypoints.dependencies import Programs
from services.programs.entrypoints.http import routers
from services.programs.entrypoints.problems import DOMAIN_ERRORS
from services.programs.entrypoints.subscribers import projection_runners
from services.programs.settings import ProgramsSettings

DESCRIPTION = (
    "Ministry-run programs: Second Career applications, Job Creation Partnership projects, "
    "Self-Employment Benefit participations and sites' ES business plans. Money is in "
    "integer cents. Errors are "
    "application/problem+json; every command needs an Idempotency-Key."
)


def create_app(
    settings: ProgramsSettings | None = None,
    kafka: KafkaSettings | None = None,
    *,
    auth: AuthSettings | None = None,
    local_broker: bool = False,
    run_relay: bool = True,
    run_consumers: bool = True,
    clock: Clock | None = None,
) -> FastAPI:
    """Programs' FastAPI app; ``kafka`` with bootstrap servers turns the bus on.

    ``local_broker`` says the servers are the local development broker (no
    idempotent producer); ``run_relay`` and ``run_consumers`` switch the
    outbox relay and the projection runners off; ``clock`` replaces the sites'
    calendar (tests, simulations).
    """
    settings = settings or ProgramsSettings()
    wiring = ServiceWiring(settings, kafka, local_broker=local_broker, migrations=[VERSIONS])
    if run_relay:
        wiring.publish(topics=EVENT_TOPICS.values())
    if run_consumers:
        wiring.project(projection_runners)
    app = wiring.create_app(
        title="EOCMS Programs",
        description=DESCRIPTION,
        auth=auth,
        routers=routers(),
        domain_errors=DOMAIN_ERRORS,
    )
    app.state.programs = collaborators(wiring.engine, wiring.rulebooks, clock or wiring.clock)
    app.state.programs_engine = wiring.engine
    return app


def collaborators(engine: AsyncEngine, rulebooks: RuleBookShelf, clock: Clock) -> Programs:
    """The repositories and lookups over the app's engine, the rule books and the clock."""
    return Programs(
        applications=second_career_applications(engine),
        projects=jcp_projects(engine),
        participations=seb_participations(engine),
        business_plans=BusinessPlanRepository(engine),
        known_clients=SqlKnownClients(engine),
        self_employment_plans=SqlSelfEmploymentPlans(engine),
        second_career_referrals=SqlSecondCareerReferrals(engine),
        directory=SqlApplicationDirectory(engine),
        rulebooks=rulebooks,
        clock=clock,
    )
