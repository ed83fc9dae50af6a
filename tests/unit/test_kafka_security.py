"""Kafka client security: settings validation, client options, and every client factory.

There is no TLS or SASL broker here (the local Kafka-protocol broker speaks
PLAINTEXT only), so these tests check the options each client is built with,
without connecting; no handshake is faked. The readiness check is the one
place a connection is made: against a plain TCP listener, where a TLS
handshake must fail. PLAINTEXT against the real local broker is covered by the
existing consumer, relay and lag integration tests.
"""

from __future__ import annotations

import asyncio
import logging
import os
import ssl
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import certifi
import pytest
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512
from pydantic import SecretStr, ValidationError
from sqlalchemy.ext.asyncio import create_async_engine

from chassis.broker import topics as topics_module
from chassis.broker.producer import create_producer
from chassis.broker.security import KafkaSecurity, KafkaSecurityError, SaslCredentials, TlsFiles
from chassis.consumer import ProjectionRunner
from chassis.consumer import lag as lag_module
from chassis.consumer import producer as record_producer_module
from chassis.consumer.lag import ConsumerLagProbe
from chassis.consumer.producer import KafkaRecordProducer
from chassis.consumer.topic_snapshot import snapshot_consumer
from chassis.http.health import broker_answers
from chassis.settings import KafkaSettings
from contracts.registry import DEFAULT_REGISTRY
from services.reporting.adapters.facts_projection import FactsProjection
from services.reporting.adapters.rebuild_replay import TopicReplay

PASSWORD = "synthetic-pa55word"
SERVERS = "kafka-0.example.invalid:9093"
CA_BUNDLE = Path(certifi.where())


@pytest.fixture(autouse=True)
def no_kafka_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The settings under test come from arguments only, never from the caller's shell."""
    for name in [n for n in os.environ if n.startswith("KAFKA_")]:
        monkeypatch.delenv(name)


def sasl_ssl_settings(**overrides: Any) -> KafkaSettings:
    values: dict[str, Any] = {
        "bootstrap_servers": SERVERS,
        "security_protocol": "SASL_SSL",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_username": "eocms-intake",
        "sasl_password": PASSWORD,
        "ssl_cafile": CA_BUNDLE,
    }
    return KafkaSettings(**(values | overrides))


# --- settings ---------------------------------------------------------------------------


def test_plaintext_is_the_default() -> None:
    settings = KafkaSettings()
    assert settings.security_protocol == "PLAINTEXT"
    assert not settings.uses_tls and not settings.uses_sasl


def test_the_settings_are_read_from_kafka_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    monkeypatch.setenv("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
    monkeypatch.setenv("KAFKA_SASL_USERNAME", "eocms-caseload")
    monkeypatch.setenv("KAFKA_SASL_PASSWORD", PASSWORD)
    monkeypatch.setenv("KAFKA_SSL_CAFILE", str(CA_BUNDLE))
    settings = KafkaSettings()
    assert settings.uses_tls and settings.uses_sasl
    assert settings.sasl_password == SecretStr(PASSWORD)
    assert settings.ssl_cafile == CA_BUNDLE


def test_empty_variables_mean_unset(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("SASL_MECHANISM", "SASL_USERNAME", "SASL_PASSWORD", "SSL_CAFILE"):
        monkeypatch.setenv(f"KAFKA_{name}", "")
    settings = KafkaSettings()
    assert settings.sasl_mechanism is None and settings.sasl_password is None
    assert settings.ssl_cafile is None


@pytest.mark.parametrize("protocol", ["SASL_PLAINTEXT", "SASL_SSL"])
@pytest.mark.parametrize("missing", ["sasl_mechanism", "sasl_username", "sasl_password"])
def test_sasl_needs_mechanism_and_credentials(protocol: str, missing: str) -> None:
    with pytest.raises(ValidationError, match=f"KAFKA_{missing.upper()}"):
        sasl_ssl_settings(security_protocol=protocol, **{missing: None})


def test_an_unknown_protocol_or_mechanism_is_refused() -> None:
    with pytest.raises(ValidationError, match="security_protocol"):
        KafkaSettings(security_protocol="TLS")
    with pytest.raises(ValidationError, match="sasl_mechanism"):
        sasl_ssl_settings(sasl_mechanism="GSSAPI")


def test_mutual_tls_needs_both_certificate_and_key() -> None:
    with pytest.raises(ValidationError, match="KAFKA_SSL_KEYFILE"):
        KafkaSettings(security_protocol="SSL", ssl_certfile=CA_BUNDLE)


def test_absent_tls_files_are_named_when_the_security_is_built(tmp_path: Path) -> None:
    settings = sasl_ssl_settings(ssl_cafile=tmp_path / "missing-ca.crt")
    with pytest.raises(KafkaSecurityError, match=r"KAFKA_SSL_CAFILE=.*missing-ca\.crt"):
        KafkaSecurity.from_settings(settings)


def test_the_password_never_shows_in_repr_str_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    settings = sasl_ssl_settings()
    security = KafkaSecurity.from_settings(settings)
    logging.getLogger("test").warning("settings %r %s %r", settings, settings, security)
    shown = [repr(settings), str(settings), repr(security), str(security), caplog.text]
    shown.append(settings.model_dump_json())
    assert all(PASSWORD not in text for text in shown)
    assert "SCRAM-SHA-512" in repr(security)  # the rest stays visible


# --- options ----------------------------------------------------------------------------


def test_plaintext_gives_no_options() -> None:
    security = KafkaSecurity.from_settings(KafkaSettings(bootstrap_servers=SERVERS))
    assert security.aiokafka_options() == {}
    assert security.faststream_security() is None


def test_sasl_and_tls_settings_are_ignored_without_their_protocol() -> None:
    settings = sasl_ssl_settings(security_protocol="PLAINTEXT")
    assert KafkaSecurity.from_settings(settings).aiokafka_options() == {}


def test_the_local_broker_is_always_plaintext() -> None:
    settings = sasl_ssl_settings()
    assert KafkaSecurity.for_cluster(settings, local_broker=True).is_plaintext
    assert KafkaSecurity.for_cluster(settings, local_broker=False).protocol == "SASL_SSL"


def test_ssl_verifies_the_broker_with_the_given_ca() -> None:
    options = KafkaSecurity.from_settings(
        KafkaSettings(security_protocol="SSL", ssl_cafile=CA_BUNDLE)
    ).aiokafka_options()
    assert set(options) == {"security_protocol", "ssl_context"}
    assert options["security_protocol"] == "SSL"
    context: ssl.SSLContext = options["ssl_context"]
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.get_ca_certs()  # the bundle was loaded


def test_ssl_without_a_ca_file_uses_the_system_trust_store() -> None:
    options = KafkaSecurity.from_settings(KafkaSettings(security_protocol="SSL")).aiokafka_options()
    assert options["ssl_context"].verify_mode == ssl.CERT_REQUIRED


def test_sasl_plaintext_sends_credentials_without_tls() -> None:
    settings = sasl_ssl_settings(security_protocol="SASL_PLAINTEXT", sasl_mechanism="PLAIN")
    assert KafkaSecurity.from_settings(settings).aiokafka_options() == {
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "PLAIN",
        "sasl_plain_username": "eocms-intake",
        "sasl_plain_password": PASSWORD,
    }


def test_sasl_ssl_has_tls_and_credentials() -> None:
    options = KafkaSecurity.from_settings(sasl_ssl_settings()).aiokafka_options()
    assert options["security_protocol"] == "SASL_SSL"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_username"] == "eocms-intake"
    assert options["sasl_plain_password"] == PASSWORD


@pytest.mark.parametrize(
    ("mechanism", "expected"),
    [("PLAIN", SASLPlaintext), ("SCRAM-SHA-256", SASLScram256), ("SCRAM-SHA-512", SASLScram512)],
)
@pytest.mark.parametrize("protocol", ["SASL_PLAINTEXT", "SASL_SSL"])
def test_faststream_security_for_sasl(mechanism: str, expected: type, protocol: str) -> None:
    settings = sasl_ssl_settings(security_protocol=protocol, sasl_mechanism=mechanism)
    security = KafkaSecurity.from_settings(settings).faststream_security()
    assert type(security) is expected
    assert security.username == "eocms-intake" and security.password == PASSWORD
    assert security.use_ssl is (protocol == "SASL_SSL")
    assert (security.ssl_context is not None) is (protocol == "SASL_SSL")


def test_faststream_security_for_ssl_only() -> None:
    settings = KafkaSettings(security_protocol="SSL", ssl_cafile=CA_BUNDLE)
    security = KafkaSecurity.from_settings(settings).faststream_security()
    assert type(security) is BaseSecurity
    assert security.use_ssl and isinstance(security.ssl_context, ssl.SSLContext)


def test_an_inconsistent_security_value_is_refused() -> None:
    credentials = SaslCredentials("PLAIN", "someone", SecretStr(PASSWORD))
    with pytest.raises(KafkaSecurityError, match="SASL credentials are required"):
        KafkaSecurity("SASL_SSL", None, TlsFiles())
    with pytest.raises(KafkaSecurityError, match="TLS files are required"):
        KafkaSecurity("SASL_SSL", credentials, None)
    with pytest.raises(KafkaSecurityError, match="not used"):
        KafkaSecurity("PLAINTEXT", credentials, None)


# --- every client factory passes the options through ------------------------------------


@pytest.fixture
def security() -> KafkaSecurity:
    return KafkaSecurity.from_settings(sasl_ssl_settings())


def assert_client_secured(client: Any) -> None:
    """An aiokafka client (``AIOKafkaClient``) configured for SASL_SSL with SCRAM-SHA-512."""
    assert client._security_protocol == "SASL_SSL"
    assert isinstance(client._ssl_context, ssl.SSLContext)
    assert client._sasl_mechanism == "SCRAM-SHA-512"
    assert client._sasl_plain_username == "eocms-intake"
    assert client._sasl_plain_password == PASSWORD


def assert_options_secured(options: dict[str, Any]) -> None:
    assert options["security_protocol"] == "SASL_SSL"
    assert isinstance(options["ssl_context"], ssl.SSLContext)
    assert options["sasl_mechanism"] == "SCRAM-SHA-512"
    assert options["sasl_plain_password"] == PASSWORD


class Captured(Exception):
    """Raised by a stand-in client class once it has seen its constructor's options."""

    def __init__(self, options: dict[str, Any]) -> None:
        super().__init__("client constructed")
        self.options = options


def capturing_client(*_args: Any, **options: Any) -> None:
    raise Captured(options)


async def test_create_producer_uses_the_settings_security() -> None:
    producer = create_producer(sasl_ssl_settings(), local_broker=False)
    assert_client_secured(producer.client)
    await producer.stop()  # never started: closes nothing but the client object


async def test_create_producer_takes_an_explicit_security(security: KafkaSecurity) -> None:
    producer = create_producer(
        KafkaSettings(bootstrap_servers=SERVERS), local_broker=False, security=security
    )
    assert_client_secured(producer.client)
    await producer.stop()


async def test_create_producer_on_the_local_broker_stays_plaintext() -> None:
    producer = create_producer(
        sasl_ssl_settings(), local_broker=True, bootstrap_servers="127.0.0.1:1"
    )
    assert producer.client._security_protocol == "PLAINTEXT"
    await producer.stop()


async def test_snapshot_consumer(security: KafkaSecurity) -> None:
    consumer = snapshot_consumer(SERVERS, "reporting.facts", security=security)
    assert_client_secured(consumer._client)
    assert snapshot_consumer(SERVERS)._client._security_protocol == "PLAINTEXT"


async def test_topic_replay_of_the_rebuild(security: KafkaSecurity) -> None:
    replay = TopicReplay(SERVERS, ["eocms.intake.events"], security=security)
    assert_client_secured(replay._consumer._client)


async def test_dead_letter_producer(
    security: KafkaSecurity, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(record_producer_module, "AIOKafkaProducer", capturing_client)
    producer = KafkaRecordProducer(SERVERS, enable_idempotence=True, security=security)
    with pytest.raises(Captured) as captured:
        await producer.start()
    assert_options_secured(captured.value.options)


async def test_ensure_topics(security: KafkaSecurity, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(topics_module, "AIOKafkaAdminClient", capturing_client)
    with pytest.raises(Captured) as captured:
        await topics_module.ensure_topics(SERVERS, ["eocms.intake.events"], security=security)
    assert_options_secured(captured.value.options)


async def test_lag_probe_consumer_and_admin(
    security: KafkaSecurity, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(lag_module, "AIOKafkaConsumer", capturing_client)
    with pytest.raises(Captured) as captured:
        await ConsumerLagProbe(SERVERS, security=security).measure("g", ["t"])
    assert_options_secured(captured.value.options)

    monkeypatch.setattr(lag_module, "AIOKafkaAdminClient", capturing_client)
    probe = ConsumerLagProbe(SERVERS, security=security)
    with pytest.raises(Captured) as captured:
        await probe._committed("g", [lag_module.TopicPartition("t", 0)])
    assert_options_secured(captured.value.options)


@pytest.fixture
async def runner(security: KafkaSecurity) -> AsyncIterator[ProjectionRunner]:
    engine = create_async_engine("sqlite+aiosqlite://")  # never used: nothing starts
    yield ProjectionRunner(
        FactsProjection(name="reporting.facts"),
        engine=engine,
        bootstrap_servers=SERVERS,
        registry=DEFAULT_REGISTRY,
        enable_idempotence=True,
        security=security,
    )
    await engine.dispose()


async def test_projection_runner_broker_and_dead_letters(runner: ProjectionRunner) -> None:
    consumer_options = runner.broker.config.broker_config.builder.keywords
    assert_options_secured(consumer_options)
    assert runner._producer is not None
    assert_options_secured(runner._producer._options)


@pytest.fixture
async def plain_tcp_listener() -> AsyncIterator[str]:
    """A TCP listener that accepts and closes: reachable, but it speaks no TLS."""

    async def close(_reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.close()

    server = await asyncio.start_server(close, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    yield f"127.0.0.1:{port}"
    server.close()
    await server.wait_closed()


async def test_readiness_needs_a_metadata_answer_not_only_a_tcp_connection(
    plain_tcp_listener: str,
) -> None:
    with pytest.raises(ConnectionError, match="no bootstrap server answered"):
        await broker_answers(plain_tcp_listener)()
    with pytest.raises(ConnectionError, match="no bootstrap server answered"):
        await broker_answers(plain_tcp_listener, security=KafkaSecurity.plaintext())()


async def test_readiness_with_tls_needs_a_handshake(
    plain_tcp_listener: str, security: KafkaSecurity
) -> None:
    with pytest.raises(ConnectionError, match="no bootstrap server answered"):
        await broker_answers(plain_tcp_listener, security=security)()
