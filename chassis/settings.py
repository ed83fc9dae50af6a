"""Settings read from the environment, in one place per service.

Each service subclasses :class:`ServiceSettings` with its own ``env_prefix``
(``INTAKE_``, ``CASELOAD_`` ...), so ``INTAKE_DATABASE_URL`` configures intake's
store. Kafka settings are shared: ``KAFKA_BOOTSTRAP_SERVERS`` selects a cluster;
without it the local broker is started. Every default is safe for local use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class KafkaSettings(BaseSettings):
    """Where the event bus is and how producers talk to it."""

    model_config = SettingsConfigDict(env_prefix="KAFKA_", extra="ignore")

    bootstrap_servers: str | None = Field(
        default=None,
        description="Comma-separated host:port list of an existing cluster. "
        "Unset: the project starts its local Kafka-protocol broker.",
    )
    enable_idempotence: bool | None = Field(
        default=None,
        description="Idempotent producer. Unset: on for a configured cluster, off for the "
        "local broker (it rejects idempotent producers).",
    )
    topic_partitions: int = Field(
        default=3, ge=1, description="Partitions when the project creates a topic itself."
    )
    client_id: str = Field(default="eocms")

    def idempotence_for(self, local_broker: bool) -> bool:
        """Whether producers enable idempotence against this broker."""
        if self.enable_idempotence is not None:
            return self.enable_idempotence
        return not local_broker


class ServiceSettings(BaseSettings):
    """Settings common to every service; subclasses set the env prefix."""

    model_config = SettingsConfigDict(env_prefix="EOCMS_", extra="ignore")

    service_name: str = "eocms"
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy async URL of the service's own database "
        "(postgresql+asyncpg://... in production). Unset: a SQLite file under data_dir.",
    )
    data_dir: Path = Field(
        default=Path(".eocms-data"), description="Where embedded SQLite files are kept."
    )
    log_level: str = Field(default="INFO")
    log_format: Literal["auto", "json", "console"] = Field(
        default="auto", description="auto: console on a terminal, JSON otherwise."
    )
    relay_batch_size: int = Field(default=1000, ge=1, description="Outbox rows per relay batch.")
    relay_poll_interval_s: float = Field(
        default=0.05, gt=0, description="Relay sleep when the outbox is empty."
    )

    def resolved_database_url(self) -> str:
        """The configured database URL, or the embedded SQLite default."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / f'{self.service_name}.db').resolve()}"
