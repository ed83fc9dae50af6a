"""Intake's composition root: the one place that builds its app and collaborators.

``create_app`` composes the chassis's service wiring (:mod:`chassis.wiring`)
and makes no connection: the engine connects and migrations run in the app's
lifespan, and the outbox relay starts in the background once HTTP serves; all
of it is closed on shutdown. "Today" is read in ``INTAKE_TIME_ZONE``. Without
``KAFKA_BOOTSTRAP_SERVERS`` (or with ``run_relay=False``) the app serves HTTP
while events wait in the outbox for a relay.
"""

from __future__ import annotations

from fastapi import FastAPI

from chassis.database import create_engine
from chassis.http import AuthSettings
from chassis.settings import KafkaSettings
from chassis.wiring import ServiceWiring
from contracts.topics import INTAKE_EVENTS
from services.intake import domain
from services.intake.adapters import (
    MIGRATIONS,
    ClientDirectory,
    ClientKeyStore,
    ClientRepository,
    PersonalDataReadLog,
    PersonalDataVault,
)
from services.intake.adapters.legacy_keys import move_legacy_keys
from services.intake.adapters.search_index import ClientSearchIndex, IndexKey
from services.intake.app import NoRuleBookForDate, UnknownClient
from services.intake.entrypoints import audit_routes, erasure_routes, http, search
from services.intake.entrypoints.dependencies import IntakeContext
from services.intake.settings import IntakeSettings

DESCRIPTION = (
    "Client registration, profile, suitability and eligibility for Employment Service. "
    "Personal details are encrypted per client and never published."
)

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


def create_app(
    settings: IntakeSettings | None = None,
    kafka: KafkaSettings | None = None,
    *,
    auth: AuthSettings | None = None,
    local_broker: bool = False,
    run_relay: bool = True,
) -> FastAPI:
    """Intake's FastAPI app, wired; connections open in its lifespan.

    ``kafka`` defaults to the ``KAFKA_*`` environment. ``local_broker`` says
    the configured bootstrap servers are the project's local broker (no
    idempotent producer). ``run_relay=False`` leaves events in the outbox for
    a separately run relay.
    """
    settings = settings or IntakeSettings()
    auth = auth or AuthSettings()
    key_ring = settings.key_ring(production=auth.mode == "prod")
    key_store = ClientKeyStore(create_engine(settings.resolved_keystore_url()), key_ring)
    vault = PersonalDataVault(key_store)
    wiring = ServiceWiring(
        settings, kafka or KafkaSettings(), local_broker=local_broker, migrations=[MIGRATIONS]
    )
    wiring.on_start(key_store.open)

    async def adopt_legacy_keys() -> None:
        """Keys of the first schema move from the data database to the key store."""
        await move_legacy_keys(wiring.engine, key_store)

    wiring.on_start(adopt_legacy_keys)
    wiring.on_stop(key_store.close)
    if run_relay:
        wiring.publish(topics=[INTAKE_EVENTS])
    app = wiring.create_app(
        title="EOCMS Intake",
        description=DESCRIPTION,
        auth=auth,
        routers=[http.router, search.router, erasure_routes.router, audit_routes.router],
        domain_errors=DOMAIN_ERRORS,
    )
    search_index = search_index_for(settings, production=auth.mode == "prod")
    app.state.intake = IntakeContext(
        engine=wiring.engine,
        repository=ClientRepository(wiring.engine, vault, search_index=search_index),
        directory=ClientDirectory(wiring.engine),
        vault=vault,
        rulebooks=wiring.rulebooks,
        today=wiring.clock,
        search_index=search_index,
        read_log=PersonalDataReadLog(wiring.engine),
    )
    return app


def search_index_for(settings: IntakeSettings, *, production: bool) -> ClientSearchIndex:
    """The blind index with the configured current (and previous) HMAC key."""
    keys = [
        IndexKey(key_id, secret)
        for key_id, secret in settings.search_index_keys_for(production=production)
    ]
    return ClientSearchIndex(*keys)
