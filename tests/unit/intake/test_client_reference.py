"""Client reference numbers and the normalised search terms."""

from __future__ import annotations

import uuid

from services.intake.domain.reference import client_reference, normalise_reference
from services.intake.domain.search_terms import normalise_name

CLIENT = uuid.UUID("329b7760-5a8e-5eb3-8005-5cc9f01fc045")


def test_a_reference_is_stable_grouped_and_prefixed() -> None:
    reference = client_reference(CLIENT)
    assert reference == client_reference(CLIENT)
    assert reference.startswith("EO-") and [len(p) for p in reference.split("-")] == [2, 4, 4, 3]


def test_a_typed_reference_is_forgiven_case_spaces_and_look_alikes() -> None:
    reference = client_reference(CLIENT)
    assert normalise_reference(reference.lower().replace("-", " ")) == reference
    assert normalise_reference(reference.replace("EO-", "")) == reference
    with_look_alikes = reference[:3] + reference[3:].replace("0", "o").replace("1", "l")
    assert normalise_reference(with_look_alikes) == reference


def test_every_single_mistyped_character_is_caught() -> None:
    reference = client_reference(CLIENT)
    compact = reference.replace("-", "")[2:]
    for position in range(len(compact)):
        for char in "0123456789ABCDEFGHJKMNPQRSTVWXYZ":
            if char != compact[position]:
                typo = compact[:position] + char + compact[position + 1 :]
                assert normalise_reference(typo) is None, typo


def test_garbage_is_not_a_reference() -> None:
    assert normalise_reference("") is None
    assert normalise_reference("EO-????-????-???") is None


def test_names_are_compared_without_accents_case_or_punctuation() -> None:
    assert normalise_name("Élise  O'Brien-Tremblay") == "elise obrien tremblay"
    assert normalise_name("ELISE obrien   TREMBLAY") == "elise obrien tremblay"
