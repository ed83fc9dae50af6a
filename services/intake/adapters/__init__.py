"""Intake's adapters: its own tables, the encrypted personal-data vault, the client repository."""

from pathlib import Path

from services.intake.adapters.cipher import PersonalDataUnreadable
from services.intake.adapters.directory import ClientDirectory
from services.intake.adapters.key_store import ClientKeyStore, KeyRing
from services.intake.adapters.read_log import PersonalDataRead, PersonalDataReadLog
from services.intake.adapters.repository import ClientRepository, stream_id_of
from services.intake.adapters.vault import PersonalDataVault

MIGRATIONS = Path(__file__).parent / "migrations" / "versions"
"""Intake's Alembic revisions (branch ``intake``), for ``chassis.migrate.migrate``."""

__all__ = [
    "MIGRATIONS",
    "ClientDirectory",
    "ClientKeyStore",
    "ClientRepository",
    "KeyRing",
    "PersonalDataRead",
    "PersonalDataReadLog",
    "PersonalDataUnreadable",
    "PersonalDataVault",
    "stream_id_of",
]
