"""Settings read from the environment, in one place per service.

Each service subclasses :class:`ServiceSettings` with its own ``env_prefix``
(``INTAKE_``, ``CASELOAD_`` ...), so ``INTAKE_DATABASE_URL`` configures intake's
store. Kafka settings are shared: ``KAFKA_BOOTSTRAP_SERVERS`` selects a cluster;
without it the local broker is started. Every default is safe for local use.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from chassis.eventstore.limits import DEFAULT_MAX_RECORD_BYTES, RECORD_OVERHEAD_BYTES

SecurityProtocol = Literal["PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL"]
"""How Kafka clients connect: TLS or not, SASL authentication or not."""

SaslMechanism = Literal["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]
"""The SASL mechanisms the clients support (Strimzi's user authentication is SCRAM-SHA-512)."""


class KafkaSettings(BaseSettings):
    """Where the event bus is, how clients connect and authenticate, how producers behave.

    The security fields are turned into client options in one place,
    :class:`chassis.broker.security.KafkaSecurity`. The password is a
    ``SecretStr``: it never appears in ``repr`` or logs.
    """

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
    max_record_bytes: int = Field(
        default=DEFAULT_MAX_RECORD_BYTES,
        gt=RECORD_OVERHEAD_BYTES,
        description="Largest record the cluster accepts (its max.message.bytes, or less). "
        "A command whose event would not fit is refused with 413 and stores nothing.",
    )
    client_id: str = Field(default="eocms", description="Client id the cluster sees.")
    security_protocol: SecurityProtocol = Field(
        default="PLAINTEXT",
        description="PLAINTEXT, SSL (TLS), SASL_PLAINTEXT or SASL_SSL (TLS + SASL). "
        "The local broker is PLAINTEXT only.",
    )
    sasl_mechanism: SaslMechanism | None = Field(
        default=None,
        description="PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512; required with SASL_*.",
    )
    sasl_username: str | None = Field(
        default=None, description="SASL user name; required with SASL_*."
    )
    sasl_password: SecretStr | None = Field(
        default=None, description="SASL password; required with SASL_*. Never logged."
    )
    ssl_cafile: Path | None = Field(
        default=None,
        description="PEM bundle of the cluster CA (SSL, SASL_SSL). Unset: the system trust store.",
    )
    ssl_certfile: Path | None = Field(
        default=None,
        description="PEM client certificate for mutual TLS (SSL, SASL_SSL); needs ssl_keyfile.",
    )
    ssl_keyfile: Path | None = Field(
        default=None, description="PEM private key of ssl_certfile (mutual TLS)."
    )

    @field_validator(
        "sasl_mechanism",
        "sasl_username",
        "sasl_password",
        "ssl_cafile",
        "ssl_certfile",
        "ssl_keyfile",
        mode="before",
    )
    @classmethod
    def _empty_means_unset(cls, value: object) -> object:
        """An empty variable (``KAFKA_SSL_CAFILE=``) means the setting is not used."""
        return None if value == "" else value

    @model_validator(mode="after")
    def _security_is_complete(self) -> KafkaSettings:
        """SASL needs a mechanism and credentials; mutual TLS needs certificate and key.

        Whether the files exist is checked where they are read, when the
        clients' options are built (:class:`chassis.broker.security.KafkaSecurity`),
        so manifests naming a mounted path still parse elsewhere.
        """
        if self.uses_sasl:
            missing = [
                f"KAFKA_{name.upper()}"
                for name in ("sasl_mechanism", "sasl_username", "sasl_password")
                if not getattr(self, name)
            ]
            if missing:
                raise ValueError(
                    f"KAFKA_SECURITY_PROTOCOL={self.security_protocol} needs {', '.join(missing)}"
                )
        if (self.ssl_certfile is None) != (self.ssl_keyfile is None):
            raise ValueError("mutual TLS needs both KAFKA_SSL_CERTFILE and KAFKA_SSL_KEYFILE")
        return self

    @property
    def uses_tls(self) -> bool:
        """Whether clients connect over TLS."""
        return self.security_protocol in ("SSL", "SASL_SSL")

    @property
    def uses_sasl(self) -> bool:
        """Whether clients authenticate with SASL."""
        return self.security_protocol in ("SASL_PLAINTEXT", "SASL_SSL")

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
    time_zone: str = Field(
        default="America/Toronto",
        description="IANA time zone of the sites: what 'today' is for the service's rules "
        "(no future dates, year to date).",
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


class ConsumerSettings(BaseSettings):
    """How a service judges its consumers' health (``CONSUMER_*`` variables)."""

    model_config = SettingsConfigDict(env_prefix="CONSUMER_", extra="ignore")

    parked_degraded_after_s: float = Field(
        default=300.0,
        gt=0,
        description="Readiness reports 'degraded' once a parked event has waited this long.",
    )
