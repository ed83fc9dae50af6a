"""Intake's settings, read from ``INTAKE_*`` environment variables in one place."""

from __future__ import annotations

import base64
import binascii

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from chassis.settings import ServiceSettings

DEV_ONLY_PII_MASTER_KEY = base64.b64encode(b"eocms-dev-only-pii-master-key-32").decode()
"""The public development master key (32 bytes, base64). Refused with production auth."""

DEV_ONLY_SEARCH_INDEX_KEY = base64.b64encode(b"eocms-dev-only-search-index-key!").decode()
"""The public development blind-index key (32 bytes, base64). Refused with production auth."""


class InsecureMasterKey(ValueError):
    """The development PII master key was configured for a production deployment."""


class IntakeSettings(ServiceSettings):
    """Settings of the intake service (env prefix ``INTAKE_``).

    ``INTAKE_PII_MASTER_KEY`` is the base64 of 32 random bytes that wraps each
    client's data key. Its default is public and for development only:
    :meth:`master_key_for` refuses it when authentication runs in prod mode.
    """

    model_config = SettingsConfigDict(env_prefix="INTAKE_", extra="ignore")

    service_name: str = "intake"
    pii_master_key: SecretStr = Field(
        default=SecretStr(DEV_ONLY_PII_MASTER_KEY),
        description="Base64 of 32 bytes wrapping every client's data key (AES-GCM). "
        "The default is public: development only, refused when AUTH_MODE=prod.",
    )
    pii_key_version: int = Field(
        default=1, ge=1, description="Version of the master key, stored beside each ciphertext."
    )

    search_index_key: SecretStr = Field(
        default=SecretStr(DEV_ONLY_SEARCH_INDEX_KEY),
        description="Base64 of 32 bytes: the HMAC key of the client search (blind) index. "
        "Not a data key; the default is public: development only, refused when AUTH_MODE=prod.",
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

    def search_index_keys_for(self, *, production: bool) -> tuple[tuple[str, bytes], ...]:
        """(id, secret) of the current search index key, then the previous one if set."""
        current = self.search_index_key.get_secret_value()
        if production and current == DEV_ONLY_SEARCH_INDEX_KEY:
            raise InsecureMasterKey(
                "AUTH_MODE=prod needs INTAKE_SEARCH_INDEX_KEY: the default index key is public"
            )
        keys = [(self.search_index_key_id, _decode_key(current))]
        if self.search_index_previous_key is not None:
            previous = self.search_index_previous_key.get_secret_value()
            keys.append((self.search_index_previous_key_id, _decode_key(previous)))
        return tuple(keys)

    @field_validator("pii_master_key")
    @classmethod
    def _thirty_two_bytes(cls, value: SecretStr) -> SecretStr:
        _decode_key(value.get_secret_value())
        return value

    @property
    def uses_dev_master_key(self) -> bool:
        """Whether the master key is still the public development default."""
        return self.pii_master_key.get_secret_value() == DEV_ONLY_PII_MASTER_KEY

    def master_key_for(self, *, production: bool) -> bytes:
        """The master key's 32 bytes; the public default is refused in production."""
        if production and self.uses_dev_master_key:
            raise InsecureMasterKey(
                "AUTH_MODE=prod needs INTAKE_PII_MASTER_KEY: the default master key is public"
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
