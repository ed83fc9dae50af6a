"""AES-GCM envelope encryption: a data key per client, wrapped by the master key.

Both layers bind ``client_id`` as associated data, so a ciphertext or wrapped
key copied onto another client's row fails to decrypt.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NONCE_BYTES = 12


class PersonalDataUnreadable(Exception):
    """Stored personal data failed authentication: wrong key, wrong client or tampering."""


@dataclass(frozen=True, slots=True)
class Sealed:
    """A nonce and the AES-GCM ciphertext (with tag) it was sealed under."""

    nonce: bytes
    ciphertext: bytes


def new_data_key() -> bytes:
    """A fresh random 256-bit data key."""
    return AESGCM.generate_key(bit_length=256)


def seal(key: bytes, client_id: UUID, plaintext: bytes) -> Sealed:
    """Encrypt ``plaintext`` under ``key``, bound to ``client_id``."""
    nonce = os.urandom(NONCE_BYTES)
    return Sealed(nonce, AESGCM(key).encrypt(nonce, plaintext, client_id.bytes))


def unseal(key: bytes, client_id: UUID, sealed: Sealed) -> bytes:
    """Decrypt what :func:`seal` produced; PersonalDataUnreadable if anything differs."""
    try:
        return AESGCM(key).decrypt(sealed.nonce, sealed.ciphertext, client_id.bytes)
    except InvalidTag:
        raise PersonalDataUnreadable(f"personal data of client {client_id} is unreadable") from None


def wrap_key(master_key: bytes, client_id: UUID, data_key: bytes) -> bytes:
    """The data key sealed by the master key, as one blob (nonce then ciphertext)."""
    sealed = seal(master_key, client_id, data_key)
    return sealed.nonce + sealed.ciphertext


def unwrap_key(master_key: bytes, client_id: UUID, wrapped: bytes) -> bytes:
    """The data key from a blob made by :func:`wrap_key`."""
    sealed = Sealed(wrapped[:NONCE_BYTES], wrapped[NONCE_BYTES:])
    return unseal(master_key, client_id, sealed)
