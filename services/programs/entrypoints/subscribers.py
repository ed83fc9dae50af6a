"""Programs' event subscribers: the projection of intake's registrations."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

import contracts.intake  # noqa: F401  (registers intake's event schemas)
from chassis.consumer import ConsumerOptions, ProjectionRunner
from chassis.settings import KafkaSettings
from contracts.registry import DEFAULT_REGISTRY
from services.programs.adapters.known_clients_projection import KnownClientsProjection
from services.programs.settings import ProgramsSettings


def known_clients_runner(
    *,
    engine: AsyncEngine,
    settings: ProgramsSettings,
    kafka: KafkaSettings,
    bootstrap_servers: str,
    local_broker: bool,
) -> ProjectionRunner:
    """An unstarted runner feeding ``known_clients`` from ``eocms.intake.events``."""
    return ProjectionRunner(
        KnownClientsProjection(name=settings.known_clients_group),
        engine=engine,
        bootstrap_servers=bootstrap_servers,
        registry=DEFAULT_REGISTRY,
        enable_idempotence=kafka.idempotence_for(local_broker),
        options=ConsumerOptions(
            topic_partitions=kafka.topic_partitions, client_id=f"{kafka.client_id}-programs"
        ),
    )


def projections(settings: ProgramsSettings | None = None) -> list[KnownClientsProjection]:
    """Every projection programs runs (the AsyncAPI document lists their consumer groups)."""
    settings = settings or ProgramsSettings()
    return [KnownClientsProjection(name=settings.known_clients_group)]
