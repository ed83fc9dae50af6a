"""Reporting's event subscribers: the facts projection over intake, caseload and programs."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from chassis.broker.security import KafkaSecurity
from chassis.consumer import ConsumerOptions, ProjectionRunner
from chassis.settings import KafkaSettings
from contracts.registry import DEFAULT_REGISTRY
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.settings import ReportingSettings


def facts_runner(
    *,
    engine: AsyncEngine,
    settings: ReportingSettings,
    kafka: KafkaSettings,
    bootstrap_servers: str,
    local_broker: bool,
) -> ProjectionRunner:
    """An unstarted runner feeding the fact tables."""
    return ProjectionRunner(
        FactsProjection(name=settings.facts_group),
        engine=engine,
        bootstrap_servers=bootstrap_servers,
        registry=DEFAULT_REGISTRY,
        enable_idempotence=kafka.idempotence_for(local_broker),
        security=KafkaSecurity.for_cluster(kafka, local_broker=local_broker),
        options=ConsumerOptions(
            topic_partitions=kafka.topic_partitions, client_id=f"{kafka.client_id}-reporting"
        ),
    )


def projections(settings: ReportingSettings | None = None) -> list[FactsProjection]:
    """Every projection reporting runs (the AsyncAPI document lists their consumer groups)."""
    settings = settings or ReportingSettings()
    return [FactsProjection(name=settings.facts_group)]
