"""Kafka client security: the one place settings become TLS and SASL client options.

:class:`KafkaSecurity` is built from :class:`~chassis.settings.KafkaSettings`
once, at a composition root, and handed to every client factory:

- :meth:`KafkaSecurity.aiokafka_options` for aiokafka producers, consumers and
  admin clients (``security_protocol``, ``ssl_context``, ``sasl_*``);
- :meth:`KafkaSecurity.faststream_security` for FastStream's
  ``KafkaBroker(security=...)``.

PLAINTEXT (the default, and the only protocol of the local broker) gives no
options at all, so clients are built exactly as without security.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from ssl import SSLContext
from typing import Any

from aiokafka.helpers import create_ssl_context
from faststream.security import BaseSecurity, SASLPlaintext, SASLScram256, SASLScram512
from pydantic import SecretStr

from chassis.settings import KafkaSettings, SaslMechanism, SecurityProtocol

_FASTSTREAM_SASL: dict[str, type[SASLPlaintext | SASLScram256 | SASLScram512]] = {
    "PLAIN": SASLPlaintext,
    "SCRAM-SHA-256": SASLScram256,
    "SCRAM-SHA-512": SASLScram512,
}


class KafkaSecurityError(ValueError):
    """The security settings cannot be used (missing credentials, absent files)."""


@dataclass(frozen=True, slots=True)
class SaslCredentials:
    """A SASL mechanism with its user name and password (the password stays a secret)."""

    mechanism: SaslMechanism
    username: str
    password: SecretStr


@dataclass(frozen=True, slots=True)
class TlsFiles:
    """The PEM files a TLS connection uses; ``None`` CA means the system trust store."""

    cafile: Path | None = None
    certfile: Path | None = None
    keyfile: Path | None = None

    def check_exist(self) -> None:
        """Raise :class:`KafkaSecurityError` naming every configured file that is absent."""
        absent = [
            f"KAFKA_SSL_{name.upper()}={path}"
            for name in ("cafile", "certfile", "keyfile")
            if (path := getattr(self, name)) is not None and not path.is_file()
        ]
        if absent:
            raise KafkaSecurityError(f"Kafka TLS file not found: {', '.join(absent)}")

    def ssl_context(self) -> SSLContext:
        """A client context that verifies the broker's certificate and host name."""
        return create_ssl_context(cafile=self.cafile, certfile=self.certfile, keyfile=self.keyfile)


@dataclass(frozen=True, slots=True)
class KafkaSecurity:
    """How every Kafka client of a process connects and authenticates.

    ``tls`` is set for SSL and SASL_SSL, ``sasl`` for SASL_PLAINTEXT and
    SASL_SSL. Build it with :meth:`from_settings` (which checks the TLS files
    exist) or :meth:`plaintext`.
    """

    protocol: SecurityProtocol = "PLAINTEXT"
    sasl: SaslCredentials | None = None
    tls: TlsFiles | None = None

    def __post_init__(self) -> None:
        uses_tls = self.protocol in ("SSL", "SASL_SSL")
        uses_sasl = self.protocol in ("SASL_PLAINTEXT", "SASL_SSL")
        if uses_sasl != (self.sasl is not None):
            raise KafkaSecurityError(
                f"{self.protocol}: SASL credentials are {'required' if uses_sasl else 'not used'}"
            )
        if uses_tls != (self.tls is not None):
            raise KafkaSecurityError(
                f"{self.protocol}: TLS files are {'required' if uses_tls else 'not used'}"
            )
        if self.tls is not None:
            self.tls.check_exist()

    @classmethod
    def plaintext(cls) -> KafkaSecurity:
        """No TLS, no authentication: the local broker and development clusters."""
        return cls()

    @classmethod
    def from_settings(cls, settings: KafkaSettings) -> KafkaSecurity:
        """The security the settings describe (settings its protocol does not use are ignored)."""
        sasl = None
        if settings.uses_sasl:
            # KafkaSettings already refused SASL_* without these three.
            assert settings.sasl_mechanism and settings.sasl_username and settings.sasl_password
            sasl = SaslCredentials(
                settings.sasl_mechanism, settings.sasl_username, settings.sasl_password
            )
        tls = None
        if settings.uses_tls:
            tls = TlsFiles(settings.ssl_cafile, settings.ssl_certfile, settings.ssl_keyfile)
        return cls(settings.security_protocol, sasl, tls)

    @classmethod
    def for_cluster(cls, settings: KafkaSettings, *, local_broker: bool) -> KafkaSecurity:
        """The settings' security for a configured cluster; PLAINTEXT for the local broker."""
        return cls.plaintext() if local_broker else cls.from_settings(settings)

    @property
    def is_plaintext(self) -> bool:
        """Whether clients connect without TLS and without authentication."""
        return self.protocol == "PLAINTEXT"

    def aiokafka_options(self) -> dict[str, Any]:
        """Keyword arguments for an aiokafka producer, consumer or admin client.

        Empty for PLAINTEXT. Each call builds a fresh ``SSLContext`` (reading
        the PEM files then), so a rotated certificate is picked up by clients
        created later.
        """
        if self.is_plaintext:
            return {}
        options: dict[str, Any] = {"security_protocol": self.protocol}
        if self.tls is not None:
            options["ssl_context"] = self.tls.ssl_context()
        if self.sasl is not None:
            options["sasl_mechanism"] = self.sasl.mechanism
            options["sasl_plain_username"] = self.sasl.username
            options["sasl_plain_password"] = self.sasl.password.get_secret_value()
        return options

    def faststream_security(self) -> BaseSecurity | None:
        """The ``security=`` of FastStream's ``KafkaBroker``; ``None`` for PLAINTEXT."""
        if self.is_plaintext:
            return None
        ssl_context = self.tls.ssl_context() if self.tls is not None else None
        if self.sasl is None:
            return BaseSecurity(ssl_context=ssl_context)
        sasl_class = _FASTSTREAM_SASL[self.sasl.mechanism]
        return sasl_class(
            self.sasl.username,
            self.sasl.password.get_secret_value(),
            ssl_context=ssl_context,
            use_ssl=self.tls is not None,
        )


def security_options(security: KafkaSecurity | None) -> dict[str, Any]:
    """aiokafka options of ``security``; none for ``None`` (PLAINTEXT)."""
    return security.aiokafka_options() if security is not None else {}
