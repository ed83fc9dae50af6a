"""Caseload's settings, read from ``CASELOAD_*`` environment variables in one place."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from chassis.settings import ServiceSettings


class CaseloadSettings(ServiceSettings):
    """Where caseload keeps its store, and the calendar its rules read "today" from."""

    model_config = SettingsConfigDict(env_prefix="CASELOAD_", extra="ignore")

    service_name: str = "caseload"
    unknown_client_wait_seconds: float = Field(
        default=2.0,
        ge=0,
        le=10,
        description="How long opening a plan waits for an unknown client's registration to "
        "arrive from intake before answering 503 with Retry-After.",
    )
    known_clients_group: str = Field(
        default="caseload.known-clients",
        description="Consumer group of the projection of intake's registrations.",
    )
