"""Intake's settings, read from ``INTAKE_*`` environment variables in one place."""

from __future__ import annotations

import base64
import binascii

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from chassis.devmode import DEV_MODE_VARIABLE, InsecureKeyMaterial, dev_mode_enabled
from chassis.settings import ServiceSettings
from services.intake.adapters.key_store import KeyRing

DEV_ONLY_PII_MASTER_KEY = base64.b64encode(b"eocms-dev-only-pii-master-key-32").decode()
"""The public development master key (32 bytes, base64). Refused with production auth."""

DEV_ONLY_SEARCH_INDEX_KEY = base64.b64encode(b"eocms-dev-only-search-index-key!").decode()
"""The public development blind-index key (32 bytes, base64). Refused with production auth."""


class InsecureMasterKey(InsecureKeyMaterial, ValueError):
    """The public development PII master key was configured outside development mode."""


class IntakeSettings(ServiceSettings):
    """Settings of the intake service (env prefix ``INTAKE_``).

    ``INTAKE_PII_MASTER_KEY`` is the base64 of 32 random bytes that wraps each
    client's data key. Its default is public and for development only:
    :meth:`master_key_for` refuses it outside development mode
    (:mod:`chassis.devmode`) and whenever authentication runs in prod mode.
    """

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    service_name: str = "intake"
    pii_master_key: SecretStr = Field(
        default=SecretStr(DEV_ONLY_PII_MASTER_KEY),
        description="Base64 of 32 bytes wrapping every client's data key (AES-GCM). "
        "The default is public: refused outside development mode (EOCMS_DEV_MODE).",
    )
    pii_key_version: int = Field(
        default=1, ge=1, description="Version of the master key, stored beside each wrapped key."
    )
    pii_previous_master_key: SecretStr | None = Field(
        default=None,
        description="During a rotation only: the master key being retired (base64 of 32 bytes). "
        "Data keys still wrapped by it stay readable until `eocms keys rotate` re-wraps them.",
    )
    pii_previous_key_version: int | None = Field(
        default=None, ge=1, description="Version of the master key being retired."
    )
    keystore_database_url: str | None = Field(
        default=None,
        description="Database of the per-client data keys, apart from the data database "
        "(its own backups). Unset: a SQLite file under data_dir; required outside development "
        "mode when INTAKE_DATABASE_URL is set.",
    )

    search_index_key: SecretStr = Field(
        default=SecretStr(DEV_ONLY_SEARCH_INDEX_KEY),
        description="Base64 of 32 bytes: the HMAC key of the client search (blind) index. "
        "Not a data key; the default is public: refused outside development mode (EOCMS_DEV_MODE).",
    )
    search_index_key_id: str = Field(
        default="dev-1", min_length=1, max_length=64, description="Id of the search index key."
    )
    search_index_previous_key: SecretStr | None = Field(
        default=None, description="The key being rotated out; searches try it too."
    )
    search_index_previous_key_id: str = Field(
        default="previous", min_length=1, max_length=64, description="Id of the previous key."
    )

    @field_validator("search_index_key", "search_index_previous_key")
    @classmethod
    def _index_key_thirty_two_bytes(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            _decode_key(value.get_secret_value())
        return value

    def search_index_keys_for(self, *, production: bool = False) -> tuple[tuple[str, bytes], ...]:
        """(id, secret) of the current search index key, then the previous one if set."""
        current = self.search_index_key.get_secret_value()
        if current == DEV_ONLY_SEARCH_INDEX_KEY and (production or not dev_mode_enabled()):
            raise InsecureMasterKey(
                "INTAKE_SEARCH_INDEX_KEY is not set: the default index key is public. Set it to "
                "the base64 of 32 random bytes; for local development only, set "
                f"{DEV_MODE_VARIABLE}=1"
            )
        keys = [(self.search_index_key_id, _decode_key(current))]
        if self.search_index_previous_key is not None:
            previous = self.search_index_previous_key.get_secret_value()
            keys.append((self.search_index_previous_key_id, _decode_key(previous)))
        return tuple(keys)

    @field_validator("pii_master_key", "pii_previous_master_key")
    @classmethod
    def _thirty_two_bytes(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            _decode_key(value.get_secret_value())
        return value

    def key_ring(self, *, production: bool = False) -> KeyRing:
        """The master key (current KEK) and, during a rotation, the one being retired."""
        keys = {self.pii_key_version: self.master_key_for(production=production)}
        if self.pii_previous_master_key is not None:
            previous = self.pii_previous_key_version
            if previous is None or previous == self.pii_key_version:
                raise ValueError(
                    "INTAKE_PII_PREVIOUS_KEY_VERSION must name the retiring key's version, "
                    "different from INTAKE_PII_KEY_VERSION"
                )
            keys[previous] = _decode_key(self.pii_previous_master_key.get_secret_value())
        return KeyRing(self.pii_key_version, keys)

    def resolved_keystore_url(self) -> str:
        """The key store's database URL: configured, else a SQLite file apart from the data."""
        if self.keystore_database_url:
            return self.keystore_database_url
        if self.database_url and not dev_mode_enabled():
            raise InsecureKeyMaterial(
                "INTAKE_KEYSTORE_DATABASE_URL is not set: with INTAKE_DATABASE_URL set, the "
                "per-client keys need a database of their own, so that no backup of the data "
                f"database holds them (for local development only, set {DEV_MODE_VARIABLE}=1)"
            )
        path = (self.data_dir / f"{self.service_name}-keys.db").resolve()
        return f"sqlite+aiosqlite:///{path}"

    @property
    def uses_dev_master_key(self) -> bool:
        """Whether the master key is still the public development default."""
        return self.pii_master_key.get_secret_value() == DEV_ONLY_PII_MASTER_KEY

    def master_key_for(self, *, production: bool = False) -> bytes:
        """The master key's 32 bytes; the public default only in development mode.

        ``production`` refuses the default even in development mode (prod auth).
        """
        if self.uses_dev_master_key and (production or not dev_mode_enabled()):
            raise InsecureMasterKey(
                "INTAKE_PII_MASTER_KEY is not set: the default master key is public. Set it "
                "to the base64 of 32 random bytes (`openssl rand -base64 32`); for local "
                f"development only, set {DEV_MODE_VARIABLE}=1"
            )
        return _decode_key(self.pii_master_key.get_secret_value())


def _decode_key(text: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the PII master key must be base64") from None
    if len(key) != 32:
        raise ValueError("the PII master key must be 32 bytes (base64 of 32 random bytes)")
    return key
