"""The Idempotency-Key header: what a valid key looks like."""

from __future__ import annotations

import pytest

from chassis.http import ProblemException, id_for_idempotency_key
from chassis.http.idempotency import parse_idempotency_key


def test_a_plain_or_quoted_key_is_accepted() -> None:
    assert parse_idempotency_key("8e03978e-40d5") == "8e03978e-40d5"
    assert parse_idempotency_key('"8e03978e-40d5"') == "8e03978e-40d5"


def test_a_missing_key_is_a_missing_key_problem() -> None:
    with pytest.raises(ProblemException) as refused:
        parse_idempotency_key(None)
    assert (refused.value.problem.status, refused.value.problem.uri) == (
        400,
        "/problems/idempotency-key-missing",
    )


@pytest.mark.parametrize("value", ["", '""', "k" * 256, "caf\u00e9", "tab\there"])
def test_empty_overlong_or_unprintable_keys_are_invalid(value: str) -> None:
    with pytest.raises(ProblemException) as refused:
        parse_idempotency_key(value)
    assert refused.value.problem.uri == "/problems/idempotency-key-invalid"


def test_the_id_derived_from_a_key_is_stable_and_scoped_to_the_principal() -> None:
    assert id_for_idempotency_key("alice", "k1") == id_for_idempotency_key("alice", "k1")
    assert id_for_idempotency_key("alice", "k1") != id_for_idempotency_key("bob", "k1")
