"""Caseload's settings, read from ``CASELOAD_*`` environment variables in one place."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from chassis.settings import ServiceSettings


class CaseloadSettings(ServiceSettings):
    """Where caseload keeps its store, and the calendar its rules read "today" from."""

    model_config = SettingsConfigDict(env_prefix="CASELOAD_", extra="ignore")

    service_name: str = "caseload"
    known_clients_group: str = Field(
        default="caseload.known-clients",
        description="Consumer group of the projection of intake's registrations.",
    )
