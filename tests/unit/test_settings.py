"""Settings: safe local defaults, environment overrides, idempotence per broker."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic_settings import SettingsConfigDict

from chassis.settings import KafkaSettings, ServiceSettings


class IntakeLikeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")
    service_name: str = "intake"


def test_without_a_database_url_a_service_uses_a_sqlite_file_in_its_data_dir(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("INTAKE_DATABASE_URL", raising=False)
    monkeypatch.setenv("INTAKE_DATA_DIR", str(tmp_path))
    url = IntakeLikeSettings().resolved_database_url()
    assert url == f"sqlite+aiosqlite:///{tmp_path.resolve() / 'intake.db'}"


def test_a_service_database_url_comes_from_its_own_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("INTAKE_DATABASE_URL", "postgresql+asyncpg://db/intake")
    monkeypatch.setenv("CASELOAD_DATABASE_URL", "postgresql+asyncpg://db/caseload")
    assert IntakeLikeSettings().resolved_database_url() == "postgresql+asyncpg://db/intake"


def test_kafka_defaults_to_the_local_broker_with_idempotence_off(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KAFKA_BOOTSTRAP_SERVERS", raising=False)
    monkeypatch.delenv("KAFKA_ENABLE_IDEMPOTENCE", raising=False)
    settings = KafkaSettings()
    assert settings.bootstrap_servers is None
    assert settings.idempotence_for(local_broker=True) is False
    assert settings.idempotence_for(local_broker=False) is True


def test_idempotence_can_be_forced_either_way(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9092,kafka-2:9092")
    monkeypatch.setenv("KAFKA_ENABLE_IDEMPOTENCE", "false")
    settings = KafkaSettings()
    assert settings.bootstrap_servers == "kafka-1:9092,kafka-2:9092"
    assert settings.idempotence_for(local_broker=False) is False


def test_invalid_settings_are_refused_with_the_field_named(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_TOPIC_PARTITIONS", "0")
    with pytest.raises(ValueError, match="topic_partitions"):
        KafkaSettings()
