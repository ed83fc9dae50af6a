"""Programs' event subscribers: projections of intake's registrations and caseload's plans."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

import contracts.intake  # noqa: F401  (registers intake's event schemas)
from chassis.broker.security import KafkaSecurity
from chassis.consumer import ConsumerOptions, Projection, ProjectionRunner
from chassis.settings import KafkaSettings
from contracts.registry import DEFAULT_REGISTRY
from services.programs.adapters.known_clients_projection import KnownClientsProjection
from services.programs.adapters.service_plans_projection import ServicePlansProjection
from services.programs.settings import ProgramsSettings


def projections(settings: ProgramsSettings | None = None) -> list[Projection]:
    """Every projection programs runs (the AsyncAPI document lists their consumer groups)."""
    settings = settings or ProgramsSettings()
    return [
        KnownClientsProjection(name=settings.known_clients_group),
        ServicePlansProjection(name=settings.service_plans_group),
    ]


def projection_runners(
    *,
    engine: AsyncEngine,
    settings: ProgramsSettings,
    kafka: KafkaSettings,
    bootstrap_servers: str,
    local_broker: bool,
) -> list[ProjectionRunner]:
    """Unstarted runners, one consumer group each, for every projection of ``projections``."""
    return [
        ProjectionRunner(
            projection,
            engine=engine,
            bootstrap_servers=bootstrap_servers,
            registry=DEFAULT_REGISTRY,
            enable_idempotence=kafka.idempotence_for(local_broker),
            security=KafkaSecurity.for_cluster(kafka, local_broker=local_broker),
            options=ConsumerOptions(
                topic_partitions=kafka.topic_partitions, client_id=f"{kafka.client_id}-programs"
            ),
        )
        for projection in projections(settings)
    ]
