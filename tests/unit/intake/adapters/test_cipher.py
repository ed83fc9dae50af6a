"""Envelope encryption: round trip, wrong keys and other clients' rows fail."""

from __future__ import annotations

import uuid

import pytest

from services.intake.adapters.cipher import (
    PersonalDataUnreadable,
    Sealed,
    new_data_key,
    seal,
    unseal,
    unwrap_key,
    wrap_key,
)

CLIENT = uuid.uuid4()
OTHER_CLIENT = uuid.uuid4()


def test_sealed_data_opens_with_the_same_key_and_client() -> None:
    key = new_data_key()
    assert unseal(key, CLIENT, seal(key, CLIENT, b"Zorawelle")) == b"Zorawelle"


def test_the_ciphertext_does_not_contain_the_plaintext() -> None:
    sealed = seal(new_data_key(), CLIENT, b"Zorawelle")
    assert b"Zorawelle" not in sealed.ciphertext


def test_a_wrong_key_fails() -> None:
    sealed = seal(new_data_key(), CLIENT, b"Zorawelle")
    with pytest.raises(PersonalDataUnreadable):
        unseal(new_data_key(), CLIENT, sealed)


def test_associated_data_binds_the_ciphertext_to_its_client() -> None:
    key = new_data_key()
    with pytest.raises(PersonalDataUnreadable):
        unseal(key, OTHER_CLIENT, seal(key, CLIENT, b"Zorawelle"))


def test_tampering_is_detected() -> None:
    key = new_data_key()
    sealed = seal(key, CLIENT, b"Zorawelle")
    flipped = bytes([sealed.ciphertext[0] ^ 1]) + sealed.ciphertext[1:]
    with pytest.raises(PersonalDataUnreadable):
        unseal(key, CLIENT, Sealed(sealed.nonce, flipped))


def test_a_wrapped_data_key_unwraps_only_with_its_master_key_and_client() -> None:
    master, data_key = new_data_key(), new_data_key()
    wrapped = wrap_key(master, CLIENT, data_key)

    assert unwrap_key(master, CLIENT, wrapped) == data_key
    with pytest.raises(PersonalDataUnreadable):
        unwrap_key(new_data_key(), CLIENT, wrapped)
    with pytest.raises(PersonalDataUnreadable):
        unwrap_key(master, OTHER_CLIENT, wrapped)


def test_each_seal_uses_a_fresh_nonce() -> None:
    key = new_data_key()
    assert seal(key, CLIENT, b"x").nonce != seal(key, CLIENT, b"x").nonce
