"""What the intake queries return: a client with or without their personal details."""

from __future__ import annotations

from dataclasses import dataclass

from services.intake.domain import Client, PersonalDetails


@dataclass(frozen=True, slots=True)
class ClientRecord:
    """A client for a caseworker of their site: derived state plus decrypted details."""

    client: Client
    personal_details: PersonalDetails | None
