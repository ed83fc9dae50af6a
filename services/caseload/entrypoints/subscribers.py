"""Caseload's event subscribers: the projection of intake's registrations."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

import contracts.intake  # noqa: F401  (registers intake's event schemas)
from chassis.broker.security import KafkaSecurity
from chassis.consumer import ConsumerOptions, ProjectionRunner
from chassis.settings import KafkaSettings
from contracts.registry import DEFAULT_REGISTRY
from services.caseload.adapters.known_clients_projection import KnownClientsProjection
from services.caseload.settings import CaseloadSettings


def known_clients_runner(
    *,
    engine: AsyncEngine,
    settings: CaseloadSettings,
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
        security=KafkaSecurity.for_cluster(kafka, local_broker=local_broker),
        options=ConsumerOptions(
            topic_partitions=kafka.topic_partitions, client_id=f"{kafka.client_id}-caseload"
        ),
    )


def projections(settings: CaseloadSettings | None = None) -> list[KnownClientsProjection]:
    """Every projection caseload runs (the AsyncAPI document lists their consumer groups)."""
    settings = settings or CaseloadSettings()
    return [KnownClientsProjection(name=settings.known_clients_group)]
